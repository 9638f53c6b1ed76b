"""returns: an RMA per delivered group's returned units, its lines and timeline; each
channel's return window

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 20:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_channel', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('return_days', sa.Integer(), server_default='14', nullable=False)
        )
    op.create_table(
        'shop_return',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rma', sa.String(length=20), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('resolution', sa.String(length=10), nullable=False),
        sa.Column('exchange_sku', sa.String(length=64), nullable=False),
        sa.Column('ship_to', sa.String(length=80), nullable=False),
        sa.Column('instructions', sa.String(length=300), nullable=False),
        sa.Column('refund_amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('refusal_reason', sa.String(length=280), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['order_id'], ['shop_order.id'],
            name='fk_shop_return_order_id_shop_order', ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['group_id'], ['shop_order_group.id'],
            name='fk_shop_return_group_id_shop_order_group', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_return'),
        sa.UniqueConstraint('rma', name='uq_shop_return_rma'),
    )
    with op.batch_alter_table('shop_return', schema=None) as batch_op:
        batch_op.create_index('ix_shop_return_order_id', ['order_id'], unique=False)
        batch_op.create_index('ix_shop_return_group_id', ['group_id'], unique=False)
        batch_op.create_index('ix_shop_return_status', ['status'], unique=False)
    op.create_table(
        'shop_return_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('order_line_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['return_id'], ['shop_return.id'],
            name='fk_shop_return_line_return_id_shop_return', ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['order_line_id'], ['shop_order_line.id'],
            name='fk_shop_return_line_order_line_id_shop_order_line', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_return_line'),
    )
    with op.batch_alter_table('shop_return_line', schema=None) as batch_op:
        batch_op.create_index('ix_shop_return_line_return_id', ['return_id'], unique=False)
        batch_op.create_index(
            'ix_shop_return_line_order_line_id', ['order_line_id'], unique=False
        )
    op.create_table(
        'shop_return_status_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=12), nullable=False),
        sa.Column('to_status', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['return_id'], ['shop_return.id'],
            name='fk_shop_return_status_change_return_id_shop_return', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_return_status_change'),
    )
    with op.batch_alter_table('shop_return_status_change', schema=None) as batch_op:
        batch_op.create_index(
            'ix_shop_return_status_change_return_id', ['return_id'], unique=False
        )


def downgrade():
    op.drop_table('shop_return_status_change')
    op.drop_table('shop_return_line')
    op.drop_table('shop_return')
    with op.batch_alter_table('shop_channel', schema=None) as batch_op:
        batch_op.drop_column('return_days')
