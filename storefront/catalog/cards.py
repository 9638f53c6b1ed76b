"""The product cards of the home page, listings and search results, as HTML.

A card's HTML follows from its data (name, brand, grade, image, price: read fresh from the
database on every request), the language, the channel's currency and where the shop is
mounted, and every buyer of one market sees the same cards on every page they open. So the
template's macro (`partials/product_card.html`) renders a card once per process and the HTML
is kept under all of that: a changed name or price is another key, never a stale card
(not in an app whose `url_defaults` could change the cards' links from request to request).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields

from flask import current_app, request
from flask_babel import get_locale
from markupsafe import Markup

from ..markets import current_channel
from ..mount import fixed_urls, state
from .queries import ProductCard

MAX_KEPT_CARDS = 20_000
_FIELDS = tuple(f.name for f in fields(ProductCard))


def product_cards(cards: Iterable[ProductCard]) -> Markup:
    """The cards' HTML, one after another."""
    if not fixed_urls():  # an app's url_defaults may add to the card's links per request
        macro = _macro()
        return Markup("".join(str(macro(card)) for card in cards))
    kept: dict[tuple, str] = current_app.extensions["storefront_cards"]
    channel = current_channel()
    shared = (request.script_root, str(get_locale()), channel.currency if channel else None)
    html, macro = [], None
    for card in cards:
        key = (shared, *_data(card))
        text = kept.get(key)
        if text is None:
            if macro is None:
                macro = _macro()
            text = str(macro(card))
            if len(kept) >= MAX_KEPT_CARDS:
                kept.clear()
            kept[key] = text
        html.append(text)
    return Markup("".join(html))


def _data(card: ProductCard) -> tuple:
    """Every field of the card, as a key (a dict of image sizes as its repr)."""
    return tuple(
        repr(value) if isinstance(value, dict) else value
        for value in (getattr(card, name) for name in _FIELDS)
    )


def _macro():
    from .views import grade_labels

    template = state().jinja_env.get_template("partials/product_card.html")
    return template.make_module({"grade_labels": grade_labels()}).product_card


def init_app(app) -> None:
    app.app.extensions["storefront_cards"] = {}
    app.jinja_env.globals["product_cards"] = product_cards
