"""every table, index and constraint named shop_*, so the shop shares a host's database

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 13:40:00

A host app mounting the shop may keep its own `product`, `category` or `cart` tables in the
same database. A new database gets `shop_*` tables from the first migration on (0001-0013
were rewritten to create them so); a database made before this revision has them renamed
here in place (data, sequences and foreign keys kept), and the names of their indexes and
constraints follow, because PostgreSQL and SQLite keep index names (and PostgreSQL
constraint names) in one namespace per schema.
"""

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Every table as of 0013 but `shop_order`, which had the prefix already.
TABLES = (
    "agent_company", "api_key", "bank_transfer", "brand", "cart", "cart_line", "category",
    "channel", "channel_price", "compliance_profile", "entrusted_brand", "exchange_rate",
    "group_status_change", "maker", "order_group", "order_line", "outbox_dispatch",
    "outbox_event", "payment", "payment_refund", "pick_task", "price_tier",
    "processed_stripe_event", "product", "product_image", "product_text", "production_order",
    "purchase_order", "purchase_order_line", "purchase_order_status_change",
    "quality_inspection", "selling_model_change", "shipping_band", "shipping_method",
    "shipping_zone", "stock_level", "stock_reservation", "supplier", "supplier_account",
    "supplier_api_request", "supplier_cost", "supplier_endpoint", "supplier_shipment",
    "supplier_stock", "tax_registration", "user_account", "variant", "warehouse",
    "webhook_attempt", "webhook_delivery",
)  # fmt: skip
PREFIX = "shop_"
MAX_NAME = 63  # PostgreSQL's identifier length


def _fit(name: str) -> str:
    """A long conventional name shortened the way SQLAlchemy does it on PostgreSQL."""
    if len(name) <= MAX_NAME:
        return name
    return name[: MAX_NAME - 8] + "_" + hashlib.md5(name.encode()).hexdigest()[-4:]


def _renamed(name: str, old: str, new: str) -> str:
    """`ix_cart_token` -> `ix_shop_cart_token`, `ck_price_tier_positive` ->
    `ck_shop_price_tier_positive`: a name that starts with its table's old name."""
    kind, _, rest = name.partition("_")
    if rest == old or rest.startswith(old + "_"):
        return _fit(f"{kind}_{new}{rest[len(old):]}")
    return name


def upgrade():
    inspector = sa.inspect(op.get_bind())
    if inspector.has_table("selling_model_change"):  # made by 0001-0013 before the prefix
        _rename_all({t: PREFIX + t for t in TABLES})


def downgrade():
    pass  # 0001-0013 now speak of the shop_* tables themselves


def _rename_all(tables: dict[str, str]) -> None:
    connection = op.get_bind()
    for old, new in tables.items():
        op.rename_table(old, new)
    if connection.dialect.name == "postgresql":
        _postgres_names(connection, tables)
    else:
        _sqlite_names(connection, tables)


def _wanted(kind: str, table: str, name: str, column: str, referred: str | None,
            previous: str) -> str:
    """The conventional name of a constraint of `table` (its current name)."""
    if kind == "p":
        return _fit(f"pk_{table}")
    if kind == "u":
        return _fit(f"uq_{table}_{column}")
    if kind == "f":
        return _fit(f"fk_{table}_{column}_{referred}")
    return _renamed(name, previous, table)


def _postgres_names(connection, tables: dict[str, str]) -> None:
    previous = {new: old for old, new in tables.items()}
    previous["shop_order"] = "shop_order"  # its foreign keys' names follow the tables it refers to
    constraints = connection.execute(
        sa.text(
            """
            SELECT t.relname, c.conname, c.contype, r.relname, a.attname
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            LEFT JOIN pg_class r ON r.oid = c.confrelid
            """
        )
    ).all()
    for table, name, kind, referred, column in constraints:
        if table in previous:
            wanted = _wanted(kind, table, name, column, referred, previous[table])
            if wanted != name:
                op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{name}" TO "{wanted}"')
    indexes = connection.execute(
        sa.text(
            """
            SELECT t.relname, i.relname
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
            WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """
        )
    ).all()
    for table, name in indexes:
        if table in previous:
            wanted = _renamed(name, previous[table], table)
            if wanted != name:
                op.execute(f'ALTER INDEX "{name}" RENAME TO "{wanted}"')
    for old, new in tables.items():
        op.execute(f'ALTER SEQUENCE IF EXISTS "{old}_id_seq" RENAME TO "{new}_id_seq"')


def _sqlite_names(connection, tables: dict[str, str]) -> None:
    """SQLite renames the tables and the foreign keys that point at them; indexes are
    created again under their new names, and the constraint names written in each table's
    definition are replaced in place (they are only labels there: nothing refers to them)."""
    previous = {new: old for old, new in tables.items()}
    previous["shop_order"] = "shop_order"
    rows = connection.execute(
        sa.text("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL")
    ).all()
    definitions = {}
    for kind, name, table, sql in rows:
        if table not in previous:
            continue
        if kind == "index":
            wanted = _renamed(name, previous[table], table)
            if wanted != name:
                op.execute(f'DROP INDEX "{name}"')
                op.execute(sql.replace(name, wanted, 1))
        elif kind == "table":
            definitions[table] = _sqlite_definition(connection, table, sql, previous)
    changed = {t: sql for t, sql in definitions.items() if sql is not None}
    if not changed:
        return
    version = connection.execute(sa.text("PRAGMA schema_version")).scalar()
    connection.execute(sa.text("PRAGMA writable_schema = ON"))
    for table, sql in changed.items():
        connection.execute(
            sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"),
            {"sql": sql, "t": table},
        )
    connection.execute(sa.text(f"PRAGMA schema_version = {version + 1}"))
    connection.execute(sa.text("PRAGMA writable_schema = OFF"))


def _sqlite_definition(connection, table: str, sql: str, previous: dict) -> str | None:
    inspector = sa.inspect(connection)
    renames = {}
    for fk in inspector.get_foreign_keys(table):
        if fk.get("name"):
            referred = fk["referred_table"]
            renames[fk["name"]] = _fit(f"fk_{table}_{fk['constrained_columns'][0]}_{referred}")
    for uq in inspector.get_unique_constraints(table):
        if uq.get("name"):
            renames[uq["name"]] = _fit(f"uq_{table}_{uq['column_names'][0]}")
    for ck in inspector.get_check_constraints(table):
        if ck.get("name"):
            renames[ck["name"]] = _renamed(ck["name"], previous[table], table)
    pk = inspector.get_pk_constraint(table).get("name")
    if pk:
        renames[pk] = _fit(f"pk_{table}")
    new_sql = sql
    for old, new in renames.items():
        if old != new:
            new_sql = new_sql.replace(f"CONSTRAINT {old} ", f"CONSTRAINT {new} ")
    return new_sql if new_sql != sql else None
