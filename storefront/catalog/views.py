"""Buyer pages: home, category listing, search, product."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, g, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from i18n import current_locale

from ..config import settings
from ..fulfilment.availability import delivery_estimate, out_of_stock, variant_quotes
from ..markets import current_channel, current_country
from ..markets.pricing import current_pricer, price_cards, variant_prices
from ..mount import render_template
from ..page_cache import cached_page
from ..request_checks import page_number
from . import queries
from .discovery import page_links
from .operations import MATERIALS
from .structured_data import product_json_ld
from .tables import Grade

bp = Blueprint("catalog", __name__)


# Translated when shown (every page's template context has them, few pages show them).
GRADE_LABELS = {
    Grade.NONE: _l("New, own design"),
    Grade.ORIGINAL_ORDER: _l("Surplus: original order"),
    Grade.SKIP_ORDER: _l("Surplus: skip order"),
    Grade.FOLLOW_UP_ORDER: _l("Surplus: follow-up order"),
}


def grade_labels() -> dict[str, str]:
    return {grade: str(label) for grade, label in GRADE_LABELS.items()}


def grade_notes() -> dict[str, str]:
    return {
        Grade.ORIGINAL_ORDER: gettext(
            "Made for a brand's export order and set aside for a minor inspection miss or a late "
            "delivery. Looks and wears as new."
        ),
        Grade.SKIP_ORDER: gettext(
            "Made from the material left over after an export order, without the brand's quality "
            "inspection."
        ),
        Grade.FOLLOW_UP_ORDER: gettext(
            "A re-run made when the original materials ran out; partly substitute materials, "
            "inspected."
        ),
    }


def _filters(category: str | None = None) -> queries.Filters:
    material = request.args.get("material") or None
    grade = request.args.get("grade") or None
    return queries.Filters(
        category=category,
        material=material if material in MATERIALS else None,
        grade=grade if grade in {g.value for g in Grade} else None,
        q=(request.args.get("q") or "").strip()[:100] or None,
    )


def nav_categories():
    """The category list, read once per request: the nav and the listing share it."""
    if "categories" not in g:
        g.categories = queries.categories()
    return g.categories


@bp.app_context_processor
def catalog_context():
    return {"grade_labels": GRADE_LABELS, "nav_categories": nav_categories}


def _channel_id() -> int | None:
    channel = current_channel()
    return channel.id if channel is not None else None


def _priced(page: queries.Page) -> queries.Page:
    return replace(page, items=price_cards(current_pricer(), page.items))


@bp.route("/")
@cached_page(guests=True)
def home():
    newest = queries.listing(
        queries.Filters(), current_locale(), _channel_id(), per_page=8, counted=False
    )
    return render_template("catalog/home.html", categories=nav_categories(), newest=_priced(newest))


def _listing_page(template: str, category=None, **extra):
    filters = _filters(category.slug if category else None)
    page = queries.listing(
        filters,
        current_locale(),
        _channel_id(),
        page_number(),
        settings()["PRODUCTS_PER_PAGE"],
    )
    return render_template(
        template,
        page=_priced(page),
        filters=filters,
        category=category,
        materials=MATERIALS,
        grades=[g.value for g in Grade],
        **extra,
    )


@bp.route("/c/<slug>")
@cached_page(guests=True)
def category(slug: str):
    found = next((c for c in nav_categories() if c.slug == slug), None)
    if found is None:
        abort(404, gettext("There is no such category."))
    return _listing_page("catalog/listing.html", category=found)


@bp.route("/search")
@cached_page(guests=True)
def search():
    return _listing_page("catalog/listing.html", category=None, searching=True)


@bp.route("/p/<slug>")
@cached_page(guests=True)
def product(slug: str):
    found = queries.product_by_slug(slug)
    if found is None:
        abort(404, gettext("This product is not (or no longer) in the shop."))
    name, description = queries.localized_text(found, current_locale())
    prices = variant_prices(current_pricer(), found.live_variants)
    country = current_country()
    priced = [v for v in found.live_variants if v.id in prices]
    quotes = variant_quotes(found, priced, country) if country else {}
    gone = out_of_stock(quotes)
    structured = product_json_ld(
        found,
        name=name,
        description=description,
        url=page_links().canonical,
        prices=prices,
        sold_out=gone,
    )
    return render_template(
        "catalog/product.html",
        product=found,
        name=name,
        description=description,
        grade_note=grade_notes().get(found.grade),
        prices=prices,
        sold_out=gone,
        all_sold_out=bool(priced) and len(gone) == len(priced),
        from_price=min(prices.values()) if prices else None,
        structured=structured,
        country=country,
        eta=delivery_estimate(quotes, country) if country else None,
    )
