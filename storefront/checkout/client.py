"""Who is checking out, for the caps on what one client's unpaid orders hold: a signed-in
buyer by their account, anyone else by their address (as ProxyFix reads it behind a
proxy), kept only as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac

from flask import request

from ..config import settings


def client_key(customer_id: int | None = None) -> str:
    if customer_id is not None:
        return f"customer:{customer_id}"
    address = (request.remote_addr or "unknown").encode()
    secret = str(settings()["SECRET_KEY"]).encode()
    return "addr:" + hmac.new(secret, address, hashlib.sha256).hexdigest()[:40]
