"""legal pages the merchant edits per language, in versions; the terms version an order
was placed under

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-05 23:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0039'
down_revision = '0038'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_legal_page',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('locale', sa.String(length=12), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('saved_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ['saved_by_id'],
            ['shop_user_account.id'],
            name=op.f('fk_shop_legal_page_saved_by_id_shop_user_account'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_legal_page')),
        sa.UniqueConstraint('kind', 'version', name='uq_shop_legal_page_kind_version'),
    )
    op.create_index(
        'ix_shop_legal_page_kind_locale', 'shop_legal_page', ['kind', 'locale', 'version']
    )
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms_version', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('shop_order', schema=None) as batch_op:
        batch_op.drop_column('terms_version')
    op.drop_index('ix_shop_legal_page_kind_locale', table_name='shop_legal_page')
    op.drop_table('shop_legal_page')
