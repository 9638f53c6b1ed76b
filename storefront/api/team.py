"""The shop's team in the admin API: list, invite (the user gets a mail to choose a
password), rename, switch off. Owner keys only, as the Team page."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext
from sqlalchemy import select

from ..accounts.operations import TEAM_ROLES, AccountError, set_active
from ..accounts.tables import Role, User
from ..admin.users import invite
from ..db import db
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

PAGE_SIZE = 50


def _owner() -> User:
    user = api_user()
    if user.role != Role.OWNER:
        raise ApiError(403, "forbidden", gettext("This key may not use the back-office API."))
    return user


def _user_json(user: User) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "active": user.is_active,
    }


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role not in TEAM_ROLES:
        raise ApiError(404, "not_found", f"There is no team member {user_id}.", "id")
    return user


def _text(body: dict, name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


@bp.get("/admin/users")
@operation(
    "The team (staff, agents' and suppliers' users), by e-mail, 50 to a page",
    tags=["back office"],
    query=[query_param("cursor", "The `next` value of the previous page")],
    response="TeamPage",
    errors=(400, 401, 403),
    security="bearer",
)
def team_list():
    _owner()
    statement = select_team()
    after = _decode_cursor(request.args.get("cursor"))
    if after is not None:
        statement = statement.where(User.id > after)
    users = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
    more = len(users) > PAGE_SIZE
    users = users[:PAGE_SIZE]
    return jsonify(
        items=[_user_json(u) for u in users],
        next=_encode_cursor(users[-1].id) if more else None,
    )


def select_team():
    return select(User).where(User.role.in_(TEAM_ROLES)).order_by(User.id)


@bp.post("/admin/users")
@operation(
    "Invite a team member: mailed a link to choose a password (agent: `agent` company code; "
    "supplier user: `supplier` code)",
    tags=["back office"],
    body="TeamInvite",
    response="TeamMember",
    errors=(400, 401, 403),
    security="bearer",
    status=201,
)
def team_invite():
    owner = _owner()
    body = json_object()
    try:
        user = invite(
            _text(body, "email"),
            _text(body, "role"),
            _text(body, "name"),
            agent=_text(body, "agent"),
            supplier=_text(body, "supplier"),
            invited_by=owner.name or owner.email,
        )
    except AccountError as error:
        raise ApiError(400, error.code, error.message, error.field) from None
    db.session.commit()
    return jsonify(_user_json(user)), 201


@bp.patch("/admin/users/<int:user_id>")
@operation(
    "Rename a team member",
    tags=["back office"],
    body="TeamMember",
    response="TeamMember",
    errors=(400, 401, 403, 404),
    security="bearer",
)
def team_edit(user_id: int):
    _owner()
    user = _member(user_id)
    name = _text(json_object(), "name").strip()
    if len(name) > 120:
        raise ApiError(400, "invalid_name", "A name has at most 120 characters.", "name")
    user.name = name
    db.session.commit()
    return jsonify(_user_json(user))


@bp.post("/admin/users/<int:user_id>/archive")
@operation(
    "Switch a team member off: no sign-in, no API key works",
    tags=["back office"],
    response="TeamMember",
    errors=(401, 403, 404, 409),
    security="bearer",
)
def team_archive(user_id: int):
    owner = _owner()
    user = _member(user_id)
    if user.id == owner.id:
        raise ApiError(409, "cannot_switch_off_self", "You cannot switch yourself off.")
    set_active(user, False)
    db.session.commit()
    return jsonify(_user_json(user))
