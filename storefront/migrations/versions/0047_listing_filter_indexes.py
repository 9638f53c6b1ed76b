"""a category's listing narrowed by material or grade is counted and paged in an index:
ix_shop_product_listing_material, ix_shop_product_listing_grade

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 04:20:00.000000
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0047'
down_revision = '0046'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('shop_product', schema=None) as batch_op:
        batch_op.create_index(
            'ix_shop_product_listing_material',
            ['category_id', 'is_published', 'material', 'id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_shop_product_listing_grade',
            ['category_id', 'is_published', 'grade', 'id'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('shop_product', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_product_listing_grade')
        batch_op.drop_index('ix_shop_product_listing_material')
