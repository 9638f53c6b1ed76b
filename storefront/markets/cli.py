"""`flask fx`: exchange rates."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

import click
from flask.cli import AppGroup

from channels import fx

from .. import clock
from ..config import settings
from ..db import db
from . import rates


def _today() -> datetime.date:
    return clock.today()


fx_cli = AppGroup("fx", help="Exchange rates (ECB euro reference rates).")


@fx_cli.command("update")
@click.option("--url", default=None, help="Feed address (default: the ECB daily feed).")
def update(url: str | None):
    """Fetch today's ECB rates and keep them; on failure the last good rates stay."""
    url = url or settings()["FX_FEED_URL"]
    try:
        rateset = rates.update_from_ecb(url, settings()["FX_TIMEOUT_SECONDS"])
    except fx.RatesFeedError as error:
        db.session.rollback()
        kept = rates.current_rates()
        raise click.ClickException(
            f"Rates not updated: {error}. Prices keep using the rates of "
            f"{kept.rateset.date.isoformat()}."
        ) from None
    db.session.commit()
    click.echo(f"Stored {len(rateset.rates) - 1} ECB rates of {rateset.date.isoformat()}.")


@fx_cli.command("set")
@click.argument("currency")
@click.argument("rate")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The rate's date (default: today).",
)
def set_rate(currency: str, rate: str, on):
    """Enter a dated rate (1 EUR = RATE CURRENCY) for a currency the ECB lacks."""
    try:
        value = Decimal(rate)
    except InvalidOperation:
        raise click.ClickException(f"{rate!r} is not a number.") from None
    try:
        rates.set_manual_rate(currency.upper(), value, on.date() if on else _today())
    except (fx.RatesFeedError, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"1 EUR = {value} {currency.upper()} from {(on.date() if on else _today())}.")


@fx_cli.command("status")
def status():
    """Show the rates in use; exit 1 when a rate the channels need is stale or missing."""
    health = rates.rate_health(_today())
    current, today = health.rates, _today()
    for code in sorted(current.rateset.rates):
        if code == "EUR":
            continue
        age = (today - current.dates[code]).days
        flag = "  STALE" if code in health.stale else ""
        click.echo(
            f"{code}  {current.rateset.rates[code]:>14}  {current.dates[code]} "
            f"({current.sources[code]}, {age} days old){flag}"
        )
    problems = []
    if health.stale:
        problems.append(
            f"{', '.join(health.stale)} older than "
            f"{settings()['FX_MAX_AGE_DAYS']} days: run `flask fx update`"
        )
    if health.missing:
        problems.append(f"no rate for {', '.join(health.missing)}: enter one with `flask fx set`")
    if problems:
        raise click.ClickException("Rates the channels need: " + "; ".join(problems) + ".")
