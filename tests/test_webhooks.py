"""Signed webhooks to suppliers, checked by a real receiver verifying with `standardwebhooks`."""

from __future__ import annotations

import base64
import datetime
import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from orders_helpers import place
from storefront.db import db
from storefront.webhooks import operations
from storefront.webhooks.tables import Delivery, DeliveryAttempt, OutboxEvent, SupplierEndpoint
from storefront.webhooks.worker import RETRY_SCHEDULE, DeliveryWorker

SUPPLIER = "shenzhen-silver"
CREATED = "order_group.created"


# a receiver on 127.0.0.1 ------------------------------------------------------------


class Receiver:
    """A supplier's endpoint: records each request and verifies it with every secret it knows.

    `script` lists the answers to give, in order: (status, headers) or "stall"
    (hold the request until `release` is set); then it answers 200.
    """

    def __init__(self):
        self.secrets: list[str] = []
        self.script: list = []
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = {}
                for secret in receiver.secrets:
                    try:
                        Webhook(secret).verify(body, headers)
                        verified[secret] = True
                    except WebhookVerificationError:
                        verified[secret] = False
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": headers, "body": body, "verified": verified}
                    )
                    answer = receiver.script.pop(0) if receiver.script else (200, {})
                if answer == "stall":
                    receiver.release.wait(30)
                    answer = (200, {})
                status, extra = answer
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def ids(self) -> list[str]:
        with self.lock:
            return [r["headers"]["webhook-id"] for r in self.requests]


@pytest.fixture
def receiver():
    rec = Receiver()
    thread = threading.Thread(target=rec.server.serve_forever, daemon=True)
    thread.start()
    yield rec
    rec.release.set()
    rec.server.shutdown()
    rec.server.server_close()
    thread.join(5)


# the app, the supplier, its endpoint ---------------------------------------------------


@pytest.fixture(scope="session")
def _wired_app(_app):
    return _app


@pytest.fixture
def wired(app, _wired_app):
    """The app with webhooks; `app` empties the tables after each test."""
    return _wired_app


@pytest.fixture
def runner(wired):
    return wired.test_cli_runner()


@pytest.fixture
def client(wired):
    return wired.test_client()


class FakeClock:
    def __init__(self):
        self.now = datetime.datetime.now(datetime.UTC)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += datetime.timedelta(**kwargs)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def worker(wired, clock):
    with DeliveryWorker("test-worker", clock=clock, rng=random.Random(7), timeout=5) as w:
        yield w


@pytest.fixture
def endpoint(wired, make_supplier, receiver):
    """An endpoint of the supplier at the receiver; returns (id, secret)."""

    def make(events=(CREATED,), supplier=SUPPLIER, make_the_supplier=True):
        if make_the_supplier:
            make_supplier(supplier)
        with wired.app_context():
            ep, secret = operations.add_endpoint(supplier, receiver.url, list(events))
            db.session.commit()
            receiver.secrets.append(secret)
            return ep.id, secret

    return make


def add_events(app, count=1, event_type=CREATED, supplier=SUPPLIER) -> list[int]:
    with app.app_context():
        events = [
            OutboxEvent(
                event_type=event_type, target=f"supplier:{supplier}", payload={"group_id": n}
            )
            for n in range(count)
        ]
        db.session.add_all(events)
        db.session.commit()
        return [e.id for e in events]


def delivery(app, event_id: int) -> Delivery:
    with app.app_context():
        row = db.session.scalar(select(Delivery).where(Delivery.event_id == event_id))
        db.session.expunge(row)
        return row


def run_until_settled(app, worker, clock, rounds=20) -> int:
    """Run rounds, jumping the fake clock to the next due attempt; bounded. Returns rounds run."""
    for n in range(rounds):
        with app.app_context():
            worker.run_once()
            due = db.session.scalar(
                select(func.min(Delivery.next_attempt_at)).where(Delivery.status == "pending")
            )
        if due is None:
            return n + 1
        due = due if due.tzinfo else due.replace(tzinfo=datetime.UTC)
        clock.now = max(clock.now, due)
    return rounds


# the tests ------------------------------------------------------------------------------


def test_a_paid_dropship_order_reaches_its_supplier_signed_and_once(
    wired, four_models, receiver, worker, clock
):
    with wired.app_context():
        _ep, secret = operations.add_endpoint(SUPPLIER, receiver.url, [CREATED])
        db.session.commit()
    receiver.secrets.append(secret)
    place(wired, {four_models["drop"]: 2, four_models["stock"]: 1}, "k-1", paid=True)

    with wired.app_context():
        report = worker.run_once()
    assert (report.fanned_out, report.delivered) == (1, 1)
    with wired.app_context():
        assert worker.run_once().claimed == 0  # fanned out once, delivered once

    [request] = receiver.requests
    assert request["verified"] == {secret: True}
    payload = json.loads(request["body"])
    assert payload["type"] == CREATED
    assert payload["data"]["lines"] == [{"sku": four_models["drop"], "quantity": 2}]
    assert request["headers"]["webhook-signature"].startswith("v1,")
    with wired.app_context():
        attempt = db.session.scalar(select(DeliveryAttempt))
        assert (attempt.status_code, attempt.response_body, attempt.number) == (200, "ok", 1)


def test_only_subscribed_event_types_are_sent(wired, endpoint, receiver, worker):
    endpoint(events=("order_group.cancelled",))
    add_events(wired, 1, CREATED)
    [cancelled] = add_events(wired, 1, "order_group.cancelled")
    with wired.app_context():
        assert worker.run_once().delivered == 1
    assert json.loads(receiver.requests[0]["body"])["data"]["event_id"] == cancelled


def test_three_failures_then_success_keep_one_webhook_id(wired, endpoint, receiver, worker, clock):
    endpoint()
    [event_id] = add_events(wired)
    receiver.script = [(500, {}), (503, {}), (302, {"Location": "/elsewhere"})]

    run_until_settled(wired, worker, clock)

    ids = receiver.ids()
    assert len(ids) == 4 and len(set(ids)) == 1
    assert all(all(r["verified"].values()) for r in receiver.requests)
    timestamps = [r["headers"]["webhook-timestamp"] for r in receiver.requests]
    assert all(ts.isdigit() for ts in timestamps)
    row = delivery(wired, event_id)
    assert (row.status, row.attempts, row.message_id) == ("delivered", 4, ids[0])


def test_the_whole_schedule_runs_to_the_dead_letters_and_replay_sends_again(
    wired, endpoint, receiver, worker, clock, runner
):
    endpoint()
    [event_id] = add_events(wired)
    receiver.script = [(500, {})] * 10
    due_times = []
    for _ in range(12):
        with wired.app_context():
            worker.run_once()
        row = delivery(wired, event_id)
        if row.status != "pending":
            break
        due = row.next_attempt_at.replace(tzinfo=datetime.UTC)
        due_times.append(due - clock.now)
        clock.now = due

    assert row.status == "dead" and row.attempts == 10
    assert len(receiver.requests) == 10 and len(set(receiver.ids())) == 1
    for waited, base in zip(due_times, RETRY_SCHEDULE, strict=True):
        assert base <= waited <= base * 1.1  # the schedule, with up to 10 % jitter
    with wired.app_context():
        assert [d.event_id for d in operations.dead_letters(SUPPLIER)] == [event_id]
    assert (
        "1 dead letters" in runner.invoke(args=["webhooks", "dead", "--supplier", SUPPLIER]).output
    )

    result = runner.invoke(args=["webhooks", "replay", "--supplier", SUPPLIER, "--event", event_id])
    assert result.exit_code == 0 and "1 deliveries" in result.output
    with wired.app_context():
        assert worker.run_once().delivered == 1
    assert receiver.ids()[-1] == receiver.ids()[0]  # the same webhook-id: the receiver dedupes
    assert delivery(wired, event_id).status == "delivered"


def test_410_disables_the_endpoint_and_parks_what_was_queued(wired, endpoint, receiver, worker):
    endpoint_id, _ = endpoint()
    first, second = add_events(wired, 2)
    receiver.script = [(410, {})]
    with wired.app_context():
        report = worker.run_once()
    assert report.disabled == 1 and len(receiver.requests) == 1
    with wired.app_context():
        ep = db.session.get(SupplierEndpoint, endpoint_id)
        assert not ep.is_active and "410" in ep.disabled_reason
    assert delivery(wired, first).status == delivery(wired, second).status == "disabled"
    add_events(wired, 1)
    with wired.app_context():
        assert worker.run_once().claimed == 0
    assert len(receiver.requests) == 1


def test_a_redirect_is_a_failure_and_is_not_followed(wired, endpoint, receiver, worker, clock):
    endpoint()
    [event_id] = add_events(wired)
    receiver.script = [(302, {"Location": receiver.url.replace("/hook", "/elsewhere")})]
    with wired.app_context():
        report = worker.run_once()
    assert report.failed == 1
    assert [r["path"] for r in receiver.requests] == ["/hook"]
    row = delivery(wired, event_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 302")
    waited = row.next_attempt_at.replace(tzinfo=datetime.UTC) - clock.now
    assert datetime.timedelta(seconds=5) <= waited <= datetime.timedelta(seconds=5.5)


def test_retry_after_is_honoured(wired, endpoint, receiver, worker, clock):
    endpoint()
    [event_id] = add_events(wired)
    receiver.script = [(429, {"Retry-After": "3600"})]
    with wired.app_context():
        worker.run_once()
    row = delivery(wired, event_id)
    assert row.next_attempt_at.replace(tzinfo=datetime.UTC) - clock.now == datetime.timedelta(
        hours=1
    )
    clock.advance(minutes=59)
    with wired.app_context():
        assert worker.run_once().claimed == 0
    clock.advance(minutes=1)
    with wired.app_context():
        assert worker.run_once().delivered == 1


def test_during_rotation_both_secrets_verify_and_after_it_only_the_new(
    wired, endpoint, receiver, worker, clock
):
    endpoint_id, old = endpoint()
    with wired.app_context():
        new = operations.rotate_secret(
            db.session.get(SupplierEndpoint, endpoint_id), datetime.timedelta(hours=1), clock()
        )
        db.session.commit()
    receiver.secrets.append(new)
    add_events(wired)
    with wired.app_context():
        worker.run_once()
    [during] = receiver.requests
    assert during["verified"] == {old: True, new: True}
    assert len(during["headers"]["webhook-signature"].split(" ")) == 2

    clock.advance(hours=2)
    add_events(wired)
    with wired.app_context():
        worker.run_once()
    after = receiver.requests[1]
    assert after["verified"] == {old: False, new: True}


def test_add_endpoint_prints_a_fresh_secret_once_and_checks_its_input(wired, runner, make_supplier):
    make_supplier(SUPPLIER)
    args = ["webhooks", "add-endpoint", "--supplier", SUPPLIER, "--url"]
    result = runner.invoke(
        args=[
            *args,
            "https://s.example/hook",
            "--events",
            "order_group.created,order_group.cancelled",
        ]
    )
    assert result.exit_code == 0, result.output
    secret = result.output.split("shown once, give it to the supplier): ")[1].strip()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    with wired.app_context():
        ep = db.session.scalar(select(SupplierEndpoint))
        assert ep.secret == secret
        assert ep.event_types == ["order_group.cancelled", "order_group.created"]

    bad_url = runner.invoke(args=[*args, "ftp://s.example", "--events", CREATED])
    assert bad_url.exit_code == 1 and "https:// address" in bad_url.output
    # the back office's rules: plain http only to this machine, events the shop sends
    plain = runner.invoke(args=[*args, "http://s.example/hook", "--events", CREATED])
    assert plain.exit_code == 1 and "must start with https://" in plain.output
    made_up = runner.invoke(args=[*args, "https://s.example/2", "--events", "order.exploded"])
    assert made_up.exit_code == 1 and "not an event the shop sends" in made_up.output
    unknown = runner.invoke(
        args=[*args[:2], "--supplier", "nobody", "--url", "https://x.example", "--events", CREATED]
    )
    assert unknown.exit_code == 1 and "no supplier" in unknown.output

    rotated = runner.invoke(args=["webhooks", "rotate-secret", "--supplier", SUPPLIER])
    assert rotated.exit_code == 0 and secret not in rotated.output
    with wired.app_context():
        ep = db.session.scalar(select(SupplierEndpoint))
        assert ep.previous_secret == secret and ep.secret in rotated.output
