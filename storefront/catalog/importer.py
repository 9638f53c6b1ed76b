"""Import products from a CSV file, as `flask catalog import FILE.csv` does.

CSV format: UTF-8 text (a byte-order mark is fine), comma-separated, a header
row, then one row per VARIANT. The product columns repeat on every row of the
same product; rows are grouped into products by slug.

Columns:
  slug,name,description,brand,category,hs_code,origin_country,material,
  weight_grams,length_mm,width_mm,height_mm,grade,selling_model,
  selling_model_settings,sku,options,price,currency
  plus name_<locale>,description_<locale> for translations, one pair per
  language the shop sells in besides English: de, fr, es, ja, zh_Hans, ar
  (e.g. name_de,description_de). A blank one shows the English text.
  description, options and selling_model_settings may be left out or empty.

Values:
  brand, category   slugs of an existing brand and category
  hs_code           e.g. 7113.11 (silver), 7113.19 (gold), 7117.19 (imitation); a
                    national line (7113.11.50) makes the duty exact, else the
                    highest line under the subheading is estimated
  origin_country    ISO 3166-1 alpha-2 code, e.g. CN, IT
  material          sterling silver, gold vermeil, 14k gold, 18k gold, brass,
                    stainless steel, titanium, pearl, platinum
  weight_grams,
  length_mm, ...    whole numbers above 0
  grade             none, original_order, skip_order or follow_up_order
                    (imitations of another brand's design are refused)
  selling_model     wholesale_retail, self_produced, agent_operated, oem_dropship
  selling_model_settings
                    the model's settings, key=value pairs split by ';':
                    maker=atelier;production_min=10;production_max=20 for
                    self_produced, agent=<agent code> for agent_operated,
                    supplier=<supplier code> for oem_dropship; wholesale_retail
                    needs none (handling_min, handling_max are optional)
  options           key=value pairs split by ';', e.g. size=7;plating=18k gold
  price, currency   a decimal with a dot (49.00) in the shop's base currency,
                    no more decimals than the currency has (USD 2, JPY 0)

Example:
  slug,name,brand,category,hs_code,origin_country,material,weight_grams,length_mm,width_mm,height_mm,grade,selling_model,sku,options,price,currency,name_de
  rope-ring,Rope ring,aurora,rings,7113.11,CN,sterling silver,4,21,21,3,none,wholesale_retail,RR-6,size=6,29.00,USD,Kordelring
  rope-ring,Rope ring,aurora,rings,7113.11,CN,sterling silver,4,21,21,3,none,wholesale_retail,RR-7,size=7,29.00,USD,Kordelring

A product is imported whole or not at all: if one of its rows is refused, none
of its rows is imported, and every refused row is reported with its line.
"""  # noqa: E501 - the example rows are real CSV lines and cannot wrap

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import String, select

from channels.money import InvalidMoney, Money, check_currency
from i18n import SUPPORTED_LOCALES

from ..db import db
from ..errors import InputError
from .operations import (
    CatalogError,
    ProductInput,
    VariantInput,
    create_product,
    lookup_tables,
    validate,
)
from .tables import Product, ProductText, Variant

CSV_FORMAT = __doc__.partition("\n\n")[2]

PRODUCT_COLUMNS = (
    "slug", "name", "description", "brand", "category", "hs_code", "origin_country",
    "material", "weight_grams", "length_mm", "width_mm", "height_mm", "grade", "selling_model",
    "selling_model_settings",
)  # fmt: skip
VARIANT_COLUMNS = ("sku", "options", "price", "currency")
OPTIONAL_COLUMNS = frozenset({"description", "options", "selling_model_settings"})
REQUIRED_COLUMNS = tuple(c for c in PRODUCT_COLUMNS + VARIANT_COLUMNS if c not in OPTIONAL_COLUMNS)
WHOLE_NUMBER_COLUMNS = ("weight_grams", "length_mm", "width_mm", "height_mm")
_TEXT_COLUMN = re.compile(r"^(name|description)_([a-z]{2,3}(?:_[A-Za-z]{2,4})?)$")
_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
FLUSH_EVERY = 500  # products per flush: big enough for bulk INSERTs, small enough for memory


class CatalogImportError(InputError):
    """The file as a whole cannot be imported; nothing was imported."""

    code = "invalid_catalog_file"


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    field: str | None = None
    slug: str = ""

    def __str__(self) -> str:
        where = f"line {self.line}: {self.field}: " if self.field else f"line {self.line}: "
        return where + self.reason


@dataclass
class ImportResult:
    products: int = 0
    variants: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"Imported {self.products} products ({self.variants} variants); "
            f"rejected {len(self.rejected)} rows"
        )

    def report(self) -> str:
        """The rejected rows, one per line, in file order."""
        return "\n".join(str(row) for row in self.rejected)


@dataclass(frozen=True)
class CsvRow:
    line: int  # the line the record starts on; the header is line 1
    values: dict[str, str]
    problem: str | None = None  # a record the CSV reader could not map onto the header


@dataclass
class CatalogSheet:
    """A CSV file whose encoding and header were accepted."""

    rows: list[CsvRow]
    locales: list[str]


def read_catalog_csv(path: str | Path) -> CatalogSheet:
    """Decode and check the header; raises CatalogImportError before anything is imported."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogImportError(
            f"{path.name} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}). Save it as 'CSV UTF-8' and try again; nothing was imported."
        ) from None
    except OSError as exc:
        raise CatalogImportError(f"Cannot read {path}: {exc.strerror}.") from None

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            raise CatalogImportError(f"{path.name} is empty: the first line must be the header.")
        locales = _check_header(header, path.name)
        rows: list[CsvRow] = []
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(_map_record(record, header, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise CatalogImportError(
            f"{path.name} line {reader.line_num}: not valid CSV ({exc}); nothing was imported."
        ) from None
    return CatalogSheet(rows=rows, locales=locales)


def _check_header(header: list[str], filename: str) -> list[str]:
    expected = ",".join(PRODUCT_COLUMNS + VARIANT_COLUMNS)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CatalogImportError(
            f"{filename} is missing the column(s) {', '.join(missing)}; nothing was imported. "
            f"The header must name: {expected} (see --help)."
        )
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise CatalogImportError(f"{filename} names the column(s) {', '.join(duplicated)} twice.")
    known = set(PRODUCT_COLUMNS + VARIANT_COLUMNS)
    unknown = [c for c in header if c not in known and not _TEXT_COLUMN.match(c)]
    if unknown:
        raise CatalogImportError(
            f"{filename} has unknown column(s) {', '.join(map(repr, unknown))}; expected "
            f"{expected}, plus name_<locale> and description_<locale> for translations."
        )
    locales = sorted({m.group(2) for c in header if (m := _TEXT_COLUMN.match(c))})
    foreign = [locale for locale in locales if locale not in SUPPORTED_LOCALES[1:]]
    if foreign:
        raise CatalogImportError(
            f"{filename} has texts for {', '.join(map(repr, foreign))}, which the shop does not "
            f"sell in; the translation columns are name_<locale> and description_<locale> for "
            f"{', '.join(SUPPORTED_LOCALES[1:])} (name and description are the "
            f"{SUPPORTED_LOCALES[0]} ones)."
        )
    return locales


def _map_record(record: list[str], header: list[str], line: int) -> CsvRow:
    # A misshapen record still keeps its leading values, so its slug rejects its whole product.
    values = {name: value.strip() for name, value in zip(header, record, strict=False)}
    if len(record) != len(header):
        problem = f"has {len(record)} fields but the header has {len(header)}; a stray comma?"
        return CsvRow(line, values, problem)
    return CsvRow(line, values)


def import_catalog(
    sheet: CatalogSheet,
    currency: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Add every product whose rows are all valid; flushes, never commits.

    A database error propagates: the caller rolls the whole import back.
    """
    brands, categories = lookup_tables()
    taken_skus = set(db.session.scalars(select(Variant.sku)))
    lookups = dict(
        brands=brands,
        categories=categories,
        taken_skus=taken_skus,
        taken_slugs=set(db.session.scalars(select(Product.slug))),
    )
    by_slug: dict[str, list[CsvRow]] = {}
    for row in sheet.rows:
        by_slug.setdefault(row.values.get("slug", ""), []).append(row)

    result = ImportResult()
    unflushed = 0
    # The taken sets guard uniqueness: the models' settings look-ups need not flush each product.
    with db.session.no_autoflush:
        for slug, rows in by_slug.items():
            data, rejected = _product_from_rows(rows, sheet.locales, currency)
            if data is not None:
                try:
                    create_product(data, currency, **lookups)
                except CatalogError as exc:
                    rejected = _locate(exc, rows, taken_skus)
            if rejected:
                result.rejected.extend(rejected)
                result.rejected.extend(_rows_left_out(rows, rejected, slug))
            else:
                result.products += 1
                result.variants += len(rows)
                unflushed += 1
                if unflushed >= FLUSH_EVERY:
                    db.session.flush()
                    unflushed = 0
            if progress is not None:
                progress(len(rows))
    db.session.flush()
    result.rejected.sort(key=lambda r: r.line)
    return result


def import_catalog_csv(
    path: str | Path, currency: str, *, progress: Callable[[int], None] | None = None
) -> ImportResult:
    """read_catalog_csv then import_catalog: the whole import in one call."""
    return import_catalog(read_catalog_csv(path), currency, progress=progress)


def _product_from_rows(
    rows: list[CsvRow], locales: list[str], currency: str
) -> tuple[ProductInput | None, list[RejectedRow]]:
    """One ProductInput for the rows of one slug, or the rows' problems."""
    rejected: list[RejectedRow] = []
    variants: list[VariantInput] = []
    first: tuple[CsvRow, dict] | None = None
    for row in rows:
        slug = row.values.get("slug", "")
        if row.problem:
            rejected.append(RejectedRow(row.line, row.problem, None, slug))
            continue
        try:
            fields = _product_fields(row.values, locales)
            variant = _variant(row.values)
            # Each row is checked on its own, so every bad row is reported, not just the first.
            validate(ProductInput(**fields, variants=[variant]), currency)
            _check_fits_columns(fields, variant)
        except CatalogError as exc:
            rejected.append(RejectedRow(row.line, exc.message, exc.field, slug))
            continue
        if first is None:
            first = (row, fields)
        else:
            differing = next((k for k in fields if fields[k] != first[1][k]), None)
            if differing is not None:
                rejected.append(
                    RejectedRow(
                        row.line,
                        f"differs from line {first[0].line}; rows of product {slug!r} must repeat "
                        "the same product columns.",
                        differing if differing != "texts" else "translations",
                        slug,
                    )
                )
                continue
        variants.append(variant)
    if rejected or first is None:
        return None, rejected
    return ProductInput(**first[1], variants=variants), []


def _product_fields(values: dict[str, str], locales: list[str]) -> dict:
    fields: dict = {name: values.get(name, "") for name in PRODUCT_COLUMNS}
    for name in WHOLE_NUMBER_COLUMNS:
        fields[name] = _whole_number(fields[name], name)
    fields["selling_model_settings"] = _pairs(
        fields["selling_model_settings"],
        "selling_model_settings",
        "maker=atelier;production_min=10",
    )
    texts: dict[str, tuple[str, str]] = {}
    for locale in locales:
        name = values.get(f"name_{locale}", "")
        description = values.get(f"description_{locale}", "")
        if description and not name:
            raise CatalogError(
                f"A {locale} description needs a {locale} name too.", field=f"name_{locale}"
            )
        if name:
            texts[locale] = (name, description)
    fields["texts"] = texts
    return fields


def _variant(values: dict[str, str]) -> VariantInput:
    code = values["currency"].upper()
    try:
        check_currency(code)
    except InvalidMoney as exc:
        raise CatalogError(str(exc), field="currency") from None
    try:
        # Money parses the text as Decimal (never float) and refuses NaN and infinities.
        price = Money(values["price"], code)
    except InvalidMoney as exc:
        raise CatalogError(
            f"{values['price']!r} is not an amount like 49.00.", field="price"
        ) from exc
    return VariantInput(
        sku=values["sku"],
        price=price,
        options=_pairs(values.get("options", ""), "options", "size=7;plating=18k gold"),
    )


def _pairs(text: str, name: str, example: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise CatalogError(f"{part!r} is not key=value (e.g. {example}).", field=name)
        pairs[key.strip()] = value.strip()
    return pairs


_INT_MAX = 2**31 - 1  # a 4-byte INTEGER column on PostgreSQL


def _whole_number(text: str, name: str) -> int:
    if not _WHOLE_NUMBER.match(text):
        raise CatalogError(f"{text!r} is not a whole number.", field=name)
    number = int(text)
    if number > _INT_MAX:
        raise CatalogError(f"{number} is too large.", field=name)
    return number


def _check_fits_columns(fields: dict, variant: VariantInput) -> None:
    """Limits the tables set that catalog.operations leaves to the database."""
    checks = [
        (Product.hs_code, fields["hs_code"], "hs_code"),
        (Variant.options_text, ";".join(f"{k}={v}" for k, v in variant.options.items()), "options"),
    ]
    checks += [
        (ProductText.name, name, f"name_{loc}") for loc, (name, _) in fields["texts"].items()
    ]
    for column, value, name in checks:
        limit = column.type.length if isinstance(column.type, String) else None
        if limit is not None and len(value) > limit:
            raise CatalogError(f"At most {limit} characters, got {len(value)}.", field=name)
    digits = Variant.price_amount.type  # Numeric(precision, scale)
    if variant.price.amount >= 10 ** (digits.precision - digits.scale):
        raise CatalogError(f"{variant.price.amount} is too large a price.", field="price")


def _locate(exc: CatalogError, rows: list[CsvRow], taken_skus: set[str]) -> list[RejectedRow]:
    """The rows a create_product refusal is about: the clashing SKUs' rows, else all rows."""
    slug = rows[0].values.get("slug", "")
    culprits = rows
    if exc.field == "sku":
        seen: set[str] = set()
        clashing = []
        for row in rows:
            sku = row.values.get("sku", "")
            if sku in taken_skus or sku in seen:
                clashing.append(row)
            seen.add(sku)
        culprits = clashing or rows
    return [RejectedRow(row.line, exc.message, exc.field, slug) for row in culprits]


def _rows_left_out(rows: list[CsvRow], rejected: list[RejectedRow], slug: str) -> list[RejectedRow]:
    """The valid rows of a refused product: reported too, so no row goes missing silently."""
    bad_lines = {r.line for r in rejected}
    reason = f"not imported: another row of product {slug!r} was rejected (line {min(bad_lines)})."
    return [RejectedRow(row.line, reason, None, slug) for row in rows if row.line not in bad_lines]
