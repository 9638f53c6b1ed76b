"""Time to price a 50-line cart in each demo channel (target: under 2 ms per cart).

Builds a throwaway SQLite shop with the demo channels, 50 products and one
50-line cart per channel, then times `price_cart` on a loaded cart (the
explicit-price query, the quotes, the totals; rates cached per process as in
production) and, separately, loading the cart's lines, variants and products.

    .venv/bin/python bench/pricing.py [--runs 300] [--record]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from record import append_section  # bench/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

CHANNELS = ("us", "eu", "jp", "gulf", "ch")
TARGET_MS = 2.0


def build(app) -> dict[str, str]:
    from channels.fx import RateSet
    from channels.money import Money
    from conftest import CHANNELS as CHANNEL_FIELDS
    from storefront.cart import operations
    from storefront.catalog.operations import ProductInput, VariantInput, create_product
    from storefront.catalog.tables import Brand, Category
    from storefront.db import db
    from storefront.markets import rates
    from storefront.markets.pricing import Pricer
    from storefront.markets.tables import Channel
    from storefront.schema import upgrade

    with app.app_context():
        upgrade()
        db.session.add_all(
            [Brand(slug="b", name="B", country="CN"), Category(slug="rings", name="Rings")]
        )
        for position, code in enumerate(CHANNELS):
            db.session.add(Channel(code=code, position=position, **CHANNEL_FIELDS[code]))
        rates.store(
            RateSet(
                datetime.date.today(),
                {
                    "USD": Decimal("1.1612"),
                    "JPY": Decimal("178.3"),
                    "CHF": Decimal("0.9304"),
                    "KWD": Decimal("0.3561"),
                },
            ),
            "ecb",
        )
        for n in range(50):
            create_product(
                ProductInput(
                    slug=f"ring-{n}",
                    name=f"Ring {n}",
                    brand="b",
                    category="rings",
                    hs_code="7113.11",
                    origin_country="CN",
                    material="sterling silver",
                    weight_grams=5,
                    length_mm=20,
                    width_mm=20,
                    height_mm=3,
                    grade="none",
                    selling_model="wholesale_retail",
                    variants=[VariantInput(f"R-{n}", Money(Decimal("19.90") + n, "USD"))],
                ),
                "USD",
            )
        db.session.flush()
        carts = {}
        for code in CHANNELS:
            channel = db.session.query(Channel).filter_by(code=code).one()
            cart, _ = operations.new_cart(channel)
            pricer = Pricer(channel)
            for n in range(50):
                operations.add_line(cart, f"R-{n}", 2, pricer)
            carts[code] = cart.id
        db.session.commit()
        return carts


def measure(app, carts: dict[str, str], runs: int) -> list[tuple[str, float, float, float]]:
    """Per channel: median and p95 of pricing a loaded cart, and the median load time."""
    from storefront.cart import operations
    from storefront.db import db
    from storefront.markets.pricing import Pricer

    results = []
    for code, cart_id in carts.items():
        loading, pricing = [], []
        for _ in range(runs):
            with app.test_request_context():
                start = time.perf_counter()
                cart = operations.load_cart(cart_id)
                loaded = time.perf_counter()
                priced = operations.price_cart(cart, Pricer(cart.channel))
                subtotal = priced.subtotal
                done = time.perf_counter()
                assert len(priced.lines) == 50 and subtotal.currency == cart.channel.currency
                loading.append((loaded - start) * 1000)
                pricing.append((done - loaded) * 1000)
                db.session.remove()
        pricing.sort()
        results.append(
            (
                code,
                statistics.median(pricing),
                pricing[int(len(pricing) * 0.95)],
                statistics.median(loading),
            )
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()

    from storefront import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp}/p.db",
                "BASE_CURRENCY": "USD",
            }
        )
        carts = build(app)
        results = measure(app, carts, args.runs)
        with app.app_context():
            from storefront.db import db

            db.engine.dispose()

    lines = [
        "| channel | price: median ms | price: p95 ms | target | load from DB: median ms |",
        "|---|---|---|---|---|",
        *(
            f"| {code} | {median:.2f} | {p95:.2f} | {'ok' if median < TARGET_MS else 'MISSED'} "
            f"| {load:.2f} |"
            for code, median, p95, load in results
        ),
    ]
    print("\n".join(lines))
    if args.record:
        append_section(
            "Cart pricing",
            f"Price a loaded 50-line cart (SQLite, rates cached), {args.runs} runs "
            f"per channel; target under {TARGET_MS} ms.\n\n" + "\n".join(lines) + "\n",
        )
    return 0 if all(median < TARGET_MS for _, median, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
