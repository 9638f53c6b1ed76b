"""US duty across HS code lengths: 6-digit products meet 8-digit national tariff lines,
the highest candidate line is used (and said) unless the product names its line, and
`flask rules check` warns about rules that ended with nothing in their place."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from channels.country_rules import load_rules
from channels.fx import RateSet
from channels.landed_cost import Consignment, GoodsLine, landed_cost
from channels.money import Money
from storefront import clock
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.db import db

DEC_5 = datetime.date(2026, 12, 5)
TODAY = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.UTC)
RATES = RateSet(DEC_5, {"USD": Decimal("1.25"), "CAD": Decimal("1.5")})


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def duty_on(hs: str, dest="US", origin="CN", value="100", currency="USD", day=DEC_5):
    value = Money(Decimal(value), currency)
    parcel = Consignment(origin, dest, day, (GoodsLine(hs, value),), Money.zero(currency))
    return landed_cost(parcel, frozenset(), RATES, currency, load_rules())


def test_a_subheading_takes_the_highest_of_its_national_lines_with_the_china_addition():
    result = duty_on("7113.11")
    # 13.5% (71131120, the higher of 13.5% and 5%) + 7.5% Section 301 on China-origin goods
    assert result.duty == usd("21.00")
    assert result.duty_rules == ("us-71131120", "us-cn-301-list-4a")
    assert result.duty_at_highest_rate
    (note,) = result.duty_notes
    assert "highest of 2 tariff lines for 7113.11" in note
    assert "71131120, 71131150" in note and "national code" in note


def test_the_temporary_surcharge_stacks_on_the_matched_line_while_in_force():
    result = duty_on("711311", day=datetime.date(2026, 5, 1))
    assert result.duty == usd("31.00")  # 13.5 + 7.5 + 10
    assert "us-cn-temporary-surcharge" in result.duty_rules


def test_a_product_naming_its_national_line_gets_that_line_exactly():
    result = duty_on("7113.11.50")
    assert result.duty == usd("12.50")  # 5% + 7.5% Section 301
    assert result.duty_rules == ("us-71131150", "us-cn-301-list-4a")
    assert not result.duty_at_highest_rate and result.duty_notes == ()


def test_without_china_origin_only_the_line_applies():
    result = duty_on("7113.11", origin="VN")
    assert result.duty == usd("13.50")
    assert result.duty_rules == ("us-71131120",)


def test_a_national_code_another_market_does_not_publish_falls_back_to_the_subheading():
    # 71131150 is a US line; Canada publishes 71131190 under 7113.11
    result = duty_on("7113.11.50", dest="CA", currency="CAD", value="200")
    assert result.duty == Money(Decimal("17.00"), "CAD")  # 8.5%
    assert result.duty_rules == ("ca-71131190",)
    assert "HS 71131150" in result.duty_notes[0]
    assert "not a tariff line of this market" in result.duty_notes[0]


def test_a_heading_rule_still_covers_a_longer_product_code():
    # EU: over the EUR 150 flat-duty limit the 7113 heading's 2.5% applies to 7113.11
    result = duty_on("7113.11", dest="DE", currency="EUR", value="400")
    assert result.duty == Money(Decimal("10.00"), "EUR")
    assert result.duty_rules == ("eu-7113",) and not result.duty_at_highest_rate


# through the API --------------------------------------------------------------------


@pytest.fixture
def us_from_china(app, make_product, make_channel, rates, make_supplier):
    make_channel("us")
    rates()
    make_supplier("shenzhen-silver", "CN", lead_min=3, lead_max=5)

    def make(hs_code: str) -> str:
        slug = make_product(
            hs_code=hs_code,
            selling_model="oem_dropship",
            selling_model_settings={"supplier": "shenzhen-silver"},
        )
        return f"{slug.upper()}-0"

    return make


def _us_charges(client, sku: str) -> dict:
    cart = client.post("/api/v1/carts", json={"channel": "us", "country": "US"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    added = client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
    assert added.status_code in (200, 201), added.get_json()
    body = client.get(f"/api/v1/carts/{cart['id']}", headers=auth).get_json()
    (group,) = body["groups"]
    assert group["ship_from"] == "CN"
    return group["import"]


def test_a_us_parcel_of_a_7113_11_piece_from_china_owes_duty(client, us_from_china):
    sku = us_from_china("7113.11")
    with clock.frozen(TODAY):
        charges = _us_charges(client, sku)
    assert Decimal(charges["duty"]["amount"]) > 0
    assert charges["duty"]["currency"] == "USD"
    assert charges["duty_rules"] == ["us-71131120", "us-cn-301-list-4a"]
    assert charges["duty_at_highest_rate"] is True
    assert "highest of 2 tariff lines for 7113.11" in charges["duty_notes"][0]
    assert Decimal(charges["estimated_due_on_delivery"]["amount"]) >= Decimal(
        charges["duty"]["amount"]
    )


def test_a_product_with_its_national_code_gets_the_exact_us_line(
    app, client, us_from_china, make_user
):
    sku = us_from_china("7113.11")
    email = make_user(role="owner")
    with app.app_context():
        _key, raw = issue_api_key(db.session.scalar(select(User).where(User.email == email)))
        db.session.commit()
    slug = sku.removesuffix("-0").lower()
    patched = client.patch(
        f"/api/v1/admin/products/{slug}",
        json={"hs_code": "7113.11.50"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert patched.status_code == 200, patched.get_json()
    with clock.frozen(TODAY):
        charges = _us_charges(client, sku)
    assert charges["duty_rules"] == ["us-71131150", "us-cn-301-list-4a"]
    assert charges["duty_at_highest_rate"] is False and charges["duty_notes"] == []


def test_a_ten_digit_code_written_with_its_dots_is_kept_whole(
    app, client, us_from_china, make_user
):
    sku = us_from_china("7113.11")
    email = make_user(role="owner")
    with app.app_context():
        _key, raw = issue_api_key(db.session.scalar(select(User).where(User.email == email)))
        db.session.commit()
    slug = sku.removesuffix("-0").lower()
    patched = client.patch(
        f"/api/v1/admin/products/{slug}",
        json={"hs_code": "7113.11.50.00"},  # 13 characters: PostgreSQL once refused them
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["hs_code"] == "7113.11.50.00"
    with clock.frozen(TODAY):
        charges = _us_charges(client, sku)
    assert charges["duty_rules"] == ["us-71131150", "us-cn-301-list-4a"]


def test_rules_check_warns_about_the_expired_us_surcharge(runner):
    with clock.frozen(TODAY):
        checked = runner.invoke(args=["rules", "check"])
    assert checked.exit_code == 0, checked.output
    assert "all valid" in checked.output
    warning = next(x for x in checked.output.splitlines() if "us-cn-temporary-surcharge" in x)
    assert warning.startswith("Warning: US:") and "2026-07-24" in warning


def test_rules_check_is_quiet_about_a_rule_still_in_force(runner):
    with clock.frozen(datetime.datetime(2026, 7, 24, 12, tzinfo=datetime.UTC)):
        checked = runner.invoke(args=["rules", "check"])
    assert "us-cn-temporary-surcharge" not in checked.output


US_ADDRESS = {
    "name": "Ann Lee",
    "street_address": "1600 Amphitheatre Pkwy",
    "city": "Mountain View",
    "postal_code": "94043",
    "country_area": "US-CA",
    "email": "ann@example.com",
    "phone": "+1 650 253 0000",
}


def test_the_review_page_says_the_duty_is_at_the_highest_rate(client, us_from_china):
    sku = us_from_china("7113.11")
    with clock.frozen(TODAY):
        client.get("/preferences?country=US&next=/")
        client.post("/cart/add", data={"sku": sku})
        client.post("/checkout", data=US_ADDRESS)
        page = " ".join(client.get("/checkout/review").get_data(as_text=True).split())
    assert 'data-testid="duty-highest"' in page
    assert "the highest rate these pieces may fall under" in page
    assert "Estimated due on delivery: $0.00" not in page


def test_rules_check_is_quiet_once_a_rule_follows_the_ended_one(runner, tmp_path):
    folder = tmp_path / "rules"
    assert runner.invoke(args=["rules", "export", str(folder)]).exit_code == 0
    duties = json.loads((folder / "duties.json").read_text())
    ended = next(r for r in duties["rules"] if r["id"] == "us-cn-temporary-surcharge")
    follower = {**ended, "id": "us-cn-surcharge-2027", "valid_from": "2026-07-25"}
    duties["rules"].append({**follower, "valid_to": None, "rate": "15"})
    (folder / "duties.json").write_text(json.dumps(duties))
    with clock.frozen(TODAY):
        checked = runner.invoke(args=["rules", "check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "us-cn-temporary-surcharge" not in checked.output
    assert "us-de-minimis-800" in checked.output  # the other ended rules are still named


@given(
    line=st.sampled_from(["71131120", "71131150", "7113112000", "7113115000"]),
    origin=st.sampled_from(["CN", "VN", "IT"]),
    cents=st.integers(min_value=1, max_value=10**8),
)
def test_an_unnamed_line_is_never_estimated_below_the_line_it_turns_out_to_be(line, origin, cents):
    value = str(Decimal(cents).scaleb(-2))
    bare = duty_on("711311", origin=origin, value=value)
    exact = duty_on(line, origin=origin, value=value)
    assert bare.duty.currency == exact.duty.currency == "USD"
    assert exact.duty <= bare.duty
    assert exact.duty_notes == () and bare.duty_at_highest_rate
