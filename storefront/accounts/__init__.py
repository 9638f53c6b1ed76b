"""Staff, agents and suppliers: login, roles and the `flask users` commands."""

from __future__ import annotations

from functools import wraps

import click
from flask import Blueprint, abort, flash, redirect, request, session
from flask.cli import AppGroup
from flask_babel import gettext
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import func, select

from .. import audit
from ..db import db
from ..mount import ShopSetup, render_template, state, url_for
from ..redirects import safe_next
from . import sessions
from .api_keys import issue_api_key
from .current import current_user, login_required
from .operations import AccountError, authenticate, create_user
from .tables import BUYER_ROLES, Role, User
from .throttle import init_throttle, login_throttle, too_many_tries

login_manager = LoginManager()
login_manager.login_view = "storefront.accounts.login"
bp = Blueprint("accounts", __name__)

BACK_OFFICE_ROLES = frozenset({Role.OWNER, Role.STAFF, Role.AGENT})
# Back-office pages only the shop itself uses (not agents' or suppliers').
STAFF_ROLES = (Role.OWNER, Role.STAFF)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    # signed in before a sign-out elsewhere, a new password or "sign out everywhere": no more
    return user if user is not None and sessions.is_current(user) else None


def roles_required(*roles: str):
    """Login first, then a 403 for a role not in `roles`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


@bp.route("/login", methods=["GET", "POST"])
def login():
    from flask_wtf import FlaskForm
    from wtforms import EmailField, PasswordField
    from wtforms.validators import DataRequired

    class LoginForm(FlaskForm):
        email = EmailField(gettext("E-mail"), validators=[DataRequired()])
        password = PasswordField(gettext("Password"), validators=[DataRequired()])

    form = LoginForm()
    if form.validate_on_submit():
        throttle = login_throttle()
        wait = throttle.wait(form.email.data, request.remote_addr)
        if wait:
            flash(too_many_tries(wait), "error")
            page = render_template("accounts/login.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.failed(form.email.data, request.remote_addr)
        else:
            throttle.succeeded(form.email.data)
        if user is not None and user.role in BUYER_ROLES:
            # Buyers (retail and trade) have the shop's own sign-in; the back office is not theirs.
            flash(
                "This sign-in is for the back office. Buyers sign in on the shop's sign-in page.",
                "error",
            )
            return render_template(
                "accounts/login.html", form=form, buyer_sign_in=url_for("customers.sign_in")
            )
        if user is not None:
            sign_in_afresh(user)
            if user.role == Role.SUPPLIER:  # suppliers work in their portal
                return redirect(url_for("supplier_portal.portal"))
            return redirect(safe_next(request.args.get("next"), url_for("admin.products")))
        flash(gettext("Wrong e-mail or password."), "error")
    return render_template("accounts/login.html", form=form)


@bp.route("/set-password", methods=["GET", "POST"])
def set_password():
    """Where an invitation's link leads: the new user chooses a password, once."""
    from .operations import set_password_with

    token = request.values.get("token", "")
    error = None
    if request.method == "POST":
        password = request.form.get("password", "")
        if password != request.form.get("again", ""):
            error = AccountError("The two passwords differ.", field="again")
        else:
            try:
                set_password_with(token, password)
            except AccountError as refused:
                db.session.rollback()
                error = refused
            else:
                db.session.commit()
                flash("Your password is set: sign in.", "success")
                return redirect(url_for("accounts.login"), 303)
    return render_template("accounts/set_password.html", token=token, error=error), (
        422 if error else 200
    )


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sign_out_here(current_user._get_current_object())
    return redirect(url_for("catalog.home"))


@bp.post("/logout-everywhere")
@login_required
def logout_everywhere():
    """Every other browser signed in as this user is signed out; this one stays."""
    user = current_user._get_current_object()
    sessions.end_everywhere(user)
    db.session.commit()
    if state().user_loader is None:
        sessions.begin(user)
    else:
        sessions.follows_host(user)
    flash("Signed out in every other browser.", "success")
    return redirect(safe_next(request.form.get("next"), url_for("admin.products")), 303)


def sign_in_afresh(user: User) -> None:
    """Sign in on an empty session: nothing a visitor left in this browser, nor a session
    id an attacker planted, carries over into the signed-in one."""
    session.clear()
    login_user(user)
    sessions.begin(user)


def sign_out_here(user: User) -> None:
    """Sign out and forget the session (cart, checkout details); the session version moves
    on, so a copy of this browser's cookie no longer signs anyone in."""
    sessions.end_everywhere(user)
    db.session.commit()
    logout_user()
    session.clear()


users_cli = AppGroup("users", help="Back-office users.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.STAFF.value)
@click.option("--name", default="")
@click.password_option()
def create_user_command(email: str, role: str, name: str, password: str):
    """Create a back-office user."""
    try:
        user = create_user(email, password, role, name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}.")


@users_cli.command("api-key")
@click.option("--email", required=True)
def api_key_command(email: str):
    """Issue an API key for a user; it is shown once and only its hash is kept."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no user with e-mail {email}.")
    key, raw = issue_api_key(user)
    db.session.commit()
    click.echo(f"API key for {user.role} {user.email} (prefix {key.prefix}):")
    click.echo(raw)
    click.echo("Store it now: it cannot be shown again.")


def _signed_in_user() -> User | None:
    """Who acts on a back-office page, for the audit log."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def init_app(app: ShopSetup) -> None:
    from .audited import track_history

    track_history()
    audit.actor_source(app, _signed_in_user)
    init_throttle(app.app, app.config)
    if getattr(app.app, "login_manager", None) is None:  # a host's own login stays in charge
        login_manager.init_app(app.app)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
    # The shop's pages show the shop's user, also where a host's Flask-Login puts its own
    # `current_user` in every template (blueprint values come after the app's).
    app.blueprint.context_processor(lambda: {"current_user": current_user})
