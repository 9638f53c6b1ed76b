"""A supplier's webhook endpoints and its users' API keys, on one back-office page: add an
endpoint (its secret shown in that answer only), switch it off and on, remove it while nothing
was sent to it; issue a key for a supplier user (shown in that answer only), revoke one.
Staff only. The rules are `webhooks.access`'s, as in the admin API; the CLI
(`flask webhooks add-endpoint`, `supplier-key`) remains. Deliveries, dead letters and secret
rotation stay on the webhook desk (`webhooks.views`)."""

from __future__ import annotations

from flask import abort, flash, redirect, request

from ..accounts import STAFF_ROLES, roles_required
from ..db import db
from ..fulfilment import partners
from ..fulfilment.tables import Supplier
from ..mount import render_template, url_for
from ..webhooks import access, operations
from ..webhooks.operations import WebhookError
from . import bp


def _supplier(code: str) -> Supplier:
    supplier = partners.by_code(Supplier, code)
    if supplier is None:
        abort(404)
    return supplier


def _page(
    supplier: Supplier,
    status: int = 200,
    *,
    error: WebhookError | None = None,
    form: dict | None = None,
    new_secret: tuple[int, str] | None = None,
    new_key: tuple[str, str] | None = None,
):
    """The page; a new secret or key is given only by the request that made it."""
    return render_template(
        "admin/supplier_access.html",
        supplier=supplier,
        endpoints=operations.endpoints_of(supplier.code),
        users=access.supplier_users(supplier),
        keys=access.supplier_keys(supplier),
        event_types=access.EVENT_TYPES,
        error=error,
        form=form or {},
        new_secret=new_secret,
        new_key=new_key,
    ), status


def _refused(code: str, error: WebhookError):
    db.session.rollback()
    form = request.form.to_dict() | {"events": request.form.getlist("events")}
    return _page(_supplier(code), 404 if error.status == 404 else 422, error=error, form=form)


def _endpoint(supplier: Supplier, endpoint_id: int):
    endpoint = access.endpoint_of(supplier, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/partners/suppliers/<code>/access")
@roles_required(*STAFF_ROLES)
def supplier_access(code: str):
    return _page(_supplier(code))


@bp.post("/partners/suppliers/<code>/endpoints")
@roles_required(*STAFF_ROLES)
def supplier_endpoint_add(code: str):
    supplier = _supplier(code)
    try:
        endpoint, secret = access.add_endpoint(
            supplier,
            request.form.get("url", ""),
            request.form.getlist("events"),
            access.local_http_allowed(),
        )
    except WebhookError as error:
        return _refused(code, error)
    db.session.commit()
    return _page(supplier, new_secret=(endpoint.id, secret))


@bp.post("/partners/suppliers/<code>/endpoints/<int:id>/active")
@roles_required(*STAFF_ROLES)
def supplier_endpoint_active(code: str, id: int):
    """Switch an endpoint on (`active=1`) or off (with a confirming tick)."""
    supplier = _supplier(code)
    endpoint = _endpoint(supplier, id)
    switch_on = request.form.get("active") == "1"
    if not switch_on and request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: the endpoint is still on.", "error")
    else:
        access.set_endpoint_active(endpoint, switch_on)
        db.session.commit()
        flash(f"{endpoint.url} is {'on' if switch_on else 'off'}.", "success")
    return redirect(url_for("admin.supplier_access", code=code), 303)


@bp.post("/partners/suppliers/<code>/endpoints/<int:id>/remove")
@roles_required(*STAFF_ROLES)
def supplier_endpoint_remove(code: str, id: int):
    supplier = _supplier(code)
    endpoint = _endpoint(supplier, id)
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: nothing was removed.", "error")
        return redirect(url_for("admin.supplier_access", code=code), 303)
    url = endpoint.url
    try:
        access.remove_endpoint(endpoint)
    except WebhookError as error:
        return _refused(code, error)
    db.session.commit()
    flash(f"{url} removed.", "success")
    return redirect(url_for("admin.supplier_access", code=code), 303)


@bp.post("/partners/suppliers/<code>/api-keys")
@roles_required(*STAFF_ROLES)
def supplier_key_issue(code: str):
    supplier = _supplier(code)
    try:
        key, raw = access.issue_key(supplier, request.form.get("email", ""))
    except WebhookError as error:
        return _refused(code, error)
    email = key.user.email
    db.session.commit()
    return _page(supplier, new_key=(email, raw))


@bp.post("/partners/suppliers/<code>/api-keys/<prefix>/revoke")
@roles_required(*STAFF_ROLES)
def supplier_key_revoke(code: str, prefix: str):
    supplier = _supplier(code)
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: the key still works.", "error")
        return redirect(url_for("admin.supplier_access", code=code), 303)
    try:
        access.revoke_key(supplier, prefix)
    except WebhookError as error:
        return _refused(code, error)
    db.session.commit()
    flash(f"Key {prefix} revoked: it no longer works.", "success")
    return redirect(url_for("admin.supplier_access", code=code), 303)
