"""The demo shop's legal pages: the starter texts completed with the demo's made-up
company, saved through the pages service as a merchant would."""

from __future__ import annotations

import re

from i18n import SUPPORTED_LOCALES

from ..pages import operations as pages

COMPANY = "Lumen & Loom Demo GmbH"
ADDRESS = "Musterstraße 1, 10115 Berlin, DE"
EMAIL = "hello@lumen-loom.example"
PHONE = "+49 30 1234567"
DETAILS = (
    f"**{COMPANY}** · {ADDRESS}\n\n{EMAIL} · {PHONE}\n\nHRB 000000 B (demo) · DE000000000 (demo)"
)
_BRACKET = re.compile(r"\s*\[([^\]]*)\]")
_MAIL = ("mail", "correo", "メール", "邮件", "البريد")


def _filled(match: re.Match) -> str:
    inside = match.group(1)
    if len(inside) > 30:  # "[Complete with ...]": an instruction to the merchant
        return ""
    lead = match.group(0)[: len(match.group(0)) - len(match.group(0).lstrip())]
    return lead + (EMAIL if any(word in inside for word in _MAIL) else f"{COMPANY}, {ADDRESS}")


def demo_body(kind: str, locale: str) -> tuple[str, str]:
    starter = pages.starter_text(kind, locale)
    if kind in ("imprint", "contact"):
        return starter.title, DETAILS
    return starter.title, _BRACKET.sub(_filled, starter.body).strip()


def seed_legal_pages() -> int:
    """Every legal page in every language; returns how many were saved. Never commits."""
    saved = 0
    for kind in pages.KINDS:
        for locale in SUPPORTED_LOCALES:
            title, body = demo_body(kind, locale)
            pages.save_page(kind, locale, title, body)
            saved += 1
    return saved
