"""Buyer endpoints of Store API v1 (see shared API.md)."""

from __future__ import annotations

import base64
import binascii
import json

from flask import Blueprint, jsonify, request
from flask_babel import gettext

from channels.money import Money
from i18n import SUPPORTED_LOCALES, current_locale, supported, translated
from models_ import Days

from .. import markets
from ..catalog import queries
from ..catalog.images import image_url, image_urls
from ..catalog.operations import MATERIALS
from ..catalog.tables import Grade, Product
from ..errors import InputError
from ..fulfilment.availability import delivery_estimate, out_of_stock, variant_quotes
from ..markets.pricing import Pricer, price_cards, variant_prices
from ..page_cache import cached_page
from ..request_checks import MAX_INT
from .errors import ApiError, answer_refusal
from .spec import operation, query_param

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.register_error_handler(InputError, answer_refusal)
PAGE_SIZE = 24

_CHANNEL = query_param(
    "channel",
    "Channel code; when absent, the one selling to the country of Accept-Language's region,"
    " else the first",
)
_LOCALE = query_param(
    "locale",
    "BCP 47 tag; Accept-Language is used when absent",
    schema={"type": "string", "enum": list(SUPPORTED_LOCALES)},
)


def _locale() -> str:
    wanted = request.args.get("locale")
    if wanted and supported(wanted) is None:
        raise ApiError(
            400, "unknown_locale", gettext("Unknown locale %(locale)s.", locale=wanted), "locale"
        )
    return current_locale()


def _channel():
    code = request.args.get("channel")
    if code is None:
        return markets.current_channel()
    try:
        return markets.channel_by_code(code)
    except markets.UnknownChannel:
        raise ApiError(
            400, "unknown_channel", gettext("There is no channel %(code)s.", code=code), "channel"
        ) from None


def _image_url(filename: str | None, sizes: dict | None = None) -> str | None:
    """An image's absolute URL: an upload's large size, else the file itself."""
    return image_url(filename, sizes, "large", external=True)


def _gallery(product: Product) -> list[dict]:
    return [
        {
            "url": _image_url(i.filename, i.sizes),
            "alt": i.alt,
            "width": i.width,
            "height": i.height,
            "sizes": image_urls(i.sizes, external=True),
        }
        for i in product.images
    ]


def _encode_cursor(after_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after_id}).encode()).decode()


def _decode_cursor(raw: str | None) -> int | None:
    if not raw:
        return None
    try:
        after = json.loads(base64.urlsafe_b64decode(raw.encode()))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_INT:
        raise ApiError(400, "invalid_cursor", gettext("This page cursor is not valid."), "cursor")
    return after


@bp.get("/channels")
@operation("The markets the shop sells to", tags=["buyers"], response="ChannelList", errors=())
def channels():
    return jsonify(
        [
            {
                "code": c.code,
                "name": c.name,
                "currency": c.currency,
                "countries": c.countries,
                "locales": c.locales,
                "tax_display": c.tax_display,
                "return_days": c.return_days,
            }
            for c in markets.all_channels()
        ]
    )


@bp.get("/products")
@operation(
    "Product summaries, newest first",
    tags=["buyers"],
    response="ProductPage",
    query=[
        _CHANNEL,
        _LOCALE,
        query_param("category", "Category slug"),
        query_param(
            "q", "Words in the name, brand, category or description, in the locale's language"
        ),
        query_param("material", "Material", schema={"type": "string", "enum": list(MATERIALS)}),
        query_param(
            "grade", "Surplus grade", schema={"type": "string", "enum": [g.value for g in Grade]}
        ),
        query_param("cursor", "The `next` value of the previous page"),
    ],
)
@cached_page
def products():
    locale = _locale()
    channel = _channel()
    material = request.args.get("material")
    if material and material not in MATERIALS:
        raise ApiError(
            400,
            "unknown_material",
            gettext("Unknown material %(material)s.", material=material),
            "material",
        )
    grade = request.args.get("grade")
    if grade and grade not in {g.value for g in Grade}:
        raise ApiError(
            400, "unknown_grade", gettext("Unknown grade %(grade)s.", grade=grade), "grade"
        )
    filters = queries.Filters(
        category=request.args.get("category") or None,
        material=material,
        grade=grade,
        q=(request.args.get("q") or "").strip()[:100] or None,
    )
    cards = queries.cards_after(
        filters,
        locale,
        channel.id if channel else None,
        _decode_cursor(request.args.get("cursor")),
        PAGE_SIZE + 1,
    )
    more = len(cards) > PAGE_SIZE
    cards = price_cards(_pricer(channel), cards[:PAGE_SIZE])
    return jsonify(
        items=[
            {
                "slug": c.slug,
                "name": c.name,
                "price": c.price.as_json() if c.price else None,
                "selling_model": c.selling_model,
                "grade": c.grade,
                "image_url": _image_url(c.image, c.image_sizes),
                "image_sizes": image_urls(c.image_sizes, external=True),
            }
            for c in cards
        ],
        next=_encode_cursor(cards[-1].id) if more else None,
    )


def _pricer(channel) -> Pricer | None:
    return Pricer(channel) if channel is not None else None


def product_json(
    product: Product,
    locale: str,
    prices: dict[int, Money],
    sold_out: set[int] = frozenset(),
    eta: Days | None = None,
) -> dict:
    name, description = queries.localized_text(product, locale)
    return {
        "slug": product.slug,
        "name": name,
        "description": description,
        "brand": translated(product.brand.names, product.brand.name, locale),
        "category": product.category.slug,
        "category_name": translated(product.category.names, product.category.name, locale),
        "price": min(prices.values()).as_json() if prices else None,
        "selling_model": product.selling_model,
        "grade": product.grade,
        "qc_status": product.qc_status,
        "hs_code": product.hs_code,
        "origin_country": product.origin_country,
        "material": product.material,
        "weight_grams": product.weight_grams,
        "images": [_image_url(i.filename, i.sizes) for i in product.images],
        "gallery": _gallery(product),
        "variants": [
            # Available: priced in this channel and, as its selling model says, not out of
            # stock (units held by unpaid orders count as gone).
            {
                "sku": v.sku,
                "options": v.options,
                "price": prices[v.id].as_json() if v.id in prices else None,
                "available": v.id in prices and v.id not in sold_out,
            }
            for v in product.live_variants
        ],
        # Days to the channel's default country: production or handling, then transit.
        "eta": eta.as_json() if eta else None,
    }


@bp.get("/products/<slug>")
@operation(
    "One product with its variants",
    tags=["buyers"],
    response="Product",
    query=[_CHANNEL, _LOCALE],
    errors=(400, 404),
)
def product(slug: str):
    locale = _locale()
    channel = _channel()
    found = queries.product_by_slug(slug)
    if found is None:
        raise ApiError(
            404, "product_not_found", gettext("There is no product %(slug)s.", slug=slug), "slug"
        )
    prices = variant_prices(_pricer(channel), found.live_variants)
    priced = [v for v in found.live_variants if v.id in prices]
    country = channel.default_country if channel else None
    quotes = variant_quotes(found, priced, country) if country else {}
    eta = delivery_estimate(quotes, country) if country else None
    return jsonify(product_json(found, locale, prices, out_of_stock(quotes), eta))
