"""The product page tells a buyer when a piece reaches their country, before they add it:
the selling model's lead time (production, handling) plus the parcel's transit."""

import pytest


@pytest.fixture
def shop(four_models, make_channel):
    """The atelier in Portugal makes the cuff in 5-10 days; the ring waits in Berlin."""
    make_channel("jp")
    return {kind: sku.lower().removesuffix("-0") for kind, sku in four_models.items()}


def estimate(client, slug: str, country: str, lang: str = "en") -> str:
    client.get(f"/preferences?country={country}&locale={lang}&next=/")
    page = client.get(f"/p/{slug}").get_data(as_text=True)
    marker = 'data-testid="delivery-estimate">'
    assert marker in page, f"no delivery estimate on the page of {slug} for {country}"
    return " ".join(page.split(marker)[1].split("</p>")[0].split())


def test_a_made_to_order_piece_counts_its_production_and_the_transit_to_the_buyer(client, shop):
    # 5-10 days in the workshop, then 2-5 days from Portugal to Germany
    assert estimate(client, shop["made"], "DE") == "Delivered to Germany in 7–15 days"
    # ... or 6-12 days to Japan
    assert estimate(client, shop["made"], "JP") == "Delivered to Japan in 11–22 days"


def test_a_piece_in_stock_near_the_buyer_arrives_within_days(client, shop):
    # picked in Berlin in 1-2 days, 1-3 days within Germany
    assert estimate(client, shop["stock"], "DE") == "Delivered to Germany in 2–5 days"


def test_the_product_page_promises_what_the_cart_then_says(client, shop):
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": f"{shop['made'].upper()}-0", "quantity": "1"})
    cart = " ".join(client.get("/cart").get_data(as_text=True).split())
    assert "arrives in 7–15 days" in cart
    assert estimate(client, shop["made"], "DE") == "Delivered to Germany in 7–15 days"


@pytest.mark.parametrize(
    ("lang", "country", "expected"),
    [
        ("de", "DE", "Lieferung nach Deutschland in 7–15 Tagen"),
        ("ja", "JP", "日本へのお届けまで11～22日"),
    ],
)
def test_the_estimate_is_in_the_buyers_language(client, shop, lang, country, expected):
    assert estimate(client, shop["made"], country, lang) == expected


@pytest.mark.parametrize(("channel", "days"), [("eu", (7, 15)), ("jp", (11, 22))])
def test_the_product_api_gives_the_days_to_the_channels_country(client, shop, channel, days):
    body = client.get(f"/api/v1/products/{shop['made']}?channel={channel}").get_json()
    assert body["eta"] == {"min_days": days[0], "max_days": days[1]}
