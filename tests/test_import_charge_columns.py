"""Collected import charges kept as columns per shipment: what the shop owes each tax
authority adds up in SQL, and migration 0015 moves the JSON of older orders into them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import func, select

from orders_helpers import place
from storefront import create_app
from storefront.db import db
from storefront.orders.tables import OrderGroup
from storefront.schema import downgrade, upgrade
from test_import_charges import ioss  # noqa: F401 (fixture)


def test_what_is_owed_per_regime_adds_up_in_sql(app, four_models, ioss):  # noqa: F811
    for n in range(3):
        place(app, {four_models["drop"]: 1, four_models["stock"]: 1}, f"owed-{n}")
    with app.app_context():
        owed = db.session.execute(
            select(
                OrderGroup.import_regime,
                OrderGroup.import_currency,
                func.sum(OrderGroup.import_vat_amount),
                func.sum(OrderGroup.import_duty_amount),
            )
            .where(OrderGroup.import_collected.is_(True))
            .group_by(OrderGroup.import_regime, OrderGroup.import_currency)
        ).all()
    assert [(regime, currency) for regime, currency, _, _ in owed] == [("eu_ioss", "EUR")]
    (_, _, vat, duty) = owed[0]
    assert Decimal(vat) == 3 * Decimal("6.38")  # 19/119 of 39.99, three times
    assert Decimal(duty) > 0


def _fill(connection, table: sa.Table, **given) -> int:
    """Insert a row with `given` and a placeholder for every other required column."""
    placeholders = {
        sa.String: "x",
        sa.Integer: 1,
        sa.Numeric: Decimal(0),
        sa.Boolean: False,
        sa.DateTime: datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC),
        sa.Date: datetime.date(2026, 11, 20),
        sa.JSON: {},
    }
    values = dict(given)
    for column in table.columns:
        if column.name in values or column.nullable or column.server_default is not None:
            continue
        if column.primary_key:
            continue
        values[column.name] = next(
            v for kind, v in placeholders.items() if isinstance(column.type, kind)
        )
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


CHARGES = {
    "regime": "eu_ioss",
    "collected_at_checkout": True,
    "vat": {"amount": "6.38", "currency": "EUR"},
    "duty": {"amount": "2.50", "currency": "EUR"},
    "fees": {"amount": "0.50", "currency": "EUR"},
    "estimated_due_on_delivery": {"amount": "0.00", "currency": "EUR"},
    "vat_included": True,
}


def test_migration_0015_moves_the_json_into_columns_and_back(tmp_path):
    migrated = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'm.sqlite3'}"})
    with migrated.app_context():
        upgrade(revision="0014")
        meta = sa.MetaData()
        meta.reflect(db.engine, only=["shop_channel", "shop_order", "shop_order_group"])
        with db.engine.begin() as connection:
            channel = _fill(connection, meta.tables["shop_channel"], code="eu", currency="EUR")
            order = _fill(
                connection,
                meta.tables["shop_order"],
                number="261120-ABC123",
                channel_id=channel,
                currency="EUR",
            )
            groups = meta.tables["shop_order_group"]
            quoted = _fill(connection, groups, order_id=order, import_charges=CHARGES)
            older = _fill(connection, groups, order_id=order, import_charges={})

        upgrade()
        table = OrderGroup.__table__  # by the model's name: later migrations may rename it
        with db.engine.connect() as connection:
            rows = {row.id: row for row in connection.execute(sa.select(table)).mappings()}
        assert rows[quoted]["import_regime"] == "eu_ioss"
        assert (rows[quoted]["import_collected"], rows[quoted]["import_vat_included"]) == (1, 1)
        assert rows[quoted]["import_currency"] == "EUR"
        amounts = ("vat", "duty", "fees", "due_on_delivery")
        assert [Decimal(str(rows[quoted][f"import_{k}_amount"])) for k in amounts] == [
            Decimal("6.38"),
            Decimal("2.50"),
            Decimal("0.50"),
            Decimal(0),
        ]
        assert (rows[older]["import_regime"], rows[older]["import_currency"]) == ("", "")
        kept = {column["name"] for column in sa.inspect(db.engine).get_columns(table.name)}
        assert "import_charges" not in kept
        # the model reads the columns back in the API's shape
        assert db.session.get(OrderGroup, quoted).import_charges == CHARGES
        db.session.remove()

        downgrade(revision="0014")
        with db.engine.connect() as connection:
            back = dict(connection.execute(sa.select(groups.c.id, groups.c.import_charges)).all())
        assert back == {quoted: CHARGES, older: {}}
        db.engine.dispose()
