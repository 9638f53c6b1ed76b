"""The four reports, each a `Report` of tables the page, the CSV export and the API share.

A period is `from`..`to` (dates, inclusive, UTC days) cut into buckets `by` day, ISO week
(`2026-W48`) or month (`2026-11`). Which moment counts:
- sales, the market view and import charges: when the order was paid (orders still
  awaiting payment or cancelled are not sales); refunds: when the refund was made;
- conversion: carts by when they were started, checkouts by when the order was placed,
  paid orders by when they were paid;
- shipments: groups of the orders paid in the period, late when not delivered by their
  latest ETA (paid + `eta_max_days`), whether delivered since or still on the way.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select

from channels.money import Money

from .. import clock
from ..cart.tables import Cart
from ..catalog.tables import Brand, Category, Product
from ..config import settings
from ..csv_export import csv_text
from ..db import as_utc, db, iso_utc
from ..errors import InputError
from ..markets.tables import Channel
from ..orders.tables import GroupStatus, Order, OrderGroup, OrderLine, OrderStatus
from ..payments.tables import ORDER, Payment, PaymentRefund

BUCKETS = ("day", "week", "month")
REPORTS = ("sales", "conversion", "shipments", "import-charges")
DEFAULT_DAYS = 30  # the period shown when none is asked for: the last 30 days
MAX_DAYS = 732  # two years, whatever the bucket
UNPAID = (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED)
NOT_SHIPPING = (GroupStatus.CANCELLED, GroupStatus.REJECTED)


class ReportInputError(InputError):
    code = "invalid_report_period"
    status = 400


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    by: str

    @property
    def window(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as [from 00:00 UTC, the day after `to` 00:00 UTC)."""
        first = datetime.datetime.combine(self.start, datetime.time(), datetime.UTC)
        last = datetime.datetime.combine(self.end, datetime.time(), datetime.UTC)
        return first, last + datetime.timedelta(days=1)

    def bucket(self, moment: datetime.datetime | datetime.date) -> str:
        if isinstance(moment, datetime.datetime):  # a UTC day, whatever zone the db answers in
            day = as_utc(moment).astimezone(datetime.UTC).date()
        else:
            day = moment
        if self.by == "week":
            year, week, _ = day.isocalendar()
            return f"{year}-W{week:02d}"
        if self.by == "month":
            return f"{day:%Y-%m}"
        return day.isoformat()

    def buckets(self) -> list[str]:
        """Every bucket of the period in order, empty ones too (a chart shows the gaps)."""
        labels: dict[str, None] = {}
        day = self.start
        while day <= self.end:
            labels[self.bucket(day)] = None
            day += datetime.timedelta(days=1)
        return list(labels)

    def as_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by}


def _date(args: Mapping, name: str, default: datetime.date) -> datetime.date:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ReportInputError(
            gettext("%(field)s must be a date as YYYY-MM-DD.", field=name), field=name
        ) from None


def parse_period(args: Mapping) -> Period:
    """The period a page's query or an API call asks for; the last 30 days by day when
    none is given. Raises ReportInputError naming the field that is wrong."""
    today = clock.today()
    end = _date(args, "to", today)
    start = _date(args, "from", end - datetime.timedelta(days=DEFAULT_DAYS - 1))
    if end < start or (end - start).days >= MAX_DAYS:
        raise ReportInputError(
            gettext("to must not be before from, nor more than two years after it."),
            field="to",
        )
    by = (args.get("by") or "day").strip()
    if by not in BUCKETS:
        raise ReportInputError(gettext("by must be day, week or month."), field="by")
    return Period(start, end, by)


# what a report is made of ---------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """Rows of one breakdown; the first column is the row's key, `chart` a column the page
    draws as bars."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[dict]
    chart: str | None = None


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    period: Period
    currency: str
    totals: dict
    tables: list[Table] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "report": self.name,
            **self.period.as_json(),
            "currency": self.currency,
            "totals": {k: _json_value(v) for k, v in self.totals.items()},
            **{
                t.name: [{c: _json_value(row[c]) for c in t.columns} for row in t.rows]
                for t in self.tables
            },
        }

    def csv_text(self) -> str:
        """One CSV for the whole report: the totals, then each table, a `section` column
        saying which; money as amounts in the report's currency."""
        rows = [["section", "key", "metric", "value"]]
        rows += [["totals", "", name, _csv_value(value)] for name, value in self.totals.items()]
        for table in self.tables:
            key = table.columns[0]
            rows += [
                [table.name, _csv_value(row[key]), column, _csv_value(row[column])]
                for row in table.rows
                for column in table.columns[1:]
            ]
        return csv_text(rows, lineterminator="\n")


def _json_value(value):
    if isinstance(value, Money):
        return value.as_json()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.datetime):
        return iso_utc(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _csv_value(value) -> str:
    if isinstance(value, Money):
        return value.as_string()
    if value is None:
        return ""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


class Sums:
    """Amounts in the base currency added up unrounded; `money` rounds once."""

    def __init__(self, currency: str):
        self.currency = currency
        self.amounts: dict = defaultdict(Decimal)

    def add(self, key, amount: Decimal) -> None:
        self.amounts[key] += amount

    def money(self, key) -> Money:
        return Money(self.amounts.get(key, Decimal(0)), self.currency).rounded()


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


def _rate_of(base_rate, base_currency: str, base: str) -> Decimal | None:
    """The order's own rate to the shop's base currency; None when it kept none (or kept
    one to another base currency than today's)."""
    if base_rate is None or base_currency != base:
        return None
    return Decimal(base_rate)


def _paid_orders(period: Period):
    first, after = period.window
    return (
        Order.status.not_in(tuple(UNPAID)),
        Order.paid_at >= first,
        Order.paid_at < after,
    )


# sales --------------------------------------------------------------------------

SPLITS = (
    ("by_channel", "By channel", "channel"),
    ("by_country", "By destination country", "country"),
    ("by_selling_model", "By selling model", "selling_model"),
    ("by_brand", "By brand", "brand"),
    ("by_grade", "By surplus grade", "grade"),
)


def sales(period: Period) -> Report:
    """Paid orders' goods (lines), orders, average order value, units and refunds by
    bucket, split by channel, destination country, selling model, brand and grade."""
    base = settings()["BASE_CURRENCY"]
    lines = db.session.execute(
        select(
            Order.id,
            Order.paid_at,
            Order.currency,
            Order.base_rate,
            Order.base_currency,
            Order.country,
            Channel.code,
            OrderGroup.selling_model,
            Brand.name,
            Product.grade,
            OrderLine.quantity,
            OrderLine.unit_amount,
        )
        .join(Channel, Channel.id == Order.channel_id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(OrderGroup, OrderGroup.id == OrderLine.group_id)
        .join(Brand, Brand.id == OrderLine.brand_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(*_paid_orders(period))
        .order_by(Order.id, OrderLine.id)
    ).all()
    revenue = Sums(base)
    orders: dict = defaultdict(set)
    units: dict = defaultdict(int)
    no_rate: set[int] = set()
    for row in lines:
        rate = _rate_of(row.base_rate, row.base_currency, base)
        if rate is None:
            no_rate.add(row.id)
            continue
        amount = Decimal(row.unit_amount) * row.quantity * rate
        keys = [
            ("bucket", period.bucket(row.paid_at)),
            ("total", ""),
            ("channel", row.code),
            ("country", row.country),
            ("selling_model", row.selling_model),
            ("brand", row.name),
            ("grade", row.grade),
        ]
        for key in keys:
            revenue.add(key, amount)
            orders[key].add(row.id)
            units[key] += row.quantity
    refunds = _refunds(period, base, revenue)

    def figures(key) -> dict:
        count = len(orders[key])
        return {
            "revenue": revenue.money(key),
            "orders": count,
            "average_order_value": (
                Money(revenue.amounts[key] / count, base).rounded()
                if count
                else Money.zero(base).rounded()
            ),
            "units": units[key],
            "refunds": refunds.money(key),
        }

    columns = ("revenue", "orders", "average_order_value", "units", "refunds")
    tables = [
        Table(
            "buckets",
            "By " + period.by,
            ("bucket", *columns),
            [{"bucket": b, **figures(("bucket", b))} for b in period.buckets()],
            chart="revenue",
        )
    ]
    for name, title, kind in SPLITS:
        keys = sorted({k for k in orders if k[0] == kind}, key=lambda k: -revenue.amounts[k])
        if kind in ("channel", "country"):  # refunds belong to an order, not to its lines
            keys += sorted({k for k in refunds.amounts if k[0] == kind} - set(keys))
            split_columns = columns
        else:
            split_columns = ("revenue", "orders", "average_order_value", "units")
        tables.append(
            Table(
                name,
                title,
                (kind, *split_columns),
                [{kind: k[1], **figures(k)} for k in keys],
                chart="revenue",
            )
        )
    totals = {**figures(("total", "")), "orders_without_rate": len(no_rate)}
    return Report("sales", "Sales", period, base, totals, tables)


def _refunds(period: Period, base: str, revenue: Sums) -> Sums:
    """Money given back of orders' own payments in the period (by when), in the base
    currency at each order's rate."""
    first, after = period.window
    rows = db.session.execute(
        select(
            PaymentRefund.amount_minor,
            PaymentRefund.created_at,
            Payment.currency,
            Order.currency.label("order_currency"),
            Order.base_rate,
            Order.base_currency,
            Order.country,
            Channel.code,
        )
        .join(Payment, Payment.id == PaymentRefund.payment_id)
        .join(Order, Order.id == Payment.order_id)
        .join(Channel, Channel.id == Order.channel_id)
        .where(
            PaymentRefund.created_at >= first,
            PaymentRefund.created_at < after,
            # a charge beyond the order (an exchange's difference) is no sale: nor is its
            # giving back a refund of one
            Payment.purpose == ORDER,
        )
    ).all()
    sums = Sums(base)
    for row in rows:
        rate = _rate_of(row.base_rate, row.base_currency, base)
        if rate is None or row.currency != row.order_currency:
            continue
        amount = Money.from_minor_units(row.amount_minor, row.currency).amount * rate
        for key in (
            ("bucket", period.bucket(row.created_at)),
            ("total", ""),
            ("channel", row.code),
            ("country", row.country),
        ):
            sums.add(key, amount)
    return sums


# conversion ---------------------------------------------------------------------


def conversion(period: Period) -> Report:
    """Carts started, checkouts started (orders placed) and orders paid per country, and
    which countries buy which categories (the market view)."""
    base = settings()["BASE_CURRENCY"]
    first, after = period.window

    def counted(statement) -> dict[str, int]:
        return {country: n for country, n in db.session.execute(statement)}

    carts = counted(
        select(Cart.country, func.count())
        .where(Cart.created_at >= first, Cart.created_at < after)
        .group_by(Cart.country)
    )
    checkouts = counted(
        select(Order.country, func.count())
        .where(Order.created_at >= first, Order.created_at < after)
        .group_by(Order.country)
    )
    paid = counted(
        select(Order.country, func.count()).where(*_paid_orders(period)).group_by(Order.country)
    )
    countries = sorted(set(carts) | set(checkouts) | set(paid))
    rows = [
        {
            "country": c,
            "carts_started": carts.get(c, 0),
            "checkouts_started": checkouts.get(c, 0),
            "orders_paid": paid.get(c, 0),
            "checkout_rate": _ratio(checkouts.get(c, 0), carts.get(c, 0)),
            "paid_rate": _ratio(paid.get(c, 0), carts.get(c, 0)),
        }
        for c in countries
    ]
    lines = db.session.execute(
        select(
            Order.id,
            Order.country,
            Order.currency,
            Order.base_rate,
            Order.base_currency,
            Category.name,
            OrderLine.quantity,
            OrderLine.unit_amount,
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(Product, Product.id == OrderLine.product_id)
        .join(Category, Category.id == Product.category_id)
        .where(*_paid_orders(period))
    ).all()
    revenue = Sums(base)
    orders: dict = defaultdict(set)
    units: dict = defaultdict(int)
    for row in lines:
        key = (row.country, row.name)
        orders[key].add(row.id)
        units[key] += row.quantity
        rate = _rate_of(row.base_rate, row.base_currency, base)
        if rate is not None:
            revenue.add(key, Decimal(row.unit_amount) * row.quantity * rate)
    market = [
        {
            "market": f"{country} / {category}",
            "country": country,
            "category": category,
            "orders": len(orders[(country, category)]),
            "units": units[(country, category)],
            "revenue": revenue.money((country, category)),
        }
        for country, category in sorted(orders)
    ]
    totals = {
        "carts_started": sum(carts.values()),
        "checkouts_started": sum(checkouts.values()),
        "orders_paid": sum(paid.values()),
    }
    totals["paid_rate"] = _ratio(totals["orders_paid"], totals["carts_started"])
    tables = [
        Table(
            "countries",
            "Per country",
            (
                "country",
                "carts_started",
                "checkouts_started",
                "orders_paid",
                "checkout_rate",
                "paid_rate",
            ),
            rows,
            chart="orders_paid",
        ),
        Table(
            "categories",
            "Which countries buy which categories",
            ("market", "country", "category", "orders", "units", "revenue"),
            market,
            chart="units",
        ),
    ]
    return Report("conversion", "Conversion", period, base, totals, tables)


# shipments ----------------------------------------------------------------------


def shipments(period: Period) -> Report:
    """The groups of the orders paid in the period per shipper: delivered on time or late,
    and still on the way past their ETA; the late ones listed."""
    now = clock.now()
    groups = db.session.execute(
        select(OrderGroup, Order.number, Order.paid_at)
        .join(Order, Order.id == OrderGroup.order_id)
        .where(*_paid_orders(period), OrderGroup.status.not_in(tuple(NOT_SHIPPING)))
        .order_by(Order.paid_at, OrderGroup.id)
    ).all()
    counts: dict[str, dict] = {}
    late = []
    for group, number, paid_at in groups:
        eta = as_utc(paid_at).astimezone(datetime.UTC) + datetime.timedelta(days=group.eta_max_days)
        delivered = as_utc(group.delivered_at)
        row = counts.setdefault(
            group.shipper,
            {
                "shipper": group.shipper,
                "groups": 0,
                "delivered_on_time": 0,
                "delivered_late": 0,
                "on_the_way": 0,
                "overdue": 0,
            },
        )
        row["groups"] += 1
        if delivered is not None:
            kind = "delivered_late" if delivered > eta else "delivered_on_time"
        else:
            kind = "overdue" if now > eta else "on_the_way"
        row[kind] += 1
        if kind in ("delivered_late", "overdue"):
            days = ((delivered or now) - eta).days
            late.append(
                {
                    "group": f"{number}/{group.id}",
                    "order_number": number,
                    "shipper": group.shipper,
                    "eta": eta.date(),
                    "delivered_at": delivered,
                    "days_late": days,
                }
            )
    rows = []
    for shipper in sorted(counts):
        row = counts[shipper]
        row["late"] = row["delivered_late"] + row["overdue"]
        row["late_share"] = _ratio(row["late"], row["groups"])
        rows.append(row)
    totals = {
        "groups": sum(r["groups"] for r in rows),
        "late": sum(r["late"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
    }
    columns = (
        "shipper",
        "groups",
        "delivered_on_time",
        "delivered_late",
        "on_the_way",
        "overdue",
        "late",
        "late_share",
    )
    tables = [
        Table("shippers", "Per shipper", columns, rows, chart="late"),
        Table(
            "late_groups",
            "Late against their ETA",
            ("group", "order_number", "shipper", "eta", "delivered_at", "days_late"),
            late,
        ),
    ]
    base = settings()["BASE_CURRENCY"]
    return Report("shipments", "Shipments", period, base, totals, tables)


# import charges -----------------------------------------------------------------


def import_charges(period: Period) -> Report:
    """Import VAT, duty and fees the shop collected at checkout per regime (what it owes
    each tax authority), of the orders paid in the period, and what buyers were told
    they would pay the carrier where the shop collected nothing."""
    base = settings()["BASE_CURRENCY"]
    groups = db.session.execute(
        select(OrderGroup, Order.currency, Order.base_rate, Order.base_currency)
        .join(Order, Order.id == OrderGroup.order_id)
        .where(
            *_paid_orders(period),
            OrderGroup.import_currency != "",
            OrderGroup.status.not_in(tuple(NOT_SHIPPING)),
        )
        .order_by(OrderGroup.id)
    ).all()
    sums = Sums(base)
    counts: dict = defaultdict(int)
    no_rate = 0
    for group, currency, base_rate, base_currency in groups:
        rate = _rate_of(base_rate, base_currency, base)
        if rate is None or group.import_currency != currency:
            no_rate += 1
            continue
        for regime in (group.import_regime, None):  # None: the totals
            counts[(regime, "groups")] += 1
            if group.import_collected:
                counts[(regime, "collected_groups")] += 1
                vat = Decimal(group.import_vat_amount) * rate
                duty = Decimal(group.import_duty_amount) * rate
                fees = Decimal(group.import_fees_amount) * rate
                sums.add((regime, "vat"), vat)
                sums.add((regime, "duty"), duty)
                sums.add((regime, "fees"), fees)
                sums.add((regime, "collected"), vat + duty + fees)
            else:
                due = Decimal(group.import_due_on_delivery_amount) * rate
                sums.add((regime, "due_on_delivery"), due)

    def figures(regime: str | None) -> dict:
        return {
            "groups": counts[(regime, "groups")],
            "collected_groups": counts[(regime, "collected_groups")],
            "vat": sums.money((regime, "vat")),
            "duty": sums.money((regime, "duty")),
            "fees": sums.money((regime, "fees")),
            "collected": sums.money((regime, "collected")),
            "due_on_delivery": sums.money((regime, "due_on_delivery")),
        }

    regimes = sorted({regime for regime, _ in counts if regime is not None})
    columns = ("regime", "groups", "collected_groups", "vat", "duty", "fees", "collected")
    tables = [
        Table(
            "regimes",
            "Per regime",
            (*columns, "due_on_delivery"),
            [{"regime": r, **figures(r)} for r in regimes],
            chart="collected",
        )
    ]
    totals = {**figures(None), "groups_without_rate": no_rate}
    return Report("import-charges", "Import charges", period, base, totals, tables)


BUILDERS = {
    "sales": sales,
    "conversion": conversion,
    "shipments": shipments,
    "import-charges": import_charges,
}


def build(name: str, period: Period) -> Report:
    return BUILDERS[name](period)
