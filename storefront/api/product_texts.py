"""A product's texts per locale in the admin API: `texts: {locale: {name, description}}`,
read from a create or PATCH body and answered with the product. English, as the rest of
the back-office API."""

from __future__ import annotations

from ..catalog.tables import Product
from .errors import ApiError


def texts_from_body(body: dict) -> dict[str, tuple[str, str]] | None:
    """The body's `texts` as the catalog takes them; None when the body has none."""
    raw = body.get("texts")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiError(400, "invalid_texts", "texts maps a locale to {name, description}.", "texts")
    texts = {}
    for locale, text in raw.items():
        where = f"texts.{locale}"
        if text is None:  # no text in that locale any more
            text = {}
        if not isinstance(text, dict):
            raise ApiError(400, "invalid_texts", f"{where} must be {{name, description}}.", where)
        for part in ("name", "description"):
            if not isinstance(text.get(part, ""), str):
                raise ApiError(400, "invalid_texts", f"{where}.{part} must be text.", where)
        texts[locale] = (text.get("name", ""), text.get("description", ""))
    return texts


def texts_json(product: Product) -> dict[str, dict[str, str]]:
    return {
        t.locale: {"name": t.name, "description": t.description}
        for t in sorted(product.texts, key=lambda t: t.locale)
    }
