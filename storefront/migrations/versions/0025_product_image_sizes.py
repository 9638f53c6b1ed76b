"""uploaded product images: their size and the resized files written for the pages

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 18:50:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_product_image', schema=None) as batch_op:
        batch_op.add_column(sa.Column('width', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('height', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sizes', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('shop_product_image', schema=None) as batch_op:
        batch_op.drop_column('sizes')
        batch_op.drop_column('height')
        batch_op.drop_column('width')
