"""payment terms of trade orders: the terms, the payment schedule's parts (deposit,
balance, net invoice, full), and letters of credit

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-06 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0043'
down_revision = '0042'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_order_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('invoice_date', sa.Date(), nullable=False),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('set_by', sa.String(length=120), server_default='', nullable=False),
        sa.ForeignKeyConstraint(
            ['order_id'], ['shop_order.id'],
            name='fk_shop_order_terms_order_id_shop_order', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_order_terms'),
        sa.UniqueConstraint('order_id', name='uq_shop_order_terms_order_id'),
    )
    op.create_table(
        'shop_payment_part',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('method', sa.String(length=20), nullable=True),
        sa.Column('bank_reference', sa.String(length=140), nullable=True),
        sa.Column('recorded_by', sa.Integer(), nullable=True),
        sa.Column('reminded_before_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_after_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['order_id'], ['shop_order.id'],
            name='fk_shop_payment_part_order_id_shop_order', ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['recorded_by'], ['shop_user_account.id'],
            name='fk_shop_payment_part_recorded_by_shop_user_account',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_payment_part'),
        sa.UniqueConstraint('order_id', 'kind', name='uq_shop_payment_part_order_id'),
        sa.UniqueConstraint('bank_reference', name='uq_shop_payment_part_bank_reference'),
    )
    op.create_index('ix_shop_payment_part_order_id', 'shop_payment_part', ['order_id'])
    op.create_index('ix_shop_payment_part_status', 'shop_payment_part', ['status'])
    op.create_table(
        'shop_letter_of_credit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('issuing_bank', sa.String(length=200), nullable=False),
        sa.Column('advising_bank', sa.String(length=200), server_default='', nullable=False),
        sa.Column('lc_number', sa.String(length=60), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('expiry_date', sa.Date(), nullable=False),
        sa.Column('latest_shipment_date', sa.Date(), nullable=False),
        sa.Column('documents', sa.JSON(), nullable=False),
        sa.Column('presentation_days', sa.Integer(), server_default='21', nullable=False),
        sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
        sa.Column('presented_on', sa.Date(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['order_id'], ['shop_order.id'],
            name='fk_shop_letter_of_credit_order_id_shop_order', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_letter_of_credit'),
        sa.UniqueConstraint('order_id', name='uq_shop_letter_of_credit_order_id'),
    )


def downgrade():
    op.drop_table('shop_letter_of_credit')
    op.drop_index('ix_shop_payment_part_status', table_name='shop_payment_part')
    op.drop_index('ix_shop_payment_part_order_id', table_name='shop_payment_part')
    op.drop_table('shop_payment_part')
    op.drop_table('shop_order_terms')
