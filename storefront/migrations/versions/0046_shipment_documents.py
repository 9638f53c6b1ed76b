"""export documents of a group's later shipments: shop_export_document.shipment_id, one
set per group (no shipment) and one per later shipment

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06 02:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0046'
down_revision = '0045'
branch_labels = None
depends_on = None

FIRST_SET = sa.text('shipment_id IS NULL')


def upgrade():
    with op.batch_alter_table('shop_export_document', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shipment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_shop_export_document_shipment_id_shop_shipment'),
            'shop_shipment', ['shipment_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.create_index(
            batch_op.f('ix_shop_export_document_shipment_id'), ['shipment_id'], unique=False
        )
        batch_op.drop_constraint('uq_shop_export_document_kind', type_='unique')
        batch_op.create_unique_constraint(
            'uq_shop_export_document_shipment_kind', ['shipment_id', 'kind']
        )
    op.create_index(
        'uq_shop_export_document_group_kind', 'shop_export_document', ['group_id', 'kind'],
        unique=True, sqlite_where=FIRST_SET, postgresql_where=FIRST_SET,
    )


def downgrade():
    # A later shipment's documents have no place in the older schema: they go.
    op.execute('DELETE FROM shop_export_document WHERE shipment_id IS NOT NULL')
    op.drop_index('uq_shop_export_document_group_kind', table_name='shop_export_document')
    with op.batch_alter_table('shop_export_document', schema=None) as batch_op:
        batch_op.drop_constraint('uq_shop_export_document_shipment_kind', type_='unique')
        batch_op.create_unique_constraint('uq_shop_export_document_kind', ['group_id', 'kind'])
        batch_op.drop_index(batch_op.f('ix_shop_export_document_shipment_id'))
        batch_op.drop_constraint(
            batch_op.f('fk_shop_export_document_shipment_id_shop_shipment'), type_='foreignkey'
        )
        batch_op.drop_column('shipment_id')
