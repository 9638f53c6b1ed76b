"""The mail sender: claims due messages, hands them to the SMTP server, records the outcome.

Several senders may run in several workers on several machines. A message is claimed
with a lease (`locked_by`, `locked_until`): on PostgreSQL with SELECT ... FOR UPDATE
SKIP LOCKED, elsewhere with a conditional UPDATE, so two senders never claim one message.
The lease is renewed before a send when it might run out during it. A sender that dies
mid-send holds the lease until it runs out; another then sends the message again, with
the same Message-ID.

Like a CLI command it commits after each step, and never talks SMTP inside a transaction.
A refused or unreachable server leaves the message pending, retried on `RETRY_SCHEDULE`;
after the last wait it is "dead" (shown in the back office at /admin/mail). With no
MAIL_SERVER set, nothing is sent: messages wait.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import os
import random
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import or_, select, update

from .. import clock
from ..config import settings
from ..db import as_utc, db
from .operations import sender_address
from .tables import MailMessage, MailStatus

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failed attempt; after the last attempt the message is dead.
RETRY_SCHEDULE = tuple(
    datetime.timedelta(seconds=s)
    for s in (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 12 * 3600, 24 * 3600)
)
MAX_ATTEMPTS = len(RETRY_SCHEDULE) + 1
JITTER = 0.1  # up to +10 % on each wait, so retries after one outage do not come together
ERROR_KEPT = 500

Clock = Callable[[], datetime.datetime]


def retry_delay(attempts: int, rng: random.Random) -> datetime.timedelta:
    """How long to wait after `attempts` failed attempts (1-based), jitter included."""
    base = RETRY_SCHEDULE[min(attempts, len(RETRY_SCHEDULE)) - 1]
    return base * (1 + rng.uniform(0, JITTER))


@dataclass
class SendReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0  # to be retried
    dead: int = 0
    message_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SmtpSettings:
    server: str
    port: int
    use_tls: bool
    use_ssl: bool
    username: str | None
    password: str | None
    timeout: float

    @classmethod
    def current(cls) -> SmtpSettings:
        config = settings()
        return cls(
            server=str(config.get("MAIL_SERVER") or ""),
            port=int(config.get("MAIL_PORT") or 25),
            use_tls=bool(config.get("MAIL_USE_TLS")),
            use_ssl=bool(config.get("MAIL_USE_SSL")),
            username=config.get("MAIL_USERNAME") or None,
            password=config.get("MAIL_PASSWORD") or None,
            timeout=float(config.get("MAIL_TIMEOUT_SECONDS") or 10),
        )


def build_message(message: MailMessage, sender: str) -> EmailMessage:
    """The MIME message: text, and HTML as its alternative; UTF-8 headers and bodies."""
    mime = EmailMessage()
    mime["Subject"] = message.subject
    mime["From"] = sender
    mime["To"] = message.to_address
    mime["Date"] = email.utils.format_datetime(as_utc(message.created_at))
    mime["Message-ID"] = message.message_id
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.text_body, charset="utf-8")
    if message.html_body:
        mime.add_alternative(message.html_body, subtype="html", charset="utf-8")
    if message.locale:  # after the parts: making them moves Content-* headers into the first
        mime["Content-Language"] = message.locale.replace("_", "-")
    return mime


class Connection:
    """One SMTP session, opened on the first send of a round and reused for the rest."""

    def __init__(self, config: SmtpSettings):
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, mime: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        self.smtp.send_message(mime)

    def _open(self) -> smtplib.SMTP:
        config = self.config
        if config.use_ssl:
            smtp = smtplib.SMTP_SSL(
                config.server,
                config.port,
                timeout=config.timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config.server, config.port, timeout=config.timeout)
        try:
            if config.use_tls and not config.use_ssl:
                smtp.starttls(context=ssl.create_default_context())
            if config.username:
                smtp.login(config.username, config.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def drop(self) -> None:
        """Forget a session after an error: the next send opens a fresh one."""
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    close = drop


class MailSender:
    """Sends due mails; `clock` and `rng` are injectable so tests can run the schedule."""

    def __init__(
        self,
        name: str | None = None,
        *,
        clock: Clock = clock.now,
        rng: random.Random | None = None,
        batch: int = 20,
        lease: datetime.timedelta | None = None,
    ):
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 10000}"
        self.clock = clock
        self.rng = rng or random.Random()
        self.batch = batch
        self._lease = lease
        self._leased_until: datetime.datetime | None = None

    # one round ---------------------------------------------------------------------
    def run_once(self) -> SendReport:
        """Send one batch of due mails; with no MAIL_SERVER set, nothing (they wait)."""
        report = SendReport()
        config = SmtpSettings.current()
        if not config.server:
            return report
        connection = Connection(config)
        try:
            for message_id in self.claim(config):
                report.claimed += 1
                self._send(message_id, connection, config, report)
        finally:
            connection.close()
        return report

    def run(self, stop: threading.Event, idle_seconds: float = 1.0) -> None:
        """Send until `stop` is set; sleeps only when a round found nothing to do."""
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # a database hiccup must not end the sender; log and go on
                db.session.rollback()
                log.exception("mail sender round failed")
                report = SendReport()
            if not report.claimed:
                stop.wait(idle_seconds)

    def lease(self, config: SmtpSettings) -> datetime.timedelta:
        """Longer than one send can take (connect, TLS, login, data: each up to the timeout)."""
        return self._lease or datetime.timedelta(seconds=max(60, 4 * config.timeout + 10))

    # claiming ----------------------------------------------------------------------
    def _due(self, now: datetime.datetime):
        return (
            MailMessage.status == MailStatus.PENDING,
            MailMessage.next_attempt_at <= now,
            or_(MailMessage.locked_until.is_(None), MailMessage.locked_until < now),
        )

    def claim(self, config: SmtpSettings | None = None) -> list[int]:
        """Lease up to `batch` due messages to this sender; returns their ids."""
        lease = self.lease(config or SmtpSettings.current())
        now = self.clock()
        values = dict(
            locked_by=self.name, locked_until=now + lease, attempts=MailMessage.attempts + 1
        )
        candidates = (
            select(MailMessage.id)
            .where(*self._due(now))
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(self.batch)
        )
        if db.session.get_bind().dialect.name == "postgresql":
            ids = list(db.session.scalars(candidates.with_for_update(skip_locked=True)))
            if ids:
                db.session.execute(
                    update(MailMessage)
                    .where(MailMessage.id.in_(ids))
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        else:
            ids = []
            for message_id in db.session.scalars(candidates).all():
                # The WHERE is checked again under SQLite's write lock: one sender wins each row.
                won = db.session.execute(
                    update(MailMessage)
                    .where(MailMessage.id == message_id, *self._due(now))
                    .values(**values)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won:
                    ids.append(message_id)
        db.session.commit()
        self._leased_until = now + lease if ids else None
        return ids

    def _holds(self, message_id: int, config: SmtpSettings) -> bool:
        """Whether this sender still holds the message for a whole send: renewed (a write
        and a commit) only when the batch's lease might run out during it."""
        margin = datetime.timedelta(seconds=4 * config.timeout + 5)
        if self._leased_until is not None and self._leased_until - self.clock() > margin:
            return True
        held = db.session.execute(
            update(MailMessage)
            .where(
                MailMessage.id == message_id,
                MailMessage.locked_by == self.name,
                MailMessage.status == MailStatus.PENDING,
            )
            .values(locked_until=self.clock() + self.lease(config))
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        return bool(held)

    # sending -----------------------------------------------------------------------
    def _send(
        self, message_id: int, connection: Connection, config: SmtpSettings, report: SendReport
    ) -> None:
        if not self._holds(message_id, config):
            return
        message = db.session.get(MailMessage, message_id, populate_existing=True)
        held = message is not None and message.locked_by == self.name
        if not held or message.status != MailStatus.PENDING:
            db.session.commit()  # taken over by another sender meanwhile
            return
        mime = build_message(message, sender_address())
        number = message.attempts
        report.message_ids.append(message.message_id)
        db.session.commit()  # end the read transaction: none stays open over SMTP
        error = ""
        try:
            connection.send(mime)
        except (smtplib.SMTPException, OSError, UnicodeError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:ERROR_KEPT]
            connection.drop()
        self._record(message_id, number, error, report)

    def _record(self, message_id: int, number: int, error: str, report: SendReport) -> None:
        now = self.clock()
        mine = (MailMessage.id == message_id, MailMessage.status == MailStatus.PENDING)
        released = dict(locked_by=None, locked_until=None)
        if not error:
            # Sent even if the lease ran out meanwhile: the server has it.
            values = dict(status=MailStatus.SENT, sent_at=now, last_error="", **released)
            report.sent += 1
        elif number >= MAX_ATTEMPTS:
            values = dict(status=MailStatus.DEAD, last_error=error, **released)
            report.dead += 1
        else:
            wait = retry_delay(number, self.rng)
            values = dict(next_attempt_at=now + wait, last_error=error, **released)
            report.failed += 1
        statement = update(MailMessage).where(*mine)
        if error:
            statement = statement.where(MailMessage.locked_by == self.name)
        db.session.execute(statement.values(**values).execution_options(synchronize_session=False))
        db.session.commit()
        log.info("mail %s attempt %s: %s", message_id, number, error or "sent")
