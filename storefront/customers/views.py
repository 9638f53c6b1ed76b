"""The buyer's own pages: register, sign in and out, "My account" (orders, saved
addresses, order again), and finding a guest order by number, e-mail and a mailed code."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, request, session
from flask_babel import gettext
from flask_login import login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired

from channels.money import Money

from ..accounts import sessions, sign_out_here
from ..accounts.current import current_user
from ..accounts.tables import Role
from ..accounts.throttle import login_throttle, too_many_tries
from ..cart import SESSION_KEY, session_cart
from ..cart import operations as carts
from ..cart.address import FIELDS, DeliveryError, regions
from ..cart.operations import CartError
from ..db import db
from ..errors import flash_refusal
from ..markets import current_channel, current_country, header_choices
from ..mount import render_template, state, url_for
from ..orders import summary
from ..orders.tables import Order
from ..redirects import safe_next
from . import access, codes
from . import operations as customers
from .mail import send_order_code

bp = Blueprint("customers", __name__)
FINDING_KEY = "finding_order"  # [number, e-mail] the code page asks a code for
ADDRESS_FIELDS = ("name", "company_name", "street_address", "city", "postal_code", "country_area")


def buyer_required(view):
    """A signed-in buyer; anyone else is sent to the buyers' sign-in first."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not customers.is_buyer(current_user):
            if current_user.is_authenticated:
                abort(403)
            return redirect(url_for("customers.sign_in", next=request.full_path.rstrip("?")), 303)
        return view(*args, **kwargs)

    return wrapper


def _own_sign_in_only():
    """A host that signs its users in itself keeps its own sign-in page."""
    if state().user_loader is not None:
        return current_app.login_manager.unauthorized()
    return None


def _signed_in(user) -> None:
    """Sign in on a fresh session: the old one's sign-in and CSRF token are dropped, the
    cart and the orders it opens stay (a trade buyer's cart is priced anew)."""
    kept = {k: v for k, v in session.items() if not k.startswith("_") and k != "csrf_token"}
    cart = session_cart()
    if cart is not None and cart.wholesale != (user.role == Role.WHOLESALE):
        kept.pop(SESSION_KEY, None)
    session.clear()
    session.update(kept)
    login_user(user)
    sessions.begin(user)


class SignInForm(FlaskForm):
    email = EmailField(validators=[DataRequired()])
    password = PasswordField(validators=[DataRequired()])


class RegisterForm(FlaskForm):
    name = StringField()
    email = EmailField()
    password = PasswordField()
    password_again = PasswordField()


@bp.route("/account/sign-in", methods=["GET", "POST"])
def sign_in():
    elsewhere = _own_sign_in_only()
    if elsewhere is not None:
        return elsewhere
    form = SignInForm()
    if form.validate_on_submit():
        throttle = login_throttle()
        wait = throttle.wait(form.email.data, request.remote_addr)
        if wait:
            flash(too_many_tries(wait), "error")
            page = render_template("customers/sign_in.html", form=form)
            return page, 429, {"Retry-After": str(wait)}
        user = customers.sign_in(form.email.data, form.password.data)
        if user is None:
            throttle.failed(form.email.data, request.remote_addr)
        else:
            throttle.succeeded(form.email.data)
            _signed_in(user)
            return redirect(safe_next(request.args.get("next"), url_for("customers.account")), 303)
        flash(gettext("Wrong e-mail or password."), "error")
    elif request.method == "POST":
        flash(gettext("Wrong e-mail or password."), "error")
    return render_template("customers/sign_in.html", form=form), (
        400 if request.method == "POST" else 200
    )


@bp.route("/account/register", methods=["GET", "POST"])
def register():
    elsewhere = _own_sign_in_only()
    if elsewhere is not None:
        return elsewhere
    form = RegisterForm()
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        try:
            user = customers.register(
                form.name.data, form.email.data, form.password.data, form.password_again.data
            )
        except customers.RegistrationError as refused:
            db.session.rollback()
            errors = refused.errors
        else:
            db.session.commit()
            _signed_in(user)
            flash(gettext("Welcome! Your account is ready."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("customers.account")), 303)
    elif request.method == "POST":
        errors = {"csrf_token": gettext("The form expired. Please try again.")}
    return render_template("customers/register.html", form=form, errors=errors), (
        400 if errors else 200
    )


@bp.post("/account/sign-out")
def sign_out():
    if current_user.is_authenticated and state().user_loader is None:
        sign_out_here(current_user._get_current_object())  # the cart and checkout too
    else:
        logout_user()
    session.clear()  # the next visitor on this browser starts afresh
    return redirect(url_for("catalog.home"), 303)


@bp.get("/account")
@buyer_required
def account():
    orders = customers.orders_of(current_user)
    return render_template(
        "customers/account.html",
        orders=orders,
        totals={o.id: Money(o.total_amount, o.currency) for o in orders},
        status_label=summary.status_label,
        addresses=customers.addresses_of(current_user),
    )


def _own_order(number: str) -> Order:
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None or not customers.owns(current_user, order):
        abort(404)
    return order


@bp.post("/account/orders/<number>/again")
@buyer_required
def order_again(number: str):
    order = _own_order(number)
    try:
        cart = session_cart()
        if cart is None:
            channel = current_channel()
            if channel is None:
                raise CartError(gettext("The shop is not open for orders yet."), "no_channel")
            cart, _token = carts.new_cart(
                channel, current_country(), wholesale=current_user.role == Role.WHOLESALE
            )
            session[SESSION_KEY] = cart.id
        again = customers.order_again(order, cart)
    except CartError as refused:
        flash_refusal(refused)
        return redirect(url_for("customers.account"), 303)
    db.session.commit()
    if again.unavailable:
        flash(
            gettext(
                "No longer available, so not added: %(items)s.",
                items=", ".join(again.unavailable),
            ),
            "error",
        )
    if again.added:
        flash(gettext("The items of order %(number)s are in your cart.", number=number), "success")
    return redirect(url_for("cart.view"), 303)


# saved addresses ---------------------------------------------------------------------------


def _address_page(address, values: dict, errors: dict, country: str):
    choices, required = regions(country)
    return render_template(
        "customers/address.html",
        address=address,
        values=values,
        errors=errors,
        country=country,
        countries=header_choices()["countries"],
        regions=choices,
        region_required=required,
    ), (400 if errors else 200)


def _save_address(address):
    country = (request.form.get("country") or "").upper()
    values = {f: request.form.get(f, "") for f in (*ADDRESS_FIELDS, "phone")}
    known = {code for code, _name in header_choices()["countries"]}
    if country not in known:
        return _address_page(address, values, {"country": gettext("Choose a country.")}, country)
    try:
        customers.save_address(
            current_user,
            country,
            {f: values[f] for f in ADDRESS_FIELDS},
            values["phone"],
            make_default=bool(request.form.get("is_default")),
            address=address,
        )
    except DeliveryError as refused:
        db.session.rollback()
        return _address_page(address, values, refused.errors, country)
    db.session.commit()
    flash(gettext("Address saved."), "success")
    return redirect(url_for("customers.account"), 303)


@bp.route("/account/addresses/new", methods=["GET", "POST"])
@buyer_required
def new_address():
    if request.method == "POST":
        return _save_address(None)
    country = (request.args.get("country") or current_country() or "").upper()
    values = {f: "" for f in (*ADDRESS_FIELDS, "phone")}
    values["name"] = current_user.name
    return _address_page(None, values, {}, country)


def _own_address(address_id: str):
    address = customers.address_of(current_user, address_id)
    if address is None:
        abort(404)
    return address


@bp.route("/account/addresses/<address_id>", methods=["GET", "POST"])
@buyer_required
def edit_address(address_id: str):
    address = _own_address(address_id)
    if request.method == "POST":
        return _save_address(address)
    values = {f: address.address.get(f, "") for f in FIELDS if f in ADDRESS_FIELDS}
    values["phone"] = address.phone
    return _address_page(address, values, {}, address.country)


@bp.post("/account/addresses/<address_id>/delete")
@buyer_required
def delete_address(address_id: str):
    customers.delete_address(current_user, _own_address(address_id))
    db.session.commit()
    flash(gettext("Address deleted."), "success")
    return redirect(url_for("customers.account"), 303)


# finding a guest order ---------------------------------------------------------------------


@bp.route("/orders/find", methods=["GET", "POST"])
def find_order():
    if request.method == "GET":
        return render_template("customers/find.html", values={})
    number = (request.form.get("number") or "").strip().upper()
    email = (request.form.get("email") or "").strip()
    if not number or not email:
        flash(gettext("Give the order number and the e-mail you ordered with."), "error")
        return render_template(
            "customers/find.html", values={"number": number, "email": email}
        ), 400
    order = codes.find_order(number, email)
    if order is not None:
        code = codes.issue_code(order)
        if code is not None:
            send_order_code(order, code)
        db.session.commit()
    session[FINDING_KEY] = [number, email.lower()]
    # The same answer whether or not the order exists, so orders cannot be probed.
    flash(gettext("If the order exists, we sent a code to its e-mail address."), "success")
    return redirect(url_for("customers.enter_code"), 303)


@bp.route("/orders/find/code", methods=["GET", "POST"])
def enter_code():
    finding = session.get(FINDING_KEY)
    if not finding:
        return redirect(url_for("customers.find_order"), 303)
    number, email = finding
    if request.method == "GET":
        return render_template(
            "customers/find_code.html", number=number, minutes=codes.VALID_MINUTES
        )
    order = codes.find_order(number, email)
    opened = order is not None and codes.check_code(order, request.form.get("code", ""))
    db.session.commit()  # a wrong try counts
    if not opened:
        flash(
            gettext(
                "This code is not right or no longer valid. Check the mail, or ask for a new code."
            ),
            "error",
        )
        return render_template(
            "customers/find_code.html", number=number, minutes=codes.VALID_MINUTES
        ), 400
    customers.claim(current_user, order)
    db.session.commit()
    access.grant_found(order)
    session.pop(FINDING_KEY, None)
    return redirect(url_for("order_pages.order", number=order.number), 303)
