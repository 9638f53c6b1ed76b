"""The commission an agent gives back on goods of its groups' returns refunded in a period:
per return and brand, the goods' price refunded times the brand's rate, rounded half-up
once, as the commission on them was."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from channels.money import Money
from models_ import AGENT, ShipperRef

from ..db import as_utc, db
from ..fulfilment.tables import AgentCompany
from ..orders.states import OrderStatus
from ..orders.tables import Order, OrderGroup, OrderLine
from ..returns.tables import ReturnLine, ReturnRequest, ReturnStatus, ReturnStatusChange


@dataclass(frozen=True)
class Clawback:
    """A negative line of a statement: "returned RMA-..."."""

    rma: str
    brand_name: str
    currency: str
    rate: Decimal
    refunded: Money  # the returned goods' price, given back to the buyer
    commission: Money  # negative: the agent's commission on them, clawed back
    refunded_on: datetime.date

    @property
    def payable(self) -> Money:
        """The manufacturer's part of the refunded goods, negative."""
        return -(self.refunded + self.commission)

    @property
    def label(self) -> str:
        return f"returned {self.rma}"


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def clawbacks(
    agent: AgentCompany,
    brands: dict[int, tuple[str, str, Decimal]],
    start: datetime.date,
    end: datetime.date,
) -> list[Clawback]:
    """The returns of the agent's groups refunded from `start` to `end` (both included,
    UTC), one line per return and brand; `brands` maps a brand id to (slug, name, rate)."""
    rows = db.session.execute(
        select(
            ReturnRequest.rma,
            ReturnStatusChange.changed_at,
            OrderLine.brand_id,
            OrderLine.unit_amount,
            OrderLine.currency,
            ReturnLine.quantity,
        )
        .join(ReturnStatusChange, ReturnStatusChange.return_id == ReturnRequest.id)
        .join(OrderGroup, OrderGroup.id == ReturnRequest.group_id)
        .join(Order, Order.id == ReturnRequest.order_id)
        .join(ReturnLine, ReturnLine.return_id == ReturnRequest.id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .where(
            OrderGroup.shipper == str(ShipperRef(AGENT, agent.code)),
            ReturnRequest.status == ReturnStatus.REFUNDED,
            # an order refunded in full counts all its lines as refunded on its own line
            Order.status != OrderStatus.REFUNDED,
            ReturnStatusChange.to_status == ReturnStatus.REFUNDED,
            ReturnStatusChange.changed_at >= _day_start(start),
            ReturnStatusChange.changed_at < _day_start(end + datetime.timedelta(days=1)),
        )
        .order_by(ReturnStatusChange.changed_at, ReturnRequest.rma)
    ).all()
    refunded: dict[tuple[str, int, str], Money] = {}
    when: dict[str, datetime.date] = {}
    for rma, changed_at, brand_id, unit_amount, currency, quantity in rows:
        key = (rma, brand_id, currency)
        goods = Money(unit_amount, currency) * quantity
        refunded[key] = refunded.get(key, Money.zero(currency)) + goods
        when[rma] = as_utc(changed_at).date()
    lines = []
    for (rma, brand_id, _currency), goods in refunded.items():
        _slug, name, rate = brands.get(brand_id, ("", "", agent.commission_rate))
        lines.append(clawback(rma, name, rate, goods, when[rma]))
    return lines


def clawback(
    rma: str, brand_name: str, rate: Decimal, goods: Money, refunded_on: datetime.date
) -> Clawback:
    """The line of a return's goods of one brand: their price rounded once, the commission
    on it rounded half-up once, as `statement.commission_split` rounds it."""
    goods = goods.rounded()
    return Clawback(
        rma=rma,
        brand_name=brand_name,
        currency=goods.currency,
        rate=rate,
        refunded=goods,
        commission=-(goods * rate).rounded(),
        refunded_on=refunded_on,
    )
