"""Creating and checking back-office users."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from ..db import db
from ..errors import InputError
from .passwords import hash_password, verify_password
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


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        return None
    return user
