"""the seller's address as fields (name, street, city, postal code, country, phone), as the
compliance profile's form edits it

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 02:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0045'
down_revision = '0044'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_compliance_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seller', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('shop_compliance_profile', schema=None) as batch_op:
        batch_op.drop_column('seller')
