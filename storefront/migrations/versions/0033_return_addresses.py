"""return addresses: where each warehouse, workshop, agent and supplier takes returned
goods, and the address a return was told to go to

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05 21:45:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None

TABLES = ('shop_warehouse', 'shop_maker', 'shop_agent_company', 'shop_supplier', 'shop_return')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('return_address', sa.Text(), server_default='', nullable=False)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('return_address')
