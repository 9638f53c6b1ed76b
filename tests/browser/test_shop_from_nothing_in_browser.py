"""A shop set up from an empty database through the back-office pages, in Chromium, then
bought from in the shop's pages.

The same shop as tests/test_shop_from_nothing.py, made by hand instead of through the admin
API: the owner (made with `flask users create`, the only step outside the pages) signs in
and makes a channel selling to Canada in Canadian dollars, its exchange rates and shipping,
a category and brands with their French names, a warehouse with received stock, a
workshop, a supplier with its webhook endpoint, an agent with its brand, and a product of
each of the four selling models with its settings, a French text and an uploaded photo. A
French-speaking buyer in Toronto then buys each in the shop and pays by card (localstripe);
the merchant sees the stock left and the dashboard's sales equal to the sum worked out here."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from channels.money import Money
from localstripe_server import app_paying_through, running_localstripe
from storefront import clock
from storefront.db import db
from storefront.orders.tables import Order
from storefront.web import format_money

pytestmark = pytest.mark.browser

OWNER, PASSWORD = "owner@maple.example", "correct horse battery"
EUR_RATES = {"USD": "1.25", "CAD": "1.50"}  # 1 EUR in each: 1 USD = 1.2 CAD
CAD_PER_USD = Decimal("1.50") / Decimal("1.25")
MODELS = ("wholesale_retail", "self_produced", "agent_operated", "oem_dropship")
SETTINGS = {  # each model's settings as typed (inputs) or chosen (selects) on the edit page
    "wholesale_retail": {"handling_min": "1", "handling_max": "2"},
    "self_produced": {"maker": "montreal-bench", "production_min": "5", "production_max": "9"},
    "agent_operated": {"agent": "riva-agency"},
    "oem_dropship": {"supplier": "ontario-drop"},
}


@pytest.fixture
def paying_app(app):
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        yield app


@pytest.fixture
def owner(runner) -> str:
    """What a merchant does first on a new machine: an owner, on the command line."""
    made = runner.invoke(
        args=["users", "create", "--email", OWNER, "--role", "owner", "--name", "Maple Owner"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert made.exit_code == 0, made.output
    return OWNER


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 700), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def saved(page, text: str) -> None:
    expect(page.get_by_role("status").first).to_contain_text(text)


def fill(form, fields: dict[str, str]) -> None:
    """Type into a form's inputs and text areas, choose in its selects, by field name."""
    for name, value in fields.items():
        field = form.locator(f"[name='{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


# the owner's steps, one record kind each ----------------------------------------------


def sign_in(page) -> None:
    page.goto("/login")
    form = page.locator("form:has(input[name=password])")
    fill(form, {"email": OWNER, "password": PASSWORD})
    form.locator("button[type=submit]").click()
    expect(page).not_to_have_url("/login")


def make_channel(page) -> None:
    page.goto("/admin/channels")
    form = page.get_by_test_id("channel-form")
    fill(form, {"code": "canada", "name": "Canada", "currency": "CAD", "countries": "CA",
                "locales": "en fr", "tax_display": "net",
                "rounding_rule": "precision"})  # fmt: skip
    form.get_by_role("button", name="Save").click()
    saved(page, "Canada saved.")
    expect(page.get_by_test_id("channels").locator("tr[data-code=canada]")).to_contain_text("CAD")


def enter_rates(page) -> None:
    page.goto("/admin/fx-rates")
    for currency, rate in EUR_RATES.items():
        form = page.get_by_test_id("rate-form")
        fill(form, {"currency": currency, "rate": rate, "date": clock.today().isoformat()})
        form.get_by_role("button", name="Save").click()
        row = page.get_by_test_id("fx-rates").locator(f"tr[data-currency={currency}]")
        expect(row).to_contain_text(rate)


def make_shipping(page) -> None:
    page.goto("/admin/shipping/")
    zone = page.get_by_test_id("zone-form")
    fill(zone, {"code": "canada", "name": "Canada", "countries": "CA"})
    zone.get_by_role("button").click()
    saved(page, "Zone canada saved.")
    method = page.get_by_test_id("method-form")
    fill(method, {"zone": "canada", "code": "standard", "name": "Tracked parcel",
                  "name_fr": "Colis suivi", "currency": "CAD", "bands": "2000 12.00"})  # fmt: skip
    method.get_by_role("button").click()
    saved(page, "Method standard saved.")


def make_taxonomy(page, kind: str, fields: dict[str, str]) -> None:
    page.goto(f"/admin/{kind}")
    form = page.get_by_test_id("taxonomy-form")
    fill(form, fields)
    form.get_by_role("button", name="Save").click()
    saved(page, f"{fields['name']} saved.")


def make_warehouse(page) -> None:
    page.goto("/admin/warehouses/new")
    fill(page.locator("form.stacked-form"),
         {"code": "toronto", "name": "Toronto depot", "country": "CA", "serves": "CA"})  # fmt: skip
    page.get_by_role("button", name="Create").click()
    expect(page.locator("h1")).to_contain_text("Toronto depot")


def receive_stock(page, sku: str, units: int) -> None:
    page.goto("/admin/warehouses/toronto")
    movement = page.get_by_test_id("movement-form")
    fill(movement, {"sku": sku, "quantity": str(units), "reason": "received",
                    "note": "First delivery from the bench"})  # fmt: skip
    movement.get_by_role("button").click()
    expect(page.get_by_test_id("movements")).to_contain_text(sku)
    expect(stock_row(page, sku)).to_contain_text(str(units))


def stock_row(page, sku: str):
    return page.get_by_test_id("stock-levels").locator("tr", has_text=sku)


def make_partner(page, kind: str, fields: dict[str, str], brands: tuple[str, ...] = ()) -> None:
    page.goto(f"/admin/partners/{kind}")
    form = page.get_by_test_id("partners-form")
    fill(form, fields)
    if brands:
        form.locator("select[name=brands]").select_option(label=list(brands))
    form.get_by_role("button", name="Save").click()
    saved(page, f"{fields['name']} saved.")


def add_endpoint(page, supplier: str, url: str) -> str:
    page.goto(f"/admin/partners/suppliers/{supplier}/access")
    form = page.get_by_test_id("add-endpoint")
    form.locator("input[name=url]").fill(url)
    form.locator("input[name=events][value='order_group.created']").check()
    form.get_by_role("button", name="Add").click()
    secret = page.get_by_test_id("new-secret").locator("code")
    expect(secret).to_contain_text("whsec_")
    return secret.inner_text()


def make_product(page, n: int, model: str) -> str:
    slug, sku = f"anklet-{n}", f"ANK-{n}"
    page.goto("/admin/products/new")
    form = page.locator("form.stacked-form")
    fill(form, {
        "slug": slug, "name": f"Anklet {n}", "description": "A fine anklet.",
        "brand": "riva" if model == "agent_operated" else "maple-silver",
        "category": "anklets", "selling_model": model, "material": "sterling silver",
        "hs_code": "7113.11", "origin_country": "CA", "weight_grams": "6", "length_mm": "250",
        "width_mm": "5", "height_mm": "3", "sku-0": sku, "price-0": f"{40 + 10 * n}.00",
    })  # fmt: skip
    # the new page asks for the chosen model's settings
    fill(form, {f"setting-{model}-{name}": value for name, value in SETTINGS[model].items()})
    page.get_by_role("button", name="Create").click()
    saved(page, f"Anklet {n} created.")

    # the edit page: the model's settings as saved, the French text, the photo
    expect(page.locator("h1")).to_contain_text(f"Anklet {n}")
    for name, value in SETTINGS[model].items():
        expect(page.locator(f"[name=setting-{model}-{name}]")).to_have_value(value)
    texts = page.get_by_test_id("product-texts")
    fill(texts, {"name_fr": f"Chevillère {n}", "description_fr": "Une belle chevillère."})
    texts.get_by_role("button", name="Save texts").click()
    expect(page.get_by_test_id("product-texts").locator("input[name=name_fr]")).to_have_value(
        f"Chevillère {n}"
    )
    images = page.get_by_test_id("product-images")
    images.locator("input[type=file]").set_input_files(
        {"name": "anklet.jpg", "mimeType": "image/jpeg", "buffer": jpeg("#c0c0c0")}
    )
    fill(images, {"alt": "On a wrist"})
    images.get_by_role("button", name="Upload").click()
    expect(page.get_by_test_id("product-images").locator("li")).to_contain_text("900×700")
    return sku


def set_up_the_shop(page, screenshot, hooks_url: str) -> dict:
    sign_in(page)
    make_channel(page)
    enter_rates(page)
    make_shipping(page)
    screenshot(page, "from-nothing-shipping")
    make_taxonomy(page, "categories", {"slug": "anklets", "name": "Anklets",
                                       "name_fr": "Chevillères"})  # fmt: skip
    make_taxonomy(page, "brands", {"slug": "maple-silver", "name": "Maple Silver",
                                   "country": "CA", "name_fr": "Argent d'érable"})  # fmt: skip
    make_taxonomy(page, "brands", {"slug": "riva", "name": "Riva Milano", "country": "IT",
                                   "name_fr": "Riva Milan"})  # fmt: skip
    make_warehouse(page)
    make_partner(page, "workshops", {"code": "montreal-bench", "name": "Montreal bench",
                                     "country": "CA"})  # fmt: skip
    make_partner(page, "suppliers", {"code": "ontario-drop", "name": "Ontario Dropship",
                                     "country": "CA", "kind": "dropship", "lead_min": "2",
                                     "lead_max": "4"})  # fmt: skip
    secret = add_endpoint(page, "ontario-drop", hooks_url)
    make_partner(page, "agents", {"code": "riva-agency", "name": "Riva Agency", "country": "IT",
                                  "returns_policy": "Returns go to Riva in Milan.",
                                  "commission_percent": "15"},
                 brands=("Riva Milano (riva)",))  # fmt: skip
    skus = {model: make_product(page, n, model) for n, model in enumerate(MODELS)}
    screenshot(page, "from-nothing-product")
    receive_stock(page, skus["wholesale_retail"], 10)
    return {"skus": skus, "secret": secret}


# the buyer's steps ----------------------------------------------------------------------


def buy(buyer, slug: str, n: int, screenshot) -> str:
    """A French-speaking buyer in Toronto buys one piece in the shop and pays by card;
    the order's number."""
    buyer.goto(f"/p/{slug}")
    buyer.locator("form.add-form button[type=submit]").click()
    expect(buyer.locator(".cart-count")).to_have_text("1")
    buyer.goto("/checkout")
    details = buyer.locator("form.checkout-form")
    fill(details, {"name": "Camille Roy", "street_address": "100 Queen St W", "city": "Toronto",
                   "postal_code": "M5H 2N2", "country_area": "CA-ON",
                   "email": f"camille{n}@maple.example", "phone": "+1 416 555 0100"})  # fmt: skip
    details.locator("button[type=submit].primary").click()
    expect(buyer.get_by_test_id("place")).to_be_enabled()
    expect(buyer.get_by_test_id("group")).to_contain_text(f"Chevillère {n}")
    expect(buyer.get_by_test_id("group")).to_contain_text("Colis suivi")
    expect(buyer.get_by_test_id("total-shipping")).to_contain_text("12,00")
    expect(buyer.get_by_test_id("total")).to_contain_text("$CA")
    if n == 0:
        screenshot(buyer, "from-nothing-review")
    buyer.get_by_test_id("accept-terms").check()
    buyer.get_by_test_id("place").click()
    card = buyer.get_by_test_id("card-element")  # localstripe's stand-in for Stripe.js
    for placeholder, value in (("number", "4242424242424242"), ("exp_month", "12"),
                               ("exp_year", "30"), ("cvc", "123"),
                               ("postal_code", "M5H2N2")):  # fmt: skip
        card.get_by_placeholder(placeholder).fill(value)
    buyer.get_by_test_id("pay").click()
    status = buyer.get_by_test_id("status")
    expect(status).to_have_attribute("data-status", "paid", timeout=15_000)
    expect(status).to_have_text("payée")
    expect(buyer.get_by_test_id("shipping")).to_contain_text("Colis suivi")
    if n == 3:
        screenshot(buyer, "from-nothing-paid")
    return buyer.url.rstrip("/").rsplit("/", 1)[-1]


def test_a_shop_set_up_through_the_back_office_pages_sells_every_model(
    page, live_server, paying_app, runner, owner, receiver, screenshot
):
    hooks_url, received = receiver
    with paying_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    shop = set_up_the_shop(page, screenshot, hooks_url)

    buyer = page.context.browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 900},
        locale="fr-CA",
    ).new_page()
    buyer.set_default_timeout(10_000)
    buyer.goto("/preferences?country=CA&locale=fr&next=/")
    # the buyer sees the catalog in French, in Canadian dollars, with the photos
    nav = buyer.get_by_role("navigation").filter(has_text="Chevillères")
    nav.get_by_role("link", name="Chevillères").click()
    for n in range(4):
        expect(buyer.get_by_role("link", name=f"Chevillère {n}").first).to_be_visible()
    buyer.goto("/p/anklet-0")
    expect(buyer.locator("h1")).to_have_text("Chevillère 0")
    expect(buyer.get_by_test_id("price")).to_have_text("48,00\u00a0$CA")  # 40 USD at 1.2
    expect(buyer.locator("main")).to_contain_text("Argent d'érable")  # the brand's French name
    photo = buyer.get_by_role("img", name="On a wrist")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth") > 0  # it loaded
    screenshot(buyer, "from-nothing-product-page")

    numbers = {model: buy(buyer, f"anklet-{n}", n, screenshot) for n, model in enumerate(MODELS)}
    buyer.context.close()

    with paying_app.app_context():
        orders = {m: db.session.scalar(select(Order).where(Order.number == number))
                  for m, number in numbers.items()}  # fmt: skip
        assert {m: o.status for m, o in orders.items()} == {m: "paid" for m in MODELS}
        assert {o.currency for o in orders.values()} == {"CAD"}
        goods = {m: sum(line.unit_amount * line.quantity for g in o.groups for line in g.lines)
                 for m, o in orders.items()}  # fmt: skip
        models = {m: [g.selling_model for g in o.groups] for m, o in orders.items()}
        names = sorted(line.local_name for o in orders.values() for line in o.lines)
    assert names == [f"Chevillère {n}" for n in range(4)]  # as the buyer read them
    assert models == {m: [m] for m in MODELS}
    # 40, 50, 60 and 70 USD at 1.2 CAD each, as the buyer was charged
    assert sorted(goods.values()) == [Decimal("48.00"), Decimal("60.00"), Decimal("72.00"),
                                      Decimal("84.00")]  # fmt: skip

    # the supplier hears of its order, signed with the secret the page showed once
    sent = runner.invoke(args=["worker", "--once", "--only", "webhooks.deliver"])
    assert sent.exit_code == 0, sent.output
    [(body, headers)] = received
    event = Webhook(shop["secret"]).verify(body, headers)
    assert event["type"] == "order_group.created"
    assert event["data"]["lines"][0]["sku"] == shop["skus"]["oem_dropship"]
    assert event["data"]["ship_to"]["postal_code"] == "M5H 2N2"

    # the merchant: 9 left of the 10 received; the dashboard's sales at the rates entered
    page.goto("/admin/warehouses/toronto")
    expect(stock_row(page, "ANK-0").locator("td").nth(2)).to_have_text("9")
    usd = sum(amount / CAD_PER_USD for amount in goods.values())
    today = clock.today()
    page.goto(f"/admin/?from={today - datetime.timedelta(days=1)}&to={today}")
    with paying_app.test_request_context():
        revenue = format_money(Money(usd, "USD").rounded())
    expect(page.get_by_test_id("sales-revenue")).to_have_text(revenue)
    expect(page.get_by_test_id("sales-orders")).to_have_text("4")
    expect(page.get_by_test_id("sales-units")).to_have_text("4")
    with paying_app.test_request_context():
        per_model = {
            m: format_money(Money(goods[m] / CAD_PER_USD, "USD").rounded()) for m in MODELS
        }
    rows = page.get_by_test_id("sales-by_selling_model").locator("tbody tr")
    expect(rows).to_have_count(4)
    for model, amount in per_model.items():
        expect(rows.filter(has_text=model).locator("td").nth(1)).to_have_text(amount)
    # each purchase began a cart of its own: four carts, four checkouts, four paid
    expect(page.get_by_test_id("conversion-carts_started")).to_have_text("4")
    expect(page.get_by_test_id("conversion-orders_paid")).to_have_text("4")
    screenshot(page, "from-nothing-dashboard")
