"""An agent's commission per entrusted brand: set on the agent's page or through the admin
API (a brand's own rate, or blank for the agent's), and used by the settlement."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from sqlalchemy import select

from orders_helpers import place
from storefront.catalog.tables import Brand
from storefront.db import db
from storefront.fulfilment.tables import EntrustedBrand
from test_after_payment import api_key

AGENT = "milano-agency"
PAGE = f"/admin/partners/agents/{AGENT}"
TODAY = datetime.datetime.now(datetime.UTC).date()
PERIOD = {
    "agent": AGENT,
    "from": (TODAY - datetime.timedelta(days=1)).isoformat(),
    "to": (TODAY + datetime.timedelta(days=1)).isoformat(),
}


@pytest.fixture
def agent(app, make_agent):
    """Milano runs aurora and lumen at 12 %; ids of the brands by slug."""
    make_agent(AGENT, brands=("aurora", "lumen"), rate="0.12")
    with app.app_context():
        return dict(db.session.execute(select(Brand.slug, Brand.id)).all())


def own_rates(app) -> dict[str, Decimal | None]:
    with app.app_context():
        return dict(
            db.session.execute(
                select(Brand.slug, EntrustedBrand.commission_rate).join(
                    Brand, Brand.id == EntrustedBrand.brand_id
                )
            ).all()
        )


def rate_input(page: str, brand_id: int) -> str:
    return re.search(rf'<input name="rate-{brand_id}"[^>]*>', page).group(0)


# the agent's page ----------------------------------------------------------------------------


def test_staff_give_a_brand_its_own_rate_on_the_agents_page(app, logged_in, agent):
    client = logged_in("staff")
    page = client.get(PAGE).get_data(as_text=True)
    form = page.split('data-testid="brand-rates"')[1].split("</form>")[0]
    assert 'name="csrf_token"' in form
    assert (
        "Aurora" in form
        and "Lumen" in form
        and form.count('<span class="muted">the agent\'s</span>') == 2
    )
    assert 'value=""' in rate_input(page, agent["aurora"])

    saved = client.post(
        f"{PAGE}/commission",
        data={f"rate-{agent['aurora']}": "15", f"rate-{agent['lumen']}": ""},
        follow_redirects=True,
    )
    assert saved.status_code == 200 and "Commission per brand of" in saved.get_data(as_text=True)
    assert own_rates(app) == {"aurora": Decimal("0.15"), "lumen": None}
    page = saved.get_data(as_text=True)
    assert 'value="15"' in rate_input(page, agent["aurora"])
    assert "instead of the agent's 12 %" in page

    # saving the agent's own form (brands kept) keeps the brand's rate
    client.post(
        PAGE,
        data={"name": "Milano Agency", "country": "IT", "handling_min": "1", "handling_max": "2",
              "commission_percent": "10", "returns_policy": "Back to Milan.",
              "brands": [str(agent["aurora"]), str(agent["lumen"])]},
    )  # fmt: skip
    assert own_rates(app) == {"aurora": Decimal("0.15"), "lumen": None}
    # blank again: the agent's rate
    client.post(f"{PAGE}/commission", data={f"rate-{agent['aurora']}": ""})
    assert own_rates(app) == {"aurora": None, "lumen": None}


@pytest.mark.parametrize("typed", ["150", "twelve", "12.345"])
def test_a_refused_rate_is_marked_and_nothing_is_saved(app, logged_in, agent, typed):
    client = logged_in("owner")
    answer = client.post(
        f"{PAGE}/commission",
        data={f"rate-{agent['aurora']}": "9", f"rate-{agent['lumen']}": typed},
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "A brand&#39;s own commission rate is a fraction from 0 to 1" in page
    assert 'aria-invalid="true"' in rate_input(page, agent["lumen"])
    assert 'aria-invalid="true"' not in rate_input(page, agent["aurora"])
    assert f'value="{typed}"' in rate_input(page, agent["lumen"])  # what was typed stays
    assert own_rates(app) == {"aurora": None, "lumen": None}


def test_only_staff_set_rates(app, logged_in, agent, client):
    assert client.post(f"{PAGE}/commission", data={}).status_code == 302  # to the login
    agent_user = logged_in("agent", email="a@milano.example")
    answer = agent_user.post(f"{PAGE}/commission", data={f"rate-{agent['aurora']}": "50"})
    assert answer.status_code == 403
    assert own_rates(app)["aurora"] is None
    assert logged_in("staff").post("/admin/partners/agents/nobody/commission").status_code == 404


# the admin API -------------------------------------------------------------------------------


@pytest.fixture
def staff_key(app, make_user):
    return api_key(app, make_user, "staff@shop.example", "staff")


def test_the_api_takes_brands_as_slugs_or_with_their_own_rate(
    app, client, agent, staff_key, make_brand
):
    doc = client.get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))
    validator = Draft202012Validator(
        {"$ref": "urn:api#/components/schemas/Agent"}, registry=registry
    )
    url = f"/api/v1/admin/agents/{AGENT}"

    set_rate = client.patch(
        url,
        json={"brands": [{"brand": "aurora", "commission_rate": "0.15"}, "lumen"]},
        headers=staff_key,
    )
    body = set_rate.get_json()
    assert set_rate.status_code == 200, body
    assert not list(validator.iter_errors(body))
    assert body["brands"] == ["aurora", "lumen"]  # as before: slugs
    assert body["entrusted_brands"] == [
        {"brand": "aurora", "commission_rate": "0.15"},
        {"brand": "lumen", "commission_rate": None},
    ]
    # an older client sending slugs only keeps the brands' own rates
    make_brand("nova")
    slugs = client.patch(url, json={"brands": ["aurora", "nova"]}, headers=staff_key).get_json()
    assert slugs["entrusted_brands"] == [
        {"brand": "aurora", "commission_rate": "0.15"},
        {"brand": "nova", "commission_rate": None},
    ]
    # a PATCH without brands changes none of it
    client.patch(url, json={"commission_rate": "0.1"}, headers=staff_key)
    assert own_rates(app) == {"aurora": Decimal("0.15"), "nova": None}
    cleared = client.patch(
        url, json={"brands": [{"brand": "aurora", "commission_rate": None}]}, headers=staff_key
    ).get_json()
    assert cleared["entrusted_brands"] == [{"brand": "aurora", "commission_rate": None}]
    assert not list(validator.iter_errors(cleared))
    assert own_rates(app) == {"aurora": None}


@pytest.mark.parametrize(
    "brands",
    [
        [{"brand": "aurora", "commission_rate": "1.5"}],
        [{"brand": "aurora", "commission_rate": 0.15}],
        [{"brand": "aurora", "rate": "0.15"}],
        [{"commission_rate": "0.15"}],
        [{"brand": "nobody", "commission_rate": "0.15"}],
        "aurora",
    ],
)
def test_the_api_refuses_a_bad_brand_rate_with_the_field(app, client, agent, staff_key, brands):
    answer = client.patch(
        f"/api/v1/admin/agents/{AGENT}", json={"brands": brands}, headers=staff_key
    )
    assert answer.status_code == 400
    assert answer.get_json()["error"]["field"] == "brands"
    assert own_rates(app) == {"aurora": None, "lumen": None}


def test_a_new_agent_through_the_api_with_a_brand_rate(app, client, make_brand, staff_key):
    make_brand("lucca", country="IT")
    made = client.post(
        "/api/v1/admin/agents",
        json={"code": "lucca-agency", "name": "Lucca Agency", "country": "IT",
              "commission_rate": "0.12",
              "brands": [{"brand": "lucca", "commission_rate": "0.2"}]},
        headers=staff_key,
    )  # fmt: skip
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["entrusted_brands"] == [{"brand": "lucca", "commission_rate": "0.2"}]


# the settlement ------------------------------------------------------------------------------


def test_the_settlement_uses_the_brands_own_rate(
    app, logged_in, make_product, make_channel, rates, make_warehouse, agent
):
    make_channel("us")
    rates()
    make_product(slug="aurora-ring", name="Aurora ring", brand="aurora")  # $49.00
    make_product(slug="lumen-pendant", name="Lumen pendant", brand="lumen", prices=["100.00"])
    make_warehouse("sz", "CN", {"AURORA-RING-0": 5, "LUMEN-PENDANT-0": 5})
    place(app, {"AURORA-RING-0": 1, "LUMEN-PENDANT-0": 1}, "k-1", "us", "US", paid=True)
    client = logged_in("owner")

    def row(brand: str) -> str:
        page = client.get("/admin/settlements", query_string=PERIOD).get_data(as_text=True)
        table = page.split('data-testid="settlement"')[1].split("</tbody>")[0]
        return next(r for r in table.split("<tr>") if f"<td>{brand}</td>" in r)

    assert "<td>12%</td>" in row("Aurora") and "$5.88" in row("Aurora")
    client.post(f"{PAGE}/commission", data={f"rate-{agent['aurora']}": "20"})
    aurora = row("Aurora")
    assert "<td>20%</td>" in aurora and "$9.80" in aurora and "$39.20" in aurora
    lumen = row("Lumen")  # no rate of its own: the agent's
    assert "<td>12%</td>" in lumen and "$12.00" in lumen
