"""api keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:24:38.017101

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('shop_api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['shop_user_account.id'], name=op.f('fk_shop_api_key_user_id_shop_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_shop_api_key_key_hash'))
    )
    with op.batch_alter_table('shop_api_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shop_api_key_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shop_api_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shop_api_key_user_id'))

    op.drop_table('shop_api_key')
