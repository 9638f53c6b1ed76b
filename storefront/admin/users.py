"""The shop's team: staff, agents' and suppliers' users, invited by e-mail with a link to
choose a password, switched off and on. The owner's page; the admin API does the same
(`api/team.py`) through `invite`."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from sqlalchemy import func, or_, select

from ..accounts import roles_required
from ..accounts.current import current_user
from ..accounts.operations import (
    INVITE_HOURS,
    TEAM_ROLES,
    AccountError,
    invite_user,
    password_token,
    set_active,
)
from ..accounts.tables import Role, User
from ..db import db
from ..fulfilment.tables import AgentCompany, Supplier
from ..mail.operations import absolute_url, send_templated
from ..mount import render_template, url_for
from ..webhooks.operations import WebhookError, grant_supplier_access
from . import bp
from .paging import page_of


def invite(
    email: str,
    role: str,
    name: str = "",
    *,
    agent: str = "",
    supplier: str = "",
    invited_by: str,
) -> User:
    """Make the user and mail them the link to choose a password (flushed, not committed:
    the mail goes out only with the user). An agent user names its agent company's code,
    a supplier user its supplier's."""
    agent_id = None
    if role == Role.AGENT:
        agent_id = db.session.scalar(select(AgentCompany.id).where(AgentCompany.code == agent))
        if agent_id is None:
            raise AccountError(f"There is no agent company {agent!r}.", field="agent")
    user = invite_user(email, role, name, agent_id)
    works_for = agent if role == Role.AGENT else ""
    if role == Role.SUPPLIER:
        try:
            grant_supplier_access(user, supplier)
        except WebhookError:
            raise AccountError(f"There is no supplier {supplier!r}.", field="supplier") from None
        works_for = supplier
    link = absolute_url("accounts.set_password", token=password_token(user))
    send_templated(
        user.email,
        "staff/invite",
        "en",
        reference=user.email,
        invited_by=invited_by,
        role=role,
        works_for=works_for,
        link=link,
        hours=INVITE_HOURS,
        email=user.email,
    )
    return user


def _team_page(status: int = 200, form: dict | None = None, error: AccountError | None = None):
    query = request.args.get("q", "").strip().lower()
    statement = select(User).where(User.role.in_(TEAM_ROLES)).order_by(User.email)
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.name).like(pattern))
        )
    users, page, pages = page_of(statement)
    return render_template(
        "admin/users.html",
        users=users,
        query=query,
        page=page,
        pages=pages,
        roles=TEAM_ROLES,
        agents=db.session.execute(select(AgentCompany.code, AgentCompany.name)).all(),
        suppliers=db.session.execute(select(Supplier.code, Supplier.name)).all(),
        form=form or {},
        error=error,
    ), status


@bp.get("/users")
@roles_required(Role.OWNER)
def users():
    return _team_page()


@bp.post("/users")
@roles_required(Role.OWNER)
def invite_view():
    form = request.form
    try:
        user = invite(
            form.get("email", ""),
            form.get("role", ""),
            form.get("name", ""),
            agent=form.get("agent", ""),
            supplier=form.get("supplier", ""),
            invited_by=current_user.name or current_user.email,
        )
    except AccountError as error:
        db.session.rollback()
        return _team_page(422, form.to_dict(), error)
    db.session.commit()
    flash(f"Invitation sent to {user.email}.", "success")
    return redirect(url_for("admin.users"), 303)


@bp.post("/users/<int:user_id>/active")
@roles_required(Role.OWNER)
def user_active(user_id: int):
    """Switch a user off (with a confirming tick) or on again; never the owner's own."""
    user = db.session.get(User, user_id)
    if user is None or user.role not in TEAM_ROLES:
        abort(404)
    switch_on = request.form.get("active") == "1"
    if user.id == current_user.id:
        flash("You cannot switch yourself off.", "error")
    elif not switch_on and request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: nothing changed.", "error")
    else:
        set_active(user, switch_on)
        db.session.commit()
        flash(f"{user.email} is {'on' if switch_on else 'off'}.", "success")
    return redirect(url_for("admin.users"), 303)
