"""Store API v1: carts, checkout and orders for headless buyers (shared API.md)."""

from __future__ import annotations

import hmac

from flask import jsonify, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.money import Money
from i18n import current_locale

from .. import markets
from ..cart import groups as grouping
from ..cart import operations as carts
from ..cart.address import DeliveryError, check_delivery
from ..cart.tables import Cart
from ..catalog.queries import local_names
from ..checkout import operations as checkouts
from ..checkout.client import client_key
from ..customers import access as buyer_access
from ..db import db, iso_utc
from ..markets.pricing import Pricer
from ..orders import links as order_links
from ..orders import operations as orders
from ..orders import summary
from ..orders.states import OrderStatus
from ..orders.tables import Order, OrderGroup
from ..payments import stripe_gateway
from .errors import ApiError, json_object
from .pages import accepted_terms_version
from .return_summary import order_returns_json
from .shipping import shipment_json
from .spec import operation
from .views import bp


def _token() -> str:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip()
    return request.args.get("token", "")


def _authorised(token_hash: str) -> bool:
    token = _token()
    return bool(token) and hmac.compare_digest(carts.hash_token(token), token_hash)


def _cart(cart_id: str, *, with_media: bool = False) -> Cart:
    cart = carts.load_cart(cart_id, with_media=with_media)
    # The same answer for a missing cart and a wrong token: ids are not to be probed.
    if cart is None or not _authorised(cart.token_hash):
        raise ApiError(404, "cart_not_found", gettext("There is no such cart."), "id")
    return cart


def _changed(cart: Cart, change, status: int = 200):
    """Apply a cart service and commit; a CartError is answered 400 by answer_refusal."""
    change()
    db.session.commit()
    return jsonify(cart_json(cart)), status


def cart_json(cart: Cart) -> dict:
    view = summary.checkout_view(cart)
    priced, groups = view.priced, view.groups
    group_of = {pl.line.id: g.key for g in groups for pl in g.lines}
    names = local_names({pl.line.variant.product for pl in priced.lines}, current_locale())
    return {
        "id": cart.id,
        "channel": cart.channel.code,
        "currency": priced.currency,
        "country": cart.country,
        "lines": [
            {
                "id": pl.line.id,
                "sku": pl.line.variant.sku,
                "name": names[pl.line.variant.product_id],
                "quantity": pl.line.quantity,
                "unit_price": pl.unit_price.as_json(),
                "quoted_unit_price": pl.quoted.as_json(),
                "total": pl.total.as_json(),
                "group": group_of.get(pl.line.id),
            }
            for pl in priced.lines
        ],
        "groups": [
            {
                "id": g.key,
                "selling_model": g.selling_model,
                "shipper": g.shipper,
                "ship_from": g.ship_from,
                "eta": g.eta.as_json(),
                "goods_value": g.goods_value.as_json(),
                "shipping": g.shipping.as_json(),
                "shipping_method": _option_json(g.shipping_method),
                "shipping_options": [_option_json(o) for o in g.shipping_options],
                "import": g.landed.as_json(),
            }
            for g in groups
        ],
        "totals": {k: v.as_json() for k, v in view.totals.items()},
        "prices_include_tax": view.tax_included,
        "address": cart.address,
        "email": cart.email,
        "phone": cart.phone,
        "problems": view.problems,
    }


def _option_json(option) -> dict | None:
    if option is None:
        return None
    return {"id": option.method_id, "name": option.name, "price": option.price.as_json()}


@bp.put("/carts/<cart_id>/address")
@operation(
    "Set the delivery address (checked for the cart's country), e-mail and phone",
    tags=["buyers"],
    body="Delivery",
    response="Cart",
    errors=(400, 404),
    security="bearer",
)
def set_address(cart_id: str):
    cart = _cart(cart_id)
    body = json_object()
    address = body.get("address")
    if isinstance(address, dict) and address.get("country_code", cart.country) != cart.country:
        raise ApiError(
            400,
            "country_mismatch",
            gettext(
                "This cart delivers to %(country)s; start a cart for another country.",
                country=cart.country,
            ),
            "address.country_code",
        )
    try:
        delivery = check_delivery(cart.country, address, body.get("email"), body.get("phone"))
    except DeliveryError as error:
        field, message = next(iter(error.errors.items()))
        return jsonify(
            error={
                "code": "invalid_delivery_details",
                "message": message,
                "field": field,
                "details": error.errors,
            }
        ), 400
    cart.address, cart.email, cart.phone = (
        delivery["address"],
        delivery["email"],
        delivery["phone"],
    )
    db.session.commit()
    return jsonify(cart_json(cart))


@bp.put("/carts/<cart_id>/shipping")
@operation(
    "Choose the shipping method of one shipment (group) among its shipping_options",
    tags=["buyers"],
    body="ShippingChoice",
    response="Cart",
    errors=(400, 404),
    security="bearer",
)
def choose_shipping(cart_id: str):
    cart = _cart(cart_id)
    body = json_object()
    group = body.get("group")
    if not isinstance(group, str):
        raise ApiError(
            400, "invalid_group", gettext("group must be a shipment id such as g1."), "group"
        )
    priced = carts.price_cart(cart, Pricer(cart.channel))
    return _changed(cart, lambda: grouping.choose_shipping(priced, group, body.get("method")))


@bp.post("/carts")
@operation(
    "Start a cart in a channel, for a destination country",
    tags=["buyers"],
    body="NewCart",
    response="CartCreated",
    status=201,
)
def create_cart():
    body = json_object()
    code = body.get("channel")
    try:
        channel = markets.channel_by_code(code) if isinstance(code, str) else None
    except markets.UnknownChannel:
        channel = None
    if channel is None:
        raise ApiError(
            400, "unknown_channel", gettext("There is no channel %(code)s.", code=code), "channel"
        )
    country = body.get("country")
    if country is not None and not isinstance(country, str):
        raise ApiError(400, "invalid_country", gettext("country must be an ISO code."), "country")
    cart, token = carts.new_cart(channel, country)
    db.session.commit()
    return jsonify({**cart_json(cart), "token": token}), 201


@bp.get("/carts/<cart_id>")
@operation(
    "The cart, priced, split into fulfilment groups",
    tags=["buyers"],
    response="Cart",
    errors=(404,),
    security="bearer",
)
def get_cart(cart_id: str):
    return jsonify(cart_json(_cart(cart_id)))


@bp.post("/carts/<cart_id>/lines")
@operation(
    "Add a variant",
    tags=["buyers"],
    body="NewLine",
    response="Cart",
    errors=(400, 404),
    security="bearer",
    status=201,
)
def add_line(cart_id: str):
    cart = _cart(cart_id)
    body = json_object()
    sku = body.get("sku")
    if not isinstance(sku, str):
        raise ApiError(400, "invalid_sku", gettext("sku must be text."), "sku")
    pricer = Pricer(cart.channel)
    return _changed(cart, lambda: carts.add_line(cart, sku, body.get("quantity", 1), pricer), 201)


@bp.patch("/carts/<cart_id>/lines/<line_id>")
@operation(
    "Change a line's quantity",
    tags=["buyers"],
    body="LineChange",
    response="Cart",
    errors=(400, 404),
    security="bearer",
)
def change_line(cart_id: str, line_id: str):
    cart = _cart(cart_id)
    quantity = json_object().get("quantity")
    return _changed(cart, lambda: carts.change_line(cart, line_id, quantity))


@bp.delete("/carts/<cart_id>/lines/<line_id>")
@operation("Remove a line", tags=["buyers"], response="Cart", errors=(400, 404), security="bearer")
def remove_line(cart_id: str, line_id: str):
    cart = _cart(cart_id)
    return _changed(cart, lambda: carts.remove_line(cart, line_id))


def order_json(order: Order) -> dict:
    return {
        "id": order.number,
        "status": order.status,
        "currency": order.currency,
        "country": order.country,
        "terms_version": order.terms_version,
        "groups": [
            {
                "id": g.id,
                "selling_model": g.selling_model,
                "shipper": g.shipper,
                "ship_from": g.ship_from,
                "status": g.status,
                "eta": {"min_days": g.eta_min_days, "max_days": g.eta_max_days},
                "shipping_method": g.shown_shipping_method,
                "shipping": Money(g.shipping_amount, order.currency).rounded().as_json(),
                "delivered_at": iso_utc(g.delivered_at),
                "shipments": [shipment_json(s) for s in g.shipments],
                "lines": [
                    {
                        "sku": ln.sku,
                        "name": ln.shown_name,
                        "quantity": ln.quantity,
                        "unit_price": Money(ln.unit_amount, ln.currency).as_json(),
                    }
                    for ln in g.lines
                ],
            }
            for g in order.groups
        ],
        "totals": {k: v.as_json() for k, v in summary.order_totals(order).items()},
        "prices_include_tax": summary.order_tax_included(order),
        "returns": order_returns_json(order),
    }


def _payment(order: Order, key: str) -> dict | None:
    """The card payment for the order (API.md), started once per idempotency key."""
    if order.status != OrderStatus.PENDING_PAYMENT:
        return None
    try:
        # the whole total, or the part its payment terms make due now (a deposit)
        payment = checkouts.first_payment(order, key)
    except stripe_gateway.NotConfigured:
        return None  # no STRIPE_SECRET_KEY: the shop takes no card payments
    except stripe_gateway.GatewayError:
        raise ApiError(
            502,
            "payment_unavailable",
            gettext("The card payment could not be started; try again with the same key."),
        ) from None
    db.session.commit()
    return payment


@bp.post("/carts/<cart_id>/checkout")
@operation(
    "Place the order (201); the same idempotency key returns the same order (200)",
    tags=["buyers"],
    body="Checkout",
    response="CheckoutResult",
    errors=(400, 404, 409),
    security="bearer",
    status=(201, 200),
)
def checkout(cart_id: str):
    cart = _cart(cart_id)
    body = json_object()
    key = body.get("idempotency_key")
    if not isinstance(key, str) or not key.strip():
        raise ApiError(
            400,
            "invalid_idempotency_key",
            gettext("idempotency_key must be text."),
            "idempotency_key",
        )
    try:
        placed = checkouts.check_out(
            cart, key, client_key=client_key(), terms_version=accepted_terms_version(body)
        )
    except checkouts.KeyOfAnotherCheckout as refused:
        raise ApiError(
            409, "idempotency_key_reused", refused.problems[0]["message"], "idempotency_key"
        ) from None
    except orders.CheckoutRefused as refused:
        db.session.rollback()
        first = refused.problems[0]
        return jsonify(
            error={"code": first["code"], "message": first["message"]}, problems=refused.problems
        ), 409
    # The order is kept before Stripe is asked, so a retry with the same key finds it.
    db.session.commit()
    order = _reloaded(placed.order)
    answer = {
        "order_id": order.number,
        # The token is shown once; a repeat answers with the order but no new secret.
        "order_token": placed.token,
        "order": order_json(order),
        "payment": _payment(order, key),
    }
    return jsonify(answer), (200 if placed.repeated else 201)


def _reloaded(order: Order) -> Order:
    """The order after the commit, with its groups' lines and shipments in three SELECTs,
    not two per group as order_json would read them one by one."""
    return db.session.scalars(
        select(Order)
        .where(Order.id == order.id)
        .options(
            selectinload(Order.groups).selectinload(OrderGroup.lines),
            selectinload(Order.groups).selectinload(OrderGroup.shipments),
        )
    ).one()


@bp.get("/orders/<number>")
@operation(
    "An order with its groups, their status and lines",
    tags=["buyers"],
    response="Order",
    errors=(404,),
    security="bearer",
)
def get_order(number: str):
    return jsonify(order_json(buyers_order(number)))


def buyers_order(number: str, *, lock: bool = False) -> Order:
    """The order its buyer opens: with the order token, the signed link's key, or signed in
    as its customer; 404 otherwise (as for a missing one). `lock` holds its row."""
    query = select(Order).where(Order.number == number)
    order = db.session.scalar(query.with_for_update() if lock else query)
    opened = order is not None and (
        _authorised(order.token_hash)
        or order_links.opens(order, request.args.get("key", ""))
        or buyer_access.may_open(order)
    )
    if not opened:
        raise ApiError(404, "order_not_found", gettext("There is no such order."), "id")
    return order
