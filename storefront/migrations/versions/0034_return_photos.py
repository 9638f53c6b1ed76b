"""return photos: what the buyer showed of goods that came damaged or not as described

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 21:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_return_photo',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('return_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('sizes', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['return_id'], ['shop_return.id'],
            name='fk_shop_return_photo_return_id_shop_return', ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name='pk_shop_return_photo'),
    )
    with op.batch_alter_table('shop_return_photo', schema=None) as batch_op:
        batch_op.create_index('ix_shop_return_photo_return_id', ['return_id'], unique=False)


def downgrade():
    with op.batch_alter_table('shop_return_photo', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_return_photo_return_id')
    op.drop_table('shop_return_photo')
