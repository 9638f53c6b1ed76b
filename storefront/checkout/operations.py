"""Checking out a cart: the one flow behind the web checkout and the API's
`POST /carts/{id}/checkout`. Services flush and never commit.

An idempotency key places one order: a repeat, even one racing the first request,
gets the order the key placed first (without its access token, which is shown once).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from ..cart.operations import price_cart
from ..cart.tables import Cart
from ..companies.tables import Company
from ..db import db
from ..markets.pricing import Pricer
from ..notices import operations as notices
from ..orders import operations as orders
from ..orders.operations import CheckoutRefused
from ..orders.summary import delivery_problems
from ..orders.tables import Order
from ..payments import attempts
from ..terms import cards
from ..terms import operations as payment_terms
from ..terms.codes import PREPAY


class DeliveryDetailsMissing(CheckoutRefused):
    """The cart has no delivery address, e-mail or phone yet."""


class KeyOfAnotherCheckout(CheckoutRefused):
    """The idempotency key already placed an order from another cart."""

    def __init__(self):
        super().__init__(
            [
                {
                    "code": "idempotency_key_reused",
                    "message": gettext("This idempotency key belongs to another checkout."),
                }
            ]
        )


@dataclass(frozen=True)
class Placed:
    order: Order
    token: str | None  # the order's access token; None when the key had placed it before

    @property
    def repeated(self) -> bool:
        return self.token is None


def _order_of_key(cart: Cart, idempotency_key: str) -> Order | None:
    if not idempotency_key:
        return None
    order = orders.find_by_idempotency_key(idempotency_key)
    if order is not None and order.cart_id != cart.id:
        raise KeyOfAnotherCheckout()
    return order


def check_out(
    cart: Cart,
    idempotency_key: str,
    customer_id: int | None = None,
    client_key: str = "",
    terms_version: int | None = None,
) -> Placed:
    """Place the cart's order once per idempotency key, holding its stock; `client_key`
    (`client.client_key`) caps what the client's unpaid orders hold; the order keeps the
    `terms_version` the buyer accepted (`pages.operations.accepted_terms`).

    Raises DeliveryDetailsMissing, KeyOfAnotherCheckout, or CheckoutRefused with what
    stops the order (prices changed, out of stock, blocked destination...).
    """
    first = _order_of_key(cart, idempotency_key)
    if first is not None:
        return Placed(first, None)
    missing = delivery_problems(cart)
    if missing:
        raise DeliveryDetailsMissing(missing)
    priced = price_cart(cart, Pricer(cart.channel))
    try:
        with db.session.begin_nested():
            order, token = orders.place_order(
                priced,
                idempotency_key,
                customer_id=customer_id,
                client_key=client_key,
                terms_version=terms_version,
            )
    except IntegrityError:
        # A request with the same key placed the order meanwhile: its order is the answer.
        first = _order_of_key(cart, idempotency_key)
        if first is None:
            raise
        return Placed(first, None)
    notices.order_placed(order)  # queued with the order: a rolled-back checkout sends none
    company_terms(order)
    return Placed(order, token)


def _company_code(company: Company) -> str:
    if company.payment_terms == "deposit" and company.deposit_percent:
        return f"deposit:{company.deposit_percent}"
    return company.payment_terms or PREPAY


def company_terms(order: Order) -> str | None:
    """A trade order placed for a company gets the company's default payment terms: its
    schedule written (`terms.set_terms`), so the buyer pays the deposit, or nothing now
    under net terms. Prepay changes nothing (the order is paid whole, as any order).
    Returns the code set, None when none was."""
    if not order.wholesale or order.company_id is None:
        return None
    company = db.session.get(Company, order.company_id)
    code = _company_code(company) if company is not None else PREPAY
    if code == PREPAY:
        return None
    order.payment_terms = code
    payment_terms.set_terms(order, code, set_by="company")
    return code


def first_payment(order: Order, attempt_key: str) -> dict | None:
    """The card payment the checkout answer starts: the order's whole total, or, for an
    order paid in parts, the part due now (the deposit; None under net terms or a letter
    of credit, where nothing is paid by card now). PaymentError, GatewayError."""
    if not payment_terms.paid_in_parts(order):
        return attempts.start_payment(order, attempt_key)
    due = payment_terms.payable_now(order)
    if due is None or due.kind not in payment_terms.CARD_PARTS:
        return None
    return cards.start(order, due.kind)
