"""variants can be archived (never deleted: orders and carts point at them)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 18:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_variant', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_archived', sa.Boolean(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('shop_variant', schema=None) as batch_op:
        batch_op.drop_column('is_archived')
