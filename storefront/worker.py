"""The worker: one process runs all the shop's deferred work, `flask worker` (`flask shop
worker` when the shop is mounted in a host app).

It imports no feature: features (and a host app's own code) give it jobs with
`setup.add_job(name, func, every=None)` in their `init_app`, and it runs what is registered.

- A drain job (`every=None`) runs on every round of every worker; it claims its own
  work (webhook deliveries by lease, e-mails from their queue, ...) and returns how many
  items it handled, 0 when idle. Registered today: `webhooks.deliver`; the mail feature
  adds `mail.send` (`storefront.mail.send_due`) from its own `init_app` the same way.
- A periodic job (`every=<seconds>`) runs at most once per interval across all workers
  on all machines, scheduled in `shop_scheduled_job`: a worker claims a due job with a
  conditional UPDATE (a lease, `locked_by`/`locked_until`), runs it in its own transaction
  (the job flushes, the worker commits; on an error it rolls back, logs and records it),
  then sets the next run. A worker killed mid-job holds its lease until it runs out; then
  another worker runs the job. Registered today: `orders.release_expired`,
  `delivery.service_levels`, `fx.refresh`.

Scaling is running more workers, on any machine, against one PostgreSQL database; no cron.
Like a CLI command the worker is a runner: it commits after each step.
"""

from __future__ import annotations

import datetime
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import click
from flask.cli import with_appcontext
from sqlalchemy import DateTime, String, Text, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from . import clock as shop_clock
from .config import settings
from .db import db
from .mount import Job, ShopSetup, state

log = logging.getLogger(__name__)

DEFAULTS = {
    # How long a periodic run may take before another worker may start the job again.
    "WORKER_LEASE_SECONDS": 600,
    # How long a worker waits after a round in which no job had anything to do.
    "WORKER_IDLE_SECONDS": 1.0,
}
ERROR_KEPT = 500

Clock = Callable[[], datetime.datetime]


class ScheduledJob(db.Model):
    """When a periodic job runs next, who runs it now, and how its last run went."""

    __tablename__ = "shop_scheduled_job"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_run_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    last_started_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    last_finished_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")
    runs: Mapped[int] = mapped_column(default=0, server_default="0")


@dataclass
class JobRun:
    """One run of one job: how many items it handled, how long it took, what went wrong."""

    name: str
    items: int = 0
    seconds: float = 0.0
    error: str = ""


@dataclass
class WorkerReport:
    """What one round did: a run per drain job, and one per periodic job that was due."""

    runs: list[JobRun] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(run.items for run in self.runs)

    def run_of(self, name: str) -> JobRun | None:
        return next((run for run in self.runs if run.name == name), None)


def registered_jobs() -> dict[str, Job]:
    """The jobs registered in the current app, by name."""
    return dict(state().jobs)


class UnknownJob(click.BadParameter):
    pass


class Worker:
    """Runs the registered jobs; `clock` is injectable so tests can run the schedule.

    `only`: the names of the jobs this worker runs (all when None).
    """

    def __init__(
        self,
        name: str | None = None,
        *,
        clock: Clock = shop_clock.now,
        only: Iterable[str] | None = None,
    ):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 10000}"
        self.clock = clock
        jobs = registered_jobs()
        if only is not None:
            only = list(only)
            unknown = sorted(set(only) - set(jobs))
            if unknown:
                raise UnknownJob(
                    f"No job {', '.join(unknown)}; the jobs are: {', '.join(sorted(jobs))}."
                )
            jobs = {name: job for name, job in jobs.items() if name in only}
        self.jobs = jobs
        self.lease = datetime.timedelta(seconds=settings()["WORKER_LEASE_SECONDS"])
        self._scheduled = False  # the periodic jobs have their rows
        self._stop: threading.Event | None = None

    @property
    def drain_jobs(self) -> list[Job]:
        return [job for job in self.jobs.values() if not job.periodic]

    @property
    def periodic_jobs(self) -> list[Job]:
        return [job for job in self.jobs.values() if job.periodic]

    def _stopping(self) -> bool:
        return self._stop is not None and self._stop.is_set()

    # one round -------------------------------------------------------------------------
    def run_once(self) -> WorkerReport:
        """Every drain job once, then every periodic job that is due (and won)."""
        report = WorkerReport()
        for job in self.drain_jobs:
            if self._stopping():
                return report
            report.runs.append(self._run_drain(job))
        for job in self.due():
            if self._stopping():
                return report
            if self.claim(job.name):
                report.runs.append(self._run_periodic(job))
        return report

    def run(self, stop: threading.Event, idle_seconds: float = 1.0) -> None:
        """Run rounds until `stop` is set; waits only after a round with nothing to do."""
        self._stop = stop
        try:
            while not stop.is_set():
                try:
                    report = self.run_once()
                except Exception:  # a database hiccup must not end the worker; log and go on
                    db.session.rollback()
                    log.exception("worker round failed")
                    report = WorkerReport()
                if not report.items:
                    stop.wait(idle_seconds)
        finally:
            self._stop = None

    # running a job ---------------------------------------------------------------------
    def _call(self, job: Job) -> JobRun:
        run = JobRun(job.name)
        began = time.monotonic()
        try:
            run.items = int(job.func() or 0)
            db.session.commit()
        except Exception as exc:  # the job's own failure: recorded, and the worker goes on
            db.session.rollback()
            log.exception("job %s failed", job.name)
            run.error = f"{type(exc).__name__}: {exc}"[:ERROR_KEPT]
        run.seconds = time.monotonic() - began
        level = logging.INFO if run.items or run.error or job.periodic else logging.DEBUG
        log.log(
            level,
            "job %s: %s items in %.3f s%s",
            job.name,
            run.items,
            run.seconds,
            f" (failed: {run.error})" if run.error else "",
        )
        return run

    def _run_drain(self, job: Job) -> JobRun:
        return self._call(job)

    def _run_periodic(self, job: Job) -> JobRun:
        run = self._call(job)
        now = self.clock()
        db.session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.name == job.name, ScheduledJob.locked_by == self.name)
            .values(
                locked_by=None,
                locked_until=None,
                last_finished_at=now,
                next_run_at=now + datetime.timedelta(seconds=job.every),
                last_error=run.error,
                runs=ScheduledJob.runs + 1,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return run

    # the schedule ----------------------------------------------------------------------
    def _schedule(self) -> None:
        """Give each periodic job its row (due now) if it has none yet."""
        names = [job.name for job in self.periodic_jobs]
        known = set(
            db.session.scalars(select(ScheduledJob.name).where(ScheduledJob.name.in_(names)))
        )
        missing = [name for name in names if name not in known]
        if missing:
            rows = [dict(name=name, next_run_at=self.clock()) for name in missing]
            dialect = db.session.get_bind().dialect.name
            if dialect in ("postgresql", "sqlite"):
                if dialect == "postgresql":
                    from sqlalchemy.dialects.postgresql import insert as dialect_insert
                else:
                    from sqlalchemy.dialects.sqlite import insert as dialect_insert
                db.session.execute(dialect_insert(ScheduledJob).on_conflict_do_nothing(), rows)
            else:
                try:
                    db.session.execute(insert(ScheduledJob), rows)
                except IntegrityError:  # another worker made them first
                    db.session.rollback()
        db.session.commit()
        self._scheduled = True

    def _claimable(self, now: datetime.datetime):
        return (
            ScheduledJob.next_run_at <= now,
            or_(ScheduledJob.locked_until.is_(None), ScheduledJob.locked_until < now),
        )

    def due(self) -> list[Job]:
        """The periodic jobs of this worker that are due and not held by a live worker."""
        if not self.periodic_jobs:
            return []
        if not self._scheduled:
            self._schedule()
        names = set(
            db.session.scalars(
                select(ScheduledJob.name).where(
                    ScheduledJob.name.in_([job.name for job in self.periodic_jobs]),
                    *self._claimable(self.clock()),
                )
            )
        )
        db.session.commit()
        return [job for job in self.periodic_jobs if job.name in names]

    def claim(self, name: str) -> bool:
        """Lease the periodic job `name` to this worker if it is due; False if another
        worker holds it or ran it this interval. The WHERE is checked again under the row's
        write lock, so of two workers claiming at once one wins."""
        job = self.jobs[name]
        if not self._scheduled:
            self._schedule()
        now = self.clock()
        lease = datetime.timedelta(seconds=job.lease) if job.lease else self.lease
        won = db.session.execute(
            update(ScheduledJob)
            .where(ScheduledJob.name == name, *self._claimable(now))
            .values(locked_by=self.name, locked_until=now + lease, last_started_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        return bool(won)


# `flask worker` ----------------------------------------------------------------------------


class _Echo(logging.Handler):
    """The worker's log lines on the command's output."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record))


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one round (every drain job, due periodic jobs).")
@click.option(
    "--only",
    "only",
    multiple=True,
    metavar="NAME",
    help="Run only this job (repeat for several), e.g. --only webhooks.deliver.",
)
@with_appcontext
def worker_command(once: bool, only: tuple[str, ...]) -> None:
    """Run the shop's deferred work until stopped: webhook deliveries, expired stock holds,
    service-level checks, FX rates (Ctrl-C or SIGTERM finish the current job first)."""
    handler = _Echo()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    before, disabled = log.level, log.disabled
    # A logging config loaded earlier in the process (Alembic's fileConfig) may have
    # disabled existing loggers; the command's own lines are what it is run for.
    log.disabled = False
    log.addHandler(handler)
    # One round shows every job; a running worker only the runs that did something.
    log.setLevel(logging.DEBUG if once else logging.INFO)
    try:
        worker = Worker(only=only or None)
        jobs = ", ".join(
            f"{job.name} (every {job.every:g} s)" if job.periodic else job.name
            for job in worker.drain_jobs + worker.periodic_jobs
        )
        log.info("worker %s started: %s", worker.name, jobs or "no jobs")
        if once:
            worker.run_once()
        else:
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            worker.run(stop, idle_seconds=settings()["WORKER_IDLE_SECONDS"])
        log.info("worker %s stopped", worker.name)
    finally:
        log.removeHandler(handler)
        log.setLevel(before)
        log.disabled = disabled


def init_app(setup: ShopSetup) -> None:
    for key, value in DEFAULTS.items():
        setup.config.setdefault(key, value)
    setup.cli.add_command(worker_command)  # `flask shop worker`
    if setup.standalone:
        setup.app.cli.add_command(worker_command)  # and `flask worker` in the shop's own app
