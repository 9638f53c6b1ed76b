"""Recording changes without touching the services: a session listener over the models the
features registered with `track`.

After each flush it reads the tracked rows' attribute history (new, changed, deleted rows)
and keeps what changed per record in the session; just before the commit it writes one
`AuditEntry` per record, naming whoever acted. A rollback throws the kept changes away,
so a refused change leaves no entry. Only registered back-office models are looked at:
orders, carts and stock levels are not, so the buyer's paths write and read nothing more.
"""

from __future__ import annotations

import datetime
import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, object_session

from ..db import db
from .tables import AuditEntry

PENDING = "audit_pending"  # the key in session.info
DELETED = "audit_deleted"  # rows deleted in the flush under way (orphans included)
ADDED = "audit_added"  # rows added in this transaction: their parts' news is theirs
FRESH = "audit_fresh"  # (model, id) -> a row inserted by the flush being read
ACTOR_SOURCE = "storefront.audit.actor"  # the key in app.extensions
MAX_TEXT = 200  # a description's new text is shown in part


@dataclass(frozen=True)
class Tracked:
    """How one model's rows are logged: as a record of its own (`kind` and `key`), or as a
    part of its parent's record (`parent`), named within it by `label`."""

    kind: str | None
    key: Callable[[object], str] | None
    label: Callable[[object], str] | None
    parent: Callable[[object], object | None] | None
    fields: dict[str, str]  # attribute -> how people call it
    secrets: dict[str, str]  # attributes whose values are never logged
    archived: tuple[str, object] | None  # ("is_active", False): that value means archived
    only: Callable[[object], bool] | None  # rows to log (None: all)


_tracked: dict[type, Tracked] = {}


def _labels(names: Iterable[str] | dict[str, str]) -> dict[str, str]:
    if isinstance(names, dict):
        return dict(names)
    return {name: name.replace("_", " ") for name in names}


def track(
    model: type,
    *,
    kind: str | None = None,
    key: Callable[[object], str] | None = None,
    label: Callable[[object], str] | None = None,
    parent: Callable[[object], object | None] | None = None,
    fields: Iterable[str] | dict[str, str] = (),
    secrets: Iterable[str] | dict[str, str] = (),
    archived: tuple[str, object] | None = None,
    only: Callable[[object], bool] | None = None,
) -> None:
    """Log changes of `model`'s rows. A record names its `kind` and `key` (slug, code or
    id as text); a part of a record (a variant, a price, a method) names its `parent` row
    (itself tracked) and its `label` inside it ("SLS-001-5"). `fields` are logged old → new,
    `secrets` only as "rotated". Registering the same model again is a no-op."""
    if (kind is None or key is None) == (parent is None or label is None):
        raise ValueError(f"{model.__name__}: give kind and key, or parent and label.")
    if model not in _tracked:
        # session.deleted misses orphans a collection drops: the mapper sees every delete
        event.listen(model, "after_delete", _deleted)
    _tracked.setdefault(
        model,
        Tracked(
            kind=kind,
            key=key,
            label=label,
            parent=parent,
            fields=_labels(fields),
            secrets=_labels(secrets),
            archived=archived,
            only=only,
        ),
    )


def row_of(model: type, ident: object) -> object | None:
    """The row of `model` with this id, also one the flush being read has just inserted
    (not in the session's identity map until the flush ends)."""
    if ident is None:
        return None
    fresh = db.session.info.get(FRESH) or {}
    return fresh.get((model, ident)) or db.session.get(model, ident)


def parent_by(model: type, column: str) -> Callable[[object], object | None]:
    """A part's parent found by its foreign key (`parent_by(Product, "product_id")`)."""
    return lambda row: row_of(model, getattr(row, column))


def readable(value: object) -> str | None:
    """A value as the history shows it: amounts as text, dates ISO, flags yes/no."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        exact = value.normalize()
        if exact.as_tuple().exponent > -2:  # 39.000 -> 39.00
            return str(value.quantize(Decimal("0.01")))
        return format(exact, "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# what one transaction changed ------------------------------------------------------------


@dataclass
class _Record:
    kind: str
    key: str
    label: str
    action: str = "changed"
    changes: dict[tuple[str, str], dict] = field(default_factory=dict)

    def change(self, name: str, old: object, new: object, *, known_old: bool = True) -> None:
        slot = (name, "")
        if slot in self.changes:
            self.changes[slot]["new"] = readable(new)
            return
        entry = {"field": name, "new": readable(new)}
        if known_old:
            entry["old"] = readable(old)
        self.changes[slot] = entry

    def note(self, name: str, note: str, values: str = "") -> None:
        self.changes.setdefault((name, note), {"field": name, "note": note, "values": values})

    def _settled(self) -> list[dict]:
        """The changes to show: a part removed and added again (bands replaced on each
        save) is a change of its values, or nothing when they are the same."""
        shown = []
        for (name, note), change in self.changes.items():
            if note in ("added", "removed") and (name, "removed") in self.changes:
                if note == "removed" and (name, "added") in self.changes:
                    continue  # told with its "added" twin
                if note == "added":
                    old = self.changes[(name, "removed")]["values"]
                    if old != change["values"]:
                        shown.append({"field": name, "old": old, "new": change["values"]})
                    continue
            if note:
                shown.append({"field": name, "note": note})
            elif change.get("old", object()) != change["new"]:
                shown.append(change)
        return shown

    def as_entry(self, actor: Actor) -> AuditEntry | None:
        changes = self._settled()
        if self.action == "changed" and not changes:
            return None
        return AuditEntry(
            actor_id=actor.user_id,
            actor_name=actor.name,
            actor_email=actor.email,
            kind=self.kind,
            key=self.key[:120],
            label=self.label[:200],
            action=self.action,
            changes=[] if self.action in ("created", "removed") else changes,
        )


def _wanted(row: object, spec: Tracked) -> bool:
    return spec.only is None or bool(spec.only(row))


def _record_of(row: object, spec: Tracked, skip: set) -> tuple[object, Tracked, list[str]] | None:
    """The record a row belongs to, with the names of the parts on the way ("SLS-001-5")."""
    path: list[str] = []
    while spec.parent is not None:
        path.append(spec.label(row))
        row = spec.parent(row)
        if row is None or row in skip:
            return None  # the parent goes or comes with it: its own entry says so
        spec = _tracked.get(type(row))
        if spec is None or not _wanted(row, spec):
            return None
    return row, spec, path


def _values(row: object, spec: Tracked) -> str:
    """A part's values in a line, read without loading anything ("price 5.00")."""
    loaded = inspect(row).dict
    return ", ".join(
        f"{label} {readable(loaded.get(name)) or '—'}" for name, label in spec.fields.items()
    )


def _history(row: object, name: str) -> tuple[bool, object, object, bool]:
    """(changed, old, new, old known) of one attribute in this flush."""
    added, _unchanged, deleted = inspect(row).attrs[name].history
    if not added and not deleted:
        return False, None, None, True
    return True, deleted[0] if deleted else None, added[0] if added else None, bool(deleted)


def _deleted(_mapper, _connection, row: object) -> None:
    session = object_session(row)
    if session is not None:
        session.info.setdefault(DELETED, []).append(row)


def _collect(session: Session, _flush_context) -> None:
    if not _tracked:
        return
    deleted = session.info.pop(DELETED, [])
    new = [r for r in session.new if type(r) in _tracked]
    dirty = [r for r in session.dirty if type(r) in _tracked and r not in deleted]
    if not (new or dirty or deleted):
        return
    session.info[FRESH] = {(type(r), getattr(r, "id", None)): r for r in session.new}
    try:
        _read(session, new, dirty, deleted)
    finally:
        session.info.pop(FRESH, None)


def _read(session: Session, new: list, dirty: list, deleted: list) -> None:
    records: dict[tuple[str, str], _Record] = session.info.setdefault(PENDING, {})
    added: set = session.info.setdefault(ADDED, set())
    added.update(new)

    def record_for(row, spec):
        key = (spec.kind, spec.key(row))
        if key not in records:
            label = spec.label(row) if spec.label else key[1]
            records[key] = _Record(spec.kind, key[1], label)
        return records[key]

    for rows, skip, how in ((new, added, "added"), (deleted, set(deleted), "removed")):
        for row in rows:
            spec = _tracked[type(row)]
            if not _wanted(row, spec):
                continue
            found = _record_of(row, spec, skip)
            if found is None:
                continue
            record, record_spec, path = found
            if not path:
                record_for(record, record_spec).action = "created" if how == "added" else how
            else:
                record_for(record, record_spec).note(" of ".join(path), how, _values(row, spec))
    gone = added | set(deleted)
    for row in dirty:
        spec = _tracked[type(row)]
        if not _wanted(row, spec):
            continue
        if row in added:
            continue  # new in this transaction: "created" or "added" says it all
        found = _record_of(row, spec, gone)
        if found is None:
            continue
        record, record_spec, path = found
        entry = record_for(record, record_spec)
        suffix = f" of {' of '.join(path)}" if path else ""
        if spec.archived and not path:
            flag_name, flag = spec.archived
            changed, old, value, _known = _history(row, flag_name)
            if changed and entry.action == "changed" and (value == flag) != (old == flag):
                entry.action = "archived" if value == flag else "restored"
        for name, label in spec.fields.items():
            changed, old, value, known = _history(row, name)
            if changed:
                entry.change(label + suffix, old, value, known_old=known)
        for name, label in spec.secrets.items():
            if _history(row, name)[0]:
                entry.note(label + suffix, "rotated")


# who acted ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    email: str


SYSTEM = Actor(None, "system", "")


def act_as(user) -> None:
    """Changes in this app context are this user's (the API's key user, a CLI's user)."""
    g.audit_actor = user


def current_actor() -> Actor:
    """Who the changes are by: the one `act_as` named, else who is signed in on the page
    (the source accounts gave), else the system (CLI, worker, seed)."""
    if not has_app_context():
        return SYSTEM
    user = g.get("audit_actor")
    if user is None and has_request_context():
        source = current_app.extensions.get(ACTOR_SOURCE)
        user = source() if source is not None else None
    if user is None or not getattr(user, "id", None):
        return SYSTEM
    return Actor(user.id, user.name or "", user.email)


_ready: weakref.WeakSet = weakref.WeakSet()  # engines whose database has the log's table


def _table_ready(session: Session) -> bool:
    """Whether the database has the audit log yet: one migrated to a revision before it
    (a shop mid-upgrade, a migration's test) keeps working, unlogged, until it has."""
    engine = session.get_bind()
    if engine not in _ready:
        if not inspect(session.connection()).has_table(AuditEntry.__tablename__):
            return False
        _ready.add(engine)
    return True


def _write(session: Session) -> None:
    session.flush()  # the last changes (commit would flush them next anyway)
    records = session.info.pop(PENDING, None)
    if not records or not _table_ready(session):
        return
    actor = current_actor()
    entries = [e for e in (r.as_entry(actor) for r in records.values()) if e is not None]
    session.add_all(entries)


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(DELETED, None)
        session.info.pop(ADDED, None)


def kinds() -> list[str]:
    """The kinds of record the features registered ("brand", "product", ...)."""
    return sorted({spec.kind for spec in _tracked.values() if spec.kind})
