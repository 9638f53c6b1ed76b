"""Payment terms as a small value: parsed from the code a company, a quote or staff give
("prepay", "deposit:30", "net30", "net60", "net90", "letter_of_credit"), and the parts of
the schedule each one asks for."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from ..errors import InputError

PREPAY, DEPOSIT, NET, LETTER_OF_CREDIT = "prepay", "deposit", "net", "letter_of_credit"
NET_DAYS = (30, 60, 90)

# the kinds of a schedule's parts
DEPOSIT_PART, BALANCE_PART, INVOICE_PART, FULL_PART = "deposit", "balance", "invoice", "full"
PART_KINDS = (DEPOSIT_PART, BALANCE_PART, INVOICE_PART, FULL_PART)


class TermsError(InputError):
    """Payment terms the shop refuses: a code it does not know, or an order whose terms
    cannot be set (not a trade order, or something already paid)."""

    code = "invalid_payment_terms"
    status = 400


@dataclass(frozen=True)
class Terms:
    """One order's payment terms: `kind` PREPAY, DEPOSIT (with `percent`, 1 to 99), NET
    (with `days`, 30, 60 or 90) or LETTER_OF_CREDIT."""

    kind: str
    percent: int | None = None
    days: int | None = None

    @property
    def code(self) -> str:
        if self.kind == DEPOSIT:
            return f"{DEPOSIT}:{self.percent}"
        if self.kind == NET:
            return f"{NET}{self.days}"
        return self.kind

    @property
    def starts_at_once(self) -> bool:
        """Fulfilment starts when the terms are set (net terms, a letter of credit): the
        buyer pays later, against an invoice or through the banks."""
        return self.kind in (NET, LETTER_OF_CREDIT)

    def __str__(self) -> str:
        return self.code


def _refused(code: object) -> TermsError:
    return TermsError(
        gettext(
            "%(code)s are no payment terms: give prepay, deposit:<percent> (1 to 99), "
            "net30, net60, net90 or letter_of_credit.",
            code=repr(code) if not isinstance(code, str) else f"“{code[:40]}”",
        ),
        field="terms",
    )


def parse(code: object) -> Terms:
    """The terms a code stands for; TermsError for anything else."""
    if not isinstance(code, str):
        raise _refused(code)
    text = code.strip().lower()
    if text in (PREPAY, LETTER_OF_CREDIT):
        return Terms(text)
    if text.startswith(NET) and text[len(NET) :] in {str(d) for d in NET_DAYS}:
        return Terms(NET, days=int(text[len(NET) :]))
    head, colon, tail = text.partition(":")
    if head == DEPOSIT and colon and tail.isdigit() and tail.isascii() and len(tail) <= 2:
        percent = int(tail)
        if 1 <= percent <= 99:
            return Terms(DEPOSIT, percent=percent)
    raise _refused(code)
