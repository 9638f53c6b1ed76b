"""Dispatch: a paid order's groups handed to their shippers (a pick task, a production
order, an agent's queue, a supplier event), and unpaid or cancelled orders called back;
`flask orders release-expired` (and the worker's `orders.release_expired`).

It sits above orders, production and webhooks, whose rows the selling models write
through `context.DispatchContext`, and below payments, which pay and cancel orders.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..db import db
from ..mount import ShopSetup

orders_cli = AppGroup("orders", help="Orders.")

# How often the worker's `orders.release_expired` looks for holds that ran out.
RELEASE_EXPIRED_SECONDS = 60


@orders_cli.command("release-expired")
def release_expired_command():
    """Cancel unpaid orders whose stock hold has expired, or whose bank transfer did not
    arrive by its deadline, giving the stock back."""
    from .operations import release_expired

    count = release_expired()
    db.session.commit()
    click.echo(
        f"Cancelled {count} unpaid orders whose stock hold had expired "
        "or whose bank transfer was overdue."
    )


def release_expired_job() -> int:
    """The worker's `orders.release_expired`: cancel what ran out; flushes, the worker commits."""
    from .operations import release_expired

    return release_expired()


def init_app(app: ShopSetup) -> None:
    app.cli.add_command(orders_cli)
    app.add_job("orders.release_expired", release_expired_job, every=RELEASE_EXPIRED_SECONDS)
