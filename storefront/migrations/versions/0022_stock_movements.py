"""stock movements: every change of units on hand, with its reason; warehouses archived

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 17:00:00.000000

A stock level's units on hand become the sum of its movements (received, adjusted, sold,
returned). Each level that exists already gets one opening "adjusted" movement of its
units on hand, so levels and movements agree from the start. Warehouses get `is_active`:
an archived one takes no new stock and is not chosen for new orders.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_warehouse') as batch:
        batch.add_column(
            sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        'shop_stock_movement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('warehouse_id', sa.Integer(), nullable=False),
        sa.Column('variant_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('actor', sa.String(length=254), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            'quantity <> 0', name=op.f('ck_shop_stock_movement_quantity_not_zero')
        ),
        sa.CheckConstraint(
            "reason IN ('received', 'adjusted', 'sold', 'returned')",
            name=op.f('ck_shop_stock_movement_known_reason'),
        ),
        sa.ForeignKeyConstraint(
            ['warehouse_id'], ['shop_warehouse.id'],
            name='fk_shop_stock_movement_warehouse_id_shop_warehouse',
        ),
        sa.ForeignKeyConstraint(
            ['variant_id'], ['shop_variant.id'],
            name='fk_shop_stock_movement_variant_id_shop_variant', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_stock_movement'),
    )
    op.create_index(
        'ix_shop_stock_movement_level', 'shop_stock_movement',
        ['warehouse_id', 'variant_id', 'id'],
    )
    # The opening balance: one movement per level that holds units.
    op.execute(
        "INSERT INTO shop_stock_movement"
        " (warehouse_id, variant_id, quantity, reason, note, actor, reference, created_at)"
        " SELECT warehouse_id, variant_id, on_hand, 'adjusted', 'opening balance', 'system',"
        " '', CURRENT_TIMESTAMP FROM shop_stock_level WHERE on_hand > 0"
    )


def downgrade():
    op.drop_index('ix_shop_stock_movement_level', table_name='shop_stock_movement')
    op.drop_table('shop_stock_movement')
    with op.batch_alter_table('shop_warehouse') as batch:
        batch.drop_column('is_active')
