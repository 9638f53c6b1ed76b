"""A trade company's VAT treatment: zero-rated intra-Community supplies (reverse charge),
business imports without IOSS, its own prices over the trade tiers, and what the order
keeps of it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.accounts.operations import create_user
from storefront.cart import operations as carts
from storefront.cart.groups import fulfilment_groups
from storefront.cart.totals import checkout_totals
from storefront.catalog.tables import Variant
from storefront.catalog.trade import PriceBreak, set_trade_terms
from storefront.companies import operations as companies
from storefront.companies.operations import CompanyInput
from storefront.companies.tables import Company
from storefront.companies.treatment import EU_BUSINESS_IMPORT, EU_REVERSE_CHARGE
from storefront.db import db
from storefront.markets.pricing import Pricer
from storefront.markets.tables import Channel
from storefront.orders import operations as orders
from storefront.orders.tables import Order

BERLIN = {
    "name": "Erika Muster",
    "company_name": "Boutique Erika GmbH",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}
VALID_DE = "DE 136 695 976"  # passes stdnum's check digit


@pytest.fixture
def shop(app, make_product, make_channel, rates, make_warehouse):
    """The EU channel (prices with VAT), a ring in stock in Paris and one in Shenzhen."""
    make_channel("eu")
    rates()
    paris = f"{make_product(name='Paris ring', prices=['49.00']).upper()}-0"
    china = f"{make_product(name='Shenzhen ring', prices=['49.00']).upper()}-0"
    make_warehouse("paris", "FR", {paris: 100})
    make_warehouse("sz", "CN", {china: 100})
    return {"paris": paris, "china": china}


def _company(vat: str = VALID_DE, code: str = "erika") -> int:
    company = companies.save_company(
        CompanyInput(code=code, legal_name="Boutique Erika GmbH", country="DE", vat_number=vat)
    )
    user = create_user(f"buyer@{code}.example", "correct horse battery", "wholesale")
    companies.add_buyer(company, user.email)
    db.session.flush()
    return company.id


def _cart(lines: dict[str, int], company_id: int | None, country: str = "DE"):
    channel = db.session.scalar(select(Channel).where(Channel.code == "eu"))
    cart, _ = carts.new_cart(channel, country, wholesale=True, company_id=company_id)
    pricer = Pricer(channel)
    for sku, quantity in lines.items():
        carts.add_line(cart, sku, quantity, pricer)
    cart.email, cart.phone, cart.address = "einkauf@erika.example", "+49301234567", BERLIN
    db.session.flush()
    return carts.price_cart(cart, pricer)


def _place(priced, key: str) -> Order:
    order, _token = orders.place_order(priced, key)
    db.session.flush()
    return order


def erika(buyer: str | None = "buyer@erika.example", **fields) -> Company:
    """Boutique Erika GmbH of Germany, with `buyer` as its buyer (in an app context)."""
    company = companies.save_company(
        CompanyInput(code="erika", legal_name="Boutique Erika GmbH", country="DE", **fields)
    )
    if buyer:
        companies.add_buyer(company, buyer)
    return company


def order_through_the_pages(client, shop):
    """The signed-in buyer orders the Paris piece to Berlin through the checkout pages; the
    answer to placing it."""
    import re

    client.get("/preferences?country=DE&next=/")
    assert client.post("/cart/add", data={"sku": shop["paris"]}).status_code == 303
    details = {**BERLIN, "email": "einkauf@erika.example", "phone": "030 1234567"}
    assert client.post("/checkout", data=details).status_code == 303
    review = client.get("/checkout/review").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review).group(1)
    return client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )


def test_a_german_company_buying_from_paris_pays_no_vat_and_the_order_says_why(app, shop):
    with app.app_context():
        priced = _cart({shop["paris"]: 2}, _company())
        gross = priced.lines[0].unit_price
        assert gross == priced.lines[0].quoted  # 39.99 with 19% German VAT in it
        (group,) = fulfilment_groups(priced)
        assert group.vat_treatment == EU_REVERSE_CHARGE
        net = (gross * (Decimal(100) / Decimal(119))).rounded()
        assert group.lines[0].unit_price == net
        totals = checkout_totals(priced, [group])
        assert totals["subtotal"] == (net * 2).rounded()
        assert totals["tax"].amount == 0
        assert totals["total"] == totals["subtotal"] + totals["shipping"]

        order = _place(priced, "rc-1")
        db.session.commit()
        assert order.vat_treatment == "eu_reverse_charge"
        assert "Article 138 of Directive 2006/112/EC" in order.vat_treatment_reason
        assert "reverse charge" in order.vat_treatment_reason
        assert (order.company_name, order.company_vat_number) == (
            "Boutique Erika GmbH",
            "DE136695976",
        )
        assert order.groups[0].vat_treatment == EU_REVERSE_CHARGE
        assert order.lines[0].unit_amount == net.amount
        assert order.total_amount == order.subtotal_amount  # free shipping, nothing added


def test_the_same_buyer_without_a_valid_number_pays_the_price_with_vat(app, shop):
    with app.app_context():
        priced = _cart({shop["paris"]: 2}, _company(vat=""))
        gross = priced.lines[0].unit_price
        (group,) = fulfilment_groups(priced)
        assert group.vat_treatment == ""
        assert group.lines[0].unit_price == gross
        order = _place(priced, "no-rc")
        assert order.vat_treatment == "" and order.vat_treatment_reason == ""
        assert order.company_name == "Boutique Erika GmbH"
        assert order.subtotal_amount == (gross * 2).rounded().amount


def test_delivered_inside_the_ship_from_country_it_is_a_domestic_sale(app, shop):
    with app.app_context():
        priced = _cart({shop["paris"]: 1}, _company(), country="FR")
        gross = priced.lines[0].unit_price
        (group,) = fulfilment_groups(priced)
        assert group.vat_treatment == ""
        assert group.lines[0].unit_price == gross


def test_a_company_importing_into_the_eu_pays_the_import_vat_itself(app, shop):
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)
    try:
        with app.app_context():
            consumer = _cart({shop["china"]: 1}, None)
            (retail,) = fulfilment_groups(consumer)
            assert retail.landed.regime == "eu_ioss"  # a trade buyer without a company

            priced = _cart({shop["china"]: 1}, _company())
            (group,) = fulfilment_groups(priced)
            assert group.vat_treatment == EU_BUSINESS_IMPORT
            assert group.landed.regime == "dap"
            assert group.landed.collected_at_checkout is False
            assert checkout_totals(priced, [group])["tax"].amount == 0
            order = _place(priced, "import-1")
            assert order.vat_treatment == EU_BUSINESS_IMPORT
            assert "IOSS does not apply" in order.vat_treatment_reason
            assert order.groups[0].import_regime == "dap"
    finally:
        app.config["TAX_REGISTRATIONS"] = ()


def test_pricing_the_same_cart_twice_takes_the_vat_off_once(app, shop):
    with app.app_context():
        priced = _cart({shop["paris"]: 1}, _company())
        first = fulfilment_groups(priced)[0].lines[0].unit_price
        again = fulfilment_groups(priced)[0].lines[0].unit_price
        assert first == again
        assert first.amount == (Decimal("39.99") * 100 / 119).quantize(Decimal("0.01"))


def test_company_prices_override_the_trade_tiers(app, shop):
    with app.app_context():
        variant = db.session.scalar(select(Variant).where(Variant.sku == shop["paris"]))
        set_trade_terms(variant, breaks=[PriceBreak(10, Decimal("30.00"))])
        company_id = _company(vat="")
        tiered = _cart({shop["paris"]: 10}, None).lines[0].unit_price
        assert tiered.amount < Decimal("39.99")
        company = db.session.get(Company, company_id)
        companies.set_prices(company, "EUR", {shop["paris"]: "25.50"})
        priced = _cart({shop["paris"]: 10}, company_id)
        assert str(priced.lines[0].unit_price.amount) == "25.50"
        assert priced.lines[0].quote.source == "company"
        assert priced.problems == []
        # a price list in another currency leaves the channel's prices
        companies.set_prices(company, "USD", {shop["paris"]: "20.00"})
        assert _cart({shop["paris"]: 10}, company_id).lines[0].unit_price == tiered
        # an archived company's buyers shop at the plain trade terms
        companies.set_prices(company, "EUR", {shop["paris"]: "25.50"})
        companies.set_active(company, False)
        assert _cart({shop["paris"]: 10}, company_id).lines[0].unit_price == tiered


def test_the_buyer_and_the_back_office_see_why_no_vat_was_charged(app, shop, client, logged_in):
    from storefront.companies.operations import find

    logged_in("wholesale", email="buyer@erika.example")
    with app.app_context():
        erika(vat_number=VALID_DE)
        db.session.commit()
    placed = order_through_the_pages(client, shop)
    number = placed.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/orders/{number}?locale=de").text
    assert "Boutique Erika GmbH" in page and "DE136695976" in page
    assert "Artikel 138 der Richtlinie 2006/112/EG" in page
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert order.vat_treatment == EU_REVERSE_CHARGE
        assert order.company_id == find("erika").id
        assert str(order.lines[0].unit_amount) == "33.610"  # 39.99 without its 19% VAT
    logged_in("staff")
    back_office = client.get(f"/admin/orders/{number}").text
    assert "eu_reverse_charge" in back_office and "Article 138" in back_office
