"""Standard Webhooks signatures, made by the `standardwebhooks` package (never by hand)."""

from __future__ import annotations

import base64
import datetime
import secrets

from standardwebhooks.webhooks import Webhook

from ..db import as_utc
from .tables import SupplierEndpoint

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh endpoint secret: "whsec_" + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signing_secrets(endpoint: SupplierEndpoint, now: datetime.datetime) -> list[str]:
    """The current secret, and the previous one while its overlap lasts."""
    keys = [endpoint.secret]
    until = endpoint.previous_secret_until
    if endpoint.previous_secret and until is not None and as_utc(until) > now:
        keys.append(endpoint.previous_secret)
    return keys


def signed_headers(
    message_id: str, body: str, keys: list[str], sent_at: datetime.datetime
) -> dict[str, str]:
    """The three Standard Webhooks headers; one `v1,...` signature per key, space-separated."""
    signatures = " ".join(Webhook(key).sign(message_id, sent_at, body) for key in keys)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": signatures,
        "content-type": "application/json",
    }
