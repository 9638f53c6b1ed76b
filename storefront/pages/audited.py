"""The legal pages in the audit log: each save is a new version of the page."""

from __future__ import annotations

from .. import audit
from .tables import LegalPage


def track_history() -> None:
    audit.track(
        LegalPage,
        kind="legal_page",
        key=lambda p: f"{p.kind}/{p.locale}",
        label=lambda p: f"{p.kind} ({p.locale}) version {p.version}",
        fields={"title": "title", "body": "text", "version": "version"},
    )
