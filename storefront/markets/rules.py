"""The country rules the shop applies: the shipped set, or the merchant's corrected copy.

Rules are data (JSON files with sources and validity dates). A merchant corrects
one by editing a copy: `flask rules export DIR`, edit, `flask rules check DIR`,
then point STOREFRONT_COUNTRY_RULES_DIR at it. The copy is read again whenever a
file in it changes, so a correction needs neither a code change nor a restart.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from channels import country_rules
from channels.rule_expiry import expired_rules

from .. import clock
from ..config import settings

rules_cli = AppGroup("rules", help="Country rules (VAT, schemes, duties, blocked places).")


def _fingerprint(directory: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.json")))


def current_rules() -> country_rules.CountryRules:
    """The rules in force: COUNTRY_RULES_DIR if set (re-read when edited), else the shipped."""
    directory = settings().get("COUNTRY_RULES_DIR")
    if not directory:
        return country_rules.load_rules()
    path = Path(directory)
    cache = current_app.extensions.setdefault("country_rules", {})
    key = (str(path), _fingerprint(path))
    if cache.get("key") != key:
        cache["rules"], cache["key"] = country_rules.load_rules(path), key
    return cache["rules"]


@rules_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
def export(directory: str):
    """Copy the shipped rule files to DIRECTORY, to correct them there."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    shipped = Path(country_rules.__file__).parent / "rules"
    for source in shipped.glob("*.json"):
        shutil.copy2(source, target / source.name)
    click.echo(f"Copied {len(list(shipped.glob('*.json')))} rule files to {target}.")


@rules_cli.command("check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False), required=False)
def check(directory: str | None):
    """Validate the rule files in DIRECTORY (default: the rules in force) and warn about
    rules whose dates have passed with nothing in their place."""
    try:
        rules = country_rules.load_rules(directory) if directory else current_rules()
    except country_rules.RuleFileError as error:
        raise click.ClickException(str(error)) from None
    where = directory or settings().get("COUNTRY_RULES_DIR") or "shipped rules"
    click.echo(
        f"{where}: {len(rules.vat)} VAT rates, {len(rules.schemes)} schemes, "
        f"{len(rules.duty_rates) + len(rules.flat_duties)} duty rules: all valid."
    )
    day = clock.today()
    for expired in expired_rules(rules, day):
        click.echo(f"Warning: {expired.describe()}")
