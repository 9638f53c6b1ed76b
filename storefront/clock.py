"""The shop's one clock: every "now" and "today" in the shop comes from here (UTC), so a
test sets the time once with `frozen(moment)` and every feature sees the same moment."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

_set_to: list[datetime.datetime] = []


def now() -> datetime.datetime:
    return _set_to[-1] if _set_to else datetime.datetime.now(datetime.UTC)


def today() -> datetime.date:
    return now().date()


@contextmanager
def frozen(moment: datetime.datetime) -> Iterator[datetime.datetime]:
    """The clock stands at `moment` (an aware datetime) inside the block."""
    if moment.tzinfo is None:
        raise ValueError("Give the moment with its time zone (the shop's clock is UTC).")
    _set_to.append(moment.astimezone(datetime.UTC))
    try:
        yield _set_to[-1]
    finally:
        _set_to.pop()
