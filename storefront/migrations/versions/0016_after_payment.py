"""after payment: the order's delivery snapshot, shipments of every model, carriers

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 16:00:00.000000

The order keeps what shipping needs (ship-to address, buyer's name and phone, the
locale its mails are written in, the buyer's account when signed in); each line keeps
its own model settings (a production order reads each product's lead time); every
status move records who made it. Shipments of every selling model live in one table
(the suppliers' own table is moved into it); carriers are data: the common ones of
this trade are built in, a merchant's own (or a changed link) go in the carrier table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('shop_cart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=12), server_default='', nullable=False))
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=12), server_default='', nullable=False))
        batch_op.add_column(sa.Column('buyer_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('phone', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('ship_to', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('customer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_shop_order_customer_id', ['customer_id'])
        batch_op.create_foreign_key(
            'fk_shop_order_customer_id_shop_user_account', 'shop_user_account',
            ['customer_id'], ['id'],
        )
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('model_settings', sa.JSON(), nullable=True))
    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('refund_state', sa.String(length=12), server_default='', nullable=False))
        batch_op.add_column(sa.Column('refund_amount', sa.Numeric(precision=14, scale=3), nullable=True))
    with op.batch_alter_table('shop_group_status_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor', sa.String(length=120), server_default='', nullable=False))
    with op.batch_alter_table('shop_pick_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('picked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('packed_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        'shop_carrier',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('tracking_url', sa.String(length=300), server_default='', nullable=False),
        sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_shop_carrier'),
        sa.UniqueConstraint('code', name='uq_shop_carrier_code'),
    )
    op.create_table(
        'shop_shipment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('carrier_code', sa.String(length=40), server_default='other', nullable=False),
        sa.Column('carrier_name', sa.String(length=80), nullable=False),
        sa.Column('tracking_number', sa.String(length=80), nullable=False),
        sa.Column('tracking_url', sa.String(length=500), server_default='', nullable=False),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.Column('parcels', sa.Integer(), server_default='1', nullable=False),
        sa.Column('shipped_by', sa.String(length=120), server_default='', nullable=False),
        sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['group_id'], ['shop_order_group.id'],
            name='fk_shop_shipment_group_id_shop_order_group', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_shipment'),
    )
    op.create_index('ix_shop_shipment_group_id', 'shop_shipment', ['group_id'])
    op.create_table(
        'shop_tracking_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('description', sa.String(length=300), server_default='', nullable=False),
        sa.Column('location', sa.String(length=120), server_default='', nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['shipment_id'], ['shop_shipment.id'],
            name='fk_shop_tracking_event_shipment_id_shop_shipment', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_tracking_event'),
    )
    op.create_index('ix_shop_tracking_event_shipment_id', 'shop_tracking_event', ['shipment_id'])
    # the suppliers' shipments join every other shipper's
    op.execute(
        "INSERT INTO shop_shipment (group_id, carrier_code, carrier_name, tracking_number,"
        " tracking_url, lines, parcels, shipped_by, shipped_at)"
        " SELECT group_id, 'other', carrier, tracking_number, tracking_url, lines, 1, '', created_at"
        " FROM shop_supplier_shipment ORDER BY id"
    )
    op.drop_table('shop_supplier_shipment')


def downgrade():
    op.create_table(
        'shop_supplier_shipment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('carrier', sa.String(length=60), nullable=False),
        sa.Column('tracking_number', sa.String(length=80), nullable=False),
        sa.Column('tracking_url', sa.String(length=500), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['shop_order_group.id'],
            name='fk_shop_supplier_shipment_group_id_shop_order_group', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_supplier_shipment'),
    )
    op.create_index('ix_shop_supplier_shipment_group_id', 'shop_supplier_shipment', ['group_id'])
    op.execute(
        "INSERT INTO shop_supplier_shipment (group_id, carrier, tracking_number, tracking_url,"
        " lines, created_at)"
        " SELECT s.group_id, substr(s.carrier_name, 1, 60), s.tracking_number, s.tracking_url,"
        " s.lines, s.shipped_at FROM shop_shipment s"
        " JOIN shop_order_group g ON g.id = s.group_id"
        " WHERE g.shipper LIKE 'supplier:%' ORDER BY s.id"
    )
    op.drop_index('ix_shop_tracking_event_shipment_id', table_name='shop_tracking_event')
    op.drop_table('shop_tracking_event')
    op.drop_index('ix_shop_shipment_group_id', table_name='shop_shipment')
    op.drop_table('shop_shipment')
    op.drop_table('shop_carrier')
    with op.batch_alter_table('shop_pick_task', schema=None) as batch_op:
        batch_op.drop_column('packed_at')
        batch_op.drop_column('picked_at')
    with op.batch_alter_table('shop_group_status_change', schema=None) as batch_op:
        batch_op.drop_column('actor')
    with op.batch_alter_table('shop_order_group', schema=None) as batch_op:
        batch_op.drop_column('refund_amount')
        batch_op.drop_column('refund_state')
        batch_op.drop_column('delivered_at')
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.drop_column('model_settings')
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_constraint('fk_shop_order_customer_id_shop_user_account', type_='foreignkey')
        batch_op.drop_index('ix_shop_order_customer_id')
        batch_op.drop_column('paid_at')
        batch_op.drop_column('customer_id')
        batch_op.drop_column('ship_to')
        batch_op.drop_column('phone')
        batch_op.drop_column('buyer_name')
        batch_op.drop_column('locale')
    with op.batch_alter_table('shop_cart', schema=None) as batch_op:
        batch_op.drop_column('locale')
