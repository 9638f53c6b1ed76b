"""The webhooks' work for the shop's worker (`storefront.worker`): `webhooks.deliver`, a
drain job: one fan-out and delivery round. (The service-level check, which also mails
staff and shippers, is `delivery.service_levels`.)"""

from __future__ import annotations

import datetime
import threading

from flask import current_app

from ..config import settings
from .worker import DeliveryWorker

# One delivery worker per thread and app, kept across rounds: its HTTP session keeps
# connections to the suppliers open, and its name marks the attempts it makes.
_local = threading.local()


def _delivery_worker() -> DeliveryWorker:
    workers = getattr(_local, "workers", None)
    if workers is None:
        workers = _local.workers = {}
    app = current_app._get_current_object()
    worker = workers.get(id(app))
    if worker is None:
        cfg = settings()
        worker = workers[id(app)] = DeliveryWorker(
            timeout=cfg["WEBHOOK_TIMEOUT_SECONDS"],
            lease=datetime.timedelta(seconds=cfg["WEBHOOK_LEASE_SECONDS"]),
            batch=cfg["WEBHOOK_BATCH"],
        )
    return worker


def deliver() -> int:
    """One round: fan out new outbox events, deliver what is due; returns how many
    deliveries it attempted (the fan-out creates them due now, so this round sends them)."""
    return _delivery_worker().run_once().claimed
