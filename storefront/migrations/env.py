"""Alembic environment: the shop's own engine, tables and version table (`shop_alembic_version`)."""

import logging

import sqlalchemy as sa
from alembic import context
from flask import current_app

from storefront.db import MIGRATION_OPTIONS, VERSION_TABLE, db

config = context.config
logger = logging.getLogger("alembic.env")

# Revisions the shop wrote while it kept its history in the default `alembic_version`.
_OWN_REVISIONS = {f"{n:04d}" for n in range(1, 14)}


def _adopt_old_version_table(connection) -> None:
    """A database migrated before the shop had its own version table keeps its place: the
    row moves to `shop_alembic_version`. A host's `alembic_version` (other revisions) stays."""
    inspector = sa.inspect(connection)
    if inspector.has_table(VERSION_TABLE) or not inspector.has_table("alembic_version"):
        return
    old = sa.table("alembic_version", sa.column("version_num"))
    versions = set(connection.execute(sa.select(old.c.version_num)).scalars())
    if not versions or not versions <= _OWN_REVISIONS:
        return
    new = sa.Table(VERSION_TABLE, sa.MetaData(), sa.Column("version_num", sa.String(32)))
    new.create(connection)
    connection.execute(new.insert(), [{"version_num": v} for v in versions])
    connection.execute(sa.text("DROP TABLE alembic_version"))


def skip_empty(context, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    engine = current_app.extensions["storefront"].engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the old one: with foreign keys on,
            # the drop would cascade to its children (an order's groups and lines). Off while
            # migrating (it can only change outside a transaction), checked afterwards.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        _adopt_old_version_table(connection)
        connection.commit()  # Alembic runs its own transaction only on an idle connection
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            process_revision_directives=skip_empty,
            **MIGRATION_OPTIONS,
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")


run_migrations_online()
