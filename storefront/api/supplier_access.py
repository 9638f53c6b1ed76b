"""A supplier's webhook endpoints and its users' API keys in the admin API: list, add (the
secret or key in the 201 answer only), switch an endpoint off and on, remove one nothing was
sent to, revoke a key. Staff keys only; the rules are `webhooks.access`'s, as on the
back-office page (`admin.supplier_access`)."""

from __future__ import annotations

from flask import jsonify

from ..accounts.tables import ApiKey
from ..db import db, iso_utc
from ..fulfilment import partners
from ..fulfilment.tables import Supplier
from ..webhooks import access, operations
from ..webhooks.tables import SupplierEndpoint
from .errors import ApiError, json_object
from .records import staff_only
from .spec import operation
from .views import bp

_ENDPOINTS = "/admin/suppliers/<code>/endpoints"
_KEYS = "/admin/suppliers/<code>/api-keys"
_DESCRIBED = {"tags": ["back office"], "security": "bearer"}


def _supplier(code: str) -> Supplier:
    staff_only()
    supplier = partners.by_code(Supplier, code)
    if supplier is None:
        raise ApiError(404, "not_found", f"There is no supplier {code}.", "code")
    return supplier


def _endpoint(supplier: Supplier, endpoint_id: int) -> SupplierEndpoint:
    endpoint = access.endpoint_of(supplier, endpoint_id)
    if endpoint is None:
        raise ApiError(404, "not_found", f"{supplier.code} has no endpoint {endpoint_id}.", "id")
    return endpoint


def _endpoint_json(endpoint: SupplierEndpoint) -> dict:
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "events": endpoint.event_types,
        "active": endpoint.is_active,
        "disabled_reason": endpoint.disabled_reason,
        "created_at": iso_utc(endpoint.created_at),
    }


def _key_json(key: ApiKey) -> dict:
    return {
        "prefix": key.prefix,
        "email": key.user.email,
        "created_at": iso_utc(key.created_at),
        "revoked_at": iso_utc(key.revoked_at),
    }


def _events(body: dict) -> list[str]:
    events = body.get("events")
    if not isinstance(events, list) or not all(isinstance(e, str) for e in events):
        raise ApiError(400, "invalid_events", "events is a list of event types.", "events")
    return events


@bp.get(_ENDPOINTS)
@operation("A supplier's webhook endpoints", response="SupplierEndpointList",
           errors=(401, 403, 404), **_DESCRIBED)  # fmt: skip
def supplier_endpoints(code: str):
    supplier = _supplier(code)
    return jsonify(items=[_endpoint_json(e) for e in operations.endpoints_of(supplier.code)])


@bp.post(_ENDPOINTS)
@operation("Add a webhook endpoint: its signing secret is in this answer only",
           body="SupplierEndpointCreate", response="SupplierEndpointCreated",
           errors=(400, 401, 403, 404), status=201, **_DESCRIBED)  # fmt: skip
def supplier_endpoint_add(code: str):
    supplier = _supplier(code)
    body = json_object()
    url = body.get("url")
    if not isinstance(url, str):
        raise ApiError(400, "invalid_url", "url must be text.", "url")
    endpoint, secret = access.add_endpoint(
        supplier, url, _events(body), access.local_http_allowed()
    )
    db.session.commit()
    return jsonify(_endpoint_json(endpoint) | {"secret": secret}), 201


@bp.patch(f"{_ENDPOINTS}/<int:id>")
@operation("Switch a webhook endpoint off or on (`active`; off parks what is on its way), "
           "or change its `events`", body="SupplierEndpointEdit", response="SupplierEndpoint",
           errors=(400, 401, 403, 404), **_DESCRIBED)  # fmt: skip
def supplier_endpoint_edit(code: str, id: int):
    endpoint = _endpoint(_supplier(code), id)
    body = json_object()
    if "events" in body:
        access.set_endpoint_events(endpoint, _events(body))
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise ApiError(400, "invalid_active", "active is true or false.", "active")
        access.set_endpoint_active(endpoint, body["active"])
    db.session.commit()
    return jsonify(_endpoint_json(endpoint))


@bp.delete(f"{_ENDPOINTS}/<int:id>")
@operation("Remove a webhook endpoint nothing was sent to (else 409: switch it off)",
           errors=(401, 403, 404, 409), status=204, **_DESCRIBED)  # fmt: skip
def supplier_endpoint_remove(code: str, id: int):
    access.remove_endpoint(_endpoint(_supplier(code), id))
    db.session.commit()
    return "", 204


@bp.get(_KEYS)
@operation("The API keys of a supplier's users, live and revoked (never the keys themselves)",
           response="SupplierApiKeyList", errors=(401, 403, 404), **_DESCRIBED)  # fmt: skip
def supplier_keys(code: str):
    supplier = _supplier(code)
    return jsonify(items=[_key_json(k) for k in access.supplier_keys(supplier)])


@bp.post(_KEYS)
@operation("Issue an API key for a supplier user (`email`): the key is in this answer only",
           body="SupplierApiKeyIssue", response="SupplierApiKeyIssued",
           errors=(400, 401, 403, 404), status=201, **_DESCRIBED)  # fmt: skip
def supplier_key_issue(code: str):
    supplier = _supplier(code)
    email = json_object().get("email")
    if not isinstance(email, str):
        raise ApiError(400, "invalid_email", "email must be text.", "email")
    key, raw = access.issue_key(supplier, email)
    db.session.commit()
    return jsonify(_key_json(key) | {"key": raw}), 201


@bp.post(f"{_KEYS}/<prefix>/revoke")
@operation("Revoke a supplier's API key: it stops working at once",
           response="SupplierApiKey", errors=(401, 403, 404), **_DESCRIBED)  # fmt: skip
def supplier_key_revoke(code: str, prefix: str):
    key = access.revoke_key(_supplier(code), prefix)
    db.session.commit()
    return jsonify(_key_json(key))
