"""Creating and checking back-office users."""

from __future__ import annotations

import functools
import re
import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from ..config import settings
from ..db import db
from ..errors import InputError
from .passwords import hash_password, verify_password
from .sessions import end_everywhere
from .tables import Role, User

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


class AccountError(InputError):
    """A user account the shop refuses to create as given."""

    code = "invalid_account"


def create_user(email: str, password: str, role: str, name: str = "") -> User:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address.")
    if role not in {r.value for r in Role}:
        raise AccountError(f"Unknown role {role!r}; expected one of: {', '.join(Role)}.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"The password needs at least {MIN_PASSWORD} characters.")
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise AccountError(f"A user with e-mail {email} exists already.")
    user = User(email=email, name=name, role=role, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


@functools.cache
def _no_one_hash() -> str:
    """An argon2 hash no password is ever checked for in earnest: an unknown e-mail is
    verified against it, so it takes as long to refuse as a known one."""
    return hash_password(secrets.token_urlsafe(32))


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    password_hash = user.password_hash if user is not None else _no_one_hash()
    matches = verify_password(password_hash, password)
    if user is None or not user.is_active or not matches:
        return None
    return user


# invitations: a user made by staff sets their own password from a link ------------------

INVITE_SALT = "storefront.set-password"
INVITE_HOURS = 72
TEAM_ROLES = (Role.OWNER, Role.STAFF, Role.AGENT, Role.SUPPLIER)


def _invite_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings()["SECRET_KEY"], salt=INVITE_SALT)


def invite_user(email: str, role: str, name: str = "", agent_id: int | None = None) -> User:
    """A back-office user who sets a password from the link `password_token` gives (the
    caller mails it). No one can sign in as them until they do."""
    if role not in TEAM_ROLES:
        raise AccountError(
            f"Invite staff, agents or suppliers ({', '.join(TEAM_ROLES)}), not {role!r}.",
            field="role",
        )
    if role == Role.AGENT and agent_id is None:
        raise AccountError("An agent user works for an agent company: choose one.", "agent")
    name = (name or "").strip()
    if len(name) > 120:
        raise AccountError("A name has at most 120 characters.", field="name")
    try:
        user = create_user(email, secrets.token_urlsafe(32), role, name=name)
    except AccountError as error:
        raise AccountError(error.message, field="email") from None
    user.agent_id = agent_id if role == Role.AGENT else None
    db.session.flush()
    return user


def password_token(user: User) -> str:
    """A link key that sets `user`'s password once (it names the password it replaces)."""
    return _invite_serializer().dumps([user.id, user.password_hash[-24:]])


def set_password_with(token: str, password: str) -> User:
    """Set the password a link key was made for: once, within INVITE_HOURS."""
    try:
        user_id, fingerprint = _invite_serializer().loads(token, max_age=INVITE_HOURS * 3600)
    except SignatureExpired:
        raise AccountError("This link has expired: ask for a new invitation.", "token") from None
    except (BadSignature, ValueError, TypeError):
        raise AccountError("This link is not valid.", field="token") from None
    user = db.session.get(User, user_id)
    if user is None or user.password_hash[-24:] != fingerprint or not user.is_active:
        raise AccountError("This link was used already.", field="token")
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"The password needs at least {MIN_PASSWORD} characters.", field="password"
        )
    user.password_hash = hash_password(password)
    end_everywhere(user)  # a new password signs out every browser signed in with the old
    return user


def set_active(user: User, active: bool) -> None:
    """Switch a user off (they can no longer sign in or use keys) or on again."""
    user.is_active_account = active
    if not active:
        end_everywhere(user)
    db.session.flush()
