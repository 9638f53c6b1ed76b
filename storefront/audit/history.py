"""Reading the audit log: a record's history, newest first, as lines people read
("5 Dec 2026 18:30 · Ana Lima (ana@shop.example) · changed price of SLS-001-5: 39.00 → 41.00")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select

from ..db import as_utc, db
from .tables import AuditEntry

SHOWN = 20  # on a record's page


def entries_of(kind: str, key: str | None = None) -> Select:
    """A record's entries (or every record's of a kind, `key` None), newest first."""
    statement = select(AuditEntry).where(AuditEntry.kind == kind)
    if key is not None:
        statement = statement.where(AuditEntry.key == str(key))
    return statement.order_by(AuditEntry.id.desc())


def who(entry: AuditEntry) -> str:
    if entry.actor_id is None and not entry.actor_email:
        return entry.actor_name or "system"
    if entry.actor_name:
        return f"{entry.actor_name} ({entry.actor_email})"
    return entry.actor_email


def when(entry: AuditEntry) -> str:
    moment = as_utc(entry.occurred_at)
    return f"{moment.day} {moment:%b %Y %H:%M}"


def _change(change: dict) -> str:
    if "note" in change:
        return f"{change['note']} {change['field']}"
    new = "—" if change.get("new") is None else change["new"]
    if "old" not in change:
        return f"{change['field']}: {new}"
    old = "—" if change["old"] is None else change["old"]
    return f"{change['field']}: {old} → {new}"


def what(entry: AuditEntry) -> str:
    """ "changed price of SLS-001-5: 39.00 → 41.00; name: Ring → Band"."""
    if not entry.changes:
        return entry.action
    return f"{entry.action} {'; '.join(_change(c) for c in entry.changes)}"


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    when: str
    who: str
    what: str

    @property
    def record(self) -> str:
        return self.entry.label or self.entry.key


def history(kind: str, key: str | None = None, limit: int = SHOWN) -> list[HistoryLine]:
    """The latest lines of a record's history (or a kind's, `key` None), newest first."""
    entries = db.session.scalars(entries_of(kind, key).limit(limit)).all()
    return [HistoryLine(e, when(e), who(e), what(e)) for e in entries]
