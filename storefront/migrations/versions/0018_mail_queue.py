"""mail queue: the e-mails the shop sends, kept until an SMTP server took them

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 16:30:00.000000

A durable queue: a mail is written in the transaction of its cause (a rolled-back
checkout sends nothing) and sent by a worker, retried with backoff while the mail
server is down. The Message-ID is fixed when queued, so a resend carries the same one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'shop_mail_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('reference', sa.String(length=80), server_default='', nullable=False),
        sa.Column('locale', sa.String(length=12), server_default='en', nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=12), server_default='pending', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('locked_by', sa.String(length=80), nullable=True),
        sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=500), server_default='', nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_shop_mail_message'),
        sa.UniqueConstraint('message_id', name='uq_shop_mail_message_message_id'),
    )
    op.create_index('ix_shop_mail_message_reference', 'shop_mail_message', ['reference'])
    op.create_index('ix_shop_mail_message_created_at', 'shop_mail_message', ['created_at'])
    op.create_index(
        'ix_shop_mail_message_due', 'shop_mail_message', ['status', 'next_attempt_at']
    )


def downgrade():
    op.drop_index('ix_shop_mail_message_due', table_name='shop_mail_message')
    op.drop_index('ix_shop_mail_message_created_at', table_name='shop_mail_message')
    op.drop_index('ix_shop_mail_message_reference', table_name='shop_mail_message')
    op.drop_table('shop_mail_message')
