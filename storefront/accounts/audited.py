"""The team in the audit log: staff, agents' and suppliers' users and their API keys
(buyers' accounts are not the back office's records). Passwords and keys are logged as
"rotated", never their hashes."""

from __future__ import annotations

from .. import audit
from .tables import BUYER_ROLES, ApiKey, User


def _team(user: User) -> bool:
    return user.role not in BUYER_ROLES


def track_history() -> None:
    audit.track(
        User,
        kind="user",
        key=lambda u: str(u.id),
        label=lambda u: u.email,
        fields={"email": "e-mail", "name": "name", "role": "role"},
        secrets={"password_hash": "password"},
        archived=("is_active_account", False),
        only=_team,
    )
    audit.track(
        ApiKey,
        parent=audit.parent_by(User, "user_id"),
        label=lambda k: f"API key {k.prefix}…",
        fields={"revoked_at": "revoked"},
        secrets={"key_hash": "key"},
    )
