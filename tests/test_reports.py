"""The merchant's dashboard (/admin) and the reports API: figures in the base currency at
each order's own rate, equal to sums the test makes itself from the orders it placed."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import select

from channels.money import Money
from orders_helpers import priced_cart
from storefront import clock
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.catalog.tables import Brand, Category, Product, Variant
from storefront.db import db
from storefront.dispatch.operations import mark_paid
from storefront.fulfilment.tables import AgentCompany
from storefront.markets.rates import set_manual_rate
from storefront.markets.tables import Channel, ChannelPrice
from storefront.orders import operations as orders
from storefront.orders.tables import Order, OrderGroup
from storefront.payments.tables import Payment, PaymentRefund

UTC = datetime.UTC
DAY1 = datetime.datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
DAY2 = datetime.datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # the next ISO week
DAY3 = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # the next month
PERIOD = "from=2026-11-01&to=2026-12-31"


def at(moment: datetime.datetime):
    return clock.frozen(moment)


def _place(channel: str, country: str, lines: dict, key: str) -> Order:
    order, _token = orders.place_order(priced_cart(channel, country, lines), key)
    return order


@pytest.fixture
def shop(app, four_models, make_channel):
    """Orders in two channels and currencies (EUR converted prices, JPY with one explicit
    channel price), paid on three days, the EUR rate changed in between, one refund, one
    order left unpaid, one cart abandoned."""
    make_channel("jp")
    skus = four_models
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)  # EU import VAT collected at checkout
    with app.app_context():
        # the chain is surplus of an original order: a grade of its own in the split
        drop = db.session.scalar(select(Variant).where(Variant.sku == skus["drop"]))
        drop.product.grade = "original_order"
        jp = db.session.scalar(select(Channel).where(Channel.code == "jp"))
        ring = db.session.scalar(select(Variant).where(Variant.sku == skus["stock"]))
        db.session.add(ChannelPrice(variant_id=ring.id, channel_id=jp.id, amount=Decimal(9800)))
        db.session.commit()
        placed = {}
        with at(DAY1):
            placed["eu1"] = _place("eu", "DE", {skus["stock"]: 2}, "r-eu1")
            placed["eu2"] = _place("eu", "FR", {skus["drop"]: 1, skus["made"]: 1}, "r-eu2")
            placed["jp1"] = _place("jp", "JP", {skus["stock"]: 3, skus["agent"]: 1}, "r-jp1")
            placed["unpaid"] = _place("eu", "DE", {skus["agent"]: 1}, "r-unpaid")
            priced_cart("eu", "NL", {skus["stock"]: 1})  # a cart nobody checks out
            for label in ("eu1", "eu2", "jp1"):
                mark_paid(placed[label])
            db.session.commit()
        with at(DAY2):
            set_manual_rate("USD", Decimal("1.10"), DAY2.date())  # the euro falls
            placed["eu3"] = _place("eu", "DE", {skus["stock"]: 1, skus["drop"]: 2}, "r-eu3")
            mark_paid(placed["eu3"])
            db.session.commit()
        with at(DAY3):
            placed["jp2"] = _place("jp", "JP", {skus["drop"]: 1}, "r-jp2")
            mark_paid(placed["jp2"])
            # a partial refund of eu1, recorded as payments.refunds records Stripe's answer
            payment = Payment(
                order_id=placed["eu1"].id,
                attempt_key="r-eu1-1",
                intent_id="pi_reports",
                amount_minor=Money(placed["eu1"].total_amount, "EUR").to_minor_units(),
                currency="EUR",
                status="partially_refunded",
                captured_minor=Money(placed["eu1"].total_amount, "EUR").to_minor_units(),
                refunded_minor=1050,
            )
            db.session.add(payment)
            db.session.add(PaymentRefund(payment=payment, refund_id="re_1", amount_minor=1050))
            # eu2's first group arrived two days after its latest ETA
            group = placed["eu2"].groups[0]
            group.delivered_at = DAY1 + datetime.timedelta(days=group.eta_max_days + 2)
            db.session.commit()
        ids = {label: order.id for label, order in placed.items()}
    yield ids
    app.config["TAX_REGISTRATIONS"] = ()


def expected_sales(app, order_ids, period_days=None) -> dict:
    """The sales figures, summed here from the stored orders, lines and rates."""
    out = {"revenue": defaultdict(Decimal), "orders": defaultdict(set), "units": defaultdict(int)}
    with app.app_context():
        for order_id in order_ids:
            order = db.session.get(Order, order_id)
            assert order.base_currency == "USD"
            for line in order.lines:
                product = db.session.get(Product, line.product_id)
                brand = db.session.get(Brand, line.brand_id)
                amount = line.unit_amount * line.quantity * order.base_rate
                for key in (
                    ("total",),
                    ("channel", order.channel.code),
                    ("country", order.country),
                    ("selling_model", line.group.selling_model),
                    ("brand", brand.name),
                    ("grade", product.grade),
                    ("day", order.paid_at.date().isoformat()),
                ):
                    out["revenue"][key] += amount
                    out["orders"][key].add(order.id)
                    out["units"][key] += line.quantity
    return out


def usd(amount: Decimal) -> dict:
    return Money(amount, "USD").rounded().as_json()


@pytest.fixture
def key_for(app, make_user):
    def make(role: str) -> dict:
        email = make_user(email=f"{role}@reports.example", role=role)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            if role == "agent":  # the agency of four_models
                user.agent_id = db.session.scalar(
                    select(AgentCompany.id).where(AgentCompany.code == "milano-agency")
                )
            _key, raw = issue_api_key(user)
            db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


# every order keeps its rate ------------------------------------------------------------------


def test_every_order_keeps_its_rate_to_the_base_currency(app, shop):
    with app.app_context():
        rate = {label: db.session.get(Order, oid).base_rate for label, oid in shop.items()}
        jp1 = db.session.get(Order, shop["jp1"])
        sources = {line.price_source for line in jp1.lines}
    assert rate["eu1"] == Decimal("1.25")  # 1 EUR = 1.25 USD at checkout
    # placed after the euro fell (SQLite keeps the stored rate as a float: 1.1000000000000001)
    assert abs(rate["eu3"] - Decimal("1.10")) < Decimal("1e-12")
    assert rate["jp1"] == Decimal("1.25") / Decimal(160)  # 1 JPY in USD, through the euro
    assert "explicit" in sources  # an explicit channel price keeps the rate too


# the API ---------------------------------------------------------------------------------


def test_sales_equal_the_sums_of_the_orders_lines_at_their_own_rates(app, client, shop, key_for):
    staff = key_for("staff")
    paid = [shop[k] for k in ("eu1", "eu2", "eu3", "jp1", "jp2")]
    want = expected_sales(app, paid)
    response = client.get(f"/api/v1/admin/reports/sales?{PERIOD}&by=day", headers=staff)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["currency"] == "USD"
    assert (report["from"], report["to"], report["by"]) == ("2026-11-01", "2026-12-31", "day")
    revenue = want["revenue"][("total",)]
    refund = Decimal("10.50") * Decimal("1.25")  # eu1's refund at eu1's own rate
    assert report["totals"] == {
        "revenue": usd(revenue),
        "orders": 5,  # the unpaid order is no sale
        "average_order_value": usd(revenue / 5),
        "units": want["units"][("total",)],
        "refunds": usd(refund),
        "orders_without_rate": 0,
    }
    buckets = {b["bucket"]: b for b in report["buckets"]}
    assert len(buckets) == 61  # every day of the period, empty ones too
    for day in ("2026-11-21", "2026-11-24", "2026-12-02"):
        assert buckets[day]["revenue"] == usd(want["revenue"][("day", day)])
        assert buckets[day]["orders"] == len(want["orders"][("day", day)])
    assert buckets["2026-12-02"]["refunds"] == usd(refund)
    assert buckets["2026-11-22"]["revenue"] == usd(Decimal(0))
    for split, kind in (
        ("by_channel", "channel"),
        ("by_country", "country"),
        ("by_selling_model", "selling_model"),
        ("by_brand", "brand"),
        ("by_grade", "grade"),
    ):
        got = {row[kind]: (row["revenue"], row["orders"], row["units"]) for row in report[split]}
        assert got == {
            key[1]: (usd(amount), len(want["orders"][key]), want["units"][key])
            for key, amount in want["revenue"].items()
            if key[0] == kind
        }, split
    assert {r["channel"]: r["refunds"] for r in report["by_channel"]}["eu"] == usd(refund)


def test_sales_by_week_and_month(client, shop, key_for):
    staff = key_for("staff")
    weeks = client.get(f"/api/v1/admin/reports/sales?{PERIOD}&by=week", headers=staff)
    by_week = {b["bucket"]: b["orders"] for b in weeks.get_json()["buckets"]}
    assert (by_week["2026-W47"], by_week["2026-W48"], by_week["2026-W49"]) == (3, 1, 1)
    months = client.get(f"/api/v1/admin/reports/sales?{PERIOD}&by=month", headers=staff)
    assert [(b["bucket"], b["orders"]) for b in months.get_json()["buckets"]] == [
        ("2026-11", 4),
        ("2026-12", 1),
    ]
    # a period that holds only the last day
    one = client.get("/api/v1/admin/reports/sales?from=2026-12-02&to=2026-12-02", headers=staff)
    assert one.get_json()["totals"]["orders"] == 1


def test_conversion_per_country_and_the_market_view(app, client, shop, key_for):
    response = client.get(f"/api/v1/admin/reports/conversion?{PERIOD}", headers=key_for("owner"))
    report = response.get_json()
    countries = {r["country"]: r for r in report["countries"]}
    assert {
        c: (r["carts_started"], r["checkouts_started"], r["orders_paid"])
        for c, r in countries.items()
    } == {
        "DE": (3, 3, 2),  # eu1, unpaid, eu3
        "FR": (1, 1, 1),
        "JP": (2, 2, 2),
        "NL": (1, 0, 0),  # abandoned
    }
    assert countries["DE"]["paid_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["totals"]["carts_started"] == 7
    with app.app_context():
        want = defaultdict(int)
        for label in ("eu1", "eu2", "eu3", "jp1", "jp2"):
            order = db.session.get(Order, shop[label])
            for line in order.lines:
                category = db.session.get(
                    Category, db.session.get(Product, line.product_id).category_id
                )
                want[(order.country, category.name)] += line.quantity
    assert {(r["country"], r["category"]): r["units"] for r in report["categories"]} == want


def test_shipments_late_against_their_eta_per_shipper(app, client, shop, key_for):
    with app.app_context():
        groups = db.session.scalars(
            select(OrderGroup)
            .join(Order)
            .where(
                Order.id.in_([shop[k] for k in ("eu1", "eu2", "eu3", "jp1", "jp2")]),
                OrderGroup.status.not_in(("cancelled", "rejected")),
            )
        ).all()
        late_delivered = db.session.get(Order, shop["eu2"]).groups[0]
        late_shipper = late_delivered.shipper
        now = datetime.datetime(2026, 12, 3, tzinfo=UTC)
        overdue = {
            g.id
            for g in groups
            if g.delivered_at is None
            and now > g.order.paid_at.replace(tzinfo=UTC) + datetime.timedelta(days=g.eta_max_days)
        }
        shippers = {g.shipper for g in groups}
    with at(datetime.datetime(2026, 12, 3, tzinfo=UTC)):
        report = client.get(
            f"/api/v1/admin/reports/shipments?{PERIOD}", headers=key_for("staff")
        ).get_json()
    rows = {r["shipper"]: r for r in report["shippers"]}
    assert set(rows) == shippers
    assert rows[late_shipper]["delivered_late"] == 1
    assert report["totals"] == {
        "groups": len(groups),
        "late": len(overdue) + 1,
        "overdue": len(overdue),
    }
    assert {g["days_late"] for g in report["late_groups"] if g["delivered_at"]} == {2}


def test_import_charges_collected_per_regime(app, client, shop, key_for):
    want = defaultdict(Decimal)
    with app.app_context():
        for label in ("eu1", "eu2", "eu3", "jp1", "jp2"):
            order = db.session.get(Order, shop[label])
            for g in order.groups:
                if g.import_currency and g.import_collected:
                    charged = g.import_vat_amount + g.import_duty_amount + g.import_fees_amount
                    want[g.import_regime] += charged * order.base_rate
    report = client.get(
        f"/api/v1/admin/reports/import-charges?{PERIOD}", headers=key_for("staff")
    ).get_json()
    assert want  # the EU orders' import VAT was collected at checkout
    got = {r["regime"]: r["collected"] for r in report["regimes"] if r["collected_groups"]}
    assert got == {regime: usd(amount) for regime, amount in want.items()}
    assert report["totals"]["collected"] == usd(sum(want.values(), Decimal(0)))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-12-02&to=2026-12-01", "to"),
        ("from=2020-01-01&to=2026-01-01", "to"),
        ("by=year", "by"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_field(client, shop, key_for, query, field):
    response = client.get(f"/api/v1/admin/reports/sales?{query}", headers=key_for("staff"))
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_agents_and_strangers_get_no_reports(client, shop, key_for):
    agent = key_for("agent")
    for name in ("sales", "conversion", "shipments", "import-charges"):
        assert client.get(f"/api/v1/admin/reports/{name}", headers=agent).status_code == 403
        assert client.get(f"/api/v1/admin/reports/{name}").status_code == 401


def test_the_openapi_document_describes_the_reports(client):
    doc = client.get("/api/openapi.json").get_json()
    sales = doc["paths"]["/api/v1/admin/reports/sales"]["get"]
    assert {p["name"] for p in sales["parameters"]} == {"from", "to", "by"}
    schema = sales["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/SalesReport"}


# the dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_the_same_figures_with_charts(app, shop, logged_in):
    client = logged_in("staff")
    want = expected_sales(app, [shop[k] for k in ("eu1", "eu2", "eu3", "jp1", "jp2")])
    response = client.get(f"/admin/?{PERIOD}&by=month")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    total = Money(want["revenue"][("total",)], "USD").rounded()
    assert f'data-testid="sales-revenue">${total.amount:,}<' in page
    assert 'data-testid="sales-orders">5<' in page
    assert page.count("<svg") >= 4 and "<script" not in page
    for name in ("sales", "conversion", "shipments", "import-charges"):
        assert f"/admin/reports/{name}.csv?" in page


def test_a_bad_period_on_the_dashboard_says_so(shop, logged_in):
    client = logged_in("owner")
    response = client.get("/admin/?from=someday")
    assert response.status_code == 400
    assert "from must be a date" in response.get_data(as_text=True)


def test_csv_export_holds_the_report(app, client, shop, logged_in):
    client = logged_in("owner")
    want = expected_sales(app, [shop[k] for k in ("eu1", "eu2", "eu3", "jp1", "jp2")])
    response = client.get(f"/admin/reports/sales.csv?{PERIOD}&by=month")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    value = {(r["section"], r["key"], r["metric"]): r["value"] for r in rows}
    total = Money(want["revenue"][("total",)], "USD").rounded()
    assert value[("totals", "", "revenue")] == total.as_string()
    assert value[("buckets", "2026-12", "orders")] == "1"
    assert value[("by_channel", "jp", "orders")] == "2"
    assert client.get("/admin/reports/nothing.csv").status_code == 404
    assert client.get("/admin/reports/sales.csv?by=hour").status_code == 400


def test_agents_keep_their_product_list_and_get_no_reports(app, client, make_agent, make_user):
    agent_id = make_agent("milano-agency", brands=("milano",))
    email = make_user(email="agent@reports.example", role="agent")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.agent_id = agent_id
        db.session.commit()
    client.post("/login", data={"email": email, "password": "correct horse battery"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/products")
    assert client.get("/admin/reports/sales.csv").status_code == 403


def test_an_order_placed_before_rates_were_kept_is_counted_without_rate(app, client, shop, key_for):
    """Migration 0020 leaves the orders placed before it without a rate: the reports count
    them and leave them out of the money rather than guess a rate."""
    with app.app_context():
        db.session.get(Order, shop["jp2"]).base_rate = None
        db.session.commit()
    paid = [shop[k] for k in ("eu1", "eu2", "eu3", "jp1")]
    want = expected_sales(app, paid)
    report = client.get(
        f"/api/v1/admin/reports/sales?{PERIOD}", headers=key_for("staff")
    ).get_json()
    assert report["totals"]["orders_without_rate"] == 1
    assert report["totals"]["orders"] == 4
    assert report["totals"]["revenue"] == usd(want["revenue"][("total",)])


def test_an_order_in_the_base_currency_keeps_rate_one(app, four_models, make_channel):
    make_channel("us")
    with app.app_context():
        order = _place("us", "US", {four_models["stock"]: 1}, "r-us")
        db.session.commit()
        assert (order.base_currency, order.base_rate) == ("USD", Decimal(1))
