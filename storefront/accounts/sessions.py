"""Revocable sign-ins: the session holds the user's session version from sign-in; a user
whose version moved on since (sign-out, new password, switched off, "sign out everywhere")
is anonymous in that session, so a copied cookie stops working the moment it is revoked."""

from __future__ import annotations

from flask import session

from ..db import db
from .tables import User

SESSION_KEY = "_shop_session"  # [user id, session version]; "_" keys go at sign-in


def begin(user: User) -> None:
    """Record, in this browser's session, the sign-in `user` has just made."""
    session[SESSION_KEY] = [user.id, user.session_version]


def is_current(user: User) -> bool:
    """Whether this session's sign-in of `user` still stands."""
    return session.get(SESSION_KEY) == [user.id, user.session_version]


def follows_host(user: User) -> bool:
    """A host app signs its users in itself: the shop records the version it first sees in
    the host's session and refuses the session once the version has moved on."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, list) or len(stored) != 2 or stored[0] != user.id:
        begin(user)  # first seen in this session (or another host user signed in)
        return True
    return stored[1] == user.session_version


def forget() -> None:
    session.pop(SESSION_KEY, None)


def end_everywhere(user: User) -> None:
    """Every session `user` is signed in with stops being signed in (the caller commits)."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()
