"""Checkout pages. The order number and its access (the token handed out when it was
placed, or the cart it was placed from) live in the signed session; anyone else
gets a 404."""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, abort, flash, redirect, request, session
from flask_babel import gettext
from sqlalchemy import delete

from channels.money import Money
from i18n import current_locale

from ..accounts.current import current_user
from ..cart import SESSION_KEY, session_cart
from ..cart.address import DeliveryError, check_delivery, form_fields, regions
from ..cart.tables import CartLine
from ..catalog.queries import localized_text
from ..config import settings
from ..customers import operations as customers
from ..customers.access import visitor_order
from ..db import db
from ..errors import flash_refusal
from ..mount import render_template, url_for
from ..orders import access as order_access
from ..orders import operations as orders
from ..orders import summary
from ..orders.states import OrderStatus
from ..orders.tables import Order
from ..pages import operations as legal_pages
from ..payments import attempts, bank_transfer, element, refunds, stripe_gateway
from ..payments import operations as payments
from ..terms import operations as payment_terms
from . import operations as checkout
from .client import client_key
from .country import change_country, country_choices

log = logging.getLogger(__name__)
bp = Blueprint("checkout", __name__, url_prefix="/checkout")
orders_bp = Blueprint("order_pages", __name__)


def _cart_or_back():
    cart = session_cart()
    if cart is None or not cart.lines:
        flash(gettext("Your cart is empty."), "error")
        return None
    return cart


@bp.route("", methods=["GET", "POST"])
def details():
    cart = _cart_or_back()
    if cart is None:
        return redirect(url_for("cart.view"), 303)
    country = request.form.get("country", "").strip().upper()
    if request.method == "POST" and country and country != cart.country:
        return change_country(cart, country)  # the form again, in that country's format
    saved, phone, email = cart.address or {}, cart.phone or "", cart.email or ""
    if not saved and customers.is_buyer(current_user):  # a buyer's saved address for there
        kept = customers.address_for(current_user, cart.country)
        saved, phone = (kept.address, kept.phone) if kept else ({}, "")
        email = email or current_user.email
    fields = (*form_fields(cart.country), "country_area")  # the country's own form
    values = {f: saved.get(f, "") for f in fields}
    values.update(email=email, phone=phone)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {f: request.form.get(f, "") for f in values}
        address = {f: values[f] for f in fields}
        try:
            delivery = check_delivery(cart.country, address, values["email"], values["phone"])
        except DeliveryError as error:
            errors = {k.removeprefix("address."): v for k, v in error.errors.items()}
        else:
            cart.address = delivery["address"]
            cart.email, cart.phone = delivery["email"], delivery["phone"]
            db.session.commit()
            return redirect(url_for("checkout.review"), 303)
    choices, required = regions(cart.country)
    return render_template(
        "checkout/details.html",
        cart=cart,
        values=values,
        errors=errors,
        regions=choices,
        region_required=required,
        countries=country_choices(),
    ), (400 if errors else 200)


def _review_data(cart) -> dict:
    view = summary.checkout_view(cart)
    names = {
        pl.line.id: localized_text(pl.line.variant.product, current_locale())[0]
        for pl in view.priced.lines
    }
    return {**vars(view), "names": names}


@bp.get("/review")
def review():
    cart = _cart_or_back()
    if cart is None:
        return redirect(url_for("cart.view"), 303)
    if summary.delivery_problems(cart):
        return redirect(url_for("checkout.details"), 303)
    data = _review_data(cart)
    # A new key per page: a double click on Pay places one order, a later visit a new one.
    return render_template(
        "checkout/review.html",
        cart=cart,
        idempotency_key=secrets.token_urlsafe(18),
        terms=legal_pages.current_page("terms", current_locale()),
        **data,
    )


@bp.post("/place")
def place():
    cart = _cart_or_back()
    if cart is None:
        return redirect(url_for("cart.view"), 303)
    try:
        terms_version = legal_pages.accepted_terms(
            request.form.get("accept_terms_version"), current_locale()
        )
    except legal_pages.TermsNotAccepted as refused:
        flash_refusal(refused)
        return redirect(url_for("checkout.review"), 303)
    try:
        customer_id = current_user.id if customers.is_buyer(current_user) else None
        placed = checkout.check_out(
            cart,
            request.form.get("idempotency_key", ""),
            customer_id=customer_id,
            client_key=client_key(customer_id),
            terms_version=terms_version,
        )
    except checkout.KeyOfAnotherCheckout:
        abort(404)
    except checkout.DeliveryDetailsMissing as missing:
        flash_refusal(missing)
        return redirect(url_for("checkout.details"), 303)
    except orders.CheckoutRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            flash(problem["message"], "error")
        return redirect(url_for("checkout.review"), 303)
    db.session.commit()
    if not placed.repeated:
        order_access.grant(placed.order, placed.token)
    if payment_terms.paid_in_parts(placed.order):  # the company's terms: the cart is done
        _cart_done(placed.order)
        db.session.commit()
    return redirect(url_for("checkout.pay", number=placed.order.number), 303)


@bp.get("/pay/<number>")
def pay(number: str):
    order = visitor_order(number)
    if order.status != OrderStatus.PENDING_PAYMENT or bank_transfer.awaits_transfer(order):
        return redirect(url_for("order_pages.order", number=number), 303)
    if payment_terms.paid_in_parts(order):  # the order page asks for the part due now
        return redirect(url_for("order_pages.order", number=number), 303)
    payment, payment_element = None, False
    try:
        payment_element = stripe_gateway.checkout_mode() == stripe_gateway.PAYMENT_ELEMENT
        if payment_element:
            # Stripe's Payment Element is shown with the intent's client secret
            payment = attempts.start_payment(order, order.idempotency_key)
            db.session.commit()
            if payment["status"] in ("succeeded", element.PROCESSING):  # paid already
                return _after_stripe(order, payment["status"])
        else:  # the card token path makes the intent when the buyer pays
            payment = attempts.card_form(order, order.idempotency_key)
    except payments.PaymentError as refused:
        db.session.rollback()
        flash_refusal(refused)
    except stripe_gateway.GatewayError:
        db.session.rollback()
        payment = None
        flash(_cards_unavailable(), "error")
    return render_template(
        "checkout/pay.html",
        order=order,
        payment=payment,
        payment_element=payment_element,
        total=Money(order.total_amount, order.currency),
        bank_transfer=bank_transfer.offers_bank_transfer(order),
        transfer_days=settings()["BANK_TRANSFER_DAYS"],
    )


def _cards_unavailable() -> str:
    return gettext("Card payments are not available right now; try again later.")


@bp.post("/pay/<number>")
def pay_submit(number: str):
    order = visitor_order(number)
    if bank_transfer.awaits_transfer(order):
        flash(gettext("This order is paid by bank transfer: your card was not charged."), "error")
        return redirect(url_for("order_pages.order", number=number), 303)
    if payment_terms.paid_in_parts(order):  # never the whole total: the part due now
        flash(gettext("This order is paid in parts: pay the part due now below."), "error")
        return redirect(url_for("order_pages.order", number=number), 303)
    if order.status == OrderStatus.PENDING_PAYMENT:
        # The PaymentIntent is made when the buyer pays, never by showing the page.
        try:
            attempts.start_payment(order, order.idempotency_key)
        except payments.PaymentError as refused:
            flash_refusal(refused)
            return redirect(url_for("checkout.pay", number=number), 303)
        except stripe_gateway.GatewayError:
            db.session.rollback()
            flash(_cards_unavailable(), "error")
            return redirect(url_for("checkout.pay", number=number), 303)
        db.session.commit()  # the intent is kept before the card is charged
    token = request.form.get("token", "")
    try:
        outcome = attempts.pay_with_card_token(order, order.idempotency_key, token)
    except stripe_gateway.GatewayError:
        db.session.rollback()
        outcome = payments.DECLINED
    if outcome == payments.REQUIRES_ACTION:  # the pay page now asks the bank's confirmation
        db.session.commit()
        return redirect(url_for("checkout.pay", number=number), 303)
    if outcome != payments.PAID:
        _commit_and_give_back()
        flash(gettext("Your card was not charged. Check the card details and try again."), "error")
        return redirect(url_for("checkout.pay", number=number), 303)
    return _paid(order)


@bp.post("/pay/<number>/authenticated")
def authenticated(number: str):
    """Back from the bank's confirmation (3-D Secure) in Stripe.js: ask Stripe how it went."""
    order = visitor_order(number)
    try:
        paid = payments.confirm_from_stripe(order)
    except stripe_gateway.GatewayError:
        db.session.rollback()
        paid = False
    if not paid:
        _commit_and_give_back()
        flash(
            gettext(
                "Your bank did not confirm the payment, so your card was not charged. "
                "Try again or use another card."
            ),
            "error",
        )
        return redirect(url_for("checkout.pay", number=number), 303)
    return _paid(order)


@bp.get("/pay/<number>/return")
def stripe_return(number: str):
    """Back from Stripe.js's `confirmPayment` (the Payment Element's return_url). The query's
    intent id and status are not trusted: Stripe is asked about the order's own intent."""
    order = visitor_order(number)
    try:
        outcome = element.back_from_stripe(order, request.args.get("payment_intent"))
    except stripe_gateway.GatewayError:
        db.session.rollback()
        flash(_cards_unavailable(), "error")
        return redirect(url_for("checkout.pay", number=number), 303)
    if outcome is None:
        abort(404)
    return _outcome(order, outcome)


def _after_stripe(order: Order, status: str):
    """The pay page of an intent Stripe has taken or is taking: no second form."""
    if status == element.PROCESSING:
        return _outcome(order, element.PROCESSING)
    if payments.confirm_from_stripe(order):
        return _outcome(order, payments.PAID)
    _commit_and_give_back()  # taken, but not for this order as it is now (see the log)
    return redirect(url_for("order_pages.order", number=order.number), 303)


def _outcome(order: Order, outcome: str):
    number = order.number
    if outcome == payments.PAID:
        return _paid(order)
    _commit_and_give_back()
    if outcome == element.PROCESSING:
        flash(
            gettext("Your payment is being processed; this order shows it once it has arrived."),
            "success",
        )
        return redirect(url_for("order_pages.order", number=number), 303)
    flash(gettext("Your payment did not go through, so nothing was charged. Try again."), "error")
    return redirect(url_for("checkout.pay", number=number), 303)


def _commit_and_give_back() -> None:
    """Commit; then refund a payment Stripe took for an order cancelled meanwhile."""
    db.session.commit()
    try:
        refunds.give_back_owed()
        db.session.commit()
    except stripe_gateway.GatewayError as error:
        # Stripe's payment_intent.succeeded event asks for it again later
        log.error("refund of a cancelled order's payment failed: %s", error)


def _cart_done(order: Order) -> None:
    """The order's cart has become the order: emptied, and the visitor's next piece goes
    into a new cart (a new visit to the shop, as the conversion figures count it)."""
    db.session.execute(delete(CartLine).where(CartLine.cart_id == order.cart_id))
    if session.get(SESSION_KEY) == order.cart_id:
        session.pop(SESSION_KEY)


def _paid(order: Order):
    _cart_done(order)
    db.session.commit()
    return redirect(url_for("order_pages.order", number=order.number), 303)


@bp.post("/pay/<number>/bank-transfer")
def choose_bank_transfer(number: str):
    """A trade buyer pays by bank transfer: the order page then shows where to send it."""
    order = visitor_order(number)
    try:
        chosen = bank_transfer.choose_bank_transfer(order)
    except payments.PaymentError as refused:
        db.session.rollback()
        if refused.code == "bank_transfer_not_offered":
            abort(400, refused.message)
        flash(refused.message, "error")
        return redirect(url_for("order_pages.order", number=number), 303)
    if chosen:  # a repeat must not empty a cart the buyer has filled again since
        _cart_done(order)
    db.session.commit()
    return redirect(url_for("order_pages.order", number=number), 303)


@orders_bp.get("/orders/<number>")
def order(number: str):
    placed = visitor_order(number)
    transfer = None
    if bank_transfer.awaits_transfer(placed):
        transfer = {
            "details": bank_transfer.bank_details(),
            "due": bank_transfer.transfer_due(placed),
        }
    return render_template(
        "checkout/order.html",
        order=placed,
        transfer=transfer,
        charges={g.id: summary.group_charges(g) for g in placed.groups},
        totals=summary.order_totals(placed),
        tax_included=summary.order_tax_included(placed),
        status_label=summary.status_label,
    )
