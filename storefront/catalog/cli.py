"""`flask catalog ...`: parses arguments, shows progress, commits once; the work is in services."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from ..config import settings
from ..db import db
from . import search
from .importer import CSV_FORMAT, CatalogImportError, import_catalog, read_catalog_csv

catalog_cli = AppGroup("catalog", help="Catalog commands.")


def _verbatim(text: str) -> str:
    # click rewraps help paragraphs; "\b" keeps each paragraph of the format as written.
    return "\n\n".join("\b\n" + block for block in text.strip().split("\n\n"))


IMPORT_HELP = (
    "Import products from FILE.csv into the catalog.\n\n"
    + _verbatim(CSV_FORMAT)
    + "\n\nGood products are imported in one transaction; refused rows are listed with their "
    "line number and reason. Exit status: 0 when every row was imported, 1 when some rows "
    "were rejected or the file could not be read."
)


@catalog_cli.command("import", help=IMPORT_HELP)
@click.argument(
    "csv_file", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--report",
    "report_path",
    metavar="PATH",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the rejected-row report to PATH.",
)
def import_command(csv_file: Path, report_path: Path | None) -> None:
    try:
        sheet = read_catalog_csv(csv_file)
    except CatalogImportError as exc:
        raise click.ClickException(str(exc)) from None

    currency = settings()["BASE_CURRENCY"]
    try:
        with click.progressbar(length=len(sheet.rows), label="Importing rows") as bar:
            result = import_catalog(sheet, currency, progress=bar.update)
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        raise click.ClickException(
            f"The database refused the import ({getattr(exc, 'orig', None) or exc}); "
            "nothing was imported."
        ) from None

    click.echo(result.summary)
    if result.rejected:
        click.echo(result.report())
    if report_path is not None:
        report_path.write_text(
            result.summary + "\n" + (result.report() + "\n" if result.rejected else ""),
            encoding="utf-8",
        )
        click.echo(f"Report written to {report_path}")
    if result.rejected:
        click.get_current_context().exit(1)


REINDEX_BATCH = 500


@catalog_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search documents of every product, in every language (after upgrading
    to search, or when search and the catalog disagree)."""
    connection = db.session.connection()
    ids = search.product_ids(connection)
    with click.progressbar(length=len(ids), label="Indexing products") as bar:
        for start in range(0, len(ids), REINDEX_BATCH):
            batch = ids[start : start + REINDEX_BATCH]
            search.reindex(connection, batch)
            bar.update(len(batch))
    db.session.commit()
    click.echo(f"{len(ids)} products indexed for search.")
