"""a supplier's Idempotency-Key remembers the body it came with, so a reuse with another body is refused

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 19:15:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_supplier_api_request', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_hash', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('shop_supplier_api_request', schema=None) as batch_op:
        batch_op.drop_column('body_hash')
