"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the mail tests: it keeps every message
it receives, parsed; the shop's MAIL_SERVER and MAIL_PORT point at it meanwhile."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        """The text/<subtype> body, decoded."""
        found = self.message.get_body(preferencelist=(subtype,))
        assert found is not None and found.get_content_subtype() == subtype, subtype
        return found.get_content()


class SmtpServer:
    """Accepts every mail; `messages` in the order they arrived. `stop()` and `start()`
    take it down and bring it back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[Received] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]


@pytest.fixture
def smtp_server(app):
    server = SmtpServer()
    server.start()
    kept = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()
    app.config.update(kept)
