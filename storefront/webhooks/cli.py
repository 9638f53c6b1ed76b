"""`flask webhooks ...`: parse arguments, call the services, commit once."""

from __future__ import annotations

import datetime
import signal
import threading

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..config import settings
from ..db import db
from . import access, operations
from .operations import WebhookError
from .worker import DeliveryWorker

webhooks_cli = AppGroup("webhooks", help="Signed webhooks to suppliers.")


def _worker(batch: int) -> DeliveryWorker:
    cfg = settings()
    return DeliveryWorker(
        timeout=cfg["WEBHOOK_TIMEOUT_SECONDS"],
        lease=datetime.timedelta(seconds=cfg["WEBHOOK_LEASE_SECONDS"]),
        batch=batch,
    )


@webhooks_cli.command("worker")
@click.option(
    "--once", is_flag=True, help="Run one round (fan out, deliver what is due), then exit."
)
@click.option(
    "--batch",
    default=20,
    show_default=True,
    type=click.IntRange(1, 500),
    help="Deliveries claimed per round.",
)
def worker_command(once: bool, batch: int) -> None:
    """Deliver webhooks only, until stopped (Ctrl-C or SIGTERM finish the current delivery
    first). `flask worker` runs this and all other deferred work; this is its
    `--only webhooks.deliver`, kept for existing setups."""
    with _worker(batch) as worker:
        _run(worker, once)


def _run(worker: DeliveryWorker, once: bool) -> None:
    if once:
        report = worker.run_once()
        click.echo(
            f"fanned out {report.fanned_out}, claimed {report.claimed}, delivered "
            f"{report.delivered}, failed {report.failed}, dead {report.dead}, "
            f"disabled {report.disabled}"
        )
        return
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"webhook worker {worker.name} started")
    worker.run(stop, idle_seconds=settings()["WEBHOOK_IDLE_SECONDS"])
    click.echo(f"webhook worker {worker.name} stopped")


@webhooks_cli.command("add-endpoint")
@click.option("--supplier", "supplier_code", required=True, metavar="CODE")
@click.option("--url", required=True)
@click.option(
    "--events",
    required=True,
    multiple=True,
    help="Event types (repeat or comma-separate), e.g. order_group.created; * for all.",
)
def add_endpoint_command(supplier_code: str, url: str, events: tuple[str, ...]) -> None:
    """Register a supplier's webhook URL and print its signing secret (shown only this once).
    The rules are the back office's: https (plain http only to this machine in the demo),
    events the shop sends."""
    chosen = [t for item in events for t in item.replace(",", " ").split()]
    try:
        supplier = operations.supplier_by_code(supplier_code)
        endpoint, secret = access.add_endpoint(supplier, url, chosen, access.local_http_allowed())
    except WebhookError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"endpoint {endpoint.id} for {supplier_code}: {endpoint.url}")
    click.echo(f"events: {endpoint.event_types_text}")
    click.echo(f"secret (shown once, give it to the supplier): {secret}")


@webhooks_cli.command("rotate-secret")
@click.option("--supplier", "supplier_code", required=True, metavar="CODE")
@click.option("--endpoint", "endpoint_id", type=int, help="Only this endpoint of the supplier.")
@click.option(
    "--overlap-hours",
    default=24,
    show_default=True,
    type=click.IntRange(0, 24 * 30),
    help="How long the old secret keeps signing beside the new one.",
)
def rotate_secret_command(supplier_code: str, endpoint_id: int | None, overlap_hours: int) -> None:
    """Give an endpoint a new secret; both sign during the overlap. Prints it once."""
    try:
        endpoints = operations.endpoints_of(supplier_code)
    except WebhookError as exc:
        raise click.ClickException(str(exc)) from None
    if endpoint_id is not None:
        endpoints = [e for e in endpoints if e.id == endpoint_id]
    if not endpoints:
        raise click.ClickException(f"{supplier_code} has no such webhook endpoint.")
    overlap = datetime.timedelta(hours=overlap_hours)
    for endpoint in endpoints:
        secret = operations.rotate_secret(endpoint, overlap)
        click.echo(f"endpoint {endpoint.id} ({endpoint.url}) new secret, shown once: {secret}")
    db.session.commit()
    click.echo(f"the old secrets keep signing for {overlap_hours} h")


@webhooks_cli.command("replay")
@click.option("--supplier", "supplier_code", required=True, metavar="CODE")
@click.option("--event", "event_id", type=int, help="Only this outbox event.")
def replay_command(supplier_code: str, event_id: int | None) -> None:
    """Send again a supplier's dead, parked or failing deliveries (same webhook-id)."""
    try:
        count = operations.replay(supplier_code, event_id)
    except WebhookError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"{count} deliveries queued again for {supplier_code}")


@webhooks_cli.command("dead")
@click.option("--supplier", "supplier_code", required=True, metavar="CODE")
def dead_command(supplier_code: str) -> None:
    """List a supplier's dead letters: deliveries that gave up or were parked."""
    try:
        rows = operations.dead_letters(supplier_code)
    except WebhookError as exc:
        raise click.ClickException(str(exc)) from None
    for delivery in rows:
        click.echo(
            f"event {delivery.event_id} {delivery.message_id} {delivery.status} "
            f"after {delivery.attempts} attempts: {delivery.last_error}"
        )
    click.echo(f"{len(rows)} dead letters")


@webhooks_cli.command("supplier-key")
@click.option("--supplier", "supplier_code", required=True, metavar="CODE")
@click.option("--email", required=True, help="An existing user with the supplier role.")
def supplier_key_command(supplier_code: str, email: str) -> None:
    """Link a supplier user to a supplier and print a new API key for it (shown once)."""
    from ..accounts.api_keys import issue_api_key
    from ..accounts.tables import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"There is no user {email}.")
    try:
        operations.grant_supplier_access(user, supplier_code)
    except WebhookError as exc:
        raise click.ClickException(str(exc)) from None
    _key, raw = issue_api_key(user)
    db.session.commit()
    click.echo(f"{email} acts for {supplier_code}; API key (shown once): {raw}")


@webhooks_cli.command("check-service-levels")
def check_service_levels_command() -> None:
    """Flag groups not accepted, shipped or delivered in time; tell each supplier once.
    (The worker runs this every 5 minutes as `delivery.service_levels`, which also mails
    staff and the group's shipper about each.)"""
    from .service_levels import overdue

    report = overdue()
    db.session.commit()
    for due in report.raised:
        click.echo(
            f"group {due.group.id} (order {due.group.order.number}) of {due.shipper}: "
            f"{due.kind} overdue since {due.due_at:%Y-%m-%d %H:%M} UTC"
        )
    click.echo(f"{len(report.late)} groups overdue, {len(report.raised)} newly reported")
