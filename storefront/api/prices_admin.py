"""Channel prices and trade terms in the admin API: a variant's explicit price in a
channel's currency, and its quantity breaks there, through `catalog.trade`; an agent sets
them only for its brands' variants."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import jsonify, request
from sqlalchemy import select

from channels.money import Money

from ..catalog.tables import Product, Variant
from ..catalog.trade import PriceBreak, TradeTermsError, set_channel_price, set_trade_terms
from ..db import db
from ..markets.tables import Channel, ChannelPrice, PriceTier
from .admin import _caller
from .errors import ApiError, json_object
from .spec import operation, query_param
from .views import bp


def _decimal(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApiError(400, "invalid_price", f"{field} must be a decimal string.", field) from None
    if not amount.is_finite():
        raise ApiError(400, "invalid_price", f"{field} must be a decimal string.", field)
    return amount


def _price_json(variant: Variant, channel: Channel) -> dict:
    price = db.session.scalar(
        select(ChannelPrice.amount).where(
            ChannelPrice.variant_id == variant.id, ChannelPrice.channel_id == channel.id
        )
    )
    breaks = db.session.scalars(
        select(PriceTier)
        .where(PriceTier.variant_id == variant.id, PriceTier.channel_id == channel.id)
        .order_by(PriceTier.min_quantity)
    ).all()

    def money(amount: Decimal) -> dict:
        return Money(amount, channel.currency).as_json()

    return {
        "channel": channel.code,
        "sku": variant.sku,
        "price": money(price) if price is not None else None,
        "min_quantity": variant.wholesale_min_quantity,
        "step": variant.wholesale_step,
        "breaks": [{"min_quantity": b.min_quantity, "price": money(b.amount)} for b in breaks],
    }


def _channel(code) -> Channel:
    channel = db.session.scalar(select(Channel).where(Channel.code == code))
    if channel is None:
        raise ApiError(400, "unknown_channel", f"There is no channel {code!r}.", "channel")
    return channel


@bp.get("/admin/channel-prices")
@operation(
    "A channel's explicit prices and quantity breaks (`sku` for one variant)",
    tags=["back office"],
    query=[
        query_param("channel", "A channel's code", required=True),
        query_param("sku", "One variant"),
    ],
    response="ChannelPriceList",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_channel_prices():
    _user, scope = _caller()
    channel = _channel(request.args.get("channel"))
    statement = (
        select(Variant)
        .join(Product, Product.id == Variant.product_id)
        .join(ChannelPrice, ChannelPrice.variant_id == Variant.id)
        .where(ChannelPrice.channel_id == channel.id)
        .order_by(Variant.sku)
        .limit(500)
    )
    if request.args.get("sku"):
        statement = statement.where(Variant.sku == request.args["sku"])
    variants = db.session.scalars(scope.restrict(statement, Product.brand_id)).all()
    return jsonify(items=[_price_json(v, channel) for v in variants])


@bp.put("/admin/channel-prices")
@operation(
    "Set a variant's price in a channel (null removes it: the channel converts the base "
    "price) and, with `breaks`, its trade minimum, step and quantity breaks there",
    tags=["back office"],
    body="ChannelPriceSet",
    response="ChannelPrice",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_set_channel_price():
    _user, scope = _caller()
    body = json_object()
    channel = _channel(body.get("channel"))
    variant = db.session.scalar(select(Variant).where(Variant.sku == body.get("sku")))
    if variant is None or not scope.allows(variant.product.brand_id):
        raise ApiError(400, "unknown_sku", f"There is no SKU {body.get('sku')!r}.", "sku")
    if "price" not in body:
        raise ApiError(400, "invalid_price", "price is a decimal string, or null.", "price")
    raw = body["price"]
    try:
        set_channel_price(variant, channel, None if raw is None else _decimal(raw, "price"))
        if "breaks" in body:
            if not isinstance(body["breaks"], list):
                raise ApiError(400, "invalid_breaks", "breaks must be a list.", "breaks")
            breaks = [
                PriceBreak(
                    item.get("min_quantity") if isinstance(item, dict) else None,
                    _decimal(item.get("price") if isinstance(item, dict) else None,
                             f"breaks[{i}].price"),
                )
                for i, item in enumerate(body["breaks"])
            ]  # fmt: skip
            set_trade_terms(
                variant,
                min_quantity=body.get("min_quantity", variant.wholesale_min_quantity),
                step=body.get("step", variant.wholesale_step),
                breaks=breaks,
                channel=channel,
            )
    except TradeTermsError as error:
        raise ApiError(400, error.code, error.message, error.field) from None
    db.session.commit()
    return jsonify(_price_json(variant, channel))
