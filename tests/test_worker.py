"""The shop's one worker: drain jobs every round, periodic jobs once per interval across
workers, a failing job recorded and the worker going on, a dead worker's lease running out."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from feeds import ecb_document, serving_feeds
from orders_helpers import load, place
from storefront.catalog.tables import Brand
from storefront.db import as_utc, db
from storefront.markets.tables import ExchangeRate
from storefront.mount import state
from storefront.worker import ScheduledJob, Worker
from test_webhooks import (  # noqa: F401 (fixtures)
    FakeClock,
    _wired_app,
    add_events,
    delivery,
    endpoint,
    receiver,
    runner,
    wired,
)

HOUR = 3600


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def jobs(app):
    """Register test jobs in the app (`jobs(name, func, every=...)`); gone after the test."""
    added: list[str] = []

    def add(name, func, every=None, **kwargs):
        with app.app_context():
            state().add_job(name, func, every, **kwargs)
        added.append(name)

    yield add
    for name in added:
        del app.extensions["storefront"].jobs[name]


class Counter:
    """A job that counts its runs (thread-safe); returns 1 item per run."""

    def __init__(self):
        self.runs = 0
        self.lock = threading.Lock()

    def __call__(self) -> int:
        with self.lock:
            self.runs += 1
        return 1


def schedule_row(app, name: str) -> ScheduledJob:
    with app.app_context():
        row = db.session.get(ScheduledJob, name)
        db.session.expunge(row)
        return row


def stock(app, sku: str) -> tuple[int, int]:
    from storefront.catalog.tables import Variant
    from storefront.fulfilment.tables import StockLevel, Warehouse

    with app.app_context():
        row = db.session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
            .join(Warehouse)
            .join(Variant, Variant.id == StockLevel.variant_id)
            .where(Variant.sku == sku, Warehouse.code == "berlin")
        ).one()
        return tuple(row)


# the command ---------------------------------------------------------------------------


def test_worker_once_delivers_a_due_webhook_and_releases_an_expired_hold(
    wired,  # noqa: F811
    endpoint,  # noqa: F811
    receiver,  # noqa: F811
    runner,  # noqa: F811
    four_models,
):
    endpoint(make_the_supplier=False)  # four_models made the supplier
    [event_id] = add_events(wired)
    wired.config["RESERVATION_MINUTES"] = -1  # the hold ran out a minute ago
    try:
        order_id = place(wired, {four_models["stock"]: 2}, "hold-1")
    finally:
        wired.config["RESERVATION_MINUTES"] = 30
    assert stock(wired, four_models["stock"]) == (3, 2)

    result = runner.invoke(
        args=["worker", "--once", "--only", "webhooks.deliver", "--only", "orders.release_expired"]
    )

    assert result.exit_code == 0, result.output
    assert delivery(wired, event_id).status == "delivered"
    assert all(all(r["verified"].values()) for r in receiver.requests)
    with wired.app_context():
        assert load(order_id).status == "cancelled"
    assert stock(wired, four_models["stock"]) == (3, 0)
    lines = result.output.splitlines()
    assert "started: webhooks.deliver, orders.release_expired (every 60 s)" in lines[0]
    assert any("job webhooks.deliver: 1 items in" in line for line in lines)
    assert any("job orders.release_expired: 1 items in" in line for line in lines)
    assert "stopped" in lines[-1]

    # the next round within the minute: delivering again, but the periodic job is not due
    again = runner.invoke(args=["worker", "--once", "--only", "orders.release_expired"])
    assert "job orders.release_expired" not in again.output
    assert schedule_row(wired, "orders.release_expired").runs == 1


def test_worker_once_runs_every_registered_job_and_keeps_each_schedule(
    wired,  # noqa: F811
    runner,  # noqa: F811
):
    feed = ecb_document("<Cube currency='USD' rate='1.05'/><Cube currency='GBP' rate='0.84'/>")
    with serving_feeds() as feeds:
        wired.config["FX_FEED_URL"] = feeds.serve("/daily.xml", (200, feed, 0))
        try:
            result = runner.invoke(args=["worker", "--once"])
        finally:
            wired.config["FX_FEED_URL"] = (
                "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
            )
    assert result.exit_code == 0, result.output
    for name in (
        "webhooks.deliver",
        "mail.send",
        "orders.release_expired",
        "delivery.service_levels",
        "delivery.refund_owed",
        "terms.reminders",
        "terms.card_payments",
    ):
        assert f"job {name}: 0 items" in result.output
    assert "job fx.refresh: 2 items" in result.output
    with wired.app_context():
        stored = db.session.scalar(
            select(ExchangeRate.rate).where(
                ExchangeRate.currency == "GBP", ExchangeRate.source == "ecb"
            )
        )
        assert stored == Decimal("0.84")
        rows = {row.name: row for row in db.session.scalars(select(ScheduledJob))}
    every = {
        "orders.release_expired": 60,
        "delivery.service_levels": 300,
        "fx.refresh": 6 * HOUR,
        "delivery.refund_owed": 300,
        "terms.reminders": HOUR,
        "terms.card_payments": 60,
    }
    assert set(rows) == set(every)
    for name, row in rows.items():
        assert (row.runs, row.last_error, row.locked_by) == (1, "", None)
        waited = as_utc(row.next_run_at) - as_utc(row.last_finished_at)
        assert waited == datetime.timedelta(seconds=every[name])


def test_an_offline_rates_feed_fails_that_run_only(wired, runner):  # noqa: F811
    with serving_feeds() as feeds:
        wired.config["FX_FEED_URL"] = feeds.serve("/daily.xml", (503, "down", 0))
        try:
            result = runner.invoke(args=["worker", "--once", "--only", "fx.refresh"])
        finally:
            wired.config["FX_FEED_URL"] = (
                "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
            )
    assert result.exit_code == 0, result.output
    assert "job fx.refresh: 0 items" in result.output and "failed: RatesFeedError" in result.output
    row = schedule_row(wired, "fx.refresh")
    assert row.runs == 1 and row.last_error.startswith("RatesFeedError")
    assert row.locked_by is None  # the next run is scheduled as usual


def test_an_unknown_job_is_refused_with_the_list(runner):  # noqa: F811
    result = runner.invoke(args=["worker", "--once", "--only", "nope"])
    assert result.exit_code != 0
    assert "No job nope; the jobs are: delivery.refund_owed, delivery.service_levels" in (
        result.output
    )


def test_the_mounted_shop_has_it_under_its_group(runner):  # noqa: F811
    # the standalone app has both forms, as for every command group
    assert runner.invoke(args=["shop", "worker", "--help"]).exit_code == 0
    assert runner.invoke(args=["worker", "--help"]).exit_code == 0


# periodic jobs ---------------------------------------------------------------------------


def test_a_periodic_job_runs_once_per_interval_with_two_workers(app, jobs, clock):
    counter = Counter()
    jobs("test.count", counter, every=HOUR)
    with app.app_context():
        first = Worker("first", clock=clock, only=["test.count"])
        second = Worker("second", clock=clock, only=["test.count"])
        assert first.run_once().run_of("test.count").items == 1
        assert second.run_once().run_of("test.count") is None
        assert first.run_once().runs == []
        clock.advance(minutes=59)
        assert second.run_once().runs == [] and first.run_once().runs == []
        clock.advance(minutes=1)
        assert second.run_once().run_of("test.count").items == 1
        assert first.run_once().runs == []
    assert counter.runs == 2
    row = schedule_row(app, "test.count")
    assert row.runs == 2 and as_utc(row.next_run_at) == clock.now + datetime.timedelta(hours=1)


@pytest.mark.postgres_only
def test_two_concurrent_workers_run_a_periodic_job_once(app, jobs, is_postgres):
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (TEST_DATABASE_URL)")
    counter = Counter()
    jobs("test.count", counter, every=HOUR)
    with app.app_context():
        Worker("setup", only=["test.count"])._schedule()  # the row exists: both race to claim
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with app.app_context():
                worker = Worker(name, only=["test.count"])
                start.wait(10)
                for _ in range(20):
                    worker.run_once()
                db.session.remove()
        except BaseException as exc:  # surfaced in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert counter.runs == 1
    assert schedule_row(app, "test.count").runs == 1


def test_a_failing_job_is_recorded_rolled_back_and_the_worker_goes_on(app, jobs, clock, make_brand):
    def broken() -> int:
        db.session.add(Brand(slug="half-saved", name="Half saved", country="CN"))
        db.session.flush()
        raise RuntimeError("the feed is down")

    def broken_drain() -> int:
        raise ValueError("queue unreadable")

    counter = Counter()
    jobs("test.broken_drain", broken_drain)
    jobs("test.broken", broken, every=60)
    jobs("test.count", counter, every=60)
    with app.app_context():
        worker = Worker("w", clock=clock, only=["test.broken_drain", "test.broken", "test.count"])
        report = worker.run_once()
        assert report.run_of("test.broken_drain").error == "ValueError: queue unreadable"
        assert report.run_of("test.broken").error == "RuntimeError: the feed is down"
        assert report.run_of("test.count").items == 1  # the round went on
        assert db.session.scalar(select(func.count()).select_from(Brand)) == 0  # rolled back
    row = schedule_row(app, "test.broken")
    assert row.runs == 1 and row.last_error == "RuntimeError: the feed is down"
    assert row.locked_by is None
    assert as_utc(row.next_run_at) == clock.now + datetime.timedelta(seconds=60)
    clock.advance(seconds=60)
    with app.app_context():
        assert worker.run_once().run_of("test.broken").error  # tried again the next interval
    assert schedule_row(app, "test.broken").runs == 2


def test_a_killed_workers_lease_runs_out_and_another_worker_runs_the_job(app, jobs, clock):
    counter = Counter()
    jobs("test.count", counter, every=HOUR, lease=120)
    with app.app_context():
        killed = Worker("killed", clock=clock, only=["test.count"])
        assert killed.claim("test.count")  # ... and it never finishes
        other = Worker("other", clock=clock, only=["test.count"])
        assert other.run_once().runs == []
        assert schedule_row(app, "test.count").locked_by == "killed"
        clock.advance(seconds=119)
        assert other.run_once().runs == []
        clock.advance(seconds=2)
        assert other.run_once().run_of("test.count").items == 1
    assert counter.runs == 1
    row = schedule_row(app, "test.count")
    assert (row.runs, row.locked_by) == (1, None)


def test_run_stops_between_steps_when_told(app, jobs):
    stop = threading.Event()
    seen: list[str] = []

    def first() -> int:
        seen.append("first")
        if seen.count("first") == 5:
            stop.set()  # as SIGTERM does: this job finishes, the next does not start
        return 1

    def second() -> int:
        seen.append("second")
        return 1

    jobs("test.first", first)
    jobs("test.second", second)
    with app.app_context():
        Worker("w", only=["test.first", "test.second"]).run(stop, idle_seconds=0)
    assert seen == ["first", "second"] * 4 + ["first"]


def test_jobs_are_checked_when_registered(app, jobs):
    with app.app_context():
        with pytest.raises(ValueError, match="already"):
            state().add_job("webhooks.deliver", Counter())
        with pytest.raises(ValueError, match="positive"):
            state().add_job("test.never", Counter(), every=0)
