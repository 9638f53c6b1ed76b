"""Whether a buyer may return units, in one place: only delivered groups, no more units
than bought less those already in a return (not refused), within the channel's return
window from the group's delivery, never shorter than the law's floor for EU and UK
consumers. Every refusal is in the buyer's language and names the field."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func, select

from .. import clock
from ..db import as_utc, db
from ..errors import InputError
from ..markets.rules import current_rules
from ..orders.states import GroupStatus
from ..orders.tables import Order, OrderGroup, OrderLine
from .tables import REASONS, RESOLUTIONS, ReturnLine, ReturnRequest, ReturnStatus

# EU and UK consumers may withdraw within 14 days of delivery (Directive 2011/83/EU art. 9,
# the UK's Consumer Contracts Regulations 2013 reg. 30): a shop may give more, never less.
LEGAL_FLOOR_DAYS = 14
FLOOR_COUNTRIES_BEYOND_EU = frozenset({"GB"})
NOTE_LONGEST = 500


class ReturnRefused(InputError):
    """A return the rules do not allow (or asked for in an unusable shape)."""

    code = "return_refused"
    status = 422


@dataclass(frozen=True)
class Wanted:
    """Units of one order line the buyer asks to return."""

    line: OrderLine
    quantity: int


def window_days(order: Order) -> int:
    """The days after delivery the buyer of `order` may ask to return its goods."""
    days = order.channel.return_days
    if order.wholesale:  # a trade buyer follows the shop's terms
        return days
    floor_countries = current_rules().groups.get("EU", frozenset()) | FLOOR_COUNTRIES_BEYOND_EU
    if order.country in floor_countries:
        return max(days, LEGAL_FLOOR_DAYS)
    return days


def returned_units(order_line_ids: list[int]) -> Counter:
    """Units of each order line already in a return that was not refused."""
    rows = db.session.execute(
        select(ReturnLine.order_line_id, func.sum(ReturnLine.quantity))
        .join(ReturnRequest, ReturnRequest.id == ReturnLine.return_id)
        .where(
            ReturnLine.order_line_id.in_(order_line_ids),
            ReturnRequest.status != ReturnStatus.REFUSED,
        )
        .group_by(ReturnLine.order_line_id)
    )
    return Counter({line_id: int(units) for line_id, units in rows})


def _wanted_lines(order: Order, raw) -> list[Wanted]:
    if not isinstance(raw, list) or not raw:
        raise ReturnRefused(
            gettext("Choose the items to return: a list of SKUs and quantities."),
            "invalid_lines",
            "lines",
        )
    by_sku = {line.sku: line for line in order.lines}
    wanted: dict[str, int] = {}
    for i, item in enumerate(raw):
        sku = item.get("sku") if isinstance(item, dict) else None
        quantity = item.get("quantity", 1) if isinstance(item, dict) else None
        if not isinstance(sku, str) or sku not in by_sku:
            raise ReturnRefused(
                gettext("This order has no item %(sku)s.", sku=str(sku)[:64]),
                "unknown_sku",
                f"lines[{i}].sku",
            )
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ReturnRefused(
                gettext("The quantity must be a whole number above 0."),
                "invalid_quantity",
                f"lines[{i}].quantity",
            )
        wanted[sku] = wanted.get(sku, 0) + quantity
    return [Wanted(by_sku[sku], quantity) for sku, quantity in wanted.items()]


def _one_delivered_group(wanted: list[Wanted]) -> OrderGroup:
    groups = {w.line.group_id: w.line.group for w in wanted}
    if len(groups) > 1:
        raise ReturnRefused(
            gettext("These items came in separate parcels: return each parcel's on its own."),
            "several_parcels",
            "lines",
        )
    group = next(iter(groups.values()))
    if group.status != GroupStatus.DELIVERED or group.delivered_at is None:
        raise ReturnRefused(
            gettext(
                "%(sku)s has not been delivered yet: it can be returned once it arrives.",
                sku=wanted[0].line.sku,
            ),
            "not_delivered",
            "lines",
        )
    return group


def _within_window(order: Order, group: OrderGroup, now: datetime.datetime) -> None:
    days = window_days(order)
    until = as_utc(group.delivered_at) + datetime.timedelta(days=days)
    if now > until:
        raise ReturnRefused(
            gettext(
                "The return window of %(days)s days after delivery closed on %(date)s.",
                days=days,
                date=until.date().isoformat(),
            ),
            "outside_return_window",
            "lines",
        )


def _units_left(wanted: list[Wanted]) -> None:
    already = returned_units([w.line.id for w in wanted])
    for w in wanted:
        left = w.line.quantity - already[w.line.id]
        if w.quantity <= left:
            continue
        if already[w.line.id]:
            raise ReturnRefused(
                gettext(
                    "%(returned)s of %(sku)s are already in a return: %(left)s can still be "
                    "returned.",
                    returned=already[w.line.id],
                    sku=w.line.sku,
                    left=max(left, 0),
                ),
                "already_returned",
                "lines",
            )
        raise ReturnRefused(
            gettext(
                "Only %(bought)s of %(sku)s were bought.", bought=w.line.quantity, sku=w.line.sku
            ),
            "more_than_bought",
            "lines",
        )


def check_reason(reason, note, resolution) -> tuple[str, str, str]:
    if reason not in REASONS:
        raise ReturnRefused(
            gettext("Choose a reason: %(reasons)s.", reasons=", ".join(REASONS)),
            "invalid_reason",
            "reason",
        )
    if note is None:
        note = ""
    if not isinstance(note, str) or len(note) > NOTE_LONGEST:
        raise ReturnRefused(
            gettext("The note must be text of at most %(n)s characters.", n=NOTE_LONGEST),
            "invalid_note",
            "note",
        )
    note = note.strip()
    if reason == "other" and not note:
        raise ReturnRefused(
            gettext("Tell us in the note why you return it."), "note_required", "note"
        )
    if resolution not in RESOLUTIONS:
        raise ReturnRefused(
            gettext("Choose refund or exchange."), "invalid_resolution", "resolution"
        )
    return reason, note, resolution


def check_lines(order: Order, raw_lines) -> tuple[OrderGroup, list[Wanted]]:
    """The group and the units asked for, if the rules allow them; ReturnRefused otherwise.
    The caller holds the order's row lock, so two requests cannot both take the last units."""
    wanted = _wanted_lines(order, raw_lines)
    group = _one_delivered_group(wanted)
    _within_window(order, group, clock.now())
    _units_left(wanted)
    return group, wanted
