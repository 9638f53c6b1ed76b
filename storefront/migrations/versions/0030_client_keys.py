"""orders remember which client placed them, so unpaid holds are capped per client

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 19:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('client_key', sa.String(length=64), server_default='', nullable=False)
        )
        batch_op.create_index(batch_op.f('ix_shop_order_client_key'), ['client_key'], unique=False)


def downgrade():
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_order_client_key'))
        batch_op.drop_column('client_key')
