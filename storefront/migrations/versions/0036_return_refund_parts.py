"""the money of a return: its refund's parts, how it was paid out, an exchange's new
group, and each channel's return postage cap

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05 22:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_channel', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'return_postage_cap',
                sa.Numeric(precision=14, scale=3),
                server_default='0',
                nullable=False,
            )
        )
    with op.batch_alter_table('shop_return', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_parts', sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column('payout', sa.String(length=12), server_default='', nullable=False)
        )
        batch_op.add_column(sa.Column('exchange_group_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_shop_return_exchange_group_id_shop_order_group'),
            'shop_order_group',
            ['exchange_group_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('shop_return', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_shop_return_exchange_group_id_shop_order_group'), type_='foreignkey'
        )
        batch_op.drop_column('exchange_group_id')
        batch_op.drop_column('payout')
        batch_op.drop_column('refund_parts')
    with op.batch_alter_table('shop_channel', schema=None) as batch_op:
        batch_op.drop_column('return_postage_cap')
