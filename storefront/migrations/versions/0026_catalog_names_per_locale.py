"""names per locale for brands, categories and shipping methods; order lines and groups keep
the names the buyer saw, in the order's language

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 18:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

_NAMES = ('shop_brand', 'shop_category', 'shop_shipping_method')


def upgrade():
    for table in _NAMES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('names', sa.JSON(), server_default='{}', nullable=False))
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('local_name', sa.String(length=200), server_default='', nullable=False)
        )
    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'local_shipping_method', sa.String(length=80), server_default='', nullable=False
            )
        )


def downgrade():
    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.drop_column('local_shipping_method')
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.drop_column('local_name')
    for table in reversed(_NAMES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('names')
