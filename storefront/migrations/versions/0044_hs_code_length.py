"""HS codes of up to 10 digits written with their dots (7117.19.90.00: 13 characters) fit
the product and the order line

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 01:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0044'
down_revision = '0043'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_product', schema=None) as batch_op:
        batch_op.alter_column(
            'hs_code', existing_type=sa.String(length=12), type_=sa.String(length=16)
        )
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.alter_column(
            'hs_code', existing_type=sa.String(length=12), type_=sa.String(length=16)
        )


def downgrade():
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.alter_column(
            'hs_code', existing_type=sa.String(length=16), type_=sa.String(length=12)
        )
    with op.batch_alter_table('shop_product', schema=None) as batch_op:
        batch_op.alter_column(
            'hs_code', existing_type=sa.String(length=16), type_=sa.String(length=12)
        )
