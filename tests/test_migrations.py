"""The Alembic migrations and the table classes describe the same schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storefront.db import MIGRATION_OPTIONS, db


def test_migrations_match_the_tables(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=MIGRATION_OPTIONS)
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run `flask db migrate`: the tables changed without a migration"
