"""The delivery country chosen on the checkout's address form.

A country of another channel moves the cart there (every line quoted again in that
channel's currency) and is remembered as the header's choice is; the buyer is told what
changed and what in the cart cannot go there.
"""

from __future__ import annotations

from flask import flash, redirect
from flask_babel import gettext

from i18n import country_name

from ..cart import operations as carts
from ..cart.groups import fulfilment_groups
from ..cart.tables import Cart
from ..db import db
from ..markets import channel_serving, header_choices, remember_market
from ..markets.pricing import Pricer
from ..mount import url_for


def country_choices() -> list[tuple[str, str, str]]:
    """Every country the shop delivers to: (code, name, the currency it implies)."""
    choices = header_choices()
    return [(code, name, choices["currency_of"][code]) for code, name in choices["countries"]]


def change_country(cart: Cart, country: str):
    """Move the cart to `country` and reload the form in that country's format; a country
    no channel delivers to is refused with the reason (a message, nothing saved)."""
    channel = channel_serving(country)
    if channel is None:
        flash(
            gettext("Sorry, we do not deliver to %(country)s yet.", country=country_name(country)),
            "error",
        )
        return redirect(url_for("checkout.details"), 303)
    carts.switch_channel(cart, channel, country, Pricer(channel))
    cart.address = None  # an address is written in its country's format
    db.session.commit()
    problems = _cannot_go(cart)
    if problems:
        flash(
            gettext(
                "Some items in your cart cannot be delivered to %(country)s: %(problems)s",
                country=country_name(country),
                problems=" ".join(problems),
            ),
            "error",
        )
    else:
        flash(
            gettext(
                "Delivering to %(country)s: prices are now in %(currency)s.",
                country=country_name(country),
                currency=channel.currency,
            ),
            "success",
        )
    response = redirect(url_for("checkout.details"), 303)
    remember_market(response, channel, country)
    return response


def _cannot_go(cart: Cart) -> list[str]:
    """Why the cart's contents cannot reach its new country (items not sold in the new
    channel, items the country refuses), in the buyer's language."""
    priced = carts.price_cart(cart, Pricer(cart.channel))
    messages = [p["message"] for p in priced.problems if p["code"] != "price_changed"]
    for group in fulfilment_groups(priced):
        messages += [p["message"] for p in group.problems]
    return messages
