"""quotes to trade buyers in versions, with Incoterms, freight and insurance; the
Incoterm, named place and payment terms of an order accepted from a quote

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-06 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_terms', sa.String(length=20), nullable=True))
    op.create_table(
        'shop_quote',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('buyer_id', sa.Integer(), nullable=False),
        sa.Column('company_code', sa.String(length=40), server_default='', nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('country', sa.String(length=2), nullable=False),
        sa.Column('locale', sa.String(length=12), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('current_version', sa.Integer(), nullable=False),
        sa.Column('requested_from_cart', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('accepted_version', sa.Integer(), nullable=True),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('accepted_by_id', sa.Integer(), nullable=True),
        sa.Column('accepted_ip', sa.String(length=45), nullable=True),
        sa.Column('accepted_via', sa.String(length=40), nullable=True),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['accepted_by_id'],
            ['shop_user_account.id'],
            name=op.f('fk_shop_quote_accepted_by_id_shop_user_account'),
        ),
        sa.ForeignKeyConstraint(
            ['buyer_id'],
            ['shop_user_account.id'],
            name=op.f('fk_shop_quote_buyer_id_shop_user_account'),
        ),
        sa.ForeignKeyConstraint(
            ['channel_id'], ['shop_channel.id'], name=op.f('fk_shop_quote_channel_id_shop_channel')
        ),
        sa.ForeignKeyConstraint(
            ['order_id'],
            ['shop_order.id'],
            name=op.f('fk_shop_quote_order_id_shop_order'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_quote')),
        sa.UniqueConstraint('number', name=op.f('uq_shop_quote_number')),
        sa.UniqueConstraint('order_id', name=op.f('uq_shop_quote_order_id')),
    )
    op.create_index(op.f('ix_shop_quote_buyer_id'), 'shop_quote', ['buyer_id'], unique=False)
    op.create_index(op.f('ix_shop_quote_status'), 'shop_quote', ['status'], unique=False)
    op.create_table(
        'shop_quote_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quote_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('company_code', sa.String(length=40), nullable=False),
        sa.Column('company_legal_name', sa.String(length=200), nullable=False),
        sa.Column('company_vat_number', sa.String(length=40), nullable=False),
        sa.Column('company_country', sa.String(length=2), nullable=False),
        sa.Column('company_eori', sa.String(length=17), nullable=False),
        sa.Column('company_address', sa.JSON(), nullable=True),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.Column('incoterm', sa.String(length=3), nullable=False),
        sa.Column('place', sa.String(length=120), nullable=False),
        sa.Column('freight_amount', sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column('insurance_amount', sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('payment_terms', sa.String(length=20), nullable=False),
        sa.Column('shipments', sa.JSON(), nullable=False),
        sa.Column('subtotal_amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('import_amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('total_amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('created_by', sa.String(length=260), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['quote_id'],
            ['shop_quote.id'],
            name=op.f('fk_shop_quote_version_quote_id_shop_quote'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_quote_version')),
        sa.UniqueConstraint('quote_id', 'version', name=op.f('uq_shop_quote_version_quote_id')),
    )


def downgrade():
    op.drop_table('shop_quote_version')
    op.drop_index(op.f('ix_shop_quote_status'), table_name='shop_quote')
    op.drop_index(op.f('ix_shop_quote_buyer_id'), table_name='shop_quote')
    op.drop_table('shop_quote')
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_column('payment_terms')
