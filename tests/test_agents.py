"""Agents in the back office: only the brands entrusted to them, their orders, their settlement."""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from channels.money import Money, currency_precision
from orders_helpers import load, place
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.catalog.tables import Brand, Product, SellingModelChange
from storefront.db import db
from storefront.fulfilment.tables import AgentCompany, EntrustedBrand
from storefront.orders import states
from storefront.settlements.statement import commission_split, settlement

PASSWORD = "correct horse battery"
TODAY = datetime.datetime.now(datetime.UTC).date()
PERIOD = {
    "from": (TODAY - datetime.timedelta(days=1)).isoformat(),
    "to": (TODAY + datetime.timedelta(days=1)).isoformat(),
}


@dataclass
class Shop:
    agent_id: int
    other_agent_id: int
    agent_user_id: int
    products: dict[str, str]  # name -> slug
    orders: dict[str, str]  # label -> order number
    other_order_id: int
    other_group_id: int

    def sku(self, name: str) -> str:
        return f"{self.products[name].upper()}-0"


def make_agent_user(app, make_user, agent_id: int, email: str) -> int:
    make_user(email=email, role="agent")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.agent_id = agent_id
        db.session.commit()
        return user.id


def refund(app, order_id: int) -> None:
    with app.app_context():
        order = load(order_id)
        order.status = states.check(states.ORDER_TRANSITIONS, "order", order.status, "refunded")
        db.session.commit()


@pytest.fixture
def shop(app, make_product, make_channel, rates, make_warehouse, make_agent, make_user):
    """Milano runs aurora (12%) and lumen (15% by override); Oslo runs nordic.

    Orders: a mixed aurora+nordic order, lumen alone, an aurora order refunded, an
    aurora+lumen order in EUR, a nordic-only order, an unpaid aurora order, and a
    paid aurora order from 2020 (outside the period).
    """
    make_channel("us")
    make_channel("eu", rounding_rule="precision")
    rates()  # 1 EUR = 1.25 USD
    agent_id = make_agent("milano-agency", brands=("aurora", "lumen"), rate="0.12")
    other_agent_id = make_agent("oslo-agency", brands=("nordic",), country="NO", rate="0.20")
    with app.app_context():
        entrusted = db.session.scalar(
            select(EntrustedBrand).join(EntrustedBrand.brand).where(Brand.slug == "lumen")
        )
        entrusted.commission_rate = Decimal("0.15")
        db.session.commit()
    products = {
        "Aurora ring": make_product(slug="aurora-ring", name="Aurora ring", brand="aurora"),
        "Lumen pendant": make_product(
            slug="lumen-pendant", name="Lumen pendant", brand="lumen", prices=["120.30"]
        ),
        "Nordic secret cuff": make_product(
            slug="nordic-secret-cuff", name="Nordic secret cuff", brand="nordic", prices=["75.00"]
        ),
    }
    skus = {name: f"{slug.upper()}-0" for name, slug in products.items()}
    make_warehouse("sz", "CN", {sku: 50 for sku in skus.values()})
    aurora, lumen, nordic = skus["Aurora ring"], skus["Lumen pendant"], skus["Nordic secret cuff"]
    ids = {
        "mixed": place(app, {aurora: 2, nordic: 1}, "k-mixed", "us", "US", paid=True),
        "lumen": place(app, {lumen: 1}, "k-lumen", "us", "US", paid=True),
        "refunded": place(app, {aurora: 1}, "k-refunded", "us", "US", paid=True),
        "euro": place(app, {aurora: 1, lumen: 1}, "k-euro", "eu", "DE", paid=True),
        "other": place(app, {nordic: 1}, "k-other", "us", "US", paid=True),
        "unpaid": place(app, {aurora: 1}, "k-unpaid", "us", "US"),
        "old": place(app, {aurora: 1}, "k-old", "us", "US", paid=True),
    }
    refund(app, ids["refunded"])
    with app.app_context():
        load(ids["old"]).created_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        db.session.commit()
        numbers = {label: load(order_id).number for label, order_id in ids.items()}
        other_group_id = load(ids["other"]).groups[0].id
    agent_user_id = make_agent_user(app, make_user, agent_id, "agent@milano.example")
    return Shop(
        agent_id,
        other_agent_id,
        agent_user_id,
        products,
        numbers,
        ids["other"],
        other_group_id,
    )


@pytest.fixture
def agent_client(client, shop):
    response = client.post("/login", data={"email": "agent@milano.example", "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def agent_key(app, shop) -> str:
    with app.app_context():
        _key, raw = issue_api_key(db.session.get(User, shop.agent_user_id))
        db.session.commit()
    return raw


# the walk: every back-office and admin API route, aimed at another agent's brand ------------

OTHER = "Nordic secret cuff"
BACK_OFFICE_PREFIXES = ("/admin", "/api/v1/admin")
KNOWN_ENDPOINTS = {
    "admin.index",
    "admin.products",
    "admin.edit_product",
    "admin.orders",
    "admin.order",
    "admin.transfer_received",
    "admin.settlements",
    "admin.settlements_csv",
    "api.admin_switch_selling_model",
    "api.admin_orders",
}
_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def other_path_values(shop: Shop) -> dict[str, object]:
    """What fills each path argument: always something of the brand or agent not entrusted.

    A new route with an argument not named here fails the walk until it is added.
    """
    return {
        "slug": shop.products[OTHER],
        "sku": shop.sku(OTHER),
        "number": shop.orders["other"],
        "order_id": shop.other_order_id,
        "production_order_id": shop.other_order_id,
        "group_id": shop.other_group_id,
        "id": shop.other_order_id,
        "row_id": shop.other_order_id,  # the shop's own shipping rates: staff only
        "message_id": shop.other_order_id,  # the mail queue: staff only
        "kind": "methods",
        "agent": "oslo-agency",
        "code": "oslo-agency",
        "user_id": shop.other_order_id,  # the team is the owner's own
        "method": "standard",  # shipping zones are the shop's staff's own
        "step": "accept",  # every step is refused alike on a group not the agent's
        "shipment_id": shop.other_order_id,
        "warehouse": "oslo",  # pick lists are the shop's staff's own
        "name": "sales",  # the reports' CSV: staff only
        "prefix": "sfk_none",  # suppliers' API keys: staff only
        "image_id": shop.other_order_id,  # under the other brand's product: refused by slug
        "rma": "RMA-NONE",  # no return the agent may see or act on
        "locale": "de",  # legal pages: staff only
        "version": 1,
        "quote_id": shop.other_order_id,  # quotes to trade buyers: staff only
        "part": "deposit",  # a payment part of the other brand's order
        "n": 1,  # a quote's version
        "company_id": shop.other_order_id,  # trade companies: staff only
    }


def secrets_of_the_other(shop: Shop) -> list[str]:
    """What no answer to the agent may hold: the other brand's product, price and order,
    the other agent's name (its code is sent in every query string, so pages may echo it)."""
    return [OTHER, shop.sku(OTHER), "$75.00", shop.orders["other"], "Oslo Agency"]


def unfillable(rule, values: dict) -> list[str]:
    return sorted(name for name in rule.arguments if name not in values)


def back_office_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(BACK_OFFICE_PREFIXES) and rule.endpoint != "static"
    ]


def test_an_agent_gets_403_or_404_on_every_route_for_a_brand_not_entrusted(
    app, shop, agent_client, agent_key
):
    values = other_path_values(shop)
    hidden = secrets_of_the_other(shop)
    # a valid change in every shape the routes take, so only the scope can refuse it
    form = {
        "name": "Hijacked",
        "hs_code": "7113.11",
        "origin_country": "CN",
        "material": "sterling silver",
        "grade": "none",
        "selling_model": "agent_operated",
        "setting-agent_operated-agent": "milano-agency",
        "is_published": "y",
        f"price-{shop.sku(OTHER)}": "1.00",
    }
    body = {"selling_model": "agent_operated", "selling_model_config": {"agent": "milano-agency"}}
    query = {"agent": "oslo-agency", "q": "nordic", "status": "paid", **PERIOD}
    walked = set()
    rules = back_office_rules(app)
    for rule in rules:
        missing = unfillable(rule, values)
        if missing:
            pytest.fail(
                f"{rule.rule} has path arguments {missing} the walk cannot fill: add them to "
                "other_path_values() so the route is checked against agents."
            )
        url = _ARGUMENT.sub(lambda m: str(values[m.group(1)]), rule.rule)
        is_api = rule.rule.startswith("/api/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            kwargs = {"method": method, "query_string": query}
            if is_api:
                kwargs["headers"] = {"Authorization": f"Bearer {agent_key}"}
                if method != "GET":
                    kwargs["json"] = body
            elif method != "GET":
                kwargs["data"] = form
            response = agent_client.open(url, follow_redirects=method == "GET", **kwargs)
            text = response.get_data(as_text=True)
            where = f"{method} {url} -> {response.status_code}"
            if rule.arguments:
                assert response.status_code in (403, 404), where
            else:
                # a list without an identifier may answer, but only with the agent's own data
                # (or refuse a filter of the walk's query that is not one of its own values)
                assert response.status_code in (200, 400, 403, 404, 422), where
            for secret in hidden:
                if secret in url:
                    continue  # error pages may repeat the address asked for
                assert secret not in text, f"{where} shows {secret!r}"
            walked.add(rule.endpoint.removeprefix("storefront."))  # the shop's blueprint
    assert walked >= KNOWN_ENDPOINTS, KNOWN_ENDPOINTS - walked
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == shop.products[OTHER]))
        assert (product.name, product.selling_model) == (OTHER, "wholesale_retail")
        assert db.session.scalars(select(SellingModelChange)).all() == []


def test_the_walk_refuses_a_route_it_cannot_fill(app, shop):
    from werkzeug.routing import Map, Rule

    values = other_path_values(shop)
    rule = Rule("/admin/widgets/<int:widget_id>", endpoint="admin.widget")
    Map([rule])  # binding the rule parses its arguments
    assert unfillable(rule, values) == ["widget_id"]
    assert all(unfillable(r, values) == [] for r in back_office_rules(app))


@pytest.mark.parametrize("role", ["supplier", "agent"])
def test_suppliers_and_agents_without_a_company_stay_out(logged_in, role):
    client = logged_in(role)
    for url in ("/admin/", "/admin/products", "/admin/orders", "/admin/settlements"):
        assert client.get(url).status_code == 403, url


# what an agent does with its own brands ------------------------------------------------------


def test_agent_lists_only_its_brands_products(agent_client, shop):
    page = agent_client.get("/admin/products").get_data(as_text=True)
    assert "Aurora ring" in page and "Lumen pendant" in page
    assert OTHER not in page
    assert "(2)" in page


def test_agent_edits_its_product_and_switches_it_to_its_own_company(app, agent_client, shop):
    slug = shop.products["Aurora ring"]
    form = {
        "name": "Aurora ring, polished",
        "hs_code": "7113.11",
        "origin_country": "CN",
        "material": "sterling silver",
        "grade": "none",
        "selling_model": "agent_operated",
        "is_published": "y",
        f"price-{shop.sku('Aurora ring')}": "52.00",
        "setting-agent_operated-agent": "oslo-agency",
    }
    refused = agent_client.post(f"/admin/products/{slug}", data=form)
    assert refused.status_code == 422
    assert "only go to your own agent company (milano-agency)" in refused.get_data(as_text=True)
    form["setting-agent_operated-agent"] = "milano-agency"
    response = agent_client.post(f"/admin/products/{slug}", data=form)
    assert response.status_code == 303
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == slug))
        assert product.name == "Aurora ring, polished"
        assert product.selling_model == "agent_operated"
        assert product.selling_model_settings == {"agent": "milano-agency"}
        assert product.variants[0].price_amount == Decimal("52.000")
        change = db.session.scalars(select(SellingModelChange)).one()
        assert (change.changed_by, change.to_code) == (shop.agent_user_id, "agent_operated")


def test_agent_sees_orders_with_its_lines_only(agent_client, shop):
    page = agent_client.get("/admin/orders").get_data(as_text=True)
    for label in ("mixed", "lumen", "refunded", "euro", "unpaid", "old"):
        assert shop.orders[label] in page, label
    assert shop.orders["other"] not in page
    # the mixed order's total is the agent's part: two Aurora rings
    assert "$98.00" in page and "$173.00" not in page
    refunded = agent_client.get("/admin/orders?status=refunded").get_data(as_text=True)
    assert shop.orders["refunded"] in refunded and shop.orders["mixed"] not in refunded

    detail = agent_client.get(f"/admin/orders/{shop.orders['mixed']}")
    text = detail.get_data(as_text=True)
    assert detail.status_code == 200
    assert shop.sku("Aurora ring") in text and "$98.00" in text
    assert shop.sku(OTHER) not in text and OTHER not in text


def test_staff_sees_every_order_whole(logged_in, shop):
    client = logged_in("staff")
    page = client.get("/admin/orders").get_data(as_text=True)
    assert all(number in page for number in shop.orders.values())
    detail = client.get(f"/admin/orders/{shop.orders['mixed']}").get_data(as_text=True)
    assert OTHER in detail and "Aurora ring" in detail and "$173.00" in detail
    assert client.get("/admin/orders/NOPE").status_code == 404


# settlements ---------------------------------------------------------------------------------

# aurora 49.00 USD (39.20 EUR at 1.25), lumen 120.30 USD (96.24 EUR); aurora 12%, lumen 15%
EXPECTED = [
    # brand, currency, rate, orders, gross, refunds, commission, payable
    ("Aurora", "EUR", "0.12", 1, "39.20", "0.00", "4.70", "34.50"),  # 4.704
    ("Lumen", "EUR", "0.15", 1, "96.24", "0.00", "14.44", "81.80"),  # 14.436
    # 2 rings in the mixed order + 1 refunded: (147.00 - 49.00) x 0.12
    ("Aurora", "USD", "0.12", 2, "147.00", "49.00", "11.76", "86.24"),
    ("Lumen", "USD", "0.15", 1, "120.30", "0.00", "18.05", "102.25"),  # 18.045, half-up
]
EXPECTED_TOTALS = {
    "EUR": ("135.44", "0.00", "19.14", "116.30"),
    "USD": ("267.30", "49.00", "29.81", "188.49"),
}


def test_settlement_per_brand_and_currency(app, shop):
    start = TODAY - datetime.timedelta(days=1)
    with app.app_context():
        statement = settlement(
            db.session.get(AgentCompany, shop.agent_id), start, start + datetime.timedelta(days=2)
        )
        rows = [
            (
                r.brand_name,
                r.currency,
                r.rate,
                r.orders,
                r.gross,
                r.refunds,
                r.commission,
                r.payable,
            )
            for r in statement.rows
        ]
        totals = {
            t.currency: (t.gross, t.refunds, t.commission, t.payable) for t in statement.totals
        }
    expected = [
        (brand, cur, Decimal(rate), n, *(Money(Decimal(a), cur) for a in amounts))
        for brand, cur, rate, n, *amounts in EXPECTED
    ]
    assert rows == expected
    assert totals == {
        cur: tuple(Money(Decimal(a), cur) for a in amounts)
        for cur, amounts in EXPECTED_TOTALS.items()
    }


def test_settlement_page_and_csv(agent_client, shop):
    page = agent_client.get("/admin/settlements", query_string=PERIOD)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "$18.05" in text and "€14.44" in text and "Total in EUR" in text
    assert "$188.49" in text and "€116.30" in text
    assert "Oslo" not in text and "Nordic" not in text

    response = agent_client.get("/admin/settlements.csv", query_string=PERIOD)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "settlement-milano-agency-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
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
    ]
    assert rows[1:] == [
        ["milano-agency", PERIOD["from"], PERIOD["to"], brand, cur, rate, str(n), *amounts]
        for brand, cur, rate, n, *amounts in EXPECTED
    ]
    same = agent_client.get("/admin/settlements", query_string={**PERIOD, "format": "csv"})
    assert same.get_data() == response.get_data()


def test_the_settlement_csv_hands_a_formula_brand_name_over_as_text(app, agent_client, shop):
    with app.app_context():
        db.session.query(Brand).filter_by(slug="lumen").update({"name": '=HYPERLINK("x")'})
        db.session.commit()
    response = agent_client.get("/admin/settlements.csv", query_string=PERIOD)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    lumen = [row for row in rows if "HYPERLINK" in row[3]]
    assert [row[3] for row in lumen] == ['\'=HYPERLINK("x")'] * 2
    assert [row[-1] for row in lumen] == ["81.80", "102.25"]


def test_staff_reads_any_agents_settlement(logged_in, shop):
    client = logged_in("owner")
    chooser = client.get("/admin/settlements").get_data(as_text=True)
    assert "milano-agency" in chooser and "oslo-agency" in chooser
    oslo = client.get("/admin/settlements", query_string={**PERIOD, "agent": "oslo-agency"})
    text = oslo.get_data(as_text=True)
    # nordic: 75.00 in the mixed order + 75.00 alone, 20% -> 30.00
    assert "$150.00" in text and "$30.00" in text and "$120.00" in text
    assert client.get("/admin/settlements?agent=nobody").status_code == 404
    bad = client.get("/admin/settlements", query_string={"agent": "oslo-agency", "from": "soon"})
    assert bad.status_code == 400 and "is not a date like 2026-01-31" in bad.get_data(as_text=True)
    backwards = {"agent": "oslo-agency", "from": "2026-02-01", "to": "2026-01-01"}
    assert client.get("/admin/settlements.csv", query_string=backwards).status_code == 400


def test_an_agent_cannot_read_another_agents_settlement(agent_client, shop):
    for url in ("/admin/settlements", "/admin/settlements.csv"):
        response = agent_client.get(url, query_string={**PERIOD, "agent": "oslo-agency"})
        assert response.status_code == 404


@given(
    cents=st.integers(min_value=0, max_value=10**12),
    rate=st.decimals(min_value=0, max_value=1, places=4),
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD"]),
)
def test_commission_and_payable_add_up_and_round_by_at_most_half_a_unit(cents, rate, currency):
    net = Money(Decimal(cents).scaleb(-3), currency).rounded()
    commission, payable = commission_split(net, rate)
    assert commission + payable == net
    assert commission.is_rounded and payable.is_rounded
    exact = net.amount * rate
    unit = Decimal(1).scaleb(-currency_precision(currency))
    assert abs(commission.amount - exact) <= unit / 2
