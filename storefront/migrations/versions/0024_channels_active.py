"""channels can be archived (never deleted: carts and orders point at them); codes up to 40

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 17:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_channel', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_active', sa.Boolean(), server_default='1', nullable=False)
        )
        batch_op.alter_column(
            'code', existing_type=sa.String(length=20), type_=sa.String(length=40)
        )


def downgrade():
    with op.batch_alter_table('shop_channel', schema=None) as batch_op:
        batch_op.alter_column(
            'code', existing_type=sa.String(length=40), type_=sa.String(length=20)
        )
        batch_op.drop_column('is_active')
