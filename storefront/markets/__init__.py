"""Markets (channels) as the shop runs them: lookup and the buyer's current channel."""

from __future__ import annotations

from flask import Flask, g, request
from sqlalchemy import select

from ..db import db
from .tables import Channel

CHANNEL_COOKIE = "channel"


class UnknownChannel(LookupError):
    def __init__(self, code: str):
        super().__init__(f"There is no channel {code!r}.")
        self.code = code


def all_channels() -> list[Channel]:
    return list(db.session.scalars(select(Channel).order_by(Channel.position, Channel.code)))


def channel_by_code(code: str) -> Channel:
    channel = db.session.scalar(select(Channel).where(Channel.code == code))
    if channel is None:
        raise UnknownChannel(code)
    return channel


def current_channel() -> Channel | None:
    """The channel from ?channel= or the cookie, else the first one; cached per request."""
    if "channel" not in g:
        wanted = request.args.get("channel") or request.cookies.get(CHANNEL_COOKIE)
        channels = all_channels()
        g.channel = next(
            (c for c in channels if c.code == wanted), channels[0] if channels else None
        )
    return g.channel


def init_app(app: Flask) -> None:
    pass
