"""Back-office endpoints of Store API v1: staff and agents, with a bearer API key.

Every route goes through `_caller()`, which finds the key's user and their brand
scope (admin.scope): a product or order outside it is answered as not found.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext

from channels.money import Money

from ..accounts.tables import User
from ..admin.orders import (
    ORDER_STATUSES,
    OrderView,
    checked_status,
    line_total,
    order_view,
    visible_orders,
)
from ..admin.scope import OutOfScope, Scope, brand_scope
from ..catalog.operations import CatalogError, set_texts, switch_selling_model, update_product
from ..catalog.queries import product_by_slug
from ..catalog.tables import Product
from ..db import db, iso_utc
from ..orders.tables import Order
from .auth import api_user
from .errors import ApiError
from .product_fields import product_changes, product_json
from .product_texts import texts_from_body, texts_json
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

ORDERS_PAGE_SIZE = 50
# API.md names the field selling_model_config; the tables call it settings. Both are read.
SETTINGS_FIELDS = ("selling_model_config", "selling_model_settings")


def _caller() -> tuple[User, Scope]:
    user = api_user()
    try:
        return user, brand_scope(user)
    except OutOfScope:
        raise ApiError(
            403, "forbidden", gettext("This key may not use the back-office API.")
        ) from None


def _switch_request(body: dict) -> tuple[str, dict, str]:
    """The selling model, its settings and the name they came under, from the JSON body."""
    code = body.get("selling_model")
    if not isinstance(code, str) or not code:
        raise ApiError(
            400,
            "invalid_selling_model",
            gettext("selling_model must be the code of a selling model."),
            "selling_model",
        )
    names = [name for name in SETTINGS_FIELDS if name in body]
    given = [body[name] for name in names]
    if len(given) == 2 and given[0] != given[1]:
        raise ApiError(
            400,
            "conflicting_settings",
            gettext("Send selling_model_config or selling_model_settings, not both."),
            "selling_model_config",
        )
    name = names[0] if names else SETTINGS_FIELDS[0]
    settings = given[0] if given and given[0] is not None else {}
    if not isinstance(settings, dict):
        raise ApiError(
            400,
            "invalid_selling_model_settings",
            gettext("The selling model's settings must be an object."),
            name,
        )
    return code, settings, name


def caller_product(slug: str):
    """(user, scope, product) for a product the key's user may work on; a product missing
    and one out of the user's brands answer the same 404."""
    user, scope = _caller()
    product = product_by_slug(slug, published_only=False)
    if product is None or not scope.allows(product.brand_id):
        raise ApiError(
            404, "product_not_found", gettext("There is no product %(slug)s.", slug=slug), "slug"
        )
    return user, scope, product


@bp.patch("/admin/products/<slug>")
@operation(
    "Edit a product (the fields given, checked as the CSV import checks them), its texts in "
    "the locales given, and switch its selling model (new orders use it; placed orders keep "
    "theirs)",
    tags=["back office"],
    body="ProductChange",
    response="AdminProduct",
    errors=(400, 401, 403, 404),
    security="bearer",
)
def admin_switch_selling_model(slug: str):
    user, scope, product = caller_product(slug)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", gettext("The request body must be a JSON object."))
    changes = product_changes(product, body)
    if changes is not None:
        update_product(product, changes)  # its refusals answer 400 with their field
        if not scope.allows(product.brand_id):
            raise ApiError(403, "forbidden", "This key may not move products to that brand.")
    texts = texts_from_body(body)
    if texts is not None:
        try:
            set_texts(product, texts)
        except CatalogError as error:
            db.session.rollback()
            raise ApiError(400, "invalid_texts", error.message, error.field) from None
    if (changes is not None or texts is not None) and "selling_model" not in body:
        db.session.commit()
        return jsonify(_product_json(product))
    code, settings, settings_name = _switch_request(body)
    try:
        scope.check_model_choice(code, settings)
        switch_selling_model(product, code, settings, user.id)
    except CatalogError as error:
        db.session.rollback()
        field = error.field or ""
        if field == "selling_model":
            raise ApiError(400, "unknown_selling_model", error.message, field) from None
        # point at the settings under the name the client sent them
        field = settings_name + field.removeprefix("selling_model_settings")
        raise ApiError(400, "invalid_selling_model_settings", error.message, field) from None
    db.session.commit()
    return jsonify(_product_json(product))


def _product_json(product: Product) -> dict:
    settings = dict(product.selling_model_settings or {})
    return {
        **product_json(product),
        "slug": product.slug,
        "selling_model": product.selling_model,
        "selling_model_settings": settings,
        "selling_model_config": settings,
        "texts": texts_json(product),
    }


def order_json(view: OrderView) -> dict:
    order = view.order
    return {
        "number": order.number,
        "created_at": iso_utc(order.created_at),
        "country": order.country,
        "currency": order.currency,
        "status": order.status,
        "total": view.total.as_json(),
        "groups": [
            {
                "id": g.group.id,
                "selling_model": g.group.selling_model,
                "shipper": g.group.shipper,
                "ship_from": g.group.ship_from,
                "status": g.group.status,
                "eta": {"min_days": g.group.eta_min_days, "max_days": g.group.eta_max_days},
                "lines": [
                    {
                        "sku": line.sku,
                        "name": line.name,
                        "quantity": line.quantity,
                        "unit_price": Money(line.unit_amount, line.currency).as_json(),
                        "total": line_total(line).as_json(),
                    }
                    for line in g.lines
                ],
            }
            for g in view.groups
        ],
    }


@bp.get("/admin/orders")
@operation(
    "Orders visible to the caller, newest first (an agent sees only its brands' lines)",
    tags=["back office"],
    query=[
        query_param(
            "status",
            "Order status",
            schema={"type": "string", "enum": [status.value for status in ORDER_STATUSES]},
        ),
        query_param("cursor", "The `next` value of the previous page"),
    ],
    response="AdminOrderPage",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_orders():
    _user, scope = _caller()
    try:
        status = checked_status(request.args.get("status"))
    except ValueError:
        raise ApiError(
            400,
            "unknown_status",
            gettext("Unknown status %(status)s.", status=request.args["status"]),
            "status",
        ) from None
    statement = visible_orders(scope, status)
    after = _decode_cursor(request.args.get("cursor"))
    if after is not None:
        statement = statement.where(Order.id < after)
    orders = db.session.scalars(statement.limit(ORDERS_PAGE_SIZE + 1)).all()
    more = len(orders) > ORDERS_PAGE_SIZE
    orders = orders[:ORDERS_PAGE_SIZE]
    return jsonify(
        items=[order_json(order_view(order, scope)) for order in orders],
        next=_encode_cursor(orders[-1].id) if more else None,
    )
