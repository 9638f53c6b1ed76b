"""Printing an issued document: its stored data through an HTML template, to PDF with
WeasyPrint. Headings are in English, and beside them in the language asked for."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from i18n import SUPPORTED_LOCALES, supported

from ..errors import InputError
from ..mount import render_template
from .tables import IssuedDocument

# The headings every document may print, translated in every locale.
HEADINGS = {
    "commercial-invoice": _l("Commercial invoice"),
    "packing-list": _l("Packing list"),
    "cn22": _l("Customs declaration CN 22"),
    "cn23": _l("Customs declaration CN 23"),
    "number": _l("Document number"),
    "date": _l("Date"),
    "order": _l("Order"),
    "seller": _l("Seller"),
    "shipped_from": _l("Shipped from"),
    "buyer": _l("Buyer"),
    "consignee": _l("Consignee"),
    "eori": _l("EORI number"),
    "export_licence": _l("Export licence"),
    "phone": _l("Phone"),
    "incoterm": _l("Incoterm and place"),
    "currency": _l("Currency"),
    "description": _l("Description"),
    "hs_code": _l("HS code"),
    "origin": _l("Origin"),
    "quantity": _l("Quantity"),
    "unit_value": _l("Unit value"),
    "total_value": _l("Total value"),
    "net_kg": _l("Net weight (kg)"),
    "gross_kg": _l("Gross weight (kg)"),
    "packages": _l("Number of packages"),
    "goods": _l("Goods"),
    "shipping": _l("Shipping"),
    "import_charges": _l("Import charges"),
    "total": _l("Total"),
    "reason": _l("Reason for export"),
    "sale": _l("Sale"),
    "replacement": _l("Replacement"),
    "return": _l("Return"),
    "parcel": _l("Parcel"),
    "dimensions": _l("Dimensions (mm)"),
    "contents": _l("Contents"),
    "category": _l("Category of item"),
    "sale_of_goods": _l("Sale of goods"),
    "returned_goods": _l("Returned goods"),
    "value_sdr": _l("Value in SDR"),
    "vat_treatment": _l("VAT treatment"),
    "vat_number": _l("VAT number"),
    "declaration": _l("Declaration"),
    "signature": _l("Signature"),
}


class UnknownLanguage(InputError):
    code = "unknown_language"


def language(raw: str | None) -> str:
    """The language asked for (`?lang=`): one of the shop's seven; English when none."""
    if not raw:
        return "en"
    found = supported(raw)
    if found is None:
        raise UnknownLanguage(
            gettext("lang must be one of %(codes)s.", codes=", ".join(SUPPORTED_LOCALES)),
            field="lang",
        )
    return found


def headings(lang: str) -> dict[str, tuple[str, str | None]]:
    """Each heading in English, and in `lang` (None when that is English too)."""
    with force_locale("en"):
        english = {key: str(text) for key, text in HEADINGS.items()}
    if lang == "en":
        return {key: (text, None) for key, text in english.items()}
    with force_locale(lang):
        local = {key: str(text) for key, text in HEADINGS.items()}
    return {
        key: (english[key], local[key] if local[key] != english[key] else None) for key in HEADINGS
    }


def html(document: IssuedDocument, lang: str = "en") -> str:
    return render_template(
        f"documents/{document.kind}.html", d=document.data, h=headings(lang), lang=lang
    )


def render_pdf(page: str) -> bytes:
    """A PDF of an HTML page (WeasyPrint): the one renderer of the shop's paperwork
    (export documents here, proforma invoices in quotes)."""
    from PIL import ImageFile

    strict = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML  # loaded on first print: pango is needed only here

    # Importing WeasyPrint tells Pillow to take truncated images, process-wide: the
    # product image uploads must go on refusing them.
    ImageFile.LOAD_TRUNCATED_IMAGES = strict
    return HTML(string=page).write_pdf()


def pdf(document: IssuedDocument, lang: str = "en") -> bytes:
    """The document as PDF: the same data every time it is printed."""
    return render_pdf(html(document, lang))


def filename(document: IssuedDocument) -> str:
    return f"{document.number}.pdf"
