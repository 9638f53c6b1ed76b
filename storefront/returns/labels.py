"""What the buyer's return pages call reasons, statuses and refund parts, in the buyer's
language."""

from __future__ import annotations

from flask_babel import gettext


def reason_labels() -> dict[str, str]:
    return {
        "wrong_size": gettext("Wrong size"),
        "damaged": gettext("Arrived damaged"),
        "not_as_described": gettext("Not as described"),
        "changed_mind": gettext("Changed my mind"),
        "other": gettext("Another reason"),
    }


def status_labels() -> dict[str, str]:
    return {
        "requested": gettext("Requested"),
        "approved": gettext("Approved"),
        "refused": gettext("Not accepted"),
        "received": gettext("Received"),
        "inspected": gettext("Checked"),
        "refunded": gettext("Refunded"),
    }


def part_label(kind: str) -> str:
    """A refund part's name for the buyer; a kind without its own name shows as itself."""
    labels = {
        "goods": gettext("Items"),
        "shipping": gettext("Shipping"),
        "return_postage": gettext("Return shipping"),
        "vat": gettext("VAT"),
        "duty": gettext("Duty"),
        "price_difference": gettext("Price difference"),
    }
    return labels.get(kind, kind)
