"""Checkout benchmark: whole Store API checkouts of a 20-line cart, in-process, on SQLite.

Each checkout goes through the public API as a headless buyer's app would (docs/api.md):
create a cart, add the lines, give the delivery details, read the terms, choose a shipping
method, place the order (`POST /api/v1/carts/{id}/checkout`), whose answer starts the card
payment at Stripe: localstripe on 127.0.0.1 here. Prints p50/p95 milliseconds of placing
the order (and of the Stripe call within it) and of the whole checkout.  See bench/README.md.

    .venv/bin/python bench/checkout.py [--db PATH] [--orders 50] [--lines 20] [--record]

The requests go through Flask's test client (no HTTP server, no network but Stripe's), each
buyer from its own client address (the rate limits and the caps on unpaid orders are per
address). The orders are placed in a copy of the database, removed after: the seeded one
is left as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import io
import math
import os
import platform
import pstats
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: bench/ is not a package on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import (
    RESULTS,
    SEED_TIMEOUT,
    BenchError,
    app_env,
    append_results,
    command_output,
    flask_command,
    guarded,
    load_average,
    log,
    positive,
    product_count,
    report,
)
from tests.localstripe_server import running_localstripe

GOAL_P50_MS = 25.0  # issue 18: placing a 20-line order, p50 on SQLite
ADDRESS = {
    "DE": {
        "name": "Lena Vogel",
        "street_address": "Torstraße 1",
        "city": "Berlin",
        "postal_code": "10119",
    },
}


@dataclass
class Timings:
    place: list[float] = field(default_factory=list)  # POST .../checkout, ms
    stripe: list[float] = field(default_factory=list)  # the Stripe calls within it, ms
    whole: list[float] = field(default_factory=list)  # POST /carts .. the checkout's answer
    groups: list[int] = field(default_factory=list)
    profiler: cProfile.Profile | None = None  # --profile: the placing requests only


# --- the database and Stripe -----------------------------------------------------------------


def seeded_database(db: Path | None, products: int, workdir: Path) -> Path:
    """The seeded database to copy: `db` as it is, else one seeded in `workdir` now."""
    if db is not None:
        if not db.exists():
            raise BenchError(
                f"{db} does not exist: seed it with bench/pages.py --db {db} --keep, "
                "or leave --db out to seed a throwaway one"
            )
        return db.resolve()
    db = workdir / "seeded.sqlite3"
    env = app_env(db, workdir / "media")
    flask_command(["db", "upgrade"], env, timeout=300)
    seed = ["shop", "seed-demo", "--products", str(products)]
    flask_command(seed, env, timeout=SEED_TIMEOUT)
    return db


def copy_database(source: Path, target: Path) -> None:
    src = contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True))
    with src as source_db, contextlib.closing(sqlite3.connect(target)) as target_db:
        source_db.backup(target_db)


def localstripe():
    """localstripe on a free 127.0.0.1 port, its state in memory, as the payment tests run
    it (tests/localstripe_server.py); yields its base URL."""
    return running_localstripe()


def stripe_settings(base_url: str) -> dict:
    return {
        "STRIPE_SECRET_KEY": "sk_test_bench",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
        "STRIPE_WEBHOOK_SECRET": "whsec_YmVuY2gtb25seS13ZWJob29rLXNlY3JldA",
        "STRIPE_API_BASE": base_url,
        "STRIPE_JS_URL": base_url + "/js.stripe.com/v3/",
    }


@contextlib.contextmanager
def timing_stripe(spent: list[float]) -> Iterator[None]:
    """Add the milliseconds of each PaymentIntent created at Stripe to `spent`."""
    from storefront.payments import stripe_gateway

    create = stripe_gateway.create_intent

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return create(*args, **kwargs)
        finally:
            spent.append((time.perf_counter() - started) * 1000)

    stripe_gateway.create_intent = timed
    try:
        yield
    finally:
        stripe_gateway.create_intent = create


# --- a buyer's app -----------------------------------------------------------------------------


class Api:
    """JSON calls through the test client from one client address; a bad answer raises."""

    def __init__(self, app, address: str, token: str = ""):
        self.client = app.test_client()
        self.environ = {"REMOTE_ADDR": address}
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None, expect=(200, 201)) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        answer = self.client.open(
            path, method=method, json=body, headers=headers, environ_base=self.environ
        )
        data = answer.get_json(silent=True)
        if answer.status_code not in expect:
            raise BenchError(f"{method} {path} answered {answer.status_code}: {data}")
        return data


def sku_pool(app, channel: str, wanted: int) -> list[str]:
    """Available SKUs, one per product, the selling models taking turns (so a cart has
    several fulfilment groups), read from the catalog API."""
    api = Api(app, "10.255.255.254")
    by_model: dict[str, list[str]] = {}
    cursor, found = None, 0
    while found < wanted:
        query = f"?channel={channel}" + (f"&cursor={cursor}" if cursor else "")
        page = api.call("GET", f"/api/v1/products{query}")
        for item in page["items"]:
            if not item.get("price"):
                continue
            detail = api.call("GET", f"/api/v1/products/{item['slug']}?channel={channel}")
            sku = next((v["sku"] for v in detail["variants"] if v["available"]), None)
            if sku is not None:
                by_model.setdefault(item["selling_model"], []).append(sku)
                found += 1
        cursor = page.get("next")
        if not cursor:
            break
    pool: list[str] = []
    queues = list(by_model.values())
    while any(queues):
        for queue in queues:
            if queue:
                pool.append(queue.pop(0))
    if len(pool) < wanted:
        raise BenchError(f"only {len(pool)} available SKUs in {channel}, wanted {wanted}")
    return pool


def one_checkout(
    app, n: int, channel: str, country: str, skus: Sequence[str], timings: Timings, stripe: bool
) -> None:
    """Checkout number `n`, from its own client address."""
    api = Api(app, f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}")
    started = time.perf_counter()
    cart = api.call("POST", "/api/v1/carts", {"channel": channel, "country": country})
    api.token = cart["token"]
    path = f"/api/v1/carts/{cart['id']}"
    for sku in skus:
        cart = api.call("POST", f"{path}/lines", {"sku": sku, "quantity": 1})
    delivery = {"address": ADDRESS[country], "email": f"b{n}@example.com", "phone": "030 1234567"}
    cart = api.call("PUT", f"{path}/address", delivery)
    terms = api.call("GET", "/api/v1/pages/terms")
    group = cart["groups"][0]
    method = group["shipping_options"][-1]["id"]  # not always the cheapest, the default
    cart = api.call("PUT", f"{path}/shipping", {"group": group["id"], "method": method})
    if cart["problems"] or len(cart["lines"]) != len(skus):
        raise BenchError(f"cart {cart['id']} cannot be checked out: {cart['problems']}")
    body = {"idempotency_key": f"bench-{n}", "accept_terms_version": terms["version"]}
    if timings.profiler is not None:
        timings.profiler.enable()
    placing = time.perf_counter()
    placed = api.call("POST", f"{path}/checkout", body, expect=(201,))
    done = time.perf_counter()
    if timings.profiler is not None:
        timings.profiler.disable()
    if stripe and not (placed["payment"] or {}).get("client_secret"):
        raise BenchError(f"order {placed['order_id']} started no card payment: {placed}")
    timings.place.append((done - placing) * 1000)
    timings.whole.append((done - started) * 1000)
    timings.groups.append(len(placed["order"]["groups"]))


def run_checkouts(
    app, settings: argparse.Namespace, progress: Callable[[str], None] = log
) -> Timings:
    channels = Api(app, "10.255.255.254").call("GET", "/api/v1/channels")
    channel = next((c["code"] for c in channels if settings.country in c["countries"]), None)
    if channel is None:
        raise BenchError(f"no channel delivers to {settings.country}")
    total = settings.warmup + settings.orders
    pool = sku_pool(app, channel, min(total * settings.lines, settings.pool))
    progress(f"{len(pool)} SKUs in {channel}; {settings.warmup} warm-up checkouts")
    warm = Timings()
    timings = Timings(profiler=cProfile.Profile() if settings.profile else None)
    with timing_stripe(timings.stripe):
        for n in range(total):
            into = warm if n < settings.warmup else timings
            if n == settings.warmup:
                timings.stripe.clear()
                progress(f"measuring {settings.orders} checkouts of {settings.lines} lines")
            start = n * settings.lines % len(pool)
            skus = [pool[(start + i) % len(pool)] for i in range(settings.lines)]
            one_checkout(app, n + 1, channel, settings.country, skus, into, settings.stripe)
    return timings


# --- the report -----------------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = math.ceil(pct / 100 * len(ordered))  # nearest rank, 1-based
    return ordered[max(0, min(len(ordered), rank) - 1)]


def table(timings: Timings) -> str:
    rows = [("place the order (`POST /carts/{id}/checkout`)", timings.place)]
    if timings.stripe:
        rows.append(("... of which creating the PaymentIntent at localstripe", timings.stripe))
    rows.append(("whole checkout (create cart .. order placed)", timings.whole))
    lines = ["| step | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|"]
    for name, values in rows:
        p50, p95 = statistics.median(values), percentile(values, 95)
        lines.append(f"| {name} | {p50:.1f} | {p95:.1f} | {max(values):.1f} |")
    return "\n".join(lines)


def verdict(timings: Timings) -> str:
    p50 = statistics.median(timings.place)
    met = "met" if p50 < GOAL_P50_MS else "NOT met"
    goal = f"Placing a 20-line order under {GOAL_P50_MS:.0f} ms p50 on SQLite"
    return f"{goal}: {met} ({p50:.1f} ms)."


def record(settings, timings: Timings, products: int | None, loads: tuple[str, str]) -> None:
    today = command_output(["date", "+%Y-%m-%d"]) or datetime.date.today().isoformat()
    cores = command_output(["nproc"]) or str(os.cpu_count())
    commit = command_output(["git", "rev-parse", "--short", "HEAD"]) or "none (no commit yet)"
    if command_output(["git", "status", "--porcelain", "--untracked-files=no"]):
        commit += " + uncommitted changes"
    catalog = f"{products:,} products" if products is not None else "product count unknown"
    groups = sorted(set(timings.groups))
    stripe = "localstripe on 127.0.0.1" if settings.stripe else "none (no Stripe keys: no payment)"
    section = (
        f"\n## {today} checkout{' ' + settings.label if settings.label else ''}\n\n"
        f"- machine: {cores} cores, {platform.machine()}, Python {platform.python_version()}\n"
        f"- commit: {commit}\n"
        f"- run: `bench/checkout.py`: {settings.orders} Store API checkouts of "
        f"{settings.lines} lines ({'-'.join(map(str, (groups[0], groups[-1])))} fulfilment "
        f"groups) to {settings.country}, after {settings.warmup} unmeasured, one at a time "
        f"in-process (Flask test client), each from its own client address; Stripe: {stripe}\n"
        f"- shop: SQLite, {catalog}\n"
        f"- machine load (1, 5, 15 min load average): {loads[0]} before, {loads[1]} after\n\n"
        f"{table(timings)}\n\n{verdict(timings)}\n"
    )
    append_results(section, RESULTS)


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="a seeded SQLite database (bench/pages.py --db PATH --keep); it is copied, "
        "never written (default: seed a throwaway one)",
    )
    parser.add_argument(
        "--products", type=positive, default=10_000, help="products to seed without --db"
    )
    parser.add_argument("--orders", type=positive, default=50, help="measured checkouts")
    parser.add_argument("--lines", type=positive, default=20, help="lines per cart (20)")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured checkouts first (5)")
    parser.add_argument(
        "--pool",
        type=positive,
        default=400,
        help="distinct SKUs the carts take turns with, one of each per line (400)",
    )
    parser.add_argument("--country", default="DE", help="delivery country (DE)")
    parser.add_argument(
        "--no-stripe",
        dest="stripe",
        action="store_false",
        help="no Stripe keys: the order starts no card payment (and no localstripe runs)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="cProfile the measured orders' placing and print the TOP functions (timings "
        "then include the profiler's overhead: do not --record them)",
    )
    parser.add_argument("--sort", default="tottime", help="pstats sort key for --profile")
    parser.add_argument("--label", default="", help="words after the date in RESULTS.md")
    parser.add_argument(
        "--record", action="store_true", help="append a dated section to bench/RESULTS.md"
    )
    ns = parser.parse_args(argv)
    ns.country = ns.country.upper()
    if ns.country not in ADDRESS:
        parser.error(f"--country: addresses are known for {', '.join(ADDRESS)}")
    if ns.warmup < 0:
        parser.error("--warmup must be 0 or more")
    if ns.pool < ns.lines:
        parser.error("--pool must be at least --lines")
    if ns.profile and ns.record:
        parser.error("--profile slows what it measures: leave --record out")
    return ns


def run(settings: argparse.Namespace) -> int:
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="storefront-checkout-") as tmp:
        workdir = Path(tmp)
        seeded = seeded_database(settings.db, settings.products, workdir)
        db = workdir / "checkout.sqlite3"
        copy_database(seeded, db)
        media = seeded.with_name(seeded.stem + "-media")
        os.environ.update(app_env(db, media if media.is_dir() else workdir / "media"))
        with contextlib.ExitStack() as stack:
            config: dict = {"LISTING_CACHE_SECONDS": 0}
            if settings.stripe:
                config.update(stripe_settings(stack.enter_context(localstripe())))
            from storefront import create_app

            app = create_app(config)
            timings = run_checkouts(app, settings)
        products = product_count(db)
    if timings.profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(timings.profiler, stream=out)
        stats.sort_stats(settings.sort).print_stats(settings.profile)
        print("\n".join(out.getvalue().splitlines()[4:]))
    loads = report(table(timings), [verdict(timings)], load_before)
    if settings.record:
        record(settings, timings, products, loads)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    return guarded(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
