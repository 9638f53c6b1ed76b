"""The buyer's cart pages."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from i18n import current_locale

from . import session_cart
from .session_cart import CartError

bp = Blueprint("cart", __name__, url_prefix="/cart")


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


@bp.get("")
def view():
    return render_template("cart/cart.html", cart=session_cart.load(current_locale()))


@bp.post("/add")
def add():
    sku = (request.form.get("sku") or "").strip()
    try:
        variant = session_cart.add(sku, request.form.get("quantity", "1"))
    except CartError as error:
        flash(str(error), "error")
        return redirect(_back(url_for("cart.view")), 303)
    flash(gettext("Added to your cart."), "success")
    return redirect(_back(url_for("catalog.product", slug=variant.product.slug)), 303)


@bp.post("/change")
def change():
    try:
        session_cart.change(request.form.get("sku", ""), request.form.get("quantity", ""))
    except CartError as error:
        flash(str(error), "error")
    return redirect(url_for("cart.view"), 303)


@bp.post("/remove")
def remove():
    try:
        session_cart.remove(request.form.get("sku", ""))
        flash(gettext("Removed from your cart."), "success")
    except CartError as error:
        flash(str(error), "error")
    return redirect(url_for("cart.view"), 303)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["cart_count"] = session_cart.item_count
