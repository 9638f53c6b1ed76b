"""The buyer's cart pages; the cart itself lives in the database (see operations)."""

from __future__ import annotations

from flask import Blueprint, after_this_request, flash, redirect, request, session
from flask_babel import gettext
from sqlalchemy import func, select

from i18n import current_locale

from ..accounts.current import current_user
from ..accounts.tables import Role
from ..catalog.queries import localized_text
from ..db import db
from ..errors import flash_refusal
from ..markets import current_channel, current_country
from ..markets.pricing import Pricer
from ..markets.tables import Channel
from ..mount import ShopSetup, render_template, url_for
from ..redirects import safe_next
from ..request_checks import whole_number
from ..web import token_or_same_origin
from . import operations
from .address_lines import address_lines
from .groups import choose_shipping, fulfilment_groups, tax_included
from .operations import CartError
from .tables import Cart, CartLine
from .totals import checkout_totals

bp = Blueprint("cart", __name__, url_prefix="/cart")
SESSION_KEY = "cart_id"


def session_cart(*, with_media: bool = False) -> Cart | None:
    """The visitor's cart, moved to the channel they now shop in if they switched: saved
    by a POST, only shown so by a GET."""
    cart_id = session.get(SESSION_KEY)
    cart = (
        operations.load_cart(cart_id, with_media=with_media) if isinstance(cart_id, str) else None
    )
    if cart is None:
        return None
    channel = current_channel()
    if channel is not None and (cart.channel_id != channel.id or cart.country != current_country()):
        if request.method in ("GET", "HEAD"):
            _shown_in_market(cart, channel, current_country())
        else:
            operations.switch_channel(cart, channel, current_country(), Pricer(channel))
            db.session.commit()
    return cart


def _shown_in_market(cart: Cart, channel: Channel, country: str) -> None:
    """A page shows the cart in the visitor's new market without saving the move (a GET
    writes nothing); the next change to the cart, a POST, saves it."""
    db.session.autoflush = False  # the moved cart must not reach the database from a query
    operations.move_to_market(cart, channel, country, Pricer(channel))

    @after_this_request
    def forget_the_move(response):
        db.session.rollback()
        db.session.autoflush = True
        return response


def _cart_for_adding() -> Cart:
    cart = session_cart()
    if cart is None:
        channel = current_channel()
        if channel is None:
            raise CartError(gettext("The shop is not open for orders yet."), "no_channel")
        cart, _token = operations.new_cart(
            channel,
            current_country(),
            wholesale=_trade_buyer(),
            company_id=getattr(current_user, "company_id", None) if _trade_buyer() else None,
        )
        session[SESSION_KEY] = cart.id
    return cart


def _trade_buyer() -> bool:
    """A signed-in wholesale customer shops at trade prices."""
    return current_user.is_authenticated and current_user.role == Role.WHOLESALE


def item_count() -> int:
    cart_id = session.get(SESSION_KEY)
    if not isinstance(cart_id, str):
        return 0
    return db.session.scalar(
        select(func.coalesce(func.sum(CartLine.quantity), 0)).where(CartLine.cart_id == cart_id)
    )


def _back(default: str) -> str:
    return safe_next(request.form.get("next"), default)


@bp.get("")
def view():
    cart = session_cart(with_media=True)
    priced = operations.price_cart(cart, Pricer(cart.channel)) if cart else None
    names = {
        pl.line.id: localized_text(pl.line.variant.product, current_locale())[0]
        for pl in (priced.lines if priced else [])
    }
    groups = fulfilment_groups(priced) if priced and priced.lines else []
    return render_template(
        "cart/cart.html",
        priced=priced,
        names=names,
        groups=groups,
        totals=checkout_totals(priced, groups) if groups else None,
        tax_included=tax_included(priced.cart.channel) if priced else False,
    )


@bp.post("/add")
@token_or_same_origin  # its form is on the product page, cached without a token
def add():
    sku = (request.form.get("sku") or "").strip()
    try:
        cart = _cart_for_adding()
        line = operations.add_line(
            cart, sku, request.form.get("quantity", "1"), Pricer(cart.channel)
        )
    except CartError as error:
        flash_refusal(error)
        return redirect(_back(url_for("cart.view")), 303)
    db.session.commit()
    flash(gettext("Added to your cart."), "success")
    return redirect(_back(url_for("catalog.product", slug=line.variant.product.slug)), 303)


def _change(action) -> None:
    cart = session_cart()
    try:
        if cart is None:
            raise CartError(gettext("That item is no longer in your cart."), "unknown_line")
        action(cart)
    except CartError as error:
        flash_refusal(error)
    else:
        db.session.commit()


@bp.post("/change")
def change():
    _change(
        lambda cart: operations.change_line(
            cart, request.form.get("line"), request.form.get("quantity", "")
        )
    )
    return redirect(url_for("cart.view"), 303)


@bp.post("/remove")
def remove():
    def remove_and_say(cart):
        operations.remove_line(cart, request.form.get("line"))
        flash(gettext("Removed from your cart."), "success")

    _change(remove_and_say)
    return redirect(url_for("cart.view"), 303)


@bp.post("/accept-prices")
def accept_prices():
    _change(lambda cart: operations.accept_current_prices(cart, Pricer(cart.channel)))
    return redirect(url_for("cart.view"), 303)


@bp.post("/shipping")
def shipping():
    """The buyer picks how one shipment travels; back to the page they came from."""
    raw = request.form.get("method", "")

    def choose(cart):
        method = whole_number(raw)
        choose_shipping(
            operations.price_cart(cart, Pricer(cart.channel)),
            request.form.get("shipper", ""),
            method,
        )

    _change(choose)
    return redirect(_back(url_for("cart.view")), 303)


def init_app(app: ShopSetup) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["cart_count"] = item_count
    app.jinja_env.globals["address_lines"] = address_lines
