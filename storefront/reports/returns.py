"""The returns report, from the return records: what was refunded for returns (per currency,
and in the shop's base currency at each order's own rate) and the return rate (units
returned / units delivered) by product, by reason and by selling model.

Which moment counts: units delivered when their group was delivered; units returned when
the buyer asked (refused returns are not returns); refunds when the return was refunded.
A return's refund is shared over its lines by their value for the product split, summed
unrounded and rounded once. Rates are fractions (`0.4` is 40 %), as the other reports'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money

from ..catalog.tables import Product
from ..config import settings
from ..db import db
from ..orders.tables import Order, OrderGroup, OrderLine
from ..returns.tables import ReturnLine, ReturnRequest, ReturnStatus, ReturnStatusChange
from .figures import Period, Report, ReportInputError, Sums, Table, _rate_of, _ratio, parse_period

NAME = "returns"
SPLITS = ("product", "reason", "model")


def parse_query(args: Mapping) -> tuple[Period, str | None]:
    """The period (`from`, `to`) and the one split asked for (`by`: product, reason or
    model; None: all three); ReportInputError naming the field that is wrong."""
    by = (args.get("by") or "").strip() or None
    if by is not None and by not in SPLITS:
        raise ReportInputError(gettext("by must be product, reason or model."), field="by")
    return parse_period({k: v for k, v in args.items() if k != "by"}), by


def _delivered(period: Period) -> list:
    first, after = period.window
    return db.session.execute(
        select(OrderLine.product_id, Product.name, OrderGroup.selling_model, OrderLine.quantity)
        .join(OrderGroup, OrderGroup.id == OrderLine.group_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderGroup.delivered_at >= first, OrderGroup.delivered_at < after)
    ).all()


def _returned(period: Period) -> list:
    first, after = period.window
    return db.session.execute(
        select(
            ReturnRequest.id,
            ReturnRequest.reason,
            OrderLine.product_id,
            Product.name,
            OrderGroup.selling_model,
            ReturnLine.quantity,
        )
        .join(ReturnLine, ReturnLine.return_id == ReturnRequest.id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .join(OrderGroup, OrderGroup.id == ReturnRequest.group_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(
            ReturnRequest.created_at >= first,
            ReturnRequest.created_at < after,
            ReturnRequest.status != ReturnStatus.REFUSED,
        )
    ).all()


def _refunded(period: Period) -> list:
    """(return, order, line) rows of the returns refunded in the period."""
    first, after = period.window
    refunded_in_period = select(ReturnStatusChange.return_id).where(
        ReturnStatusChange.to_status == ReturnStatus.REFUNDED,
        ReturnStatusChange.changed_at >= first,
        ReturnStatusChange.changed_at < after,
    )
    return db.session.execute(
        select(
            ReturnRequest.id,
            ReturnRequest.reason,
            ReturnRequest.refund_amount,
            ReturnRequest.currency,
            Order.base_rate,
            Order.base_currency,
            OrderGroup.selling_model,
            OrderLine.product_id,
            Product.name,
            OrderLine.unit_amount,
            ReturnLine.quantity,
        )
        .join(Order, Order.id == ReturnRequest.order_id)
        .join(OrderGroup, OrderGroup.id == ReturnRequest.group_id)
        .join(ReturnLine, ReturnLine.return_id == ReturnRequest.id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(
            ReturnRequest.status == ReturnStatus.REFUNDED,
            ReturnRequest.id.in_(refunded_in_period),
        )
        .order_by(ReturnRequest.id, ReturnLine.id)
    ).all()


def returns_report(period: Period, by: str | None = None) -> Report:
    """Refunds and return rates of the period, split by product, reason and model (or only
    by the split `by` names)."""
    base = settings()["BASE_CURRENCY"]
    delivered: dict = defaultdict(int)
    returned: dict = defaultdict(int)
    asked: dict = defaultdict(set)
    names: dict[int, str] = {}
    for row in _delivered(period):
        names[row.product_id] = row.name
        for key in (("total", ""), ("product", row.product_id), ("model", row.selling_model)):
            delivered[key] += row.quantity
    for row in _returned(period):
        names[row.product_id] = row.name
        for key in (
            ("total", ""),
            ("product", row.product_id),
            ("reason", row.reason),
            ("model", row.selling_model),
        ):
            returned[key] += row.quantity
            asked[key].add(row.id)

    refunds = Sums(base)
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    refunded: dict = defaultdict(set)
    no_rate: set[int] = set()
    lines_of: dict[int, list] = defaultdict(list)
    for row in _refunded(period):
        lines_of[row.id].append(row)
    for return_id, lines in lines_of.items():
        first = lines[0]
        amount = Decimal(first.refund_amount)
        by_currency[first.currency] += amount
        refunded[("currency", first.currency)].add(return_id)
        refunded[("total", "")].add(return_id)
        rate = _rate_of(first.base_rate, first.base_currency, base)
        if rate is None:
            no_rate.add(return_id)
            continue
        in_base = amount * rate
        refunds.add(("currency", first.currency), in_base)
        for key in (("total", ""), ("reason", first.reason), ("model", first.selling_model)):
            refunds.add(key, in_base)
        worth = [Decimal(line.unit_amount) * line.quantity for line in lines]
        whole = sum(worth, Decimal(0))
        for line, value in zip(lines, worth, strict=True):
            names[line.product_id] = line.name
            share = value / whole if whole else Decimal(1) / len(lines)
            refunds.add(("product", line.product_id), in_base * share)

    def figures(key, rate_of_all: bool = False) -> dict:
        whole = delivered[("total", "")] if rate_of_all else delivered[key]
        return {
            "delivered_units": delivered[key],
            "returned_units": returned[key],
            "return_rate": _ratio(returned[key], whole),
            "refunds": refunds.money(key),
        }

    def keys(kind: str) -> list:
        found = {k for k in (*delivered, *returned, *refunds.amounts) if k[0] == kind}
        return sorted(found, key=lambda k: (-returned[k], str(names.get(k[1], k[1]))))

    tables = []
    columns = ("delivered_units", "returned_units", "return_rate", "refunds")
    if by in (None, "product"):
        rows = [{"product": names[k[1]], **figures(k)} for k in keys("product")]
        tables.append(Table("by_product", "Returns by product", ("product", *columns), rows,
                            chart="returned_units"))  # fmt: skip
    if by in (None, "reason"):
        rows = [
            {"reason": k[1], "returns": len(asked[k]), **figures(k, rate_of_all=True)}
            for k in keys("reason")
        ]
        tables.append(
            Table(
                "by_reason",
                "Returns by reason (the rate: of all units delivered)",
                ("reason", "returns", "returned_units", "return_rate", "refunds"),
                rows,
                chart="returned_units",
            )
        )
    if by in (None, "model"):
        rows = [{"selling_model": k[1], **figures(k)} for k in keys("model")]
        tables.append(Table("by_selling_model", "Returns by selling model",
                            ("selling_model", *columns), rows, chart="returned_units"))  # fmt: skip
    tables.append(
        Table(
            "refunds_by_currency",
            "Refunded per currency",
            ("currency", "returns_refunded", "refunded", "refunded_in_base"),
            [
                {
                    "currency": currency,
                    "returns_refunded": len(refunded[("currency", currency)]),
                    "refunded": Money(amount, currency).rounded(),
                    "refunded_in_base": refunds.money(("currency", currency)),
                }
                for currency, amount in sorted(by_currency.items())
            ],
        )
    )
    totals = {
        "delivered_units": delivered[("total", "")],
        "returned_units": returned[("total", "")],
        "return_rate": _ratio(returned[("total", "")], delivered[("total", "")]),
        "returns": len(asked[("total", "")]),
        "returns_refunded": len(refunded[("total", "")]),
        "refunds": refunds.money(("total", "")),
        "refunds_without_rate": len(no_rate),
    }
    shown = replace(period, by=by or "all")
    return Report(NAME, "Returns", shown, base, totals, tables)
