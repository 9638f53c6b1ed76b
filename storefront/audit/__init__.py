"""The audit log of the back office: who changed which record, when, and what (names, not
ids), shown on each record's page and in the admin API.

The bottom of the features (it imports none of them): each feature registers its own
back-office models with `track(...)` in its `init_app`, and a session listener
(`recorder`) logs their changes without any service calling it. Who acted comes from
`act_as(user)` (the API's key user) or the signed-in user accounts names (`actor_source`);
otherwise it is "system" (CLI, worker, demo seed).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event

from ..db import db
from ..mount import ShopSetup
from .history import HistoryLine, entries_of, history, what, when, who
from .recorder import (
    ACTOR_SOURCE,
    Actor,
    act_as,
    current_actor,
    kinds,
    parent_by,
    readable,
    row_of,
    track,
)

__all__ = [
    "Actor",
    "HistoryLine",
    "act_as",
    "actor_source",
    "current_actor",
    "entries_of",
    "history",
    "kinds",
    "parent_by",
    "readable",
    "row_of",
    "track",
    "what",
    "when",
    "who",
]


def actor_source(app: ShopSetup, source: Callable[[], object | None]) -> None:
    """Who acts on a page when nobody called `act_as`: `source()` gives the user or None."""
    app.extensions[ACTOR_SOURCE] = source


def _listen() -> None:
    from .recorder import _collect, _forget, _write

    sessions = db.session.session_factory
    for name, listener in (
        ("after_flush", _collect),
        ("before_commit", _write),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(sessions, name, listener):
            event.listen(sessions, name, listener)


def init_app(app: ShopSetup) -> None:
    from . import tables  # noqa: F401  (the table belongs to the app's metadata)

    _listen()
    app.jinja_env.globals["audit_history"] = history
