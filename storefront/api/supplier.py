"""The supplier side of Store API v1: answer an order sent by webhook, post shipments and stock.

A supplier authenticates with `Authorization: Bearer <api key>` of a supplier
user linked to it (SupplierAccount). It sees only groups shipped by itself; any
other group is answered as not found. Each call takes an `Idempotency-Key`: the
first successful answer is stored and a repeat gets it back unchanged; the key on
another call or another body is refused (422).
"""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, jsonify, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..accounts.tables import Role
from ..catalog.tables import Product, Variant
from ..db import db
from ..errors import InputError
from ..fulfilment import registry
from ..fulfilment.tables import Supplier, SupplierCost
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


def _body_hash() -> str:
    """The request body's fingerprint: its JSON written canonically (so key order and spacing
    do not count), else its bytes."""
    body = request.get_json(silent=True)
    if body is None:
        data = request.get_data()
    else:
        data = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(data).hexdigest()


def _replayed(stored: SupplierApiRequest, asked: str, body_hash: str):
    # As Stripe does: a key reused for another call or another body is refused, never
    # answered with the first call's result while the new data is silently dropped.
    if stored.request != asked or stored.body_hash not in (None, body_hash):
        raise ApiError(
            422,
            "idempotency_key_reused",
            gettext("This Idempotency-Key was used for another request."),
        )
    return jsonify(stored.response), stored.status_code


def idempotent(handler):
    """Run `handler(supplier) -> (status, body)` once per Idempotency-Key, and commit."""
    supplier = _caller()
    key = request.headers.get("Idempotency-Key", "").strip()
    asked = f"{request.method} {request.path}"[:200]
    body_hash = _body_hash()
    if len(key) > 100:
        raise ApiError(
            400,
            "invalid_idempotency_key",
            gettext("An Idempotency-Key has at most 100 characters."),
        )
    if key and (stored := _stored(supplier, key)) is not None:
        return _replayed(stored, asked, body_hash)
    status, body = handler(supplier)  # a refusal is rolled back by answer_refusal
    if key:
        db.session.add(
            SupplierApiRequest(
                supplier_id=supplier.id,
                idempotency_key=key,
                request=asked,
                body_hash=body_hash,
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
        return _replayed(stored, asked, body_hash)
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
    body="SupplierStockReport",
    response="SupplierStockLevels",
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

    return idempotent(store)
