"""Every call to Stripe, through the official `stripe` package, and nothing else.

Settings come from the app config: STRIPE_SECRET_KEY, STRIPE_API_BASE (None:
the real Stripe; offline, localstripe on 127.0.0.1), STRIPE_WEBHOOK_SECRET,
STRIPE_PUBLISHABLE_KEY, STRIPE_JS_URL. Results come back as small frozen
records, so no Stripe object (not a dict in stripe-python 16) leaks out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import stripe

from ..config import settings
from ..errors import InputError

WEBHOOK_TOLERANCE_SECONDS = 300

# STRIPE_CHECKOUT: how the buyer pays on the shop's pages.
PAYMENT_ELEMENT = "payment_element"  # Stripe's Payment Element, every method the account enables
CARD_TOKEN = "card_token"  # a card token posted to the shop (all localstripe can do)


class GatewayError(RuntimeError):
    """Stripe could not be reached or refused the request."""


class CardDeclined(GatewayError):
    """Stripe refused the buyer's card (a decline, a wrong number): another card may pay."""


class NotConfigured(GatewayError):
    """STRIPE_SECRET_KEY (or the webhook secret) is not set."""


class InvalidEvent(InputError):
    """A webhook whose signature, age or body does not check out."""

    code = "invalid_event"


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount: int
    currency: str  # upper case, as the shop writes it
    client_secret: str | None
    captured: int  # minor units taken from the card
    charge_id: str | None


@dataclass(frozen=True)
class Refund:
    id: str
    amount: int
    status: str


def checkout_mode() -> str:
    """STRIPE_CHECKOUT, or when it is not set: PAYMENT_ELEMENT against Stripe's own API
    (STRIPE_API_BASE unset or api.stripe.com), CARD_TOKEN against a stand-in (localstripe).
    NotConfigured for any other value."""
    chosen = settings().get("STRIPE_CHECKOUT")
    if chosen in (PAYMENT_ELEMENT, CARD_TOKEN):
        return chosen
    if chosen:
        raise NotConfigured(f"STRIPE_CHECKOUT is {chosen!r}: use payment_element or card_token.")
    base = settings().get("STRIPE_API_BASE")
    return (
        PAYMENT_ELEMENT if not base or urlsplit(base).hostname == "api.stripe.com" else CARD_TOKEN
    )


def publishable_settings() -> dict:
    """What a browser needs to show Stripe's card form."""
    return {
        "publishable_key": settings().get("STRIPE_PUBLISHABLE_KEY"),
        "js_url": settings().get("STRIPE_JS_URL"),
    }


def _methods(card_only: bool) -> dict:
    """The payment methods a new PaymentIntent takes: those the account enables (cards,
    wallets, local methods) for the Payment Element; cards only for a card token (the
    server confirms it, which Stripe refuses without a return_url for redirect methods)."""
    if not card_only and checkout_mode() == PAYMENT_ELEMENT:
        return {"automatic_payment_methods": {"enabled": True}}
    return {"payment_method_types": ["card"]}


def require_configured() -> str:
    """The secret key; NotConfigured when the shop takes no card payments."""
    key = settings().get("STRIPE_SECRET_KEY")
    if not key:
        raise NotConfigured("STRIPE_SECRET_KEY is not set: card payments are off.")
    return key


def _client() -> stripe.StripeClient:
    config = settings()
    key = require_configured()
    base = config.get("STRIPE_API_BASE")
    return stripe.StripeClient(
        key,
        base_addresses={"api": base} if base else None,
        # localstripe ignores Idempotency-Key, so a retried POST could charge twice there
        max_network_retries=0 if base else 2,
    )


def _intent(obj) -> Intent:
    data = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    charge = data.get("latest_charge")
    captured = 0
    charge_id = charge if isinstance(charge, str) else None
    if isinstance(charge, dict):
        charge_id = charge.get("id")
        if charge.get("captured") and charge.get("status") == "succeeded":
            captured = int(charge.get("amount_captured") or charge.get("amount") or 0)
    if data.get("status") == "succeeded" and not captured:
        captured = int(data.get("amount_received") or data.get("amount") or 0)
    return Intent(
        id=data["id"],
        status=data["status"],
        amount=int(data["amount"]),
        currency=str(data["currency"]).upper(),
        client_secret=data.get("client_secret"),
        captured=captured,
        charge_id=charge_id,
    )


def create_intent(
    amount: int, currency: str, order_number: str, idempotency_key: str, card_only: bool = False
) -> Intent:
    try:
        obj = _client().v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": currency.lower(),
                "metadata": {"order_id": order_number},
                **_methods(card_only),
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as error:
        raise GatewayError(f"Stripe refused the payment: {error.user_message or error}") from None
    return _intent(obj)


def retrieve_intent(intent_id: str) -> Intent:
    try:
        # localstripe embeds the charge already; the real Stripe gives its id unless expanded
        obj = _client().v1.payment_intents.retrieve(intent_id, params={"expand": ["latest_charge"]})
    except stripe.StripeError as error:
        raise GatewayError(f"Stripe could not find {intent_id}: {error}") from None
    return _intent(obj)


def pay_with_card_token(intent_id: str, token_id: str) -> Intent:
    """Charge the card behind a Stripe.js token (`createToken`) to the intent and confirm it.

    The card is read from the token on the server (the browser's word is not taken);
    it is attached with an update, then the intent is confirmed, as localstripe cannot
    confirm with a payment_method.
    """
    if not isinstance(token_id, str) or not token_id.startswith("tok_"):
        raise GatewayError("Stripe refused the card: not a card token.")
    client = _client()
    try:
        card = client.v1.tokens.retrieve(token_id).to_dict().get("card") or {}
        card_id = card.get("id") if isinstance(card, dict) else card
        client.v1.payment_intents.update(intent_id, params={"payment_method": card_id})
        client.v1.payment_intents.confirm(intent_id)
    except stripe.CardError as error:
        raise CardDeclined(f"Stripe refused the card: {error.user_message or error}") from None
    except stripe.StripeError as error:
        raise GatewayError(f"Stripe refused the card: {error.user_message or error}") from None
    return retrieve_intent(intent_id)


def cancel_intent(intent_id: str) -> Intent:
    """Cancel a PaymentIntent not paid yet: no card can pay it any more."""
    try:
        _client().v1.payment_intents.cancel(intent_id)
    except stripe.StripeError as error:
        raise GatewayError(f"Stripe did not cancel {intent_id}: {error}") from None
    return retrieve_intent(intent_id)


def create_refund(intent_id: str, amount: int, idempotency_key: str) -> Refund:
    try:
        obj = _client().v1.refunds.create(
            params={"payment_intent": intent_id, "amount": amount},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as error:
        raise GatewayError(f"Stripe refused the refund: {error.user_message or error}") from None
    data = obj.to_dict()
    return Refund(id=data["id"], amount=int(data["amount"]), status=data.get("status", ""))


def verify_event(payload: bytes, signature_header: str | None) -> dict:
    """The event, once its Stripe-Signature matches and it is at most 5 minutes old."""
    secret = settings().get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise NotConfigured("STRIPE_WEBHOOK_SECRET is not set: Stripe events are refused.")
    try:
        # The signature alone: construct_event would also build a StripeObject, and fail
        # with a 500 on a signed body that is not an object (an array, a number).
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8"), signature_header, secret, WEBHOOK_TOLERANCE_SECONDS
        )
        # the verified bytes, parsed as plain JSON: never re-serialised, never a StripeObject
        event = json.loads(payload)
    except stripe.SignatureVerificationError as error:
        raise InvalidEvent(str(error).split(".")[0]) from None
    except ValueError:  # not UTF-8, not JSON, not an event
        raise InvalidEvent("The body is not a Stripe event.") from None
    if (
        not isinstance(event, dict)
        or not isinstance(event.get("id"), str)
        or not isinstance(event.get("type"), str)
        or not isinstance(event.get("data"), dict)
        or not isinstance(event["data"].get("object"), dict)
    ):
        raise InvalidEvent("The body is not a Stripe event.")
    return event
