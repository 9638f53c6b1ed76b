"""Webhook services: endpoints, secret rotation, event payloads, fan-out of outbox events,
replay, and which supplier a supplier user acts for.

Like every service here they flush and never commit; the caller (a CLI
command, the worker) commits once.
"""

from __future__ import annotations

import datetime
import json
import logging
import secrets
from urllib.parse import urlsplit

from sqlalchemy import and_, or_, select, update

from models_ import SUPPLIER, ShipperRef

from .. import clock
from ..accounts.tables import Role, User
from ..db import as_utc, db
from ..errors import InputError
from ..fulfilment.tables import Supplier
from ..orders import summary
from ..orders.tables import OrderGroup
from .signing import new_secret
from .tables import Delivery, OutboxDispatch, OutboxEvent, SupplierAccount, SupplierEndpoint

log = logging.getLogger(__name__)

SUPPLIER_TARGET = ShipperRef.prefix(SUPPLIER)  # how the target of a supplier's event starts
FAN_OUT_BATCH = 500


class WebhookError(InputError):
    """A webhook command was given something it cannot use."""

    code = "invalid_webhook_endpoint"


def _supplier_of(event: OutboxEvent) -> str | None:
    """The code of the supplier an event is for (its target is a shipper reference)."""
    try:
        shipper = ShipperRef.parse(event.target)
    except ValueError:
        return None
    return shipper.code if shipper.kind == SUPPLIER else None


def supplier_by_code(code: str) -> Supplier:
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == code))
    if supplier is None:
        raise WebhookError(f"There is no supplier {code!r}.")
    return supplier


def _checked_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WebhookError(f"{url!r} is not an http(s) URL.")
    return url.strip()


def _checked_types(event_types: list[str]) -> str:
    types = sorted({t for item in event_types for t in item.replace(",", " ").split()})
    if not types:
        raise WebhookError("Name at least one event type (or * for all).")
    bad = [t for t in types if t != "*" and ("." not in t or len(t) > 60)]
    if bad:
        raise WebhookError(f"Event types are dotted names like order_group.created: {bad}.")
    return " ".join(types)


def add_endpoint(
    supplier_code: str, url: str, event_types: list[str]
) -> tuple[SupplierEndpoint, str]:
    """A new endpoint for the supplier; returns it and its secret (show the secret once)."""
    supplier = supplier_by_code(supplier_code)
    secret = new_secret()
    endpoint = SupplierEndpoint(
        supplier_id=supplier.id,
        url=_checked_url(url),
        event_types_text=_checked_types(event_types),
        secret=secret,
    )
    db.session.add(endpoint)
    db.session.flush()
    log.info("webhook endpoint %s added for supplier %s", endpoint.id, supplier.code)
    return endpoint, secret


def rotate_secret(
    endpoint: SupplierEndpoint,
    overlap: datetime.timedelta = datetime.timedelta(hours=24),
    now: datetime.datetime | None = None,
) -> str:
    """A new secret; the old one keeps signing (beside the new) until the overlap ends."""
    now = now or clock.now()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = now + overlap
    endpoint.secret = new_secret()
    db.session.flush()
    log.info(
        "webhook endpoint %s secret rotated, old one valid until %s", endpoint.id, now + overlap
    )
    return endpoint.secret


def disable_endpoint(endpoint: SupplierEndpoint, reason: str) -> None:
    """Stop sending to an endpoint; what was still on its way is parked as "disabled"."""
    endpoint.is_active = False
    endpoint.disabled_reason = reason[:200]
    db.session.execute(
        update(Delivery)
        .where(Delivery.endpoint_id == endpoint.id, Delivery.status == "pending")
        .values(status="disabled", locked_by=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    log.warning("webhook endpoint %s disabled: %s", endpoint.id, reason)


def endpoints_of(supplier_code: str) -> list[SupplierEndpoint]:
    supplier = supplier_by_code(supplier_code)
    return list(
        db.session.scalars(
            select(SupplierEndpoint)
            .where(SupplierEndpoint.supplier_id == supplier.id)
            .order_by(SupplierEndpoint.id)
        )
    )


def group_payload(group: OrderGroup) -> dict:
    """What a supplier learns of a group it ships: its lines and where they go (the
    buyer's name, address and phone: its own groups only; no payment data, no e-mail)."""
    order = group.order
    return {
        "group_id": group.id,
        "order_number": order.number,
        "ship_to_country": order.country,
        "ship_to": summary.ship_to(order),
        "lines": [{"sku": line.sku, "quantity": line.quantity} for line in group.lines],
    }


def event_body(event: OutboxEvent) -> str:
    """The Standard Webhooks payload, serialised once: retries send these exact bytes."""
    created = as_utc(event.created_at)
    return json.dumps(
        {
            "type": event.event_type,
            "timestamp": created.isoformat(),
            "data": {"event_id": event.id, **event.payload},
        },
        separators=(",", ":"),
    )


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def fan_out(now: datetime.datetime | None = None, limit: int = FAN_OUT_BATCH) -> int:
    """Turn outbox events not yet dispatched into deliveries; returns how many deliveries.

    Each event gets a dispatch row, so it is fanned out once even with several
    workers: on PostgreSQL one worker at a time fans out (an advisory lock; the
    others skip this step), elsewhere a second fan-out fails on the dispatch row's key.
    """
    now = now or clock.now()
    if db.session.get_bind().dialect.name == "postgresql":
        locked = db.session.scalar(select(db.func.pg_try_advisory_xact_lock(0x5EB400C)))
        if not locked:
            return 0
    events = db.session.scalars(
        select(OutboxEvent)
        .outerjoin(OutboxDispatch, OutboxDispatch.event_id == OutboxEvent.id)
        .where(OutboxDispatch.event_id.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    ).all()
    if not events:
        return 0
    codes = {code for code in map(_supplier_of, events) if code is not None}
    endpoints: dict[str, list[SupplierEndpoint]] = {code: [] for code in codes}
    if codes:
        rows = db.session.execute(
            select(Supplier.code, SupplierEndpoint)
            .join(SupplierEndpoint, SupplierEndpoint.supplier_id == Supplier.id)
            .where(Supplier.code.in_(codes), SupplierEndpoint.is_active.is_(True))
            .order_by(SupplierEndpoint.id)
        )
        for code, endpoint in rows:
            endpoints[code].append(endpoint)
    created = 0
    for event in events:
        wanted = [ep for ep in endpoints.get(_supplier_of(event), []) if ep.wants(event.event_type)]
        body = event_body(event) if wanted else ""
        for endpoint in wanted:
            db.session.add(
                Delivery(
                    message_id=new_message_id(),
                    event_id=event.id,
                    endpoint_id=endpoint.id,
                    body=body,
                    next_attempt_at=now,
                )
            )
        db.session.add(OutboxDispatch(event_id=event.id, deliveries=len(wanted), dispatched_at=now))
        created += len(wanted)
    db.session.flush()
    log.info("fanned out %s events into %s deliveries", len(events), created)
    return created


def replay(
    supplier_code: str, event_id: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Send again what a supplier never got: dead letters, parked deliveries, failing retries.

    The delivery keeps its webhook-id, so a receiver that did get it after all
    recognises the repeat. Returns how many deliveries were put back in line.
    """
    now = now or clock.now()
    supplier = supplier_by_code(supplier_code)
    active_ids = select(SupplierEndpoint.id).where(
        SupplierEndpoint.supplier_id == supplier.id, SupplierEndpoint.is_active.is_(True)
    )
    conditions = [
        Delivery.endpoint_id.in_(active_ids),
        or_(
            Delivery.status.in_(("dead", "disabled")),
            and_(Delivery.status == "pending", Delivery.attempts > 0, Delivery.locked_by.is_(None)),
        ),
    ]
    if event_id is not None:
        conditions.append(Delivery.event_id == event_id)
    replayed = db.session.execute(
        update(Delivery)
        .where(*conditions)
        .values(
            status="pending", attempts=0, next_attempt_at=now, locked_by=None, locked_until=None
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    log.info("replaying %s deliveries to supplier %s", replayed, supplier.code)
    return replayed


def dead_letters(supplier_code: str) -> list[Delivery]:
    """Deliveries that gave up (or were parked) for this supplier, oldest first."""
    supplier = supplier_by_code(supplier_code)
    return list(
        db.session.scalars(
            select(Delivery)
            .join(SupplierEndpoint, SupplierEndpoint.id == Delivery.endpoint_id)
            .where(
                SupplierEndpoint.supplier_id == supplier.id,
                Delivery.status.in_(("dead", "disabled")),
            )
            .order_by(Delivery.id)
        )
    )


def grant_supplier_access(user: User, supplier_code: str) -> SupplierAccount:
    """Let a supplier-role user (and so its API keys) act for the supplier."""
    if user.role != Role.SUPPLIER:
        raise WebhookError(f"{user.email} is a {user.role} user, not a supplier user.")
    supplier = supplier_by_code(supplier_code)
    account = db.session.scalar(select(SupplierAccount).where(SupplierAccount.user_id == user.id))
    if account is None:
        account = SupplierAccount(user_id=user.id, supplier_id=supplier.id)
        db.session.add(account)
    account.supplier_id = supplier.id
    db.session.flush()
    return account
