"""order group import charges as columns (amount + currency), not the API's JSON

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 13:00:00.000000

What the shop collected per consignment (VAT, duty, fees) becomes summable in SQL per
tax regime. The data step moves every group's stored JSON into the columns; the
downgrade writes the JSON back from them.
"""
from decimal import Decimal

from alembic import op
import sqlalchemy as sa

from channels.money import Money


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# the JSON keys (LandedCost.as_json) and the columns that hold their amounts
AMOUNTS = {
    'vat': 'import_vat_amount',
    'duty': 'import_duty_amount',
    'fees': 'import_fees_amount',
    'estimated_due_on_delivery': 'import_due_on_delivery_amount',
}
FLAGS = {'collected_at_checkout': 'import_collected', 'vat_included': 'import_vat_included'}

groups = sa.table(
    'shop_order_group',
    sa.column('id', sa.Integer),
    sa.column('order_id', sa.Integer),
    sa.column('import_charges', sa.JSON),
    sa.column('import_regime', sa.String),
    sa.column('import_currency', sa.String),
    *(sa.column(name, sa.Boolean) for name in FLAGS.values()),
    *(sa.column(name, sa.Numeric(14, 3)) for name in AMOUNTS.values()),
)
orders = sa.table('shop_order', sa.column('id', sa.Integer), sa.column('currency', sa.String))


def _columns_from_json(charges: dict, order_currency: str) -> dict:
    values = {
        'import_regime': charges.get('regime') or '',
        **{column: bool(charges.get(key)) for key, column in FLAGS.items()},
        'import_currency': order_currency if charges else '',
    }
    for key, column in AMOUNTS.items():
        money = charges.get(key) or {}
        values[column] = Decimal(money.get('amount') or '0')
        if money.get('currency'):
            values['import_currency'] = money['currency']
    return values


def upgrade():
    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_regime', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('import_collected', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('import_vat_included', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('import_currency', sa.String(length=3), server_default='', nullable=False))
        for column in AMOUNTS.values():
            batch_op.add_column(sa.Column(column, sa.Numeric(precision=14, scale=3), server_default='0', nullable=False))

    connection = op.get_bind()
    rows = connection.execute(
        sa.select(groups.c.id, groups.c.import_charges, orders.c.currency).join(
            orders, orders.c.id == groups.c.order_id
        )
    ).all()
    for group_id, charges, currency in rows:
        connection.execute(
            groups.update()
            .where(groups.c.id == group_id)
            .values(**_columns_from_json(charges or {}, currency))
        )

    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.drop_column('import_charges')


def downgrade():
    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_charges', sa.JSON(), server_default='{}', nullable=False))

    connection = op.get_bind()
    rows = connection.execute(sa.select(groups)).mappings().all()
    for row in rows:
        currency = row['import_currency']
        charges = {}
        if currency:
            charges = {
                'regime': row['import_regime'],
                **{key: bool(row[column]) for key, column in FLAGS.items()},
                **{
                    key: Money(Decimal(row[column]), currency).as_json()
                    for key, column in AMOUNTS.items()
                },
            }
        connection.execute(
            groups.update().where(groups.c.id == row['id']).values(import_charges=charges)
        )

    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        for column in reversed(list(AMOUNTS.values())):
            batch_op.drop_column(column)
        batch_op.drop_column('import_currency')
        batch_op.drop_column('import_vat_included')
        batch_op.drop_column('import_collected')
        batch_op.drop_column('import_regime')
