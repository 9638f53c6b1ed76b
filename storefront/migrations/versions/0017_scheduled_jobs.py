"""scheduled jobs: when each periodic job of the worker runs next, and who runs it now

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 16:00:00.000000

One row per periodic job (`storefront.worker`): its next run, the lease of the
worker running it (`locked_by`, `locked_until`), and how its last run went. The
worker adds the rows of the jobs it knows; nothing to seed here.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_scheduled_job',
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_by', sa.String(length=120), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), server_default='', nullable=False),
        sa.Column('runs', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name', name='pk_shop_scheduled_job'),
    )


def downgrade():
    op.drop_table('shop_scheduled_job')
