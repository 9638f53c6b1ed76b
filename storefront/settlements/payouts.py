"""Recording what the shop paid an agent: staff say "paid agent X amount Y currency Z for
the period A to B", and the agent's statements of that period net it. Flushes, never
commits."""

from __future__ import annotations

import datetime
import logging
import re
from decimal import Decimal, InvalidOperation

from channels.money import Money

from ..db import db
from ..errors import InputError
from ..fulfilment.tables import AgentCompany
from .tables import AgentPayout

log = logging.getLogger(__name__)

LARGEST = Decimal("10000000000")
NOTE_LONGEST = 300
_CURRENCY = re.compile(r"[A-Z]{3}")


class PayoutRefused(InputError):
    """A payout that cannot be recorded as given; `field` names the input."""

    code = "invalid_payout"
    status = 422


def _amount(raw) -> Decimal:
    try:
        amount = Decimal(str(raw).strip()) if isinstance(raw, str | int) else None
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or isinstance(raw, bool)
        or not amount.is_finite()
        or not 0 < amount < LARGEST
        or amount.as_tuple().exponent < -3
    ):
        raise PayoutRefused(
            "Enter the amount paid as a number above 0, like 120.50.", field="amount"
        )
    return amount


def _day(raw, name: str) -> datetime.date:
    if isinstance(raw, str):
        try:
            return datetime.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    raise PayoutRefused(f"{name!r} is a date like 2026-01-31.", field=name)


def record_payout(
    agent: AgentCompany, amount, currency, start, end, actor: str, note=None
) -> AgentPayout:
    """Record that the shop paid `agent` `amount` `currency` for `start`..`end` (inclusive).
    PayoutRefused naming the field when any input is unusable; nothing is written then."""
    amount = _amount(amount)
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency.strip().upper()):
        raise PayoutRefused("The currency is a three-letter code like EUR.", field="currency")
    currency = currency.strip().upper()
    first, last = _day(start, "from"), _day(end, "to")
    if first > last:
        raise PayoutRefused("The period starts after it ends.", field="to")
    note = "" if note is None else note
    if not isinstance(note, str) or len(note) > NOTE_LONGEST:
        raise PayoutRefused(f"The note is at most {NOTE_LONGEST} characters.", field="note")
    paid = Money(amount, currency).rounded()
    payout = AgentPayout(
        agent_id=agent.id,
        amount=paid.amount,
        currency=currency,
        period_start=first,
        period_end=last,
        note=note.strip(),
        actor=actor[:120],
    )
    db.session.add(payout)
    db.session.flush()
    log.info("Payout to agent %s: %s for %s..%s", agent.code, paid, first, last)
    return payout
