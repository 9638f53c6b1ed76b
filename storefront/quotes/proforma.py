"""The proforma invoice of one quote version: a PDF in the buyer's language and the quote's
currency, rendered from `templates/quotes/proforma.html` by the shop's one renderer."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale

from channels.money import Money

from ..compliance.operations import load_profile
from ..config import settings
from ..mount import render_template
from .pricing import line_total
from .rules import FREIGHT_TERMS, INSURANCE_TERMS, SELLER_PAYS_IMPORT, terms_in_words
from .seams import render_pdf
from .tables import Quote, QuoteVersion


def proforma_context(quote: Quote, version: QuoteVersion) -> dict:
    currency = quote.currency
    profile, _registrations = load_profile()

    def money(amount) -> Money:
        return Money(Decimal(amount or 0), currency).rounded()

    return {
        "quote": quote,
        "version": version,
        "seller": {"name": settings()["SHOP_NAME"], "eori": (profile.eori if profile else "")},
        "lines": [
            {**line, "total": line_total(line, currency), "unit": money(line["unit_amount"])}
            for line in version.lines
        ],
        "subtotal": money(version.subtotal_amount),
        "freight": money(version.freight_amount) if version.incoterm in FREIGHT_TERMS else None,
        "insurance": (
            money(version.insurance_amount) if version.incoterm in INSURANCE_TERMS else None
        ),
        "import_charges": money(version.import_amount),
        "import_by_seller": version.incoterm in SELLER_PAYS_IMPORT,
        "total": money(version.total_amount),
        "terms_words": terms_in_words(version.payment_terms),
    }


def proforma_html(quote: Quote, version: QuoteVersion) -> str:
    with force_locale(quote.locale or "en"):
        context = proforma_context(quote, version)
        return render_template("quotes/proforma.html", locale=quote.locale, **context)


def proforma_pdf(quote: Quote, version: QuoteVersion | None = None) -> bytes:
    return render_pdf(proforma_html(quote, version or quote.current))


def filename(quote: Quote, version: QuoteVersion) -> str:
    return f"proforma-{quote.number}-v{version.version}.pdf"
