"""`shop mail send`: the sender as a command; `shop mail catch`: a catch-all SMTP server
for the demo and for trying the shop out, writing each mail it gets as a .eml file."""

from __future__ import annotations

import contextlib
import signal
import threading

import click
from flask.cli import AppGroup

from ..config import settings
from .sender import MailSender

mail_cli = AppGroup("mail", help="E-mail: send the queue, or catch mails locally.")


@mail_cli.command("send")
@click.option("--once", is_flag=True, help="Send one batch of due mails and stop.")
def send(once: bool) -> None:
    """Send queued mails until stopped (Ctrl-C), or one batch with --once."""
    sender = MailSender()
    if once:
        report = sender.run_once()
        click.echo(f"sent {report.sent}, to retry {report.failed}, dead {report.dead}")
        return
    if not settings().get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is empty: sending is off, mails wait in the queue.")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"Sending mail through {settings()['MAIL_SERVER']}:{settings()['MAIL_PORT']}")
    with contextlib.suppress(KeyboardInterrupt):
        sender.run(stop, idle_seconds=float(settings()["MAIL_IDLE_SECONDS"]))


@mail_cli.command("catch")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@click.option(
    "--folder",
    default="instance/mail",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where each mail is written as a .eml file.",
)
def catch(host: str, port: int, folder: str) -> None:
    """A local SMTP server that accepts every mail and keeps it as a .eml file."""
    from .catcher import Catcher

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Catcher(folder, host, port, on_mail=click.echo):
        click.echo(f"Catching mail on {host}:{port}, writing .eml files to {folder}", err=True)
        with contextlib.suppress(KeyboardInterrupt):
            while not stop.wait(1):
                pass
