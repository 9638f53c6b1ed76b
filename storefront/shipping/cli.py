"""`flask carriers ...`: the carriers shippers choose from, and their tracking links."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..db import db
from .carriers import CarrierError, carriers, save_carrier

carriers_cli = AppGroup("carriers", help="Carriers and their tracking links.")


@carriers_cli.command("list")
def list_command() -> None:
    """The carriers a shipper may choose, with their tracking links."""
    for carrier in carriers():
        click.echo(f"{carrier.code:<18} {carrier.name:<22} {carrier.tracking_url or '-'}")


@carriers_cli.command("set")
@click.argument("code")
@click.option("--name", help="Shown to shippers and buyers.")
@click.option("--tracking-url", help="An http(s) URL with {number} for the tracking number.")
@click.option("--retire", is_flag=True, help="Shippers no longer choose it.")
def set_command(code: str, name: str | None, tracking_url: str | None, retire: bool) -> None:
    """Add a carrier, change a built-in one's name or link, or retire one."""
    try:
        carrier = save_carrier(code, name, tracking_url, active=not retire)
    except CarrierError as error:
        raise click.ClickException(f"{error.field}: {error.message}") from None
    db.session.commit()
    state = "retired" if retire else "saved"
    click.echo(f"{carrier.code} {state}: {carrier.name} {carrier.tracking_url or '(no link)'}")
