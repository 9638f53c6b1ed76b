"""product search: a document per product and locale; on PostgreSQL its lexemes under a GIN
index, on SQLite two FTS5 tables (porter stems for English, unicode61 for the other
languages) that triggers keep in step with it

The products already there get their documents here (in SQL, brand and category names in
English); `flask catalog reindex` rewrites them with every language's brand and category names.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05 22:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None

FTS_TABLES = {
    # The shop's default language (en) is stemmed by Porter; the others are split on
    # Unicode word boundaries and stemmed (lightly) in the query, matched by prefix.
    'shop_fts_product_en': ("locale = 'en'", "porter unicode61 remove_diacritics 2"),
    'shop_fts_product_intl': ("locale <> 'en'", "unicode61 remove_diacritics 2"),
}


LOCALES = ('en', 'de', 'fr', 'es', 'ja', 'zh_Hans', 'ar')
CONFIGS = {'en': 'english', 'de': 'german', 'fr': 'french', 'es': 'spanish'}  # else simple


def backfill():
    """A document per existing product and locale: its name there (else the default one),
    brand, category, description there (else the default one), and the default name."""
    locales = ' UNION ALL '.join(f"SELECT '{locale}' AS locale" for locale in LOCALES)
    op.execute(
        "INSERT INTO shop_product_search (product_id, locale, content) "
        "SELECT p.id, l.locale, "
        "COALESCE(t.name, p.name) || ' ' || b.name || ' ' || c.name || ' ' "
        "|| COALESCE(NULLIF(t.description, ''), p.description) "
        "|| CASE WHEN t.name IS NOT NULL AND t.name <> p.name THEN ' ' || p.name ELSE '' END "
        "FROM shop_product p "
        "JOIN shop_brand b ON b.id = p.brand_id "
        "JOIN shop_category c ON c.id = p.category_id "
        f"CROSS JOIN ({locales}) l "
        "LEFT JOIN shop_product_text t ON t.product_id = p.id AND t.locale = l.locale"
    )
    if op.get_bind().dialect.name == 'postgresql':
        cases = ' '.join(f"WHEN '{locale}' THEN '{config}'" for locale, config in CONFIGS.items())
        op.execute(
            "UPDATE shop_product_search SET terms = "
            f"to_tsvector((CASE locale {cases} ELSE 'simple' END)::regconfig, content)"
        )


def _sqlite_full_text():
    inserts = []
    for table, (where, tokenizer) in FTS_TABLES.items():
        op.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5("
            f"content, product_id UNINDEXED, locale UNINDEXED, tokenize = '{tokenizer}')"
        )
        inserts.append(
            f"INSERT INTO {table} (rowid, content, product_id, locale) "
            f"SELECT new.id, new.content, new.product_id, new.locale "
            f"WHERE new.{where};"
        )
    deletes = [f"DELETE FROM {table} WHERE rowid = old.id;" for table in FTS_TABLES]
    op.execute(
        "CREATE TRIGGER shop_product_search_insert AFTER INSERT ON shop_product_search "
        f"BEGIN {' '.join(inserts)} END"
    )
    op.execute(
        "CREATE TRIGGER shop_product_search_delete AFTER DELETE ON shop_product_search "
        f"BEGIN {' '.join(deletes)} END"
    )
    op.execute(
        "CREATE TRIGGER shop_product_search_update AFTER UPDATE ON shop_product_search "
        f"BEGIN {' '.join(deletes)} {' '.join(inserts)} END"
    )


def upgrade():
    op.create_table(
        'shop_product_search',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=12), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('terms', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
        sa.ForeignKeyConstraint(
            ['product_id'],
            ['shop_product.id'],
            name=op.f('fk_shop_product_search_product_id_shop_product'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shop_product_search')),
        sa.UniqueConstraint('product_id', 'locale', name=op.f('uq_shop_product_search_product_id')),
    )
    with op.batch_alter_table('shop_product_search', schema=None) as batch_op:
        batch_op.create_index(
            'ix_shop_product_search_terms', ['terms'], unique=False, postgresql_using='gin'
        )
    if op.get_bind().dialect.name == 'sqlite':
        _sqlite_full_text()
    backfill()


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS shop_product_search_{trigger}")
        for table in FTS_TABLES:
            op.execute(f"DROP TABLE IF EXISTS {table}")
    with op.batch_alter_table('shop_product_search', schema=None) as batch_op:
        batch_op.drop_index('ix_shop_product_search_terms', postgresql_using='gin')
    op.drop_table('shop_product_search')
