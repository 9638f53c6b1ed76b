"""Buyer accounts: registering, their orders, saved addresses, ordering again.
Services flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.operations import MIN_PASSWORD, AccountError, authenticate, create_user
from ..accounts.tables import BUYER_ROLES, Role, User
from ..cart import operations as carts
from ..cart.address import DeliveryError, check_address, check_email, check_phone
from ..cart.tables import Cart
from ..db import db
from ..errors import InputError
from ..markets.pricing import Pricer
from ..orders.tables import Order
from ..request_checks import whole_number
from .tables import SavedAddress

MAX_NAME = 120
MAX_ADDRESSES = 20


class RegistrationError(InputError):
    """The form's fields that do not pass, as {field: translated message}."""

    code = "invalid_registration"

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


def is_buyer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in BUYER_ROLES


def register(name: str, email: str, password: str, password_again: str) -> User:
    """A new retail buyer's account. A taken e-mail is refused without saying whose it is."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        errors["name"] = gettext("Please enter your name.")
    try:
        email = check_email(email)
    except DeliveryError as error:
        errors["email"] = error.errors["email"]
    if len(password or "") < MIN_PASSWORD:
        errors["password"] = gettext(
            "The password needs at least %(count)s characters.", count=MIN_PASSWORD
        )
    elif password != password_again:
        errors["password_again"] = gettext("The two passwords are not the same.")
    if not errors and db.session.scalar(
        select(User.id).where(func.lower(User.email) == email.lower())
    ):
        errors["email"] = _taken()
    if errors:
        raise RegistrationError(errors)
    try:
        with db.session.begin_nested():
            return create_user(email, password, Role.CUSTOMER, name)
    except (AccountError, IntegrityError):  # registered meanwhile
        raise RegistrationError({"email": _taken()}) from None


def _taken() -> str:
    return gettext("This e-mail cannot be used for a new account. If it is yours, sign in.")


def sign_in(email: str, password: str) -> User | None:
    """The buyer with this e-mail and password; None for anyone else (staff included)."""
    user = authenticate(email or "", password or "")
    return user if user is not None and user.role in BUYER_ROLES else None


# orders ------------------------------------------------------------------------------------


def orders_of(user: User) -> list[Order]:
    """The buyer's orders, newest first."""
    return list(
        db.session.scalars(
            select(Order)
            .where(Order.customer_id == user.id)
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
    )


def owns(user, order: Order) -> bool:
    """Whether the signed-in buyer placed (or claimed) the order."""
    return is_buyer(user) and order.customer_id is not None and order.customer_id == user.id


def claim(user: User, order: Order) -> None:
    """A guest order becomes the buyer's once they proved its mailbox; another buyer's
    order stays theirs."""
    if is_buyer(user) and order.customer_id is None:
        db.session.execute(
            update(Order)
            .where(Order.id == order.id, Order.customer_id.is_(None))
            .values(customer_id=user.id)
        )
        db.session.refresh(order)


@dataclass(frozen=True)
class OrderedAgain:
    added: int
    unavailable: list[str]  # the names of the lines no longer for sale


def order_again(order: Order, cart: Cart) -> OrderedAgain:
    """Add the order's lines to the cart at today's prices. Lines no longer for sale are
    named and skipped; any other refusal (a full cart, too many) adds nothing at all."""
    pricer = Pricer(cart.channel)
    unavailable: list[str] = []
    added = 0
    for line in order.lines:
        try:
            carts.add_line(cart, line.sku, line.quantity, pricer)
        except carts.CartError as error:
            # These two refuse before the cart is touched; any other refusal reaches the
            # view, which rolls the whole request back.
            if error.code not in ("unknown_sku", "not_for_sale"):
                raise
            unavailable.append(line.name)
        else:
            added += 1
    return OrderedAgain(added, unavailable)


# saved addresses ---------------------------------------------------------------------------


def addresses_of(user: User) -> list[SavedAddress]:
    return list(
        db.session.scalars(
            select(SavedAddress)
            .where(SavedAddress.user_id == user.id)
            .order_by(SavedAddress.is_default.desc(), SavedAddress.id)
        )
    )


def address_of(user: User, address_id) -> SavedAddress | None:
    """The buyer's own address; None for a missing one and for another buyer's."""
    number = whole_number(address_id)
    if number is None:
        return None
    address = db.session.get(SavedAddress, number)
    return address if address is not None and address.user_id == user.id else None


def save_address(
    user: User,
    country: str,
    fields: dict,
    phone: str,
    *,
    make_default: bool,
    address: SavedAddress | None = None,
) -> SavedAddress:
    """Check the address and phone for `country` as the checkout does; add or edit it."""
    errors: dict[str, str] = {}
    country = (country or "").upper()
    cleaned: dict = {}
    try:
        cleaned = check_address(country, fields)
    except DeliveryError as error:
        errors.update(error.errors)
    try:
        phone = check_phone(country, phone)
    except DeliveryError as error:
        errors.update(error.errors)
    if address is None and len(addresses_of(user)) >= MAX_ADDRESSES:
        errors["address"] = gettext(
            "You can keep up to %(count)s addresses. Delete one first.", count=MAX_ADDRESSES
        )
    if errors:
        raise DeliveryError(errors)
    if address is None:
        address = SavedAddress(user_id=user.id)
        db.session.add(address)
    address.country, address.address, address.phone = country, cleaned, phone
    others = [a for a in addresses_of(user) if a is not address]
    if make_default or not any(a.is_default for a in others):
        for other in others:
            other.is_default = False
        address.is_default = True
    db.session.flush()
    return address


def delete_address(user: User, address: SavedAddress) -> None:
    was_default = address.is_default
    db.session.delete(address)
    db.session.flush()
    rest = addresses_of(user)
    if was_default and rest:
        rest[0].is_default = True
        db.session.flush()


def address_for(user, country: str) -> SavedAddress | None:
    """The saved address to prefill a delivery to `country`: the default one when it is
    in that country, else the first there."""
    if not is_buyer(user):
        return None
    return next((a for a in addresses_of(user) if a.country == country), None)
