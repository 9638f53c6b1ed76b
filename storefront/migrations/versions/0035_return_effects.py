"""return effects: what became of each returned line at inspection, what a supplier
owes the shop for goods of refunded returns, and the payouts to agents settlements net

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-05 22:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_return_outcome',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('return_line_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('warehouse', sa.String(length=40), nullable=False),
        sa.Column('surplus_sku', sa.String(length=64), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['return_id'], ['shop_return.id'],
            name='fk_shop_return_outcome_return_id_shop_return', ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['return_line_id'], ['shop_return_line.id'],
            name='fk_shop_return_outcome_return_line_id_shop_return_line', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_return_outcome'),
    )
    with op.batch_alter_table('shop_return_outcome', schema=None) as batch_op:
        batch_op.create_index('ix_shop_return_outcome_return_id', ['return_id'], unique=False)
    op.create_table(
        'shop_supplier_credit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('supplier_id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['supplier_id'], ['shop_supplier.id'],
            name='fk_shop_supplier_credit_supplier_id_shop_supplier', ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['return_id'], ['shop_return.id'],
            name='fk_shop_supplier_credit_return_id_shop_return', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_supplier_credit'),
        sa.UniqueConstraint('return_id', name='uq_shop_supplier_credit_return_id'),
    )
    with op.batch_alter_table('shop_supplier_credit', schema=None) as batch_op:
        batch_op.create_index(
            'ix_shop_supplier_credit_supplier_id', ['supplier_id'], unique=False
        )
    op.create_table(
        'shop_agent_payout',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['agent_id'], ['shop_agent_company.id'],
            name='fk_shop_agent_payout_agent_id_shop_agent_company', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_agent_payout'),
    )
    with op.batch_alter_table('shop_agent_payout', schema=None) as batch_op:
        batch_op.create_index('ix_shop_agent_payout_agent_id', ['agent_id'], unique=False)


def downgrade():
    op.drop_table('shop_agent_payout')
    op.drop_table('shop_supplier_credit')
    op.drop_table('shop_return_outcome')
