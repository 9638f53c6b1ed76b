"""agent companies and workshops can be archived (never deleted: settings and orders name them)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 17:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('shop_agent_company', 'shop_maker'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False)
            )


def downgrade():
    for table in ('shop_agent_company', 'shop_maker'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('is_active')
