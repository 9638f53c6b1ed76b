"""Queue a mail in the caller's transaction; render one from the shop's mail templates.

Services flush and never commit: a mail queued by a checkout that is rolled back is
never sent. `sender.MailSender` sends what was committed.
"""

from __future__ import annotations

import datetime
import email.utils
from weakref import WeakKeyDictionary

from flask import current_app
from flask_babel import force_locale, gettext
from jinja2 import Environment, TemplateNotFound

from .. import clock
from ..config import settings
from ..db import db
from ..errors import InputError
from ..links import absolute_url  # noqa: F401  (links in mails: callers import it here)
from ..mount import render_template, state
from .tables import MailMessage, MailStatus

TEMPLATES = "mail"


class InvalidAddress(InputError):
    code = "invalid_email"
    status = 400


def sender_address() -> str:
    """The From header: MAIL_SENDER, else the shop's name at shop@localhost."""
    configured = settings().get("MAIL_SENDER")
    if configured:
        return str(configured)
    return email.utils.formataddr((settings()["SHOP_NAME"], "shop@localhost"))


def _message_id() -> str:
    domain = email.utils.parseaddr(sender_address())[1].rpartition("@")[2] or "localhost"
    return email.utils.make_msgid(domain=domain)


def queue_mail(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    *,
    kind: str,
    reference: str = "",
    locale: str = "en",
) -> MailMessage:
    """Queue one mail to `to` (added and flushed in the caller's transaction, never
    committed). InvalidAddress when `to` is not one e-mail address."""
    address = email.utils.parseaddr(to or "")[1]
    if not address or "@" not in address or any(c in to for c in "\r\n"):
        raise InvalidAddress(gettext("Enter an e-mail address like name@example.com."), field="to")
    message = MailMessage(
        to_address=to.strip(),
        subject=" ".join(subject.split())[:300],
        text_body=text,
        html_body=html,
        kind=kind,
        reference=str(reference)[:80],
        locale=locale or "en",
        message_id=_message_id(),
        status=MailStatus.PENDING,
        attempts=0,
        next_attempt_at=clock.now(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def render_mail(template: str, locale: str, **context) -> tuple[str, str, str | None]:
    """(subject, text, html) of `templates/mail/<template>.subject.txt`, `.txt` and `.html`
    (the HTML part is optional), in `locale`: gettext and Babel's money and date formats
    speak it. Text parts are rendered with block tags trimmed, as plain text wants."""
    base = f"{TEMPLATES}/{template}"
    context.setdefault("locale", locale or "en")
    context.setdefault("shop_name", settings()["SHOP_NAME"])
    current_app.update_template_context(context)
    text_env = _text_env(state().jinja_env)
    with force_locale(locale or "en"):
        subject = text_env.get_template(f"{base}.subject.txt").render(context)
        text = _tidy(text_env.get_template(f"{base}.txt").render(context))
        html = render_template(f"{base}.html", **context) if _exists(f"{base}.html") else None
    return " ".join(subject.split()), text, html


_text_envs: WeakKeyDictionary[Environment, Environment] = WeakKeyDictionary()


def _text_env(env: Environment) -> Environment:
    """The shop's Jinja environment, for plain text: no autoescape, block lines dropped."""
    if env not in _text_envs:
        _text_envs[env] = env.overlay(autoescape=False, trim_blocks=True, lstrip_blocks=True)
    return _text_envs[env]


def _tidy(text: str) -> str:
    """No trailing spaces, at most one empty line in a row, one newline at the end."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip() + "\n"


def _exists(name: str) -> bool:
    try:
        state().jinja_env.get_template(name)
    except TemplateNotFound:
        return False
    return True


def send_templated(
    to: str, template: str, locale: str, *, reference: str = "", **context
) -> MailMessage:
    """Render a mail template in the buyer's `locale` and queue it (see `queue_mail`)."""
    subject, text, html = render_mail(template, locale, **context)
    kind = template.rsplit("/", 1)[-1]
    return queue_mail(to, subject, text, html, kind=kind, reference=reference, locale=locale)


def send_again(message: MailMessage, now: datetime.datetime) -> None:
    """A dead or waiting message goes out at the sender's next round, with a fresh
    schedule of retries (flushed). A sent one stays sent."""
    if message.status == MailStatus.SENT:
        return
    message.status = MailStatus.PENDING
    message.next_attempt_at = now
    message.attempts = 0
    db.session.flush()
