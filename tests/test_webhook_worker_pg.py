"""The worker: SIGKILL mid-delivery loses nothing, two workers share 1,000 events, the CLI."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from storefront.db import db
from storefront.webhooks import operations
from storefront.webhooks.tables import Delivery, DeliveryAttempt
from storefront.webhooks.worker import DeliveryWorker, retry_after
from test_webhooks import (  # noqa: F401 (fixtures)
    CREATED,
    SUPPLIER,
    _wired_app,
    add_events,
    delivery,
    endpoint,
    receiver,
    runner,
    wired,
)

EVENTS = 1_000


@pytest.mark.postgres_only
def test_two_workers_share_a_thousand_events_without_sending_one_twice(
    wired,  # noqa: F811
    is_postgres,
    receiver,  # noqa: F811
    make_supplier,
):
    if not is_postgres:
        pytest.skip("SKIP LOCKED and real concurrency need PostgreSQL (TEST_DATABASE_URL)")
    make_supplier(SUPPLIER)
    with wired.app_context():
        _ep, secret = operations.add_endpoint(SUPPLIER, receiver.url, [CREATED])
        db.session.commit()
    receiver.secrets.append(secret)
    add_events(wired, EVENTS)
    with wired.app_context():
        assert operations.fan_out(limit=EVENTS) == EVENTS
        db.session.commit()

    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with wired.app_context(), DeliveryWorker(name, batch=25, timeout=5) as worker:
                start.wait(10)
                for _ in range(200):  # bounded: 1,000 events / 25 per round, with room to spare
                    if worker.run_once().claimed == 0:
                        break
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors

    counts = Counter(receiver.ids())
    assert len(counts) == EVENTS and set(counts.values()) == {1}
    assert all(all(r["verified"].values()) for r in receiver.requests)
    with wired.app_context():
        delivered = db.session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == "delivered")
        )
        per_worker = dict(
            db.session.execute(
                select(DeliveryAttempt.worker, func.count()).group_by(DeliveryAttempt.worker)
            ).all()
        )
    assert delivered == EVENTS
    assert set(per_worker) == {"worker-1", "worker-2"}  # both took a share
    assert sum(per_worker.values()) == EVENTS


# a worker killed with SIGKILL in the middle of a delivery ---------------------------------

WORKER_SCRIPT = """
from flask.cli import FlaskGroup
from storefront import create_app

FlaskGroup(create_app=create_app).main(["webhooks", "worker"], prog_name="flask")
"""


def start_worker(database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STOREFRONT_TESTING": "true",
        "STOREFRONT_WEBHOOK_TIMEOUT_SECONDS": "2",
        "STOREFRONT_WEBHOOK_LEASE_SECONDS": "3",
        "STOREFRONT_WEBHOOK_IDLE_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, seconds=60.0) -> bool:  # generous: a busy machine starts Python slowly
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_killed_mid_delivery_loses_nothing(
    wired,  # noqa: F811
    endpoint,  # noqa: F811
    receiver,  # noqa: F811
    database_url,
):
    endpoint()
    [event_id] = add_events(wired)
    receiver.script = ["stall"]

    first = start_worker(database_url)
    try:
        assert wait_for(lambda: len(receiver.requests) == 1), "the worker never sent"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
        first.wait(10)  # reaped here, not left running into the next test
        first.stdout.close()
    receiver.release.set()
    row = delivery(wired, event_id)
    assert row.status == "pending" and row.locked_by is not None  # the dead worker's lease

    second = start_worker(database_url)
    try:
        assert wait_for(lambda: delivery(wired, event_id).status == "delivered"), (
            "the next worker never delivered"
        )
        second.send_signal(signal.SIGTERM)
        assert second.wait(10) == 0  # SIGTERM: finishes the round and exits cleanly
    finally:
        second.kill()
        second.wait(10)  # reaped here, not left running into the next test
        second.stdout.close()
    ids = receiver.ids()
    assert len(ids) == 2 and ids[0] == ids[1]
    assert all(all(r["verified"].values()) for r in receiver.requests)


def test_the_worker_command_runs_one_round(
    wired,  # noqa: F811
    endpoint,  # noqa: F811
    receiver,  # noqa: F811
    runner,  # noqa: F811
):
    endpoint()
    [event_id] = add_events(wired)
    result = runner.invoke(args=["webhooks", "worker", "--once", "--batch", "5"])
    assert result.exit_code == 0, result.output
    assert "fanned out 1, claimed 1, delivered 1" in result.output
    assert delivery(wired, event_id).status == "delivered"
    assert all(all(r["verified"].values()) for r in receiver.requests)


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
    assert retry_after("120", now) == datetime.timedelta(minutes=2)
    assert retry_after("Mon, 23 Nov 2026 13:00:00 GMT", now) == datetime.timedelta(hours=1)
    assert retry_after("999999999", now) == datetime.timedelta(hours=24)
    assert retry_after("9" * 30, now) == datetime.timedelta(hours=24)  # beyond a timedelta
    assert retry_after("²", now) is None  # a digit to str.isdigit, not to int()
    assert retry_after("soon", now) is None and retry_after(None, now) is None
