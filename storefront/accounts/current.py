"""Who is signed in to the shop: its own login, or a host's user mapped by `user_loader`."""

from __future__ import annotations

from functools import wraps

from flask import current_app, g
from flask_login import AnonymousUserMixin, logout_user
from flask_login import current_user as _signed_in
from werkzeug.local import LocalProxy

from . import sessions


def _shop_user():
    loader = current_app.extensions["storefront"].user_loader
    if loader is None:  # the shop's own accounts
        return _signed_in._get_current_object()
    if "storefront_user" not in g:
        user = loader(_signed_in._get_current_object())
        if user is not None and not sessions.follows_host(user):
            # revoked in the shop (sign out everywhere, new password, switched off): the
            # host's sign-in in this session ends too; a copy of the old cookie keeps the old
            # version, so it stays refused, and a new host sign-in here starts afresh
            logout_user()
            sessions.forget()
            user = None
        g.storefront_user = user or AnonymousUserMixin()
    return g.storefront_user


current_user = LocalProxy(_shop_user)


def login_required(view):
    """Sign-in first: the shop's sign-in page, or the host's when the host signs users in."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapper
