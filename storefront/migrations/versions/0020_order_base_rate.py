"""order base rate: every order keeps the rate of its currency to the base currency

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 17:00:00.000000

`shop_order.base_rate` is how many units of `base_currency` (the shop's BASE_CURRENCY at
checkout) one unit of the order's currency bought when it was placed; the reports convert
each order at it. Orders placed before this revision keep NULL: the base currency is a
setting the migration cannot know, and the reports count such orders as "no rate" rather
than guess a rate for them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_order') as batch:
        batch.add_column(
            sa.Column('base_currency', sa.String(length=3), server_default='', nullable=False)
        )
        batch.add_column(sa.Column('base_rate', sa.Numeric(30, 16), nullable=True))


def downgrade():
    with op.batch_alter_table('shop_order') as batch:
        batch.drop_column('base_rate')
        batch.drop_column('base_currency')
