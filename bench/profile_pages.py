"""Profile the buyer's pages in-process: cProfile over the Flask test client.

A buyer with a session (a cart of 3 lines and a chosen country) asks for the home page, a
category listing, search results and a product page; no page cache (a session never gets
one). Prints milliseconds per request and the functions that took the time.

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
import time
from collections.abc import Sequence

PAGES = {
    "home": "/",
    "listing": "/c/{category}",
    "search": "/search?q={search}",
    "product": "{product}",
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
    for name in ns.pages.split(","):
        path = PAGES[name].format(category=ns.category, search=ns.search, product=product)
        for _ in range(20):  # warm caches (templates, rates, compiled statements)
            assert client.get(path).status_code == 200, path
        started = time.perf_counter()
        for _ in range(ns.requests):
            client.get(path)
        ms = (time.perf_counter() - started) * 1000 / ns.requests
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(ns.requests):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(ns.sort).print_stats(ns.top)
        print(f"\n=== {name} {path}: {ms:.2f} ms per request (unprofiled) ===")
        print("\n".join(out.getvalue().splitlines()[4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
