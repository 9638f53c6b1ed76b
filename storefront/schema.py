"""The shop's schema changes: its own Alembic environment and the `db` commands.

Standalone they are `flask --app storefront db ...`; mounted in a host they are
`flask --app host shop db ...`, beside (never instead of) a host's Flask-Migrate `db`.
"""

from __future__ import annotations

import sys

import click
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask.cli import AppGroup

from .db import MIGRATIONS


def alembic_config() -> Config:
    config = Config(stdout=sys.stdout)  # the stream of this moment, not Alembic's import-time one
    config.set_main_option("script_location", MIGRATIONS)
    return config


def head() -> str:
    """The newest revision of the shop's schema."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(revision: str = "head") -> None:
    """Bring the shop's tables to `revision` (call inside an app context)."""
    command.upgrade(alembic_config(), revision)


def downgrade(revision: str = "-1") -> None:
    """Take the shop's tables back to `revision` (call inside an app context)."""
    command.downgrade(alembic_config(), revision)


db_cli = AppGroup("db", help="The shop's database schema (its own Alembic history).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply the shop's migrations up to REVISION (default: the latest)."""
    upgrade(revision)


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def downgrade_command(revision: str) -> None:
    """Undo the shop's migrations down to REVISION (default: one step)."""
    downgrade(revision)


@db_cli.command("migrate")
@click.option("-m", "--message", required=True, help="What the change is, in a few words.")
def migrate_command(message: str) -> None:
    """Write a new migration from the difference between the tables and the database."""
    command.revision(alembic_config(), message=message, autogenerate=True)


@db_cli.command("current")
def current_command() -> None:
    """The revision the database is at."""
    command.current(alembic_config())


@db_cli.command("history")
def history_command() -> None:
    """Every migration, newest first."""
    command.history(alembic_config())
