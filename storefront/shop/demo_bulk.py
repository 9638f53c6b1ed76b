"""Generated demo products on top of the hand-written ones, for benchmarks (`--products N`)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from channels.money import Money

from ..catalog.operations import MATERIALS, ProductInput, VariantInput
from ..catalog.tables import Grade
from .demo_catalog import BRANDS, CATEGORIES, HS_CODE_BY_MATERIAL, QC_NOT_INSPECTED
from .images import KIND_BY_CATEGORY, shared_image

# Believable names from a few word lists.
STYLES = ("Minimal", "Vintage", "Braided", "Hammered", "Twisted", "Celestial", "Art Deco",
          "Botanical", "Geometric", "Classic", "Bohemian", "Sculptural", "Dainty")  # fmt: skip
NOUNS = {"rings": "Ring", "necklaces": "Necklace", "earrings": "Earrings", "bracelets": "Bracelet"}
OPTIONS = {
    "rings": ("size", ("6", "7", "8")),
    "necklaces": ("length", ("42 cm", "45 cm")),
    "earrings": ("plating", ("rhodium", "18k gold")),
    "bracelets": ("length", ("16 cm", "18 cm")),
}
BASE_PRICE = {
    "sterling silver": Decimal("35.00"), "gold vermeil": Decimal("45.00"),
    "14k gold": Decimal("380.00"), "18k gold": Decimal("620.00"), "brass": Decimal("12.00"),
    "stainless steel": Decimal("10.00"), "titanium": Decimal("18.00"),
    "pearl": Decimal("60.00"), "platinum": Decimal("900.00"),
}  # fmt: skip
# Mostly China, as for most export jewelry; some Italy, Thailand and India.
ORIGINS = ("CN",) * 7 + ("IT", "TH", "IN")
GRADES = (Grade.NONE,) * 5 + (Grade.ORIGINAL_ORDER, Grade.SKIP_ORDER, Grade.FOLLOW_UP_ORDER)


def bulk_products(count: int, currency: str, written: set[str]) -> Iterator[ProductInput]:
    """`count` generated products; they share one picture per kind and material."""
    categories = [slug for slug, _ in CATEGORIES]
    for n in range(1, count + 1):
        category = categories[n % len(categories)]
        material = MATERIALS[n % len(MATERIALS)]
        brand, _, _, prefix, model, settings = BRANDS[n % len(BRANDS)]
        grade = GRADES[n % len(GRADES)]
        style = STYLES[n % len(STYLES)]
        key, values = OPTIONS[category]
        kind = KIND_BY_CATEGORY[category]
        price = Money(BASE_PRICE[material] + Decimal(n % 9) * Decimal("2.50"), currency)
        name = f"{style} {material.title()} {NOUNS[category]} No. {n}"
        yield ProductInput(
            slug=f"{style.lower().replace(' ', '-')}-{material.replace(' ', '-')}-{kind}-{n}",
            name=name,
            brand=brand,
            category=category,
            description=f"A {style.lower()} {kind} in {material}, from the wider catalogue.",
            hs_code=HS_CODE_BY_MATERIAL[material],
            origin_country=ORIGINS[n % len(ORIGINS)],
            material=material,
            weight_grams=3 + n % 20,
            length_mm=20 + n % 30,
            width_mm=5 + n % 15,
            height_mm=2 + n % 6,
            grade=grade,
            qc_status=QC_NOT_INSPECTED if grade == Grade.SKIP_ORDER else None,
            selling_model=model,
            selling_model_settings=dict(settings),
            variants=[
                VariantInput(sku=f"{prefix}-B{n:06d}-{i + 1}", price=price, options={key: value})
                for i, value in enumerate(values[: 1 + n % len(values)])
            ],
            images=[(shared_image(kind, material, written), name)],
        )
