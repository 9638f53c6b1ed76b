"""A shop set up from an empty database through the admin API alone, then bought from.

A merchant with nothing but `flask users create` and an API key makes a channel selling to
Canada in Canadian dollars, its exchange rates and shipping, a brand, a category, a
warehouse with stock, a workshop, a supplier with a webhook endpoint, an agent with its
brand, and a product of each of the four selling models with a French text and an
uploaded photo. A buyer then buys each through the Store API and pays through Stripe
(localstripe); the supplier's endpoint receives its signed event; the dashboard's figures
equal the sums worked out here from what the buyer was charged and the rates entered."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import func, select
from standardwebhooks.webhooks import Webhook

from channels.money import Money
from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    stripe_event,
)
from storefront import clock
from storefront.db import db
from storefront.orders.tables import Order

EUR_RATES = {"USD": "1.25", "CAD": "1.50"}  # 1 EUR in each: 1 USD = 1.2 CAD
CAD_PER_USD = Decimal("1.50") / Decimal("1.25")
MODELS = ("wholesale_retail", "self_produced", "agent_operated", "oem_dropship")


@pytest.fixture
def owner_key(runner) -> dict:
    """What a merchant does first on a new machine: an owner, and a key for the API."""
    made = runner.invoke(
        args=["users", "create", "--email", "owner@maple.example", "--role", "owner",
              "--name", "Maple Owner"],
        input="correct horse battery\ncorrect horse battery\n",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    issued = runner.invoke(args=["users", "api-key", "--email", "owner@maple.example"])
    assert issued.exit_code == 0, issued.output
    raw = next(line for line in issued.output.splitlines() if line.startswith("sfk_"))
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def paying(app):
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        yield CardHolder(base_url)


def photo(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 700), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


def created(answer, field: str | None = None):
    assert answer.status_code in (200, 201), answer.get_json()
    body = answer.get_json()
    return body[field] if field else body


def set_up_the_shop(client, key: dict, hooks_url: str) -> dict:
    today = clock.today().isoformat()
    post = lambda path, body: created(client.post(path, json=body, headers=key))  # noqa: E731
    put = lambda path, body: created(client.put(path, json=body, headers=key))  # noqa: E731

    # a market: Canada in Canadian dollars, English and French, its rates entered by hand
    post("/api/v1/admin/channels", {
        "code": "canada", "name": "Canada", "currency": "CAD", "countries": ["CA"],
        "locales": ["en", "fr"], "tax_display": "net", "rounding_rule": "precision",
    })  # fmt: skip
    for currency, rate in EUR_RATES.items():
        post("/api/v1/admin/fx-rates", {"currency": currency, "rate": rate, "date": today})
    put("/api/v1/admin/shipping-zones/canada", {"name": "Canada", "countries": ["CA"]})
    put("/api/v1/admin/shipping-zones/canada/methods/standard", {
        "name": "Tracked parcel", "currency": "CAD", "names": {"fr": "Colis suivi"},
        "bands": [{"up_to_grams": 2000, "price": "12.00"}],
    })  # fmt: skip

    # what is sold, who makes, runs and ships it
    post("/api/v1/admin/categories", {"slug": "anklets", "name": "Anklets",
                                      "names": {"fr": "Chevillères"}})  # fmt: skip
    for slug, name, country in (("maple-silver", "Maple Silver", "CA"),
                                ("riva", "Riva Milano", "IT")):  # fmt: skip
        post("/api/v1/admin/brands", {"slug": slug, "name": name, "country": country})
    post("/api/v1/admin/warehouses", {"code": "toronto", "name": "Toronto depot",
                                      "country": "CA", "serves": ["CA"]})  # fmt: skip
    post("/api/v1/admin/workshops", {"code": "montreal-bench", "name": "Montreal bench",
                                     "country": "CA"})  # fmt: skip
    post("/api/v1/admin/suppliers", {"code": "ontario-drop", "name": "Ontario Dropship",
                                     "country": "CA", "kind": "dropship", "lead_min": 2,
                                     "lead_max": 4})  # fmt: skip
    secret = post("/api/v1/admin/suppliers/ontario-drop/endpoints",
                  {"url": hooks_url, "events": ["order_group.created"]})["secret"]  # fmt: skip
    post("/api/v1/admin/agents", {
        "code": "riva-agency", "name": "Riva Agency", "country": "IT",
        "returns_policy": "Returns go to Riva in Milan.", "commission_rate": "0.15",
        "brands": ["riva"],
    })  # fmt: skip

    # one product of each model, with a French text and a photo
    settings = {
        "wholesale_retail": {"handling_min": 1, "handling_max": 2},
        "self_produced": {"maker": "montreal-bench", "production_min": 5, "production_max": 9},
        "agent_operated": {"agent": "riva-agency"},
        "oem_dropship": {"supplier": "ontario-drop"},
    }
    skus = {}
    for n, model in enumerate(MODELS):
        slug = f"anklet-{n}"
        product = post("/api/v1/admin/products", {
            "slug": slug, "name": f"Anklet {n}", "description": "A fine anklet.",
            "brand": "riva" if model == "agent_operated" else "maple-silver",
            "category": "anklets", "hs_code": "7113.11", "origin_country": "CA",
            "material": "sterling silver", "weight_grams": 6, "length_mm": 250,
            "width_mm": 5, "height_mm": 3, "selling_model": model,
            "selling_model_settings": settings[model],
            "variants": [{"sku": f"ANK-{n}", "price": f"{40 + 10 * n}.00"}],
            "texts": {"fr": {"name": f"Chevillère {n}", "description": "Une belle chevillère."}},
        })  # fmt: skip
        assert product["texts"]["fr"]["name"] == f"Chevillère {n}"
        image = client.post(
            f"/api/v1/admin/products/{slug}/images",
            data={"file": (io.BytesIO(photo("#c0c0c0")), "anklet.jpg"), "alt": "On a wrist"},
            headers=key,
            content_type="multipart/form-data",
        )
        assert image.status_code == 201, image.get_json()
        skus[model] = f"ANK-{n}"
    post("/api/v1/admin/stock-movements", {"warehouse": "toronto", "sku": skus["wholesale_retail"],
                                           "quantity": 10, "reason": "received"})  # fmt: skip
    return {"skus": skus, "secret": secret}


def buy(client, holder: CardHolder, sku: str, n: int) -> dict:
    """A French-speaking buyer in Toronto buys one piece through the Store API and pays."""
    french = {"Accept-Language": "fr-CA,fr;q=0.9"}
    cart = created(
        client.post("/api/v1/carts", json={"channel": "canada", "country": "CA"}, headers=french)
    )
    auth = {"Authorization": f"Bearer {cart['token']}", **french}
    line = client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
    assert line.status_code == 201, line.get_json()
    address = client.put(
        f"/api/v1/carts/{cart['id']}/address",
        headers=auth,
        json={
            "address": {"name": "Camille Roy", "street_address": "100 Queen St W",
                        "city": "Toronto", "country_area": "CA-ON", "postal_code": "M5H 2N2"},
            "email": f"camille{n}@maple.example", "phone": "+1 416 555 0100",
        },
    )  # fmt: skip
    assert address.status_code == 200, address.get_json()
    placed = client.post(
        f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": f"k-{n}"}, headers=auth
    )
    assert placed.status_code == 201, placed.get_json()
    answer = placed.get_json()
    intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
    assert holder.pays(intent_id)["status"] == "succeeded"
    paid = deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
    assert (paid.status_code, paid.get_json()["outcome"]) == (200, "paid")
    read = client.get(f"/api/v1/orders/{answer['order_id']}?token={answer['order_token']}")
    return read.get_json()


def test_a_shop_set_up_through_the_admin_api_sells_every_model(
    app, client, runner, owner_key, receiver, paying
):
    hooks_url, received = receiver
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0
    shop = set_up_the_shop(client, owner_key, hooks_url)

    # the buyer sees the catalog in French, with the photos
    listed = client.get("/api/v1/products?channel=canada&locale=fr").get_json()["items"]
    assert {p["name"] for p in listed} == {f"Chevillère {n}" for n in range(4)}
    assert all(p["image_url"] and p["image_sizes"] for p in listed)
    one = client.get("/api/v1/products/anklet-0?channel=canada&locale=fr").get_json()
    assert one["category_name"] == "Chevillères"
    assert one["variants"][0]["price"]["currency"] == "CAD"
    with client.get(one["images"][0]) as photo_answer:
        assert photo_answer.status_code == 200
        assert Image.open(io.BytesIO(photo_answer.data)).size == (900, 700)  # never enlarged

    orders = {model: buy(client, paying, sku, n) for n, (model, sku)
              in enumerate(shop["skus"].items())}  # fmt: skip
    for model, order in orders.items():
        assert order["status"] == "paid", (model, order["status"])
        [group] = order["groups"]
        assert group["selling_model"] == model
        assert group["lines"][0]["name"].startswith("Chevillère")
        assert order["currency"] == "CAD"
        assert group["shipping_method"] == "Colis suivi"

    # the stock the merchant received is 9 now; the supplier hears of its order, signed
    stock = client.get("/api/v1/admin/warehouses/toronto/stock", headers=owner_key).get_json()
    assert [(row["sku"], row["on_hand"]) for row in stock["items"]] == [("ANK-0", 9)]
    sent = runner.invoke(args=["worker", "--once", "--only", "webhooks.deliver"])
    assert sent.exit_code == 0, sent.output
    [(body, headers)] = received
    event = Webhook(shop["secret"]).verify(body, headers)
    assert event["type"] == "order_group.created"
    assert event["data"]["lines"][0]["sku"] == "ANK-3"
    assert event["data"]["ship_to"]["postal_code"] == "M5H 2N2"

    # the dashboard: goods sold, in US dollars at the rates entered, per model
    goods = {
        model: sum(
            Decimal(line["unit_price"]["amount"]) * line["quantity"]
            for line in order["groups"][0]["lines"]
        )
        for model, order in orders.items()
    }
    usd = {model: amount / CAD_PER_USD for model, amount in goods.items()}
    today = clock.today()
    period = f"from={today - datetime.timedelta(days=1)}&to={today}"
    report = client.get(f"/api/v1/admin/reports/sales?{period}", headers=owner_key).get_json()
    assert report["currency"] == "USD"
    assert report["totals"]["orders"] == 4
    assert report["totals"]["units"] == 4
    assert report["totals"]["revenue"] == Money(sum(usd.values()), "USD").rounded().as_json()
    by_model = {row["selling_model"]: row["revenue"] for row in report["by_selling_model"]}
    assert by_model == {m: Money(a, "USD").rounded().as_json() for m, a in usd.items()}
    assert {row["country"] for row in report["by_country"]} == {"CA"}
    assert {row["channel"] for row in report["by_channel"]} == {"canada"}
    # 40, 50, 60 and 70 USD at 1.2 CAD each, as the buyer was charged
    assert sorted(goods.values()) == [Decimal("48.00"), Decimal("60.00"), Decimal("72.00"),
                                      Decimal("84.00")]  # fmt: skip
