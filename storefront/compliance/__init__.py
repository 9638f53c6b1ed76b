"""The compliance profile: tax registrations, EORI and export licences (/admin/compliance).

The shop collects a country's tax at checkout (DDP) only under a scheme it is
registered for on that day: `operations.active_registrations`.
"""

from __future__ import annotations

from flask import Blueprint, Flask

from ..accounts.tables import Role

bp = Blueprint("compliance", __name__, url_prefix="/admin/compliance")
# The shop's own legal numbers: not agents', not suppliers'.
COMPLIANCE_ROLES = (Role.OWNER, Role.STAFF)


def init_app(app: Flask) -> None:
    from . import tables, views  # noqa: F401 - the tables for Alembic, the views on bp

    if "compliance" not in app.blueprints:
        app.register_blueprint(bp)
