"""the audit log: who changed which back-office record, when, and what

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 19:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=120), nullable=False),
        sa.Column('actor_email', sa.String(length=254), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('action', sa.String(length=10), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ['actor_id'], ['shop_user_account.id'],
            name='fk_shop_audit_entry_actor_id_shop_user_account', ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_audit_entry'),
    )
    op.create_index(
        'ix_shop_audit_entry_record', 'shop_audit_entry', ['kind', 'key', 'id']
    )


def downgrade():
    op.drop_index('ix_shop_audit_entry_record', table_name='shop_audit_entry')
    op.drop_table('shop_audit_entry')
