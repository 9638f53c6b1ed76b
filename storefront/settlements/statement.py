"""An agent's statement: per brand and currency, what was sold, refunded, earned and owed,
net of the commission clawed back on refunded returns and of what the shop paid it.

For the orders placed in the period that were paid (paid, fulfilled or
refunded), per entrusted brand and order currency:

    gross       the line totals of the brand's lines
    refunds     the same, for orders refunded (in full)
    commission  rate x (gross - refunds), rounded half-up at the currency's precision
    payable     gross - refunds - commission, owed to the manufacturer

Each return of the agent's groups refunded in the period is a negative line "returned
RMA-...": its goods' price refunded, the commission on it clawed back (rounded as above),
and the manufacturer's part of it; the totals per currency are net of them. Payouts
recorded for a period overlapping the statement's are listed and netted: per currency,
`balance` = commission (net) - paid, what the shop still owes the agent.

The rate is the brand's own (EntrustedBrand.commission_rate) or else the
agent's. Currencies are never converted or added together.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from channels.money import Money

from ..catalog.tables import Brand
from ..csv_export import csv_text
from ..db import db
from ..fulfilment.tables import AgentCompany, EntrustedBrand
from ..orders.states import OrderStatus
from ..orders.tables import Order, OrderLine
from .clawbacks import Clawback, clawbacks
from .tables import AgentPayout

SETTLED_STATUSES = tuple(
    s for s in OrderStatus if s not in (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED)
)
CSV_HEADER = (
    "agent",
    "from",
    "to",
    "brand",
    "currency",
    "commission_rate",
    "orders",
    "gross",
    "refunds",
    "commission",
    "payable",
)


@dataclass(frozen=True)
class BrandSettlement:
    brand_slug: str
    brand_name: str
    currency: str
    rate: Decimal
    orders: int
    gross: Money
    refunds: Money
    commission: Money

    @property
    def payable(self) -> Money:
        return self.gross - self.refunds - self.commission

    @property
    def rate_percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}"


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    gross: Money
    refunds: Money
    commission: Money  # net of the clawed back
    payable: Money
    clawed_back: Money  # negative: the commission on refunded returns
    paid: Money  # payouts recorded for the period

    @property
    def balance(self) -> Money:
        """The commission still owed to the agent (negative: the agent owes the shop)."""
        return self.commission - self.paid


@dataclass(frozen=True)
class Statement:
    agent: AgentCompany
    start: datetime.date
    end: datetime.date  # inclusive
    rows: list[BrandSettlement]
    clawbacks: list[Clawback] = field(default_factory=list)
    payouts: list[AgentPayout] = field(default_factory=list)

    @property
    def currencies(self) -> list[str]:
        return sorted(
            {r.currency for r in self.rows}
            | {c.currency for c in self.clawbacks}
            | {p.currency for p in self.payouts}
        )

    @property
    def totals(self) -> list[CurrencyTotal]:
        """One total per currency, never across currencies. Gross, refunds, commission and
        payable are the orders'; the refunded returns are netted in clawed_back and payable."""

        def add(items, currency: str, name: str) -> Money:
            return sum(
                (getattr(i, name) for i in items if i.currency == currency), Money.zero(currency)
            )

        totals = []
        for currency in self.currencies:
            paid = sum(
                (Money(p.amount, p.currency) for p in self.payouts if p.currency == currency),
                Money.zero(currency),
            ).rounded()
            totals.append(
                CurrencyTotal(
                    currency,
                    gross=add(self.rows, currency, "gross"),
                    refunds=add(self.rows, currency, "refunds")
                    + add(self.clawbacks, currency, "refunded"),
                    commission=add(self.rows, currency, "commission")
                    + add(self.clawbacks, currency, "commission"),
                    payable=add(self.rows, currency, "payable")
                    + add(self.clawbacks, currency, "payable"),
                    clawed_back=add(self.clawbacks, currency, "commission"),
                    paid=paid,
                )
            )
        return totals


def commission_split(net: Money, rate: Decimal) -> tuple[Money, Money]:
    """`net` (gross - refunds) split into the agent's commission and the manufacturer's part.

    The commission is rounded half-up at the currency's precision; the other part is
    what is left, so the two always add up to `net` exactly.
    """
    if not isinstance(rate, Decimal) or not 0 <= rate <= 1:
        raise ValueError(f"A commission rate is a Decimal from 0 to 1, not {rate!r}.")
    net = net.rounded()
    commission = (net * rate).rounded()
    return commission, net - commission


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), datetime.UTC)


def settlement(agent: AgentCompany, start: datetime.date, end: datetime.date) -> Statement:
    """The agent's statement for orders placed from `start` to `end` (both included, UTC)."""
    brands = {
        brand_id: (slug, name, own_rate if own_rate is not None else agent.commission_rate)
        for brand_id, slug, name, own_rate in db.session.execute(
            select(EntrustedBrand.brand_id, Brand.slug, Brand.name, EntrustedBrand.commission_rate)
            .join(Brand, Brand.id == EntrustedBrand.brand_id)
            .where(EntrustedBrand.agent_id == agent.id)
        )
    }
    lines = db.session.execute(
        select(
            OrderLine.brand_id,
            Order.id,
            Order.currency,
            Order.status,
            OrderLine.unit_amount,
            OrderLine.quantity,
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            OrderLine.brand_id.in_(sorted(brands)),
            Order.status.in_(SETTLED_STATUSES),
            Order.created_at >= _day_start(start),
            Order.created_at < _day_start(end + datetime.timedelta(days=1)),
        )
    ).all()
    gross: dict[tuple[int, str], Money] = {}
    refunds: dict[tuple[int, str], Money] = {}
    orders: dict[tuple[int, str], set[int]] = defaultdict(set)
    for brand_id, order_id, currency, status, unit_amount, quantity in lines:
        key = (brand_id, currency)
        total = Money(unit_amount, currency) * quantity
        gross[key] = gross.get(key, Money.zero(currency)) + total
        if status == OrderStatus.REFUNDED:
            refunds[key] = refunds.get(key, Money.zero(currency)) + total
        orders[key].add(order_id)
    rows = []
    for (brand_id, currency), sold in gross.items():
        slug, name, rate = brands[brand_id]
        sold = sold.rounded()
        refunded = refunds.get((brand_id, currency), Money.zero(currency)).rounded()
        rows.append(
            BrandSettlement(
                brand_slug=slug,
                brand_name=name,
                currency=currency,
                rate=rate,
                orders=len(orders[(brand_id, currency)]),
                gross=sold,
                refunds=refunded,
                commission=commission_split(sold - refunded, rate)[0],
            )
        )
    rows.sort(key=lambda r: (r.currency, r.brand_name, r.brand_slug))
    return Statement(
        agent, start, end, rows, clawbacks(agent, brands, start, end), payouts(agent, start, end)
    )


def payouts(agent: AgentCompany, start: datetime.date, end: datetime.date) -> list[AgentPayout]:
    """The payouts recorded for the agent for a period overlapping `start`..`end`."""
    return list(
        db.session.scalars(
            select(AgentPayout)
            .where(
                AgentPayout.agent_id == agent.id,
                AgentPayout.period_start <= end,
                AgentPayout.period_end >= start,
            )
            .order_by(AgentPayout.period_start, AgentPayout.id)
        )
    )


def statement_csv(statement: Statement) -> str:
    return csv_text(
        [
            CSV_HEADER,
            *(
                (
                    statement.agent.code,
                    statement.start.isoformat(),
                    statement.end.isoformat(),
                    row.brand_name,
                    row.currency,
                    f"{row.rate.normalize():f}",
                    row.orders,
                    row.gross.as_string(),
                    row.refunds.as_string(),
                    row.commission.as_string(),
                    row.payable.as_string(),
                )
                for row in statement.rows
            ),
            *(
                (
                    statement.agent.code,
                    statement.start.isoformat(),
                    statement.end.isoformat(),
                    line.label,
                    line.currency,
                    f"{line.rate.normalize():f}",
                    "",
                    "",
                    line.refunded.as_string(),
                    line.commission.as_string(),
                    line.payable.as_string(),
                )
                for line in statement.clawbacks
            ),
        ]
    )
