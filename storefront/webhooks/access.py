"""What a supplier is given to talk with the shop, managed from the back office and the admin
API: its webhook endpoints (added, switched off and on, removed while nothing was sent to
them) and its users' API keys (issued, revoked). The CLI (`flask webhooks add-endpoint`,
`supplier-key`) does the same through `operations`.

Flushes only; the page or the API view commits.
"""

from __future__ import annotations

import ipaddress
import logging
from urllib.parse import urlsplit

from sqlalchemy import exists, select

from .. import clock
from ..accounts.api_keys import issue_api_key
from ..accounts.tables import ApiKey, Role, User
from ..config import settings
from ..db import db
from ..fulfilment.tables import Supplier
from . import operations
from .operations import WebhookError
from .service_levels import OVERDUE_EVENT
from .tables import Delivery, SupplierAccount, SupplierEndpoint

log = logging.getLogger(__name__)

# What the shop sends a supplier ("*": all of them, including kinds added later).
EVENT_TYPES = (
    "order_group.created",
    "order_group.cancelled",
    OVERDUE_EVENT,
    "return.requested",
    "return.received",
    "return.refunded",
)
LOCAL_HOSTS = ("localhost",)
STAFF_DISABLED = "switched off by staff"


class EndpointInUse(WebhookError):
    """An endpoint that deliveries point at: switch it off instead of removing it."""

    code = "endpoint_in_use"
    status = 409


class SupplierKeyError(WebhookError):
    code = "invalid_supplier_key"


class KeyNotFound(SupplierKeyError):
    code = "not_found"
    status = 404


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_http_allowed() -> bool:
    """Plain http to this machine: in the demo and the tests only (a receiver on localhost)."""
    cfg = settings()
    return bool(cfg["DEMO"] or cfg["TESTING"])


def checked_url(url: str, allow_local_http: bool) -> str:
    """https, or plain http to this machine only where `allow_local_http` (the demo, tests)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        host, scheme = parts.hostname or "", parts.scheme
    except ValueError:  # an unclosed [ipv6 bracket
        host = scheme = ""
    if len(url) > 500 or not host or scheme not in ("https", "http"):
        raise WebhookError(
            "The URL is an https:// address, like https://supplier.example/hooks.", field="url"
        )
    if scheme == "http" and not (allow_local_http and _is_local(host)):
        raise WebhookError(
            "The URL must start with https:// (plain http only to this machine in the demo).",
            field="url",
        )
    return url


def checked_events(event_types: list[str]) -> list[str]:
    chosen = sorted({t.strip() for t in event_types if t.strip()})
    if not chosen:
        raise WebhookError("Choose at least one event type.", field="events")
    unknown = [t for t in chosen if t != "*" and t not in EVENT_TYPES]
    if unknown:
        raise WebhookError(
            f"{unknown[0]!r} is not an event the shop sends: {', '.join(EVENT_TYPES)} or *.",
            field="events",
        )
    return ["*"] if "*" in chosen else chosen


def add_endpoint(
    supplier: Supplier, url: str, event_types: list[str], allow_local_http: bool
) -> tuple[SupplierEndpoint, str]:
    """A new endpoint and its secret (shown once: only the endpoint keeps it, to sign)."""
    return operations.add_endpoint(
        supplier.code, checked_url(url, allow_local_http), checked_events(event_types)
    )


def set_endpoint_events(endpoint: SupplierEndpoint, event_types: list[str]) -> None:
    endpoint.event_types_text = " ".join(checked_events(event_types))
    db.session.flush()


def endpoint_of(supplier: Supplier, endpoint_id: int) -> SupplierEndpoint | None:
    endpoint = db.session.get(SupplierEndpoint, endpoint_id)
    return endpoint if endpoint is not None and endpoint.supplier_id == supplier.id else None


def set_endpoint_active(endpoint: SupplierEndpoint, active: bool) -> None:
    """Switch an endpoint off (what was on its way is parked, to be sent again from the
    webhook desk) or on again."""
    if not active:
        if endpoint.is_active:
            operations.disable_endpoint(endpoint, STAFF_DISABLED)
        db.session.flush()
        return
    endpoint.is_active, endpoint.disabled_reason = True, ""
    db.session.flush()
    log.info("webhook endpoint %s switched on", endpoint.id)


def has_deliveries(endpoint: SupplierEndpoint) -> bool:
    return bool(db.session.scalar(select(exists().where(Delivery.endpoint_id == endpoint.id))))


def remove_endpoint(endpoint: SupplierEndpoint) -> None:
    """Remove an endpoint nothing was ever sent to; one with deliveries keeps its log."""
    if has_deliveries(endpoint):
        raise EndpointInUse(
            "Events were sent to this endpoint: switch it off instead, its log stays.",
            field="id",
        )
    db.session.delete(endpoint)
    db.session.flush()
    log.info("webhook endpoint %s removed", endpoint.id)


# supplier users and their API keys ----------------------------------------------------------


def supplier_users(supplier: Supplier) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(SupplierAccount, SupplierAccount.user_id == User.id)
            .where(SupplierAccount.supplier_id == supplier.id)
            .order_by(User.email)
        )
    )


def supplier_keys(supplier: Supplier) -> list[ApiKey]:
    """Every key of the supplier's users, live and revoked, by user then newest first."""
    return list(
        db.session.scalars(
            select(ApiKey)
            .join(User, User.id == ApiKey.user_id)
            .join(SupplierAccount, SupplierAccount.user_id == User.id)
            .where(SupplierAccount.supplier_id == supplier.id)
            .order_by(User.email, ApiKey.id.desc())
        )
    )


def issue_key(supplier: Supplier, email: str) -> tuple[ApiKey, str]:
    """A new key for one of the supplier's users (a supplier-role user not yet linked to any
    supplier is linked to this one, as the CLI does); the raw key is returned only here."""
    email = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is None or user.role != Role.SUPPLIER:
        raise SupplierKeyError(
            "Choose a user of this supplier (invite one on the Team page first).",
            field="email",
        )
    account = db.session.scalar(select(SupplierAccount).where(SupplierAccount.user_id == user.id))
    if account is not None and account.supplier_id != supplier.id:
        raise SupplierKeyError(f"{user.email} works for another supplier.", field="email")
    if not user.is_active:
        raise SupplierKeyError(f"{user.email} is switched off.", field="email")
    if account is None:
        operations.grant_supplier_access(user, supplier.code)
    key, raw = issue_api_key(user)
    log.info("API key %s issued to %s for supplier %s", key.prefix, user.email, supplier.code)
    return key, raw


def revoke_key(supplier: Supplier, prefix: str) -> ApiKey:
    """Revoke the supplier's key with this prefix: it stops working at once. A key revoked
    before stays as it was."""
    keys = [k for k in supplier_keys(supplier) if k.prefix == prefix]
    if not keys:
        raise KeyNotFound(f"{supplier.code} has no API key {prefix}.", field="prefix")
    now = clock.now()
    for key in keys:  # a prefix is short: two keys might share it, both go
        if key.revoked_at is None:
            key.revoked_at = now
            log.info("API key %s of %s revoked", key.prefix, key.user.email)
    db.session.flush()
    return keys[0]
