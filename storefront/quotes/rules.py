"""What a quote may say: Incoterms 2020 and who pays carriage and insurance under each,
the payment terms codes, and the check of a draft or revision as staff or the API send it.
Refusals are `QuoteError`s naming the field; nothing is written here."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext

from channels.money import Money, currency_precision

from .. import clock
from ..errors import InputError

INCOTERMS = ("EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP")
# The seller pays the main carriage under these (ICC Incoterms 2020) ...
FREIGHT_TERMS = frozenset({"CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"})
# ... and insures it under these two.
INSURANCE_TERMS = frozenset({"CIF", "CIP"})
# The seller clears the goods for import and pays the import duties and taxes: DDP only.
SELLER_PAYS_IMPORT = frozenset({"DDP"})

_TERMS = re.compile(r"prepay|deposit:(\d{1,2})|net(30|60|90)|letter_of_credit")
MAX_LINES = 100
MAX_QUANTITY = 99_999


class QuoteError(InputError):
    code = "invalid_quote"
    status = 422


class QuoteConflict(InputError):
    """The quote cannot do this now (expired, superseded, already accepted...)."""

    code = "quote_conflict"
    status = 409


def check_terms(raw) -> str:
    """A payment terms code: prepay, deposit:<1-99> (that percent first, the balance before
    shipment), net30, net60, net90 or letter_of_credit."""
    code = raw.strip() if isinstance(raw, str) else ""
    match = _TERMS.fullmatch(code)
    if match is None or (match.group(1) is not None and not 1 <= int(match.group(1)) <= 99):
        raise QuoteError(
            gettext(
                "Payment terms must be prepay, deposit:<percent>, net30, net60, net90 "
                "or letter_of_credit."
            ),
            "invalid_payment_terms",
            "payment_terms",
        )
    return code


def terms_in_words(code: str) -> str:
    """The payment terms as the proforma and the buyer's page say them."""
    if code.startswith("deposit:"):
        return gettext(
            "%(percent)s%% deposit on acceptance, the balance before shipment",
            percent=code.split(":", 1)[1],
        )
    return {
        "prepay": gettext("Payment in full before shipment"),
        "net30": gettext("Net 30 days from the invoice date"),
        "net60": gettext("Net 60 days from the invoice date"),
        "net90": gettext("Net 90 days from the invoice date"),
        "letter_of_credit": gettext("Documentary letter of credit"),
    }.get(code, code)


@dataclass(frozen=True)
class LineInput:
    sku: str
    quantity: int
    unit_price: Decimal | None  # a negotiated price; None: the channel's tier price
    reason: str


@dataclass(frozen=True)
class QuoteInput:
    lines: tuple[LineInput, ...]
    incoterm: str
    place: str
    freight: Decimal | None
    insurance: Decimal | None
    valid_until: datetime.date
    payment_terms: str


def _amount(raw, currency: str, field: str) -> Decimal:
    try:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise InvalidOperation
        amount = Decimal(str(raw).strip())
        if not amount.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise QuoteError(
            gettext("Enter an amount such as 12.50."), "invalid_amount", field
        ) from None
    if amount < 0 or amount >= Decimal("1e11"):
        raise QuoteError(gettext("Enter an amount such as 12.50."), "invalid_amount", field)
    if amount != amount.quantize(Decimal(1).scaleb(-currency_precision(currency))):
        raise QuoteError(
            gettext(
                "%(currency)s amounts have at most %(places)s decimal places.",
                currency=currency,
                places=currency_precision(currency),
            ),
            "invalid_amount",
            field,
        )
    return Money(amount, currency).amount


def _given(raw) -> bool:
    return raw is not None and not (isinstance(raw, str) and not raw.strip())


def _lines(raw, currency: str) -> tuple[LineInput, ...]:
    if not isinstance(raw, list) or not raw:
        raise QuoteError(gettext("A quote needs at least one line."), "no_lines", "lines")
    if len(raw) > MAX_LINES:
        raise QuoteError(
            gettext("A quote has at most %(n)s lines.", n=MAX_LINES), "too_many_lines", "lines"
        )
    lines, seen = [], set()
    for i, line in enumerate(raw):
        at = f"lines[{i}]"
        if not isinstance(line, dict):
            raise QuoteError(gettext("Each line is an object."), "invalid_line", at)
        sku = line.get("sku")
        if not isinstance(sku, str) or not sku.strip() or len(sku) > 64:
            raise QuoteError(gettext("Name the SKU of each line."), "invalid_sku", f"{at}.sku")
        sku = sku.strip()
        if sku in seen:
            raise QuoteError(
                gettext("%(sku)s is on two lines.", sku=sku), "duplicate_sku", f"{at}.sku"
            )
        seen.add(sku)
        quantity = line.get("quantity")
        if isinstance(quantity, str) and quantity.strip().isdigit():
            quantity = int(quantity.strip())
        if type(quantity) is not int or not 1 <= quantity <= MAX_QUANTITY:
            raise QuoteError(
                gettext("The quantity must be between 1 and %(max)s.", max=MAX_QUANTITY),
                "invalid_quantity",
                f"{at}.quantity",
            )
        price = line.get("unit_price")
        reason = line.get("reason") or ""
        if not isinstance(reason, str) or len(reason) > 200:
            raise QuoteError(
                gettext("Give the reason in at most 200 characters."),
                "invalid_reason",
                f"{at}.reason",
            )
        unit_price = None
        if _given(price):
            unit_price = _amount(price, currency, f"{at}.unit_price")
            if not reason.strip():
                raise QuoteError(
                    gettext("A negotiated price needs a reason."),
                    "override_reason_required",
                    f"{at}.reason",
                )
        lines.append(LineInput(sku, quantity, unit_price, reason.strip()))
    return tuple(lines)


def check_quote(body: dict, currency: str) -> QuoteInput:
    """A draft or revision as staff or the API sent it, checked in the quote's currency."""
    lines = _lines(body.get("lines"), currency)
    incoterm = body.get("incoterm")
    incoterm = incoterm.strip().upper() if isinstance(incoterm, str) else ""
    if incoterm not in INCOTERMS:
        raise QuoteError(
            gettext("Choose an Incoterm: %(terms)s.", terms=", ".join(INCOTERMS)),
            "invalid_incoterm",
            "incoterm",
        )
    place = body.get("place")
    place = place.strip() if isinstance(place, str) else ""
    if not place or len(place) > 120:
        raise QuoteError(
            gettext("Name the place of the Incoterm (at most 120 characters)."),
            "invalid_place",
            "place",
        )
    amounts = {}
    for name, terms in (("freight", FREIGHT_TERMS), ("insurance", INSURANCE_TERMS)):
        raw = body.get(name)
        if incoterm in terms and not _given(raw):
            raise QuoteError(
                gettext(
                    "%(term)s includes the %(what)s: enter its amount.",
                    term=incoterm,
                    what=_what(name),
                ),
                f"{name}_required",
                name,
            )
        if incoterm not in terms and _given(raw):
            raise QuoteError(
                gettext(
                    "%(term)s does not include the %(what)s: leave it empty.",
                    term=incoterm,
                    what=_what(name),
                ),
                f"{name}_not_included",
                name,
            )
        amounts[name] = _amount(raw, currency, name) if _given(raw) else None
    return QuoteInput(
        lines,
        incoterm,
        place,
        amounts["freight"],
        amounts["insurance"],
        _valid_until(body.get("valid_until")),
        check_terms(body.get("payment_terms")),
    )


def _what(name: str) -> str:
    return gettext("main carriage") if name == "freight" else gettext("insurance")


def _valid_until(raw) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        day = None
    if day is None:
        raise QuoteError(
            gettext("Enter the date the quote is valid until as YYYY-MM-DD."),
            "invalid_valid_until",
            "valid_until",
        )
    if day < clock.today():
        raise QuoteError(
            gettext("The validity date has passed already."), "invalid_valid_until", "valid_until"
        )
    return day
