"""trade buyers as companies: VAT number, EORI, terms, own prices; the company and VAT
treatment an order was placed under

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-10 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0040"
down_revision = "0039"  # 0039_legal_pages.py
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "shop_company",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("billing_address", sa.JSON(), nullable=False),
        sa.Column("delivery_address", sa.JSON(), nullable=True),
        sa.Column("vat_number", sa.String(length=40), server_default="", nullable=False),
        sa.Column("vat_checked_with", sa.String(length=20), server_default="", nullable=False),
        sa.Column("vies_valid", sa.Boolean(), nullable=True),
        sa.Column("vies_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eori", sa.String(length=17), server_default="", nullable=False),
        sa.Column("payment_terms", sa.String(length=20), nullable=False),
        sa.Column("deposit_percent", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(payment_terms = 'deposit' AND deposit_percent BETWEEN 1 AND 99) "
            "OR (payment_terms <> 'deposit' AND deposit_percent IS NULL)",
            name=op.f("ck_shop_company_deposit_percent_with_deposit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_company")),
        sa.UniqueConstraint("code", name=op.f("uq_shop_company_code")),
    )
    op.create_table(
        "shop_company_price",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["shop_company.id"],
            name=op.f("fk_shop_company_price_company_id_shop_company"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sku"],
            ["shop_variant.sku"],
            name=op.f("fk_shop_company_price_sku_shop_variant"),
            ondelete="CASCADE",
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shop_company_price")),
        sa.UniqueConstraint("company_id", "sku", name=op.f("uq_shop_company_price_company_id")),
    )
    op.create_index(op.f("ix_shop_company_price_company_id"), "shop_company_price", ["company_id"])
    op.create_index(op.f("ix_shop_company_price_sku"), "shop_company_price", ["sku"])
    with op.batch_alter_table("shop_user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("company_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_shop_user_account_company_id"), ["company_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_shop_user_account_company_id_shop_company"),
            "shop_company",
            ["company_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("shop_cart", schema=None) as batch_op:
        batch_op.add_column(sa.Column("company_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_shop_cart_company_id_shop_company"),
            "shop_company",
            ["company_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("company_id", sa.Integer(), nullable=True))
        for name, length in (
            ("company_name", 200),
            ("company_vat_number", 40),
            ("company_eori", 17),
            ("vat_treatment", 30),
            ("vat_treatment_reason", 300),
        ):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), server_default="", nullable=False)
            )
        batch_op.create_index(batch_op.f("ix_shop_order_company_id"), ["company_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_shop_order_company_id_shop_company"),
            "shop_company",
            ["company_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("shop_order_group", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("vat_treatment", sa.String(length=30), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("shop_order_group", schema=None) as batch_op:
        batch_op.drop_column("vat_treatment")
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_shop_order_company_id_shop_company"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_shop_order_company_id"))
        for name in (
            "vat_treatment_reason",
            "vat_treatment",
            "company_eori",
            "company_vat_number",
            "company_name",
            "company_id",
        ):
            batch_op.drop_column(name)
    with op.batch_alter_table("shop_cart", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_shop_cart_company_id_shop_company"), type_="foreignkey"
        )
        batch_op.drop_column("company_id")
    with op.batch_alter_table("shop_user_account", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_shop_user_account_company_id_shop_company"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_shop_user_account_company_id"))
        batch_op.drop_column("company_id")
    op.drop_index(op.f("ix_shop_company_price_sku"), table_name="shop_company_price")
    op.drop_index(op.f("ix_shop_company_price_company_id"), table_name="shop_company_price")
    op.drop_table("shop_company_price")
    op.drop_table("shop_company")
