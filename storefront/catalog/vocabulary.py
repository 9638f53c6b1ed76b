"""Catalog words shown to buyers that come from data, marked so Babel extracts them.

Templates translate them with `_()` at render time; merchant-entered words
that are not listed here are shown as entered.
"""

from __future__ import annotations


def N_(text: str) -> str:
    return text


MATERIAL_WORDS = [
    N_("sterling silver"),
    N_("gold vermeil"),
    N_("14k gold"),
    N_("18k gold"),
    N_("brass"),
    N_("stainless steel"),
    N_("titanium"),
    N_("pearl"),
    N_("platinum"),
]
OPTION_WORDS = [N_("size"), N_("plating"), N_("length"), N_("stone"), N_("finish"), N_("colour")]
QC_WORDS = [N_("not inspected by brand"), N_("passed"), N_("failed")]
