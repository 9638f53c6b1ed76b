"""a user's session version: bumping it signs out every browser the user is signed in on

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 19:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('shop_user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
