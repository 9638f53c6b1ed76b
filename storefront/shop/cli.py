"""`flask shop ...`: parses arguments, shows progress, commits once; the work is in demo.py."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from ..catalog.operations import CatalogError
from ..config import settings
from ..db import db
from .demo import DEMO_CURRENCY, DEMO_PRODUCTS, product_count, seed_demo

shop_cli = AppGroup("shop", help="Shop set-up commands.")


@shop_cli.command("seed-demo")
@click.option(
    "--products",
    "extra_products",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    metavar="N",
    help="Also generate N products on top of the hand-written ones (benchmarks).",
)
def seed_demo_command(extra_products: int) -> None:
    """Fill an empty shop with a demo jewelry catalog, markets and pictures.

    Does nothing when the shop has products already. Demo users (owner, agent,
    staff) are created only with STOREFRONT_DEMO=1.
    """
    config = settings()
    if config["BASE_CURRENCY"] != DEMO_CURRENCY:
        raise click.ClickException(
            f"The demo prices are in {DEMO_CURRENCY} but BASE_CURRENCY is "
            f"{config['BASE_CURRENCY']}; seed an empty shop with BASE_CURRENCY={DEMO_CURRENCY}."
        )
    existing = product_count()
    if existing:
        click.echo(f"The shop has {existing} products already; nothing was seeded.")
        return
    total = len(DEMO_PRODUCTS) + extra_products
    try:
        with click.progressbar(length=total, label="Seeding products") as bar:
            result = seed_demo(
                extra_products=extra_products,
                with_users=bool(config["DEMO"]),
                progress=bar.update,
            )
        if result is None:  # another process seeded between the check and now
            click.echo("The shop has products already; nothing was seeded.")
            return
        db.session.commit()
    except CatalogError as exc:
        db.session.rollback()
        raise click.ClickException(f"Demo product refused: {exc.field}: {exc.message}") from None
    except SQLAlchemyError as exc:
        db.session.rollback()
        raise click.ClickException(
            f"The database refused the demo data ({getattr(exc, 'orig', None) or exc}); "
            "nothing was seeded."
        ) from None

    click.echo(
        f"Seeded {result.products} products ({result.variants} variants), {result.brands} brands, "
        f"{result.categories} categories, {result.channels} channels, stock for "
        f"{result.stocked_variants} wholesale variants (trade minimums and quantity breaks on "
        f"{result.trade_terms}) and {result.images} images in "
        f"{config['MEDIA_FOLDER']}."
    )
    for email, password, role in result.users:
        click.echo(f"Demo {role}: {email} / password {password}")
    if result.orders:
        click.echo(
            f"Paid demo orders waiting to ship: {', '.join(result.orders)} "
            "(back office: /admin/shipping-work; the supplier's: /supplier)"
        )
    packed = result.paperwork.get("packed")
    if packed is not None:
        click.echo(
            f"Export documents: order {packed.order.number} is packed; its commercial invoice, "
            "packing list and postal form are linked in Shipping work (/admin/shipping-work, "
            f"To ship) and on /admin/shipping-work/groups/{packed.id}"
        )
    quoted = [result.paperwork.get(k) for k in ("accepted", "sent")]
    if any(quoted):
        click.echo(
            f"Trade quotes (/admin/quotes): {quoted[0]} accepted (FOB Shenzhen, 30% deposit), "
            f"{quoted[1]} sent, waiting for the buyer"
        )
