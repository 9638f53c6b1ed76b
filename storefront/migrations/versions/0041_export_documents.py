"""export documents: what customs asks of each order line as sold, an order's Incoterm,
the seller's address, a group's parcels, issued documents and their number series

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06 10:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0041'
down_revision = '0040'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hs_code', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('origin_country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('net_weight_grams', sa.Integer(), nullable=True))
    # lines placed before: their product's values as they are now, the nearest we know
    for column, source in (
        ('hs_code', 'hs_code'),
        ('origin_country', 'origin_country'),
        ('net_weight_grams', 'weight_grams'),
    ):
        op.execute(
            f'UPDATE shop_order_line SET {column} = (SELECT shop_product.{source} '
            'FROM shop_product WHERE shop_product.id = shop_order_line.product_id)'
        )
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incoterm', sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column('incoterm_place', sa.String(length=120), nullable=True))
    with op.batch_alter_table('shop_compliance_profile', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('seller_address', sa.Text(), server_default='', nullable=False)
        )
    op.create_table(
        'shop_parcel',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=True),
        sa.Column('length_mm', sa.Integer(), nullable=False),
        sa.Column('width_mm', sa.Integer(), nullable=False),
        sa.Column('height_mm', sa.Integer(), nullable=False),
        sa.Column('weight_grams', sa.Integer(), nullable=False),
        sa.Column('lines', sa.JSON(), nullable=False),
        sa.Column('derived', sa.Boolean(), nullable=False),
        sa.Column('recorded_by', sa.String(length=120), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['shop_order_group.id'],
            name=op.f('fk_shop_parcel_group_id_shop_order_group'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['shipment_id'], ['shop_shipment.id'],
            name=op.f('fk_shop_parcel_shipment_id_shop_shipment'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_parcel')),
    )
    op.create_index(op.f('ix_shop_parcel_group_id'), 'shop_parcel', ['group_id'])
    op.create_index(op.f('ix_shop_parcel_shipment_id'), 'shop_parcel', ['shipment_id'])
    op.create_table(
        'shop_export_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('number', sa.String(length=30), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_by', sa.String(length=120), nullable=False),
        sa.Column('language', sa.String(length=12), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('sdr_rate', sa.Numeric(precision=30, scale=16), nullable=True),
        sa.Column('sdr_rate_date', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ['group_id'], ['shop_order_group.id'],
            name=op.f('fk_shop_export_document_group_id_shop_order_group'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_export_document')),
        sa.UniqueConstraint('group_id', 'kind', name='uq_shop_export_document_kind'),
        sa.UniqueConstraint('number', name=op.f('uq_shop_export_document_number')),
    )
    op.create_index(
        op.f('ix_shop_export_document_group_id'), 'shop_export_document', ['group_id']
    )
    op.create_table(
        'shop_document_series',
        sa.Column('series', sa.String(length=20), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('series', name=op.f('pk_shop_document_series')),
    )


def downgrade():
    op.drop_table('shop_document_series')
    op.drop_index(op.f('ix_shop_export_document_group_id'), table_name='shop_export_document')
    op.drop_table('shop_export_document')
    op.drop_index(op.f('ix_shop_parcel_shipment_id'), table_name='shop_parcel')
    op.drop_index(op.f('ix_shop_parcel_group_id'), table_name='shop_parcel')
    op.drop_table('shop_parcel')
    with op.batch_alter_table('shop_compliance_profile', schema=None) as batch_op:
        batch_op.drop_column('seller_address')
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_column('incoterm_place')
        batch_op.drop_column('incoterm')
    with op.batch_alter_table('shop_order_line', schema=None) as batch_op:
        batch_op.drop_column('net_weight_grams')
        batch_op.drop_column('origin_country')
        batch_op.drop_column('hs_code')
