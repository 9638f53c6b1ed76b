"""E-mail that actually goes out: a durable queue (`shop_mail_message`) written in the
transaction of its cause, a sender that hands it to an SMTP server with retries, a
local catch-all server for the demo (`shop mail catch`).

The bottom of the features: it imports none of them. `operations.send_templated`
renders a mail in the buyer's language; `send_due()` sends one batch (the worker's job).
"""

from __future__ import annotations

from ..config import ConfigError
from ..mount import ShopSetup

DEFAULTS = {
    # Empty: sending is off, mails wait in the queue.
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS after connecting
    "MAIL_USE_SSL": False,  # TLS from the start (port 465)
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    # The From header; None: "<SHOP_NAME> <shop@localhost>".
    "MAIL_SENDER": None,
    "MAIL_TIMEOUT_SECONDS": 10,
    "MAIL_IDLE_SECONDS": 5.0,
}


def init_app(app: ShopSetup) -> None:
    from . import tables  # noqa: F401  (the tables belong to the app's metadata)
    from .cli import mail_cli

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if app.config["MAIL_USE_TLS"] and app.config["MAIL_USE_SSL"]:
        raise ConfigError(
            "Set MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL (TLS from the start), not both."
        )
    app.cli.add_command(mail_cli)
    app.add_job("mail.send", send_due)  # every worker round sends what is due


def send_due() -> int:
    """Send one batch of due mails (inside an app context); how many were handled."""
    from .sender import MailSender

    return MailSender().run_once().claimed
