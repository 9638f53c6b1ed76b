"""The supplier side of Store API v1: answer an order sent by webhook, post shipments and stock.

A supplier authenticates with `Authorization: Bearer <api key>` of a supplier
user linked to it (SupplierAccount). It sees only groups shipped by itself; any
other group is answered as not found. Each call takes an `Idempotency-Key`: the
first successful answer is stored and a repeat gets it back unchanged.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models_ import SUPPLIER, ShipperRef

from .. import clock
from ..accounts.tables import Role
from ..catalog.tables import Product, Variant
from ..db import db
from ..errors import InputError
from ..fulfilment import registry
from ..fulfilment.tables import Supplier, SupplierCost
from ..orders.states import GroupStatus, InvalidTransition, move_group
from ..orders.tables import OrderGroup, Shipment
from ..webhooks.tables import SupplierAccount, SupplierApiRequest, SupplierStock
from .auth import api_user
from .errors import ApiError, answer_refusal
from .spec import operation

bp = Blueprint("supplier_api", __name__, url_prefix="/api/v1/supplier")
bp.register_error_handler(InputError, answer_refusal)

MAX_STOCK_ITEMS = 1000


# authentication and idempotency -----------------------------------------------------------


def _caller() -> Supplier:
    user = api_user()
    account = db.session.scalar(select(SupplierAccount).where(SupplierAccount.user_id == user.id))
    if user.role != Role.SUPPLIER or account is None or not account.supplier.is_active:
        raise ApiError(403, "forbidden", gettext("This key may not use the supplier API."))
    return account.supplier


def _stored(supplier: Supplier, key: str) -> SupplierApiRequest | None:
    return db.session.scalar(
        select(SupplierApiRequest).where(
            SupplierApiRequest.supplier_id == supplier.id,
            SupplierApiRequest.idempotency_key == key,
        )
    )


def _replayed(stored: SupplierApiRequest, asked: str):
    if stored.request != asked:
        raise ApiError(
            422,
            "idempotency_key_reused",
            gettext("This Idempotency-Key was used for another request."),
        )
    return jsonify(stored.response), stored.status_code


def _idempotent(handler):
    """Run `handler(supplier) -> (status, body)` once per Idempotency-Key, and commit."""
    supplier = _caller()
    key = request.headers.get("Idempotency-Key", "").strip()
    asked = f"{request.method} {request.path}"[:200]
    if len(key) > 100:
        raise ApiError(
            400,
            "invalid_idempotency_key",
            gettext("An Idempotency-Key has at most 100 characters."),
        )
    if key and (stored := _stored(supplier, key)) is not None:
        return _replayed(stored, asked)
    status, body = handler(supplier)  # a refusal is rolled back by answer_refusal
    if key:
        db.session.add(
            SupplierApiRequest(
                supplier_id=supplier.id,
                idempotency_key=key,
                request=asked,
                status_code=status,
                response=body,
            )
        )
    try:
        db.session.commit()
    except IntegrityError:
        # The same key raced in twice: the first one stands, this one is undone.
        db.session.rollback()
        stored = _stored(supplier, key) if key else None
        if stored is None:
            raise
        return _replayed(stored, asked)
    return jsonify(body), status


def _json(kind: type):
    body = request.get_json(silent=True)
    if not isinstance(body, kind):
        if kind is dict:
            message = gettext("The request body must be a JSON object.")
        else:
            message = gettext("The request body must be a JSON list.")
        raise ApiError(400, "invalid_json", message)
    return body


def _text(body: dict, name: str, longest: int, required: bool = True) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > longest:
        raise ApiError(
            400,
            f"invalid_{name}",
            gettext("%(name)s must be text of 1 to %(n)s characters.", name=name, n=longest),
            name,
        )
    return value.strip()


def _group(supplier: Supplier, group_id: int) -> OrderGroup:
    group = db.session.get(OrderGroup, group_id, with_for_update=True)
    if group is None or group.shipper != str(ShipperRef(SUPPLIER, supplier.code)):
        raise ApiError(
            404, "group_not_found", gettext("There is no order group %(id)s.", id=group_id)
        )
    return group


def _move(group: OrderGroup, wanted: GroupStatus, note: str) -> None:
    try:
        move_group(group, wanted, note[:300])
    except InvalidTransition as error:
        raise ApiError(409, "invalid_group_status", str(error)) from None


def _group_body(group: OrderGroup) -> dict:
    return {"id": group.id, "order_number": group.order.number, "status": group.status}


# the routes ---------------------------------------------------------------------------------


@bp.post("/groups/<int:group_id>/accept")
@operation(
    "Accept an order group sent by webhook",
    tags=["suppliers"],
    errors=(401, 403, 404, 409),
    security="bearer",
)
def accept_group(group_id: int):
    def accept(supplier: Supplier):
        group = _group(supplier, group_id)
        _move(group, GroupStatus.READY_TO_SHIP, f"accepted by supplier {supplier.code}")
        return 200, _group_body(group)

    return _idempotent(accept)


@bp.post("/groups/<int:group_id>/reject")
@operation(
    "Reject an order group sent by webhook, with a reason",
    tags=["suppliers"],
    errors=(400, 401, 403, 404, 409),
    security="bearer",
)
def reject_group(group_id: int):
    def reject(supplier: Supplier):
        reason = _text(_json(dict), "reason", 280)
        group = _group(supplier, group_id)
        _move(group, GroupStatus.REJECTED, f"rejected by supplier {supplier.code}: {reason}")
        return 200, {**_group_body(group), "reason": reason}

    return _idempotent(reject)


def _shipment_lines(body: dict, remaining: Counter) -> list[dict]:
    """The lines to ship: as sent, or everything not shipped yet; never more than ordered."""
    lines = body.get("lines")
    if lines is None:
        return [{"sku": sku, "quantity": n} for sku, n in remaining.items() if n > 0]
    if not isinstance(lines, list) or not lines:
        raise ApiError(
            400, "invalid_lines", gettext("lines must be a list of {sku, quantity}."), "lines"
        )
    wanted: Counter = Counter()
    for i, line in enumerate(lines):
        sku = line.get("sku") if isinstance(line, dict) else None
        quantity = line.get("quantity") if isinstance(line, dict) else None
        if not isinstance(sku, str) or sku not in remaining:
            raise ApiError(
                422,
                "unknown_sku",
                gettext("This group has no SKU %(sku)s.", sku=sku),
                f"lines[{i}].sku",
            )
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ApiError(
                400,
                "invalid_quantity",
                gettext("quantity must be a whole number above 0."),
                f"lines[{i}].quantity",
            )
        wanted[sku] += quantity
    for sku, quantity in wanted.items():
        if quantity > remaining[sku]:
            raise ApiError(
                422,
                "more_than_ordered",
                gettext("Only %(n)s of %(sku)s are left to ship.", n=remaining[sku], sku=sku),
                "lines",
            )
    return [{"sku": sku, "quantity": n} for sku, n in wanted.items()]


@bp.post("/groups/<int:group_id>/shipments")
@operation(
    "Post a (partial) shipment of an accepted group",
    tags=["suppliers"],
    errors=(400, 401, 403, 404, 409, 422),
    security="bearer",
)
def post_shipment(group_id: int):
    def ship(supplier: Supplier):
        body = _json(dict)
        carrier = _text(body, "carrier", 60)
        tracking_number = _text(body, "tracking_number", 80)
        tracking_url = _text(body, "tracking_url", 500, required=False)
        if tracking_url and urlsplit(tracking_url).scheme not in ("http", "https"):
            raise ApiError(
                400,
                "invalid_tracking_url",
                gettext("tracking_url must be an http(s) URL."),
                "tracking_url",
            )
        group = _group(supplier, group_id)
        if group.status != GroupStatus.READY_TO_SHIP:
            raise ApiError(
                409,
                "invalid_group_status",
                gettext("Only an accepted group that is not fully shipped takes shipments."),
            )
        remaining: Counter = Counter()
        for line in group.lines:
            remaining[line.sku] += line.quantity
        earlier = db.session.scalars(select(Shipment.lines).where(Shipment.group_id == group.id))
        for lines in earlier:
            remaining.subtract({line["sku"]: line["quantity"] for line in lines})
        lines = _shipment_lines(body, remaining)
        if not lines:
            raise ApiError(409, "nothing_to_ship", gettext("Everything in this group has shipped."))
        shipment = Shipment(
            group_id=group.id,
            carrier_name=carrier,
            tracking_number=tracking_number,
            tracking_url=tracking_url,
            lines=lines,
        )
        db.session.add(shipment)
        remaining.subtract({line["sku"]: line["quantity"] for line in lines})
        if all(n <= 0 for n in remaining.values()):
            _move(group, GroupStatus.SHIPPED, f"{carrier} {tracking_number}")
        db.session.flush()
        return 201, {
            "id": shipment.id,
            "group_id": group.id,
            "carrier": carrier,
            "tracking_number": tracking_number,
            "tracking_url": tracking_url,
            "lines": lines,
            "group_status": group.status,
        }

    return _idempotent(ship)


def _holds(supplier: Supplier, product: Product) -> bool:
    """Whether the product's selling model says this supplier holds its stock."""
    models = registry()
    if product.selling_model not in models:
        return False
    model = models.get(product.selling_model)
    return model.holding_supplier(product.selling_model_settings or {}) == supplier.code


def _supplied_variants(supplier: Supplier, skus: list[str]) -> dict[str, Variant]:
    """The variants among `skus` this supplier supplies: a cost on file, or a product whose
    selling model (a plug-in's too) says the supplier holds it."""
    variants = db.session.scalars(select(Variant).where(Variant.sku.in_(skus))).all()
    costed = set(
        db.session.scalars(
            select(SupplierCost.variant_id).where(
                SupplierCost.supplier_id == supplier.id,
                SupplierCost.variant_id.in_([v.id for v in variants]),
            )
        )
    )
    return {v.sku: v for v in variants if v.id in costed or _holds(supplier, v.product)}


@bp.put("/stock")
@operation(
    "Report stock levels of the supplier's SKUs",
    tags=["suppliers"],
    errors=(400, 401, 403, 422),
    security="bearer",
)
def put_stock():
    def store(supplier: Supplier):
        items = _json(list)
        if not items or len(items) > MAX_STOCK_ITEMS:
            raise ApiError(
                400,
                "invalid_stock",
                gettext("Send 1 to %(n)s items of {sku, quantity}.", n=MAX_STOCK_ITEMS),
            )
        skus = [item.get("sku") if isinstance(item, dict) else None for item in items]
        known = _supplied_variants(supplier, [s for s in skus if isinstance(s, str)])
        levels: dict[int, int] = {}
        for i, item in enumerate(items):
            quantity = item.get("quantity") if isinstance(item, dict) else None
            if skus[i] not in known:
                raise ApiError(
                    422,
                    "unknown_sku",
                    gettext("%(sku)s is not one of your SKUs.", sku=skus[i]),
                    f"[{i}].sku",
                )
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
                raise ApiError(
                    400,
                    "invalid_quantity",
                    gettext("quantity must be a whole number, 0 or more."),
                    f"[{i}].quantity",
                )
            levels[known[skus[i]].id] = quantity
        rows = {
            row.variant_id: row
            for row in db.session.scalars(
                select(SupplierStock).where(
                    SupplierStock.supplier_id == supplier.id,
                    SupplierStock.variant_id.in_(levels),
                )
            )
        }
        for variant_id, quantity in levels.items():
            row = rows.get(variant_id)
            if row is None:
                db.session.add(
                    SupplierStock(supplier_id=supplier.id, variant_id=variant_id, quantity=quantity)
                )
            else:
                row.quantity = quantity
                row.updated_at = clock.now()
        db.session.flush()
        by_id = {v.id: sku for sku, v in known.items()}
        return 200, {"items": [{"sku": by_id[v], "quantity": q} for v, q in levels.items()]}

    return _idempotent(store)
