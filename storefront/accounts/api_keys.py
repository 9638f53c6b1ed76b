"""API keys: issued once, kept only as a sha256 hash and a short prefix.

A key is 32 random bytes, so a plain hash (not a slow password hash) is enough:
nobody can guess it, and a lookup by hash is one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ..db import db
from .tables import ApiKey, User

KEY_PREFIX = "sfk_"
PREFIX_LENGTH = 12


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_api_key(user: User) -> tuple[ApiKey, str]:
    """A new key for `user`; the raw key is returned here and never stored."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(user_id=user.id, prefix=raw[:PREFIX_LENGTH], key_hash=hash_key(raw))
    db.session.add(key)
    db.session.flush()
    return key, raw


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def user_for_key(raw: str) -> User | None:
    """The active user a live key belongs to, or None."""
    if not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        return None
    key = db.session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_key(raw), ApiKey.revoked_at.is_(None))
    )
    if key is None or not key.user.is_active:
        return None
    return key.user
