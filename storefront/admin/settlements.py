"""Agent settlements: per brand and currency, what was sold, refunded, earned and owed.

For the orders placed in the period that were paid (paid, fulfilled or
refunded), per entrusted brand and order currency:

    gross       the line totals of the brand's lines
    refunds     the same, for orders refunded (in full)
    commission  rate x (gross - refunds), rounded half-up at the currency's precision
    payable     gross - refunds - commission, owed to the manufacturer

The rate is the brand's own (EntrustedBrand.commission_rate) or else the
agent's. Currencies are never converted or added together.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask import Response, abort, request
from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money

from .. import clock
from ..catalog.tables import Brand
from ..csv_export import csv_text
from ..db import db
from ..fulfilment.tables import AgentCompany, EntrustedBrand
from ..mount import render_template
from ..orders.states import OrderStatus
from ..orders.tables import Order, OrderLine
from . import bp
from .scope import Scope, current_scope, scoped_view

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
    commission: Money
    payable: Money


@dataclass(frozen=True)
class Statement:
    agent: AgentCompany
    start: datetime.date
    end: datetime.date  # inclusive
    rows: list[BrandSettlement]

    @property
    def totals(self) -> list[CurrencyTotal]:
        """One total per currency, never across currencies."""
        by_currency: dict[str, list[BrandSettlement]] = defaultdict(list)
        for row in self.rows:
            by_currency[row.currency].append(row)
        return [
            CurrencyTotal(
                currency,
                *(
                    sum((getattr(r, name) for r in rows), Money.zero(currency))
                    for name in ("gross", "refunds", "commission", "payable")
                ),
            )
            for currency, rows in sorted(by_currency.items())
        ]


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
    return Statement(agent, start, end, rows)


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
        ]
    )


# views ---------------------------------------------------------------------------


def _agent_for(scope: Scope, code: str | None) -> AgentCompany | None:
    """The agent whose statement is asked for: an agent only ever gets its own (else 404)."""
    if scope.is_agent:
        if code and code != scope.agent_code:
            abort(404)
        return db.session.get(AgentCompany, scope.agent_id)
    if not code:
        return None
    agent = db.session.scalar(select(AgentCompany).where(AgentCompany.code == code))
    if agent is None:
        abort(404)
    return agent


def _period() -> tuple[datetime.date, datetime.date]:
    """The `from` and `to` days (this month so far when absent); ValueError with a message."""
    today = clock.today()
    days = []
    for name, default in (("from", today.replace(day=1)), ("to", today)):
        raw = (request.args.get(name) or "").strip()
        try:
            days.append(datetime.date.fromisoformat(raw) if raw else default)
        except ValueError:
            raise ValueError(
                gettext("%(value)r is not a date like 2026-01-31.", value=raw)
            ) from None
    if days[0] > days[1]:
        raise ValueError(gettext("The period starts after it ends."))
    return days[0], days[1]


def _csv_response(statement: Statement) -> Response:
    filename = (
        f"settlement-{statement.agent.code}-{statement.start:%Y%m%d}-{statement.end:%Y%m%d}.csv"
    )
    return Response(
        statement_csv(statement),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/settlements")
@bp.get("/settlements.csv", endpoint="settlements_csv")
@scoped_view
def settlements():
    scope = current_scope()
    as_csv = (
        request.endpoint == "storefront.admin.settlements_csv"
        or request.args.get("format") == "csv"
    )
    agent = _agent_for(scope, (request.args.get("agent") or "").strip())
    error = None
    try:
        start, end = _period()
    except ValueError as problem:
        error = str(problem)
        start = end = None
    if as_csv:
        if error:
            abort(400, error)
        if agent is None:
            abort(400, gettext("Choose an agent."))
        return _csv_response(settlement(agent, start, end))
    statement = settlement(agent, start, end) if agent is not None and not error else None
    agents = (
        []
        if scope.is_agent
        else db.session.scalars(select(AgentCompany).order_by(AgentCompany.code)).all()
    )
    return render_template(
        "admin/settlement.html",
        statement=statement,
        agent=agent,
        agents=agents,
        start=request.args.get("from") or (start.isoformat() if start else ""),
        end=request.args.get("to") or (end.isoformat() if end else ""),
        error=error,
    ), (400 if error else 200)
