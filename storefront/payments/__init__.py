"""Card payments through Stripe: the PaymentIntent for an order, refunds, and
`POST /webhooks/stripe`, where Stripe tells the shop what happened."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, request
from sqlalchemy.exc import IntegrityError

from ..db import db
from ..errors import refusal_response
from ..mount import ShopSetup
from ..web import exempt_from_csrf
from . import operations, refunds
from . import stripe_gateway as gateway

log = logging.getLogger(__name__)

bp = Blueprint("payments", __name__)

SETTINGS = {
    "STRIPE_SECRET_KEY": None,
    "STRIPE_PUBLISHABLE_KEY": None,
    "STRIPE_WEBHOOK_SECRET": None,
    "STRIPE_API_BASE": None,  # None: the real Stripe; offline, localstripe on 127.0.0.1
    "STRIPE_JS_URL": "https://js.stripe.com/v3/",
    # "payment_element" or "card_token"; None: payment_element on Stripe's own API,
    # card_token on a stand-in (STRIPE_API_BASE elsewhere, e.g. localstripe)
    "STRIPE_CHECKOUT": None,
}


def _refused(status: int, code: str, message: str):
    return jsonify(error={"code": code, "message": message}), status


@bp.post("/webhooks/stripe")
def stripe_webhook():
    try:
        event = gateway.verify_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except gateway.NotConfigured as error:
        log.error("Stripe event refused: %s", error)
        return _refused(503, "not_configured", str(error))
    except gateway.InvalidEvent as error:
        return refusal_response(error)
    try:
        outcome = operations.handle_event(event)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if not operations.already_processed(event["id"]):
            raise
        # the same event delivered twice at once: the other delivery acted on it
        outcome = "duplicate"
    try:
        refunds.give_back_owed()  # Stripe is called with the event's locks released
        db.session.commit()
    except gateway.GatewayError:
        # Not marked done, Stripe resends the event, and the refund is tried again then.
        operations.forget_event(event["id"])
        db.session.commit()
        raise
    log.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return jsonify(received=True, outcome=outcome)


def init_app(app: ShopSetup) -> None:
    from . import tables  # noqa: F401 - the tables belong to the app's metadata

    for name, default in SETTINGS.items():
        app.config.setdefault(name, default)
    exempt_from_csrf(app, bp)  # Stripe signs its events; it has no session cookie
    app.register_blueprint(bp)
