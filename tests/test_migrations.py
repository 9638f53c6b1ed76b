"""The Alembic migrations and the table classes describe the same schema."""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations

from storefront import create_app
from storefront.catalog.tables import Brand
from storefront.db import MIGRATION_OPTIONS, MIGRATIONS, db
from storefront.schema import head, upgrade


def test_migrations_match_the_tables(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=MIGRATION_OPTIONS)
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "run `flask db migrate`: the tables changed without a migration"


def _prefix_migration():
    path = Path(MIGRATIONS) / "versions" / "0014_shop_table_prefix.py"
    spec = importlib.util.spec_from_file_location("shop_table_prefix", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_database_made_before_the_prefix_is_renamed_in_place(spare_database):
    """A shop migrated before its tables were `shop_*` (and its history in the default
    `alembic_version`) upgrades in place: rows, keys and names all carried over."""
    shop = create_app({"TESTING": True, "DATABASE_URL": spare_database})
    prefix = _prefix_migration()
    with shop.app_context():
        upgrade("0013")
        # Make it the way 0001-0013 left a database before the prefix: plain names.
        with db.engine.begin() as connection:
            with Operations.context(MigrationContext.configure(connection)):
                prefix._rename_all({f"shop_{t}": t for t in prefix.TABLES})
            connection.execute(
                sa.text("ALTER TABLE shop_alembic_version RENAME TO alembic_version")
            )
            connection.execute(
                sa.text("INSERT INTO brand (slug, name, country) VALUES ('aurora', 'Aurora', 'CN')")
            )
        assert "product" in sa.inspect(db.engine).get_table_names()

        upgrade()

        tables = set(sa.inspect(db.engine).get_table_names())
        assert "alembic_version" not in tables and "brand" not in tables
        assert all(name.startswith("shop_") for name in tables)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts=MIGRATION_OPTIONS)
            assert context.get_current_revision() == head()
            assert compare_metadata(context, db.metadata) == []
            assert connection.execute(sa.text("SELECT name FROM shop_brand")).scalar() == "Aurora"
        # The renamed keys still hand out new ids after the old rows.
        db.session.add(Brand(slug="borealis", name="Borealis", country="NO"))
        db.session.commit()
        assert [b.id for b in db.session.scalars(sa.select(Brand).order_by(Brand.id))] == [1, 2]
        db.session.remove()
        db.engine.dispose()
