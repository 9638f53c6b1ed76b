"""Which brands a back-office user may see: the one place the back office asks.

Owner and staff see every brand. An agent sees the brands entrusted to its
agent company, nothing else. Suppliers (and agents attached to no company)
have no business in the back office at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort, g
from flask_babel import gettext
from sqlalchemy import select

from models_ import AGENT

from ..accounts import roles_required
from ..accounts.current import current_user
from ..accounts.tables import Role, User
from ..catalog.operations import CatalogError
from ..db import db
from ..fulfilment import registry
from ..fulfilment.tables import AgentCompany, EntrustedBrand

BACK_OFFICE_ROLES = (Role.OWNER, Role.STAFF, Role.AGENT)


class OutOfScope(PermissionError):
    """The user may not use the back office."""


@dataclass(frozen=True)
class Scope:
    brand_ids: frozenset[int] | None  # None: every brand
    agent_id: int | None = None
    agent_code: str | None = None

    @property
    def is_agent(self) -> bool:
        return self.agent_id is not None

    def allows(self, brand_id: int) -> bool:
        return self.brand_ids is None or brand_id in self.brand_ids

    def restrict(self, statement, brand_column):
        """`statement` limited to rows whose `brand_column` is one of the visible brands."""
        if self.brand_ids is None:
            return statement
        return statement.where(brand_column.in_(sorted(self.brand_ids)))

    def check_model_choice(self, code: str, settings: dict | None) -> None:
        """An agent may hand its brands' orders to its own company, not to another agent:
        whichever model (a plug-in's too) says an agent company operates its lines."""
        models = registry()
        if not self.is_agent or code not in models:
            return  # an unknown model is refused when the product is saved
        operator = models.get(code).operator(settings or {})
        if operator.kind == AGENT and operator.code and operator.code != self.agent_code:
            raise CatalogError(
                gettext(
                    "Orders of your brands can only go to your own agent company (%(code)s).",
                    code=self.agent_code,
                ),
                field=".".join(filter(None, ("selling_model_settings", operator.setting))),
            )


def brand_scope(user: User) -> Scope:
    """The brands `user` may see; raises OutOfScope for anyone without back-office rights."""
    if user.role in (Role.OWNER, Role.STAFF):
        return Scope(None)
    if user.role == Role.AGENT and user.agent_id is not None:
        agent_code = db.session.scalar(
            select(AgentCompany.code).where(AgentCompany.id == user.agent_id)
        )
        brand_ids = db.session.scalars(
            select(EntrustedBrand.brand_id).where(EntrustedBrand.agent_id == user.agent_id)
        ).all()
        return Scope(frozenset(brand_ids), user.agent_id, agent_code)
    raise OutOfScope(user.role)


def current_scope() -> Scope:
    """The signed-in user's scope, once per request; 403 for a user without one."""
    if "brand_scope" not in g:
        try:
            g.brand_scope = brand_scope(current_user)
        except OutOfScope:
            abort(403)
    return g.brand_scope


def scoped_view(view):
    """Signed in, a back-office role, and a scope: the door of every back-office page."""

    @wraps(view)
    @roles_required(*BACK_OFFICE_ROLES)
    def wrapper(*args, **kwargs):
        current_scope()
        return view(*args, **kwargs)

    return wrapper
