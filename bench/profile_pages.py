"""Profile the buyer's pages in-process: cProfile over the Flask test client.

A buyer with a session (a cart of 3 lines and a chosen country) asks for the home page, a
category listing, search results and a product page; no page cache (a session never gets
one). `--pages api-cart` profiles the Store API's `GET /api/v1/carts/{id}` too: a cart of
5 lines in 3 fulfilment groups made through the API as bench/pages.py makes it (it is left in
the database). Prints milliseconds per request and the functions that took the time.

    DATABASE_URL=sqlite:///bench/tmp/bench.sqlite3 STOREFRONT_DEMO=1 \\
        PYTHONPATH=. .venv/bin/python bench/profile_pages.py [--requests 200] [--top 25]

The database is one bench/pages.py seeded (`--db PATH --keep` keeps it).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: bench/ is not a package on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = {
    "home": "/",
    "listing": "/c/{category}",
    "search": "/search?q={search}",
    "product": "{product}",
    "api-cart": "{api_cart}",  # GET /api/v1/carts/{id}: 5 lines, 3 groups (bench/scenarios)
}


def buyer_client(app, country: str, lines: int = 3):
    """A test client with a chosen country and `lines` products in its cart."""
    client = app.test_client()
    client.get(f"/preferences?country={country}&next=/")
    listing = client.get("/").get_data(as_text=True)
    links = list(dict.fromkeys(re.findall(r'href="(/p/[^"/?#]+)"', listing)))
    added = 0
    for link in links[1:]:
        html = client.get(link).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        sku = re.search(r'<select name="sku"[^>]*>\s*<option value="([^"]+)"', html)
        if not sku:
            continue
        form = {"sku": sku.group(1), "quantity": "1"}
        if token:
            form["csrf_token"] = token.group(1)
        # The first product page is the anonymous one, without a token: the browser's Origin.
        client.post("/cart/add", data=form, headers={"Origin": "http://localhost"})
        added += 1
        if added == lines:
            break
    return client, links[0]


def api_cart(app, country: str):
    """The Store API cart bench/pages.py measures (bench/scenarios.api_cart: 5 lines in 3
    groups, delivered to `country`), made through the API on a short-lived local server;
    returns its path and the headers that open it."""
    import logging

    from werkzeug.serving import make_server

    from bench import scenarios

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request made
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        cart = scenarios.api_cart(f"http://127.0.0.1:{server.server_port}", country)
    finally:
        server.shutdown()
    print(f"API cart {cart.path}: {cart.lines} lines, {cart.groups} groups, landed {cart.landed}")
    return cart.path, {"Authorization": f"Bearer {cart.token}"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--top", type=int, default=25, help="functions shown per page")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumulative)")
    parser.add_argument("--category", default="rings")
    parser.add_argument("--search", default="ring")
    parser.add_argument("--country", default="DE")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    ns = parser.parse_args(argv)

    from storefront import create_app

    app = create_app({"LISTING_CACHE_SECONDS": 0})
    client, product = buyer_client(app, ns.country)
    cart_count = re.search(r'class="cart-count">(\d+)<', client.get("/").get_data(as_text=True))
    print(f"buyer: country {ns.country}, cart shows {cart_count and cart_count.group(1)} items")
    names = ns.pages.split(",")
    cart_path, cart_headers = api_cart(app, ns.country) if "api-cart" in names else ("", {})
    for name in names:
        path = PAGES[name].format(
            category=ns.category, search=ns.search, product=product, api_cart=cart_path
        )
        headers = cart_headers if name == "api-cart" else {}
        for _ in range(20):  # warm caches (templates, rates, compiled statements)
            assert client.get(path, headers=headers).status_code == 200, path
        started = time.perf_counter()
        for _ in range(ns.requests):
            client.get(path, headers=headers)
        ms = (time.perf_counter() - started) * 1000 / ns.requests
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(ns.requests):
            client.get(path, headers=headers)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(ns.sort).print_stats(ns.top)
        print(f"\n=== {name} {path}: {ms:.2f} ms per request (unprofiled) ===")
        print("\n".join(out.getvalue().splitlines()[4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
