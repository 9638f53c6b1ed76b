"""brands and categories can be archived (never deleted: products point at them)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 17:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('shop_brand', 'shop_category'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('is_archived', sa.Boolean(), server_default='0', nullable=False)
            )


def downgrade():
    for table in ('shop_brand', 'shop_category'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('is_archived')
