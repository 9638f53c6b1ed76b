"""The built-in selling models' return instructions (English in `models_`, which knows no
locale), marked so Babel extracts them: buyer pages and mails show them in the buyer's
language through the `route_text` filter. A plug-in model's or an agent's own words are
shown as written."""

from __future__ import annotations

from flask_babel import gettext

from ..catalog.vocabulary import N_

KEEP_THE_GOODS = N_("Keep the goods: you are refunded without sending them back.")
KNOWN = frozenset(
    {
        KEEP_THE_GOODS,
        N_("Back to the warehouse that shipped it, for restocking."),
        N_("Back to the workshop: reworked, or resold as surplus."),
        N_("Back to the supplier, or refunded without a return."),
        N_("Contact the shop."),
    }
)


def route_text(text: str) -> str:
    return gettext(text) if text in KNOWN else text
