"""The shop's database: its own engine and session, never the host's Flask-SQLAlchemy.

A host app may already run Flask-SQLAlchemy (one instance per app) on the same database,
so the shop keeps an engine of its own in `app.extensions["storefront"]` and a session
scoped to the app context, removed at teardown. Every table is named `shop_*` and the
shop's Alembic history lives in `shop_alembic_version`, so a host's `users`, `orders` or
`alembic_version` tables are never touched.
"""

from __future__ import annotations

import datetime
import os

import sqlalchemy as sa
from flask import Flask, current_app
from flask.globals import app_ctx
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker

TABLE_PREFIX = "shop_"
# SQLite's full-text tables (and their shadow tables) live beside the models, made by migrations.
FULL_TEXT_PREFIX = "shop_fts_"
VERSION_TABLE = "shop_alembic_version"
MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")

# Stable constraint names, so Alembic migrations read the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class _ShopSession(Session):
    """A session bound to the engine of the app it is used in."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is not None:
            return bind
        return current_app.extensions["storefront"].engine


def _app_context_id() -> int:
    return id(app_ctx._get_current_object())


class ShopDatabase:
    """What the features use: `db.session`, `db.Model`, `db.metadata`, `db.engine`."""

    Model = Base
    metadata = Base.metadata
    func = sa.func

    def __init__(self) -> None:
        self.session = scoped_session(sessionmaker(class_=_ShopSession), scopefunc=_app_context_id)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["storefront"].engine

    def create_engine(self, app: Flask, url: str, options: dict) -> Engine:
        """The shop's engine; its session goes away with each app context."""
        app.teardown_appcontext(self._remove_session)
        return sa.create_engine(url, **options)

    def _remove_session(self, _error: BaseException | None = None) -> None:
        self.session.remove()


db = ShopDatabase()


def as_utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A stored moment as an aware UTC datetime: everything is stored in UTC, and SQLite
    hands it back without a time zone (PostgreSQL with one)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=datetime.UTC)


def iso_utc(moment: datetime.datetime | None) -> str | None:
    """A stored moment as the API and exports answer it: ISO 8601 with its UTC offset
    (`2026-12-05T19:11:31+00:00`), a valid `date-time` on either database."""
    moment = as_utc(moment)
    return None if moment is None else moment.isoformat()


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    # SQLite leaves foreign keys off unless asked; WAL lets readers run beside a writer.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def is_shop_table(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's filter: the shop compares and migrates only its own tables, so a host's
    tables in the same database are never seen as something to drop."""
    if type_ != "table":
        return True
    return bool(name and name.startswith(TABLE_PREFIX) and not name.startswith(FULL_TEXT_PREFIX))


MIGRATION_OPTIONS = {
    "render_as_batch": True,
    "compare_type": True,
    "version_table": VERSION_TABLE,
    "include_name": is_shop_table,
}
