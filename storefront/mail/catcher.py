"""A catch-all SMTP server (aiosmtpd): every mail it receives is written as a .eml file."""

from __future__ import annotations

import email
import email.policy
import os
from collections.abc import Callable

from aiosmtpd.controller import Controller

from .. import clock


class EmlFolder:
    """aiosmtpd handler: writes each message into `folder`, tells `on_mail` one line."""

    def __init__(self, folder: str, on_mail: Callable[[str], None] | None = None):
        self.folder = folder
        self.on_mail = on_mail
        self.count = 0
        os.makedirs(folder, exist_ok=True)

    async def handle_DATA(self, server, session, envelope) -> str:
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        self.count += 1
        name = f"{clock.now():%Y%m%d-%H%M%S}-{os.getpid()}-{self.count:04d}.eml"
        path = os.path.join(self.folder, name)
        with open(path, "wb") as file:
            file.write(data)
        if self.on_mail:
            to = ", ".join(envelope.rcpt_tos)
            self.on_mail(f"{envelope.mail_from} -> {to}: {parsed.get('Subject', '')} ({path})")
        return "250 Message accepted for delivery"


class Catcher:
    """`with Catcher(folder, host, port): ...` serves SMTP in a thread meanwhile."""

    def __init__(
        self,
        folder: str,
        host: str = "127.0.0.1",
        port: int = 8025,
        on_mail: Callable[[str], None] | None = None,
    ):
        self.handler = EmlFolder(folder, on_mail)
        self.controller = Controller(self.handler, hostname=host, port=port, decode_data=False)

    def __enter__(self) -> Catcher:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
