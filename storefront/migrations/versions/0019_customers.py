"""customers: buyers' saved addresses and the one-time codes that open a guest's order

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 16:00:00.000000

Buyers (role `customer`, and trade buyers) keep delivery addresses to prefill the
checkout; a guest who gives an order's number and e-mail gets a one-time code by mail,
kept here as a keyed hash (one active code per order).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_customer_address',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('address', sa.JSON(), nullable=False),
        sa.Column('phone', sa.String(length=32), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['shop_user_account.id'],
            name='fk_shop_customer_address_user_id_shop_user_account', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_customer_address'),
    )
    op.create_index('ix_shop_customer_address_user_id', 'shop_customer_address', ['user_id'])
    op.create_table(
        'shop_order_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['order_id'], ['shop_order.id'],
            name='fk_shop_order_code_order_id_shop_order', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_order_code'),
        sa.UniqueConstraint('order_id', name='uq_shop_order_code_order_id'),
    )


def downgrade():
    op.drop_table('shop_order_code')
    op.drop_index('ix_shop_customer_address_user_id', table_name='shop_customer_address')
    op.drop_table('shop_customer_address')
