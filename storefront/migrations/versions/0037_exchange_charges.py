"""an exchange for a dearer variant: the difference the buyer pays, and what each card
payment of an order is for (the order itself, or a return's difference)

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-05 23:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_payment', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('purpose', sa.String(length=40), server_default='order', nullable=False)
        )
    with op.batch_alter_table('shop_return', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'charge_amount',
                sa.Numeric(precision=14, scale=3),
                server_default='0',
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table('shop_return', schema=None) as batch_op:
        batch_op.drop_column('charge_amount')
    with op.batch_alter_table('shop_payment', schema=None) as batch_op:
        batch_op.drop_column('purpose')
