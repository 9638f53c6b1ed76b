"""The audit log in the admin API: a record's history, newest first, 50 to a page.
Staff see every kind of record; an agent only its own brands' products."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from .. import audit
from ..admin.scope import OutOfScope, brand_scope
from ..audit.tables import AuditEntry
from ..catalog.tables import Product
from ..db import db, iso_utc
from .auth import api_user
from .errors import ApiError
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

PAGE_SIZE = 50


def _entry_json(entry: AuditEntry) -> dict:
    return {
        "id": entry.id,
        "at": iso_utc(entry.occurred_at),
        "actor": {"name": entry.actor_name, "email": entry.actor_email},
        "kind": entry.kind,
        "key": entry.key,
        "label": entry.label,
        "action": entry.action,
        "changes": [{k: v for k, v in change.items() if k != "values"} for change in entry.changes],
        "summary": f"{audit.when(entry)} · {audit.who(entry)} · {audit.what(entry)}",
    }


def _check_caller(kind: str, key: str | None) -> None:
    """Staff: any record. An agent: one product of its brands (404 for another's)."""
    try:
        scope = brand_scope(api_user())
    except OutOfScope:
        raise ApiError(403, "forbidden", "This key may not use the back-office API.") from None
    if not scope.is_agent:
        return
    if kind != "product" or not key:
        raise ApiError(403, "forbidden", "An agent's key reads its own products' history.", "kind")
    brand_id = db.session.scalar(select(Product.brand_id).where(Product.slug == key))
    if brand_id is None or not scope.allows(brand_id):
        raise ApiError(404, "not_found", f"There is no product {key}.", "key")


@bp.get("/admin/audit")
@operation(
    "A record's history (who changed what, when), newest first; agents: their products'",
    tags=["back office"],
    query=[
        query_param(
            "kind",
            "The kind of record",
            required=True,
            schema={"type": "string", "enum": ["product", "brand", "category", "warehouse",
                                                "workshop", "agent", "supplier", "channel",
                                                "fx_rate", "shipping_zone", "user",
                                                "legal_page", "company"]},
        ),
        query_param("key", "The record's slug, code (users: id); none: every record of the kind"),
        query_param("cursor", "The `next` value of the previous page"),
    ],
    response="AuditPage",
    errors=(400, 401, 403, 404),
    security="bearer",
)  # fmt: skip
def admin_audit():
    kind = request.args.get("kind", "")
    if kind not in audit.kinds():
        raise ApiError(
            400, "unknown_kind", f"kind must be one of: {', '.join(audit.kinds())}.", "kind"
        )
    key = request.args.get("key") or None
    _check_caller(kind, key)
    statement = audit.entries_of(kind, key)
    before = _decode_cursor(request.args.get("cursor"))
    if before is not None:
        statement = statement.where(AuditEntry.id < before)
    entries = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    return jsonify(
        items=[_entry_json(e) for e in entries],
        next=_encode_cursor(entries[-1].id) if more else None,
    )
