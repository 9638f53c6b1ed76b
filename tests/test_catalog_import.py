"""`flask catalog import`: good products land whole, bad rows are reported by line."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from storefront.catalog.importer import (
    CatalogImportError,
    import_catalog_csv,
    read_catalog_csv,
)
from storefront.catalog.tables import Product, Variant
from storefront.db import db

HEADER = [
    "slug", "name", "description", "brand", "category", "hs_code", "origin_country", "material",
    "weight_grams", "length_mm", "width_mm", "height_mm", "grade", "selling_model", "sku",
    "options", "price", "currency", "name_de", "description_de", "selling_model_settings",
]  # fmt: skip


def row(slug: str = "rope-ring", sku: str | None = None, **overrides: str) -> dict[str, str]:
    values = {
        "slug": slug, "name": "Rope ring", "description": "Twisted 925 silver.",
        "brand": "aurora", "category": "rings", "hs_code": "7113.11", "origin_country": "CN",
        "material": "sterling silver", "weight_grams": "4", "length_mm": "21",
        "width_mm": "21", "height_mm": "3", "grade": "none", "selling_model": "wholesale_retail",
        "sku": sku or f"{slug.upper()}-7", "options": "size=7", "price": "29.00",
        "currency": "USD", "name_de": "Kordelring", "description_de": "Gedrehtes Silber.",
        "selling_model_settings": "",
    }  # fmt: skip
    values.update(overrides)
    return values


@pytest.fixture
def write_csv(tmp_path):
    def write(rows: list[dict[str, str]], header: list[str] = HEADER, name: str = "items.csv"):
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def catalog(make_brand, make_category):
    make_brand("aurora")
    make_category("rings")


def products_in_db() -> dict[str, Product]:
    return {p.slug: p for p in db.session.scalars(select(Product))}


def test_import_adds_products_with_variants_and_translations(catalog, ctx, write_csv):
    path = write_csv([
        row("rope-ring", "RR-6", options="size=6"),
        row("rope-ring", "RR-7", options="size=7;plating=18k gold", price="31.50"),
        row("pearl-studs", "PS-1", name="Pearl studs", material="pearl", hs_code="7116.10",
            options="", price="45", name_de="Perlenstecker", description_de=""),
    ])  # fmt: skip

    result = import_catalog_csv(path, "USD")

    assert (result.products, result.variants, result.rejected) == (2, 3, [])
    ring = products_in_db()["rope-ring"]
    assert {v.sku: v.options for v in ring.variants} == {
        "RR-6": {"size": "6"},
        "RR-7": {"size": "7", "plating": "18k gold"},
    }
    assert [v.price_amount for v in ring.variants] == [Decimal("29.00"), Decimal("31.50")]
    assert ring.from_price_amount == Decimal("29.00")
    assert {t.locale: (t.name, t.description) for t in ring.texts} == {
        "de": ("Kordelring", "Gedrehtes Silber.")
    }
    studs = products_in_db()["pearl-studs"]
    assert studs.variants[0].options == {}
    assert studs.texts[0].name == "Perlenstecker"


def test_bad_rows_are_reported_by_line_and_good_products_imported(
    catalog, ctx, make_product, write_csv
):
    make_product(slug="existing-ring")  # its SKU EXISTING-RING-0 is taken
    path = write_csv([
        row("good-ring"),                                             # line 2
        row("ghost-brand-ring", brand="nobody"),                      # line 3
        row("copy-ring", grade="imitation"),                          # line 4
        row("hs-ring", hs_code="71A3"),                               # line 5
        row("minus-ring", price="-5.00"),                             # line 6
        row("taken-sku-ring", sku="EXISTING-RING-0"),                 # line 7
        row("three-decimals-ring", price="19.995"),                   # line 8
        row("nowhere-ring", origin_country="XX"),                     # line 9
        row("also-good", sku="AG-1", grade="skip_order"),             # line 10
        row("dup-sku-ring", sku="AG-1"),                              # line 11
    ])  # fmt: skip

    result = import_catalog_csv(path, "USD")

    reasons = {r.line: str(r) for r in result.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 11]
    assert reasons[3] == "line 3: brand: Unknown brand 'nobody'."
    assert reasons[4].startswith(
        "line 4: grade: Imitations of another brand's design cannot be listed"
    )
    assert reasons[5].startswith("line 5: hs_code: '71A3' is not an HS code")
    assert reasons[6].startswith("line 6: price: Price of MINUS-RING-7 must be above 0")
    assert reasons[7] == "line 7: sku: SKU EXISTING-RING-0 is already used by another product."
    assert reasons[8].startswith("line 8: price: ") and "decimals" in reasons[8]
    assert reasons[9] == "line 9: origin_country: 'XX' is not an ISO 3166-1 alpha-2 country code."
    assert reasons[11] == "line 11: sku: SKU AG-1 is already used by another product."
    assert (result.products, result.variants) == (2, 2)
    assert set(products_in_db()) == {"existing-ring", "good-ring", "also-good"}


def test_selling_model_settings_are_imported_and_checked_by_the_model(
    catalog, ctx, write_csv, make_maker
):
    make_maker("atelier", country="PT")
    made = "maker=atelier;production_min=10;production_max=20"
    path = write_csv([
        row("made-ring", selling_model="self_produced", selling_model_settings=made),
        row("agent-ring", selling_model="agent_operated", selling_model_settings="agent=nobody"),
        row("no-maker-ring", selling_model="self_produced"),
        row("odd-ring", selling_model_settings="handling_min"),
    ])  # fmt: skip

    result = import_catalog_csv(path, "USD")

    assert products_in_db()["made-ring"].selling_model_settings == {
        "maker": "atelier", "production_min": 10, "production_max": 20}  # fmt: skip
    assert [str(r) for r in result.rejected] == [
        "line 3: selling_model_settings.agent: There is no agent company 'nobody'.",
        "line 4: selling_model_settings.maker: self_produced needs maker: the workshop that "
        "makes it.",
        "line 5: selling_model_settings: 'handling_min' is not key=value (e.g. "
        "maker=atelier;production_min=10).",
    ]


def test_a_product_with_one_bad_variant_row_is_not_imported_at_all(catalog, ctx, write_csv):
    path = write_csv([
        row("rope-ring", "RR-6", options="size=6"),
        row("rope-ring", "RR-7", options="size=7", price="12.345"),
        row("rope-ring", "RR-8", options="size=8", weight_grams="four"),
        row("rope-ring", "RR-9", options="size=9", name="Another name"),
        row("solo-ring", "SR-1"),
    ])  # fmt: skip

    result = import_catalog_csv(path, "USD")

    assert result.products == 1
    assert set(products_in_db()) == {"solo-ring"}
    assert db.session.scalar(select(Variant.id).where(Variant.sku == "RR-6")) is None
    lines = [str(r) for r in result.rejected]
    assert lines[0] == (
        "line 2: not imported: another row of product 'rope-ring' was rejected (line 3)."
    )
    assert lines[1].startswith("line 3: price: Price of RR-7 must be above 0 with at most")
    assert lines[2] == "line 4: weight_grams: 'four' is not a whole number."
    assert lines[3].startswith("line 5: name: differs from line 2;")


def test_a_row_with_a_stray_comma_rejects_its_whole_product(catalog, ctx, write_csv):
    path = write_csv([row("rope-ring", "RR-6", options="size=6")])
    with path.open("a", encoding="utf-8") as f:
        f.write(",".join(row("rope-ring", "RR-7", name="Rope ring, twisted").values()) + "\n")

    result = import_catalog_csv(path, "USD")

    assert result.products == 0
    assert str(result.rejected[1]).startswith("line 3: has 22 fields but the header has 21")


def test_a_file_missing_a_required_column_imports_nothing(catalog, ctx, write_csv):
    header = [c for c in HEADER if c != "price"]
    path = write_csv([row("rope-ring")], header=header)

    with pytest.raises(CatalogImportError, match=r"missing the column\(s\) price; nothing"):
        read_catalog_csv(path)
    assert products_in_db() == {}


def test_cli_prints_summary_and_report(catalog, runner, write_csv, tmp_path, app):
    path = write_csv([row("rope-ring"), row("copy-ring", grade="imitation")])
    report = tmp_path / "report.txt"

    result = runner.invoke(args=["catalog", "import", str(path), "--report", str(report)])

    assert result.exit_code == 1, result.output  # some rows were rejected
    assert "Imported 1 products (1 variants); rejected 1 rows" in result.output
    assert "line 3: grade: Imitations of another brand's design cannot be listed" in result.output
    assert "line 3: grade: Imitations" in report.read_text(encoding="utf-8")
    with app.app_context():
        assert set(products_in_db()) == {"rope-ring"}  # committed


def test_cli_help_documents_the_csv_format(runner):
    result = runner.invoke(args=["catalog", "import", "--help"])

    assert result.exit_code == 0
    assert "one row per VARIANT" in result.output
    assert "size=7;plating=18k gold" in result.output
    assert "maker=atelier;production_min=10;production_max=20" in result.output


def test_cli_refuses_a_file_that_is_not_utf8_or_lacks_columns(
    catalog, runner, tmp_path, app, write_csv
):
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(",".join(HEADER).encode() + b"\nbague-\xe9t\xe9,...\n")
    no_currency = write_csv([row()], header=[c for c in HEADER if c != "currency"])

    bad_encoding = runner.invoke(args=["catalog", "import", str(latin1)])
    missing = runner.invoke(args=["catalog", "import", str(no_currency)])

    assert bad_encoding.exit_code == 1
    assert "latin1.csv is not UTF-8 text" in bad_encoding.output
    assert missing.exit_code == 1
    assert "missing the column(s) currency" in missing.output
    with app.app_context():
        assert products_in_db() == {}


def test_ten_thousand_rows_import_in_one_run(catalog, runner, write_csv, app):
    # How fast is for bench/, not for a test a busy machine could fail.
    rows = [
        row(f"ring-{n // 2}", f"RING-{n}", options=f"size={6 + n % 2}", price=f"{20 + n % 50}.99")
        for n in range(10_000)
    ]
    path = write_csv(rows)

    result = runner.invoke(args=["catalog", "import", str(path)])

    assert result.exit_code == 0, result.output
    assert "Imported 5000 products (10000 variants); rejected 0 rows" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Variant)) == 10_000
