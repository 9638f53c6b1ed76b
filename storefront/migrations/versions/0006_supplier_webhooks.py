"""supplier webhooks

Revision ID: 0006
Revises: 0005 (numbered 0006 as assigned; it runs after 0007)
Create Date: 2026-11-23 10:34:17.394601

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shop_outbox_dispatch',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('deliveries', sa.Integer(), nullable=False),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['shop_outbox_event.id'], name=op.f('fk_shop_outbox_dispatch_event_id_shop_outbox_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_shop_outbox_dispatch'))
    )
    op.create_table('shop_supplier_endpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('event_types_text', sa.String(length=500), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('disabled_reason', sa.String(length=200), nullable=False),
    sa.Column('secret', sa.String(length=120), nullable=False),
    sa.Column('previous_secret', sa.String(length=120), nullable=True),
    sa.Column('previous_secret_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['shop_supplier.id'], name=op.f('fk_shop_supplier_endpoint_supplier_id_shop_supplier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_supplier_endpoint'))
    )
    with op.batch_alter_table('shop_supplier_endpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_supplier_endpoint_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('shop_webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.String(length=40), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('endpoint_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_by', sa.String(length=80), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['endpoint_id'], ['shop_supplier_endpoint.id'], name=op.f('fk_shop_webhook_delivery_endpoint_id_shop_supplier_endpoint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['shop_outbox_event.id'], name=op.f('fk_shop_webhook_delivery_event_id_shop_outbox_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_webhook_delivery')),
    sa.UniqueConstraint('event_id', 'endpoint_id', name=op.f('uq_shop_webhook_delivery_event_id')),
    sa.UniqueConstraint('message_id', name=op.f('uq_shop_webhook_delivery_message_id'))
    )
    with op.batch_alter_table('shop_webhook_delivery', schema=None) as batch_op:
        batch_op.create_index('ix_shop_webhook_delivery_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shop_webhook_delivery_endpoint_id'), ['endpoint_id'], unique=False)

    op.create_table('shop_webhook_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=80), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.String(length=500), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['shop_webhook_delivery.id'], name=op.f('fk_shop_webhook_attempt_delivery_id_shop_webhook_delivery'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_webhook_attempt'))
    )
    with op.batch_alter_table('shop_webhook_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_webhook_attempt_delivery_id'), ['delivery_id'], unique=False)

    op.create_table('shop_supplier_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['shop_supplier.id'], name=op.f('fk_shop_supplier_account_supplier_id_shop_supplier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['shop_user_account.id'], name=op.f('fk_shop_supplier_account_user_id_shop_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_supplier_account')),
    sa.UniqueConstraint('user_id', name=op.f('uq_shop_supplier_account_user_id'))
    )
    with op.batch_alter_table('shop_supplier_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_supplier_account_supplier_id'), ['supplier_id'], unique=False)

    op.create_table('shop_supplier_api_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=100), nullable=False),
    sa.Column('request', sa.String(length=200), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['shop_supplier.id'], name=op.f('fk_shop_supplier_api_request_supplier_id_shop_supplier'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_supplier_api_request')),
    sa.UniqueConstraint('supplier_id', 'idempotency_key', name=op.f('uq_shop_supplier_api_request_supplier_id'))
    )
    op.create_table('shop_supplier_shipment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('carrier', sa.String(length=60), nullable=False),
    sa.Column('tracking_number', sa.String(length=80), nullable=False),
    sa.Column('tracking_url', sa.String(length=500), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['shop_order_group.id'], name=op.f('fk_shop_supplier_shipment_group_id_shop_order_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_supplier_shipment'))
    )
    with op.batch_alter_table('shop_supplier_shipment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_supplier_shipment_group_id'), ['group_id'], unique=False)

    op.create_table('shop_supplier_stock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_shop_supplier_stock_quantity_not_negative')),
    sa.ForeignKeyConstraint(['supplier_id'], ['shop_supplier.id'], name=op.f('fk_shop_supplier_stock_supplier_id_shop_supplier'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['shop_variant.id'], name=op.f('fk_shop_supplier_stock_variant_id_shop_variant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_supplier_stock')),
    sa.UniqueConstraint('supplier_id', 'variant_id', name=op.f('uq_shop_supplier_stock_supplier_id'))
    )


def downgrade():
    op.drop_table('shop_supplier_stock')
    with op.batch_alter_table('shop_supplier_shipment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_supplier_shipment_group_id'))

    op.drop_table('shop_supplier_shipment')
    op.drop_table('shop_supplier_api_request')
    with op.batch_alter_table('shop_supplier_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_supplier_account_supplier_id'))

    op.drop_table('shop_supplier_account')
    with op.batch_alter_table('shop_webhook_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_webhook_attempt_delivery_id'))

    op.drop_table('shop_webhook_attempt')
    with op.batch_alter_table('shop_webhook_delivery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_webhook_delivery_endpoint_id'))
        batch_op.drop_index('ix_shop_webhook_delivery_due')

    op.drop_table('shop_webhook_delivery')
    with op.batch_alter_table('shop_supplier_endpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_supplier_endpoint_supplier_id'))

    op.drop_table('shop_supplier_endpoint')
    op.drop_table('shop_outbox_dispatch')
