"""The compliance profile: tax registrations, EORI and export licences (/admin/compliance).

The shop collects a country's tax at checkout (DDP) only under a scheme it is
registered for on that day: `operations.active_registrations`.
"""

from __future__ import annotations

from flask import Blueprint

from ..accounts.tables import Role
from ..mount import ShopSetup

bp = Blueprint("compliance", __name__, url_prefix="/admin/compliance")
# The shop's own legal numbers: not agents', not suppliers'.
COMPLIANCE_ROLES = (Role.OWNER, Role.STAFF)


def init_app(app: ShopSetup) -> None:
    from . import tables, views  # noqa: F401 - the tables for Alembic, the views on bp

    app.register_blueprint(bp)
