"""The delivery worker: claims due deliveries, POSTs them signed, records what happened.

Several workers may run on several machines. A delivery is claimed with a
lease (`locked_by`, `locked_until`): on PostgreSQL with SELECT ... FOR UPDATE
SKIP LOCKED, elsewhere with a conditional UPDATE. A worker that dies mid-POST
holds the lease until it runs out; then another worker claims the delivery and
sends it again with the same webhook-id. Before each POST the lease is checked
to outlast it, else renewed, so a worker never sends a delivery it no longer holds.

A round reads its batch in one query; the attempts and successes of a round are
written together when it ends (or before a renewal), while their lease still
holds, so a worker killed before that has them sent again (same webhook-id). A
failure or a 410 is written at once. The worker is a runner like a CLI command:
it commits after each step, and makes no HTTP call inside a transaction.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import os
import random
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from .. import clock
from ..db import as_utc, db
from . import operations
from .signing import signed_headers, signing_secrets
from .tables import Delivery, DeliveryAttempt, SupplierEndpoint

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failed attempt (Standard Webhooks); after the last, a dead letter.
RETRY_SCHEDULE = tuple(
    datetime.timedelta(seconds=s)
    for s in (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600)
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
JITTER = 0.1  # up to +10 % on each wait, so retries from one outage do not arrive together
MAX_RETRY_AFTER = datetime.timedelta(hours=24)
RESPONSE_KEPT = 500

Clock = Callable[[], datetime.datetime]


def utc_now() -> datetime.datetime:
    return clock.now()


def retry_delay(attempts: int, rng: random.Random) -> datetime.timedelta:
    """How long to wait after `attempts` failed attempts (1-based), jitter included."""
    base = RETRY_SCHEDULE[min(attempts, len(RETRY_SCHEDULE)) - 1]
    return base * (1 + rng.uniform(0, JITTER))


def retry_after(value: str | None, now: datetime.datetime) -> datetime.timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a wait, capped; None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        # Ten digits and more is longer than any cap (and beyond what a timedelta holds).
        wait = MAX_RETRY_AFTER if len(value) > 9 else datetime.timedelta(seconds=int(value))
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        wait = as_utc(when) - now
    return max(datetime.timedelta(0), min(wait, MAX_RETRY_AFTER))


@dataclass
class Outcome:
    status_code: int | None = None
    response_body: str = ""
    error: str = ""
    duration_ms: int = 0
    retry_after: str | None = None


@dataclass(frozen=True)
class Send:
    """What one claimed delivery needs to be sent, read once per batch."""

    delivery_id: int
    endpoint_id: int
    number: int  # this attempt's number (the claim counted it)
    message_id: str
    url: str
    body: str
    keys: list[str]


@dataclass
class RoundReport:
    fanned_out: int = 0
    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    disabled: int = 0
    message_ids: list[str] = field(default_factory=list)


class DeliveryWorker:
    """Delivers due webhooks; `clock` and `rng` are injectable so tests can run the schedule."""

    def __init__(
        self,
        name: str | None = None,
        *,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        http: requests.Session | None = None,
        timeout: float = 15,
        lease: datetime.timedelta = datetime.timedelta(seconds=60),
        batch: int = 20,
    ):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 10000}"
        self.clock = clock
        self.rng = rng or random.Random()
        self.http = http or requests.Session()
        self.timeout = timeout
        self.lease = lease
        self.batch = batch
        self._leased_until: datetime.datetime | None = None  # of the batch claimed last
        self._delivered: list[int] = []  # sent with a 2xx, not written yet (`_save`)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> DeliveryWorker:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # one round -------------------------------------------------------------------
    def run_once(self) -> RoundReport:
        report = RoundReport()
        report.fanned_out = self._fan_out()
        parked: set[int] = set()  # endpoints that answered 410 in this round
        for send in self._read(self.claim()):
            report.claimed += 1
            if send.endpoint_id in parked:
                continue  # disable_endpoint parked its deliveries, this one among them
            outcome = self._deliver(send, report)
            if outcome is not None and outcome.status_code == 410:
                parked.add(send.endpoint_id)
        self._save()
        return report

    def run(self, stop: threading.Event, idle_seconds: float = 1.0) -> None:
        """Deliver until `stop` is set; sleeps only when a round found nothing to do."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # a database hiccup must not end the worker; log and go on
                db.session.rollback()
                log.exception("webhook worker round failed")
                report = RoundReport()
            if not report.claimed and not report.fanned_out:
                stop.wait(idle_seconds)

    def _fan_out(self) -> int:
        try:
            created = operations.fan_out(self.clock())
            db.session.commit()
            return created
        except SQLAlchemyError:  # most likely another worker fanned out the same events first
            db.session.rollback()
            log.info("fan-out skipped: another worker is on it", exc_info=True)
            return 0

    # claiming ----------------------------------------------------------------------
    def _due(self, now: datetime.datetime):
        return (
            Delivery.status == "pending",
            Delivery.next_attempt_at <= now,
            or_(Delivery.locked_until.is_(None), Delivery.locked_until < now),
        )

    def claim(self) -> list[int]:
        """Lease up to `batch` due deliveries to this worker; returns their ids."""
        now = self.clock()
        values = dict(
            locked_by=self.name, locked_until=now + self.lease, attempts=Delivery.attempts + 1
        )
        candidates = (
            select(Delivery.id)
            .where(*self._due(now))
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(self.batch)
        )
        if db.session.get_bind().dialect.name == "postgresql":
            ids = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
            if ids:
                db.session.execute(
                    update(Delivery)
                    .where(Delivery.id.in_(ids))
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        else:
            ids = []
            for delivery_id in db.session.scalars(candidates).all():
                # The WHERE is checked again under SQLite's write lock: one worker wins each row.
                won = db.session.execute(
                    update(Delivery)
                    .where(Delivery.id == delivery_id, *self._due(now))
                    .values(**values)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won:
                    ids.append(delivery_id)
        db.session.commit()
        self._leased_until = now + self.lease if ids else None
        return ids

    def _lease_outlasts_a_send(self) -> bool:
        """While the batch's lease outlasts a send with room to spare, no other worker can
        have claimed its deliveries: renewing (a write and a commit) can wait."""
        margin = datetime.timedelta(seconds=self.timeout + 5)
        return self._leased_until is not None and self._leased_until - self.clock() > margin

    def _renew(self, delivery_id: int) -> bool:
        """Extend the lease just before sending; False if another worker took it over."""
        now = self.clock()
        held = db.session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                Delivery.locked_by == self.name,
                Delivery.status == "pending",
            )
            .values(locked_until=now + self.lease)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        return bool(held)

    # sending -----------------------------------------------------------------------
    def _read(self, ids: list[int]) -> list[Send]:
        """The claimed deliveries with their endpoints, in one query, in claim order; the
        read transaction ends here, so none stays open over HTTP."""
        if not ids:
            return []
        now = self.clock()
        rows = db.session.execute(
            select(Delivery, SupplierEndpoint)
            .join(SupplierEndpoint, SupplierEndpoint.id == Delivery.endpoint_id)
            .where(Delivery.id.in_(ids))
        ).all()
        found = {
            delivery.id: Send(
                delivery.id,
                endpoint.id,
                delivery.attempts,
                delivery.message_id,
                endpoint.url,
                delivery.body,
                signing_secrets(endpoint, now),
            )
            for delivery, endpoint in rows
            if delivery.status == "pending" and delivery.locked_by == self.name
        }
        db.session.commit()
        return [found[i] for i in ids if i in found]

    def _deliver(self, send: Send, report: RoundReport) -> Outcome | None:
        # Held since the claim while the lease outlasts a send; else renewed (or given up).
        if not self._lease_outlasts_a_send():
            self._save()  # what was sent so far is written while its lease still holds
            if not self._renew(send.delivery_id):
                return None
        # The signed timestamp is the wall clock: the receiver checks it against its own.
        headers = signed_headers(send.message_id, send.body, send.keys, utc_now())
        report.message_ids.append(send.message_id)
        started = self.clock()
        outcome = self.post(send.url, send.body, headers)
        self._record(send.delivery_id, send.number, started, outcome, report)
        return outcome

    def post(self, url: str, body: str, headers: dict[str, str]) -> Outcome:
        outcome = Outcome()
        began = time.monotonic()
        try:
            with self.http.post(
                url,
                data=body.encode(),
                headers=headers,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                outcome.status_code = response.status_code
                outcome.retry_after = response.headers.get("Retry-After")
                first = next(response.iter_content(RESPONSE_KEPT * 4), b"")
                outcome.response_body = first.decode("utf-8", "replace")[:RESPONSE_KEPT]
        except requests.RequestException as exc:
            outcome.error = f"{type(exc).__name__}: {exc}"[:RESPONSE_KEPT]
        outcome.duration_ms = int((time.monotonic() - began) * 1000)
        return outcome

    def _record(
        self,
        delivery_id: int,
        number: int,
        started: datetime.datetime,
        outcome: Outcome,
        report: RoundReport,
    ) -> None:
        db.session.add(
            DeliveryAttempt(
                delivery_id=delivery_id,
                number=number,
                worker=self.name,
                started_at=started,
                status_code=outcome.status_code,
                duration_ms=outcome.duration_ms,
                response_body=outcome.response_body,
                error=outcome.error,
            )
        )
        now = self.clock()
        code = outcome.status_code
        mine = (Delivery.id == delivery_id, Delivery.status == "pending")
        released = dict(locked_by=None, locked_until=None)
        log.info("delivery %s attempt %s: %s", delivery_id, number, code or outcome.error)
        if code is not None and 200 <= code < 300:
            # Written with the round's other successes (`_save`), before its lease runs out.
            self._delivered.append(delivery_id)
            report.delivered += 1
            return
        self._mark_delivered()  # in order: a 410 parks only what is still pending
        if code == 410:
            delivery = db.session.get(Delivery, delivery_id)
            operations.disable_endpoint(delivery.endpoint, "the endpoint answered 410 Gone")
            report.disabled += 1
        else:
            error = outcome.error or f"HTTP {code}"
            if number >= MAX_ATTEMPTS:
                values = dict(status="dead", last_error=error[:500], **released)
                report.dead += 1
            else:
                wait = retry_delay(number, self.rng)
                asked = retry_after(outcome.retry_after, now)
                if asked is not None:
                    wait = max(wait, asked)
                values = dict(next_attempt_at=now + wait, last_error=error[:500], **released)
                report.failed += 1
            db.session.execute(
                update(Delivery)
                .where(*mine, Delivery.locked_by == self.name)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        db.session.commit()

    def _mark_delivered(self) -> None:
        if not self._delivered:
            return
        # Delivered even if the lease ran out meanwhile: the receiver has it.
        db.session.execute(
            update(Delivery)
            .where(Delivery.id.in_(self._delivered), Delivery.status == "pending")
            .values(
                status="delivered",
                delivered_at=self.clock(),
                last_error="",
                locked_by=None,
                locked_until=None,
            )
            .execution_options(synchronize_session=False)
        )
        self._delivered = []

    def _save(self) -> None:
        """Write the attempts and successes not written yet, in one transaction."""
        self._mark_delivered()
        db.session.commit()
