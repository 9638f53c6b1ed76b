"""The money of a return: what is refunded follows rules the merchant can read (goods, the
VAT and duty collected on them, the group's shipping, the buyer's return postage), shown
before the buyer confirms, never more than was paid for the group; a bank-transfer order's
refund is owed to pay by hand; an exchange holds the new piece and ships it as a new group."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

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
from storefront.fulfilment.tables import StockLevel
from storefront.mail import send_due
from storefront.markets.tables import Channel
from storefront.orders.links import order_key
from storefront.orders.operations import BANK_TRANSFER
from storefront.orders.tables import Order, OrderGroup
from storefront.payments import stripe_gateway as gateway
from storefront.payments.tables import Payment
from storefront.returns.money import KINDS, RefundPart, cut_to, share
from test_after_payment import api_key, api_order, pay
from test_returns import FakeStripe, bought, check, delivered_on, moment, returns_kept

FIXTURES = (bought, check, moment)  # test_returns' fixtures, used here by name


def edit_order(app, number: str, change) -> None:
    """Change the stored order (its groups, lines, currency) as checkout could have made it."""
    with app.app_context():
        change(db.session.scalar(select(Order).where(Order.number == number)))
        db.session.commit()


def line_of(order: Order, sku: str):
    return next(ln for ln in order.lines if ln.sku == sku)


def parts(answer) -> dict[str, str]:
    body = answer.get_json()
    assert answer.status_code in (200, 201), body
    return {p["kind"]: p["amount"]["amount"] for p in body["refund_parts"]}


@pytest.fixture
def two_rings(app, bought):
    """The stock ring's line holds two rings at 49.00 and ships for 4.90."""
    sku = bought["skus"]["stock"]

    def change(order):
        line = line_of(order, sku)
        line.quantity, line.unit_amount = 2, Decimal("49.00")
        line.group.shipping_amount = Decimal("4.90")

    edit_order(app, bought["number"], change)
    return sku


def set_cap(app, amount: str) -> None:
    with app.app_context():
        db.session.scalar(select(Channel).where(Channel.code == "eu")).return_postage_cap = Decimal(
            amount
        )
        db.session.commit()


def test_changing_ones_mind_on_one_of_two_refunds_the_goods_only(bought, two_rings, check):
    answer = bought["ask"]({two_rings: 1}, reason="changed_mind")
    check("Return", answer.get_json())
    assert parts(answer) == {"goods": "49.00"}
    assert answer.get_json()["refund"] == {"amount": "49.00", "currency": "EUR"}


def test_the_groups_shipping_comes_back_with_the_whole_group(bought, two_rings):
    assert parts(bought["ask"]({two_rings: 1}, reason="changed_mind")) == {"goods": "49.00"}
    # the second ring completes the group, counting the first return
    second = bought["ask"]({two_rings: 1}, reason="changed_mind", days=4)
    assert parts(second) == {"goods": "49.00", "shipping": "4.90"}


def test_a_faulty_item_refunds_shipping_and_postage_up_to_the_cap(app, bought, two_rings):
    set_cap(app, "5.00")
    postage = {"amount": "7.50", "currency": "EUR"}
    damaged = bought["ask"]({two_rings: 1}, reason="damaged", return_postage=postage)
    assert parts(damaged) == {"goods": "49.00", "shipping": "4.90", "return_postage": "5.00"}
    assert damaged.get_json()["refund"]["amount"] == "58.90"
    # the shipping went back once; postage under the cap is refunded as stated
    small = {"amount": "3.20", "currency": "EUR"}
    second = bought["ask"]({two_rings: 1}, reason="not_as_described", return_postage=small, days=4)
    assert parts(second) == {"goods": "49.00", "return_postage": "3.20"}


def test_postage_is_not_refunded_for_a_change_of_mind_or_without_a_cap(app, bought, two_rings):
    postage = {"amount": "7.50", "currency": "EUR"}
    assert parts(bought["ask"]({two_rings: 1}, reason="damaged", return_postage=postage)) == {
        "goods": "49.00",
        "shipping": "4.90",
    }  # the channel's cap is 0: none
    set_cap(app, "5.00")
    changed = bought["ask"]({two_rings: 1}, reason="changed_mind", return_postage=postage, days=4)
    assert "return_postage" not in parts(changed)


@pytest.mark.parametrize(
    "postage",
    [{"amount": "-1.00", "currency": "EUR"}, {"amount": "1.005", "currency": "EUR"},
     {"amount": "2.00", "currency": "USD"}, "7.50", {"amount": "NaN", "currency": "EUR"}],
)  # fmt: skip
def test_a_postage_that_is_no_amount_is_refused_and_nothing_kept(app, bought, two_rings, postage):
    answer = bought["ask"]({two_rings: 1}, reason="damaged", return_postage=postage)
    assert answer.status_code == 422
    assert (answer.get_json()["error"]["code"], answer.get_json()["error"]["field"]) == (
        "invalid_return_postage",
        "return_postage",
    )
    assert returns_kept(app) == 0


def test_duty_and_vat_the_shop_collected_are_refunded_by_share(app, bought):
    sku = bought["skus"]["drop"]

    def collected(order):
        line = line_of(order, sku)
        line.quantity, line.unit_amount = 3, Decimal("20.00")
        group = line.group
        group.shipping_amount = Decimal("0")
        group.import_collected, group.import_vat_included = True, False
        group.import_currency = "EUR"
        group.import_vat_amount = Decimal("11.40")
        group.import_duty_amount, group.import_fees_amount = Decimal("6.00"), Decimal("1.00")

    edit_order(app, bought["number"], collected)
    first = bought["ask"]({sku: 1}, reason="changed_mind")
    # a third of 11.40 VAT and of 7.00 duty and fees, each rounded once
    assert parts(first) == {"goods": "20.00", "vat": "3.80", "duty": "2.33"}
    rest = bought["ask"]({sku: 2}, reason="changed_mind", days=4)
    # the group is complete: what is left of each charge, so the two add up to what was paid
    assert parts(rest) == {"goods": "40.00", "vat": "7.60", "duty": "4.67"}


def test_vat_held_in_the_prices_is_no_part_of_its_own(app, bought):
    sku = bought["skus"]["drop"]

    def included(order):
        group = line_of(order, sku).group
        group.import_collected, group.import_vat_included = True, True
        group.import_currency = "EUR"
        group.import_vat_amount, group.import_duty_amount = Decimal("5.00"), Decimal("0")

    edit_order(app, bought["number"], included)
    price = next(
        ln["unit_price"]["amount"]
        for g in bought["order"]["order"]["groups"]
        for ln in g["lines"]
        if ln["sku"] == sku
    )
    assert parts(bought["ask"]({sku: 1}, reason="changed_mind")) == {"goods": price}


@pytest.mark.parametrize(
    ("currency", "unit", "duty", "expected"),
    [
        ("JPY", "2000", "1000", {"goods": "2000", "duty": "333"}),
        # a card refunds KWD only in 0.010 steps: each part rounded down, never more than paid
        ("KWD", "12.345", "1.000", {"goods": "12.340", "duty": "0.330"}),
    ],
)
def test_totals_are_exact_to_the_minor_unit_of_the_orders_currency(
    app, bought, currency, unit, duty, expected
):
    sku = bought["skus"]["stock"]

    def in_currency(order):
        order.currency = currency
        for line in order.lines:
            line.currency = currency
        line = line_of(order, sku)
        line.quantity, line.unit_amount = 3, Decimal(unit)
        group = line.group
        group.shipping_amount = Decimal(0)
        group.import_collected, group.import_currency = True, currency
        group.import_duty_amount = Decimal(duty)

    edit_order(app, bought["number"], in_currency)
    answer = bought["ask"]({sku: 1}, reason="changed_mind")
    assert parts(answer) == expected
    total = Money(Decimal(expected["goods"]) + Decimal(expected["duty"]), currency)
    assert answer.get_json()["refund"] == total.as_json()


def test_two_returns_of_a_group_never_refund_more_than_was_paid_for_it(app, bought):
    sku = bought["skus"]["stock"]

    def half_cents(order):
        line = line_of(order, sku)
        line.quantity, line.unit_amount = 2, Decimal("19.995")
        line.group.shipping_amount = Decimal(0)

    edit_order(app, bought["number"], half_cents)
    first = bought["ask"]({sku: 1}, reason="changed_mind")
    second = bought["ask"]({sku: 1}, reason="changed_mind", days=4)
    # 19.995 rounds up to 20.00 each time; 2 x 19.995 = 39.99 was paid: the second is cut
    assert parts(first) == {"goods": "20.00"}
    assert parts(second) == {"goods": "19.99"}


def test_the_return_postage_comes_on_top_of_what_the_group_gives_back(app, bought, two_rings):
    set_cap(app, "10.00")
    postage = {"amount": "6.00", "currency": "EUR"}
    first = bought["ask"]({two_rings: 1}, reason="damaged", return_postage=postage)
    second = bought["ask"]({two_rings: 1}, reason="damaged", return_postage=postage, days=4)
    assert parts(first) == {"goods": "49.00", "shipping": "4.90", "return_postage": "6.00"}
    assert parts(second) == {"goods": "49.00", "return_postage": "6.00"}


def test_the_quote_answers_the_parts_of_the_later_request_and_saves_nothing(
    app, client, bought, two_rings, check
):
    set_cap(app, "5.00")
    body = {
        "lines": [{"sku": two_rings, "quantity": 1}],
        "reason": "damaged",
        "resolution": "refund",
        "return_postage": {"amount": "4.00", "currency": "EUR"},
    }
    url = f"/api/v1/orders/{bought['number']}/returns"
    auth = {"Authorization": f"Bearer {bought['token']}"}
    with clock.frozen(datetime.datetime(2026, 11, 5, tzinfo=datetime.UTC)):
        quoted = client.post(f"{url}/quote", json=body, headers=auth)
        assert quoted.status_code == 200, quoted.get_json()
        check("ReturnQuote", quoted.get_json())
        assert returns_kept(app) == 0
        asked = client.post(url, json=body, headers=auth)
    assert (
        parts(quoted)
        == parts(asked)
        == {
            "goods": "49.00",
            "shipping": "4.90",
            "return_postage": "4.00",
        }
    )
    assert quoted.get_json()["refund"] == asked.get_json()["refund"]
    # a quote the rules refuse is answered as the request would be
    with clock.frozen(datetime.datetime(2026, 12, 30, tzinfo=datetime.UTC)):
        late = client.post(f"{url}/quote", json=body, headers=auth)
    assert late.get_json()["error"]["code"] == "outside_return_window"
    assert client.post(f"{url}/quote", json=body).status_code == 404


def test_a_card_refund_is_one_partial_refund_of_exactly_the_total_in_stripe(
    app, client, make_user, four_models, moment
):
    set_cap(app, "5.00")
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        holder = CardHolder(base_url)
        stock, drop = four_models["stock"], four_models["drop"]
        answer = api_order(client, [stock, drop], locale="en", key="stripe-parts")
        number, token = answer["order_id"], answer["order_token"]
        intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
        assert holder.pays(intent_id)["status"] == "succeeded"
        paid = deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
        assert paid.get_json()["outcome"] == "paid"
        delivered_on(app, number, moment)
        with clock.frozen(moment + datetime.timedelta(days=3)):
            asked = client.post(
                f"/api/v1/orders/{number}/returns",
                json={"lines": [{"sku": stock}], "reason": "damaged", "resolution": "refund",
                      "return_postage": {"amount": "3.45", "currency": "EUR"}},
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        assert "return_postage" in parts(asked)
        rma, total = asked.get_json()["rma"], asked.get_json()["refund"]["amount"]
        staff = api_key(app, make_user, "returns@shop.example", "staff")
        for step in ("approve", "received", "refund"):
            done = client.post(f"/api/v1/admin/returns/{rma}/{step}", headers=staff)
            assert done.status_code == 200, (step, done.get_json())
        assert done.get_json()["payout"] == "card"
        assert holder.refunded(intent_id) == [int(Decimal(total) * 100)]


def test_a_bank_transfer_orders_refund_is_owed_to_pay_by_hand(
    app, client, make_user, bought, monkeypatch, smtp_server
):
    stripe = FakeStripe()
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    edit_order(app, bought["number"], lambda order: setattr(order, "payment_method", BANK_TRANSFER))
    rma = bought["ask"]({bought["skus"]["stock"]: 1}).get_json()["rma"]
    staff = api_key(app, make_user, "returns@shop.example", "staff")
    agent = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")

    def step(name, who=staff):
        return client.post(f"/api/v1/admin/returns/{rma}/{name}", headers=who)

    assert step("paid").status_code == 409  # nothing owed yet
    for name in ("approve", "received"):
        step(name)
    owed = step("refund").get_json()
    assert (owed["status"], owed["payout"]) == ("refunded", "by_hand")
    assert "by hand" in owed["timeline"][-1]["note"]
    assert stripe.calls == []
    with app.app_context():
        send_due()
    smtp_server.messages.clear()
    with app.app_context():
        assert db.session.scalar(select(func.count(Payment.id))) == 0
    assert step("paid", agent).status_code == 404  # not the agent's return, nor its money
    paid = step("paid").get_json()
    assert paid["payout"] == "paid_by_hand" and "paid" in paid["timeline"][-1]["note"]
    with app.app_context():
        assert send_due() == 1  # now the buyer hears of the refund, once
    [mail] = smtp_server.to("lena@example.de")
    assert owed["refund"]["amount"] in mail.part("plain")
    assert step("paid").status_code == 409


@pytest.fixture
def sizes(app, make_product, make_warehouse, four_models):
    """A ring in four sizes at 49, 39, 59 and 45 (the last out of stock) in a German
    warehouse."""
    slug = make_product(name="Sized ring", prices=["49.00", "39.00", "59.00", "45.00"])
    skus = [f"{slug.upper()}-{i}" for i in range(4)]
    make_warehouse("lager", "DE", {skus[0]: 2, skus[1]: 2, skus[2]: 2, skus[3]: 0}, serves="DE")
    return skus


@pytest.fixture
def ring_bought(app, client, sizes, moment):
    answer = api_order(client, [sizes[0]], locale="en", key="exchange-1")
    number, token = answer["order_id"], answer["order_token"]
    pay(app, number)
    delivered_on(app, number, moment)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        minor = int(order.total_amount * 100)
        db.session.add(
            Payment(order_id=order.id, provider="stripe", attempt_key=f"{order.id}:1",
                    intent_id="pi_exchange", amount_minor=minor, currency="EUR",
                    status="succeeded", captured_minor=minor, refunded_minor=0)
        )  # fmt: skip
        db.session.commit()

    def ask(sku: str, quote: bool = False, **body):
        with clock.frozen(moment + datetime.timedelta(days=3)):
            return client.post(
                f"/api/v1/orders/{number}/returns" + ("/quote" if quote else ""),
                json={"lines": [{"sku": sizes[0]}], "reason": "wrong_size",
                      "resolution": "exchange", "exchange_sku": sku, **body},
                headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
            )  # fmt: skip

    return {"number": number, "ask": ask}


def free_units(app, sku: str) -> int:
    from storefront.catalog.tables import Variant

    with app.app_context():
        return db.session.scalar(
            select(func.sum(StockLevel.on_hand - StockLevel.reserved))
            .join(Variant, Variant.id == StockLevel.variant_id)
            .where(Variant.sku == sku)
        )


def groups_of(app, number: str) -> list[OrderGroup]:
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        return [
            (g.id, g.status, g.shipping_amount, [(ln.sku, ln.quantity) for ln in g.lines])
            for g in order.groups
        ]


def test_an_exchange_holds_the_new_size_and_ships_it_as_a_new_group_at_no_charge(
    app, client, make_user, sizes, ring_bought, monkeypatch
):
    stripe = FakeStripe()
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    before = groups_of(app, ring_bought["number"])
    quoted = ring_bought["ask"](sizes[1], quote=True).get_json()
    assert free_units(app, sizes[1]) == 2 and groups_of(app, ring_bought["number"]) == before
    asked = ring_bought["ask"](sizes[1])
    assert asked.status_code == 201, asked.get_json()
    body = asked.get_json()
    assert free_units(app, sizes[1]) == 1  # held at once
    assert quoted["refund_parts"] == body["refund_parts"]
    # the cheaper size gives the difference back
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == ring_bought["number"]))
        old = line_of(order, sizes[0]).unit_amount
        new = line_of(order, sizes[1]).unit_amount
    difference = Money(old - new, "EUR").rounded()
    assert difference > Money.zero("EUR")
    assert body["refund_parts"] == [{"kind": "price_difference", "amount": difference.as_json()}]
    # the buyer's page says the difference comes back (not "nothing is refunded")
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == ring_bought["number"]))
        key = order_key(order)
    page = client.get(f"/orders/{ring_bought['number']}/returns/{body['rma']}?key={key}").text
    assert "in exchange and the difference back" in page and "nothing is refunded" not in page

    staff = api_key(app, make_user, "returns@shop.example", "staff")
    rma = body["rma"]
    assert client.post(f"/api/v1/admin/returns/{rma}/approve", headers=staff).status_code == 200
    after = groups_of(app, ring_bought["number"])
    [(group_id, status, shipping, lines)] = [g for g in after if g not in before]
    assert group_id == body["exchange_group_id"]
    assert (status, shipping, lines) == ("picking", Decimal(0), [(sizes[1], 1)])
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == ring_bought["number"]))
        assert order.status == "partially_shipped"  # a parcel is on its way again
    # the piece left the stock; the old one comes back and the difference is refunded
    assert free_units(app, sizes[1]) == 1
    client.post(f"/api/v1/admin/returns/{rma}/received", headers=staff)
    refunded = client.post(f"/api/v1/admin/returns/{rma}/refund", headers=staff)
    assert refunded.status_code == 200, refunded.get_json()
    assert stripe.calls == [("pi_exchange", difference.to_minor_units())]


@pytest.mark.parametrize("quoted", [False, True])
def test_an_exchange_for_a_size_out_of_stock_is_refused_and_nothing_is_kept(
    app, sizes, ring_bought, quoted
):
    before = groups_of(app, ring_bought["number"])
    refused = ring_bought["ask"](sizes[3], quote=quoted)
    assert refused.status_code == 422
    assert refused.get_json()["error"] | {"message": ""} == {
        "code": "exchange_out_of_stock",
        "field": "exchange_sku",
        "message": "",
    }
    assert returns_kept(app) == 0
    assert groups_of(app, ring_bought["number"]) == before


def test_an_exchange_for_a_dearer_size_holds_it_and_waits_for_the_difference(
    app, client, make_user, sizes, ring_bought
):
    asked = ring_bought["ask"](sizes[2])
    assert asked.status_code == 201, asked.get_json()
    body = asked.get_json()
    assert body["refund_parts"] == [] and body["charge_status"] == "owed"
    assert Money(Decimal(body["charge"]["amount"]), "EUR") > Money.zero("EUR")
    assert free_units(app, sizes[2]) == 1  # held at once, as a cheaper size is
    staff = api_key(app, make_user, "returns@shop.example", "staff")
    approve = client.post(f"/api/v1/admin/returns/{body['rma']}/approve", headers=staff)
    assert (approve.status_code, approve.get_json()["error"]["code"]) == (
        409,
        "difference_not_paid",
    )


def test_a_refused_exchange_frees_the_held_size(app, client, make_user, sizes, ring_bought):
    rma = ring_bought["ask"](sizes[1]).get_json()["rma"]
    assert free_units(app, sizes[1]) == 1
    staff = api_key(app, make_user, "returns@shop.example", "staff")
    refused = client.post(
        f"/api/v1/admin/returns/{rma}/refuse", json={"reason": "Worn"}, headers=staff
    )
    assert refused.status_code == 200
    assert free_units(app, sizes[1]) == 2
    new = [g for g in groups_of(app, ring_bought["number"]) if g[3] == [(sizes[1], 1)]]
    assert [g[1] for g in new] == ["cancelled"]


@given(
    charge=st.integers(0, 10**7),
    weights=st.lists(st.integers(1, 10**5), min_size=1, max_size=6),
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_a_charges_shares_over_a_groups_returns_add_up_to_it(charge, weights, currency):
    """However the group comes back, return by return, each share is rounded and the last
    takes what is left: the shares add up to the charge, none below zero."""
    charge = Money.from_minor_units(charge, currency, stripe=False)
    whole = Money(sum(weights), currency)
    taken = Money.zero(currency)
    for i, weight in enumerate(weights):
        part = share(charge, taken, Money(weight, currency), whole, i == len(weights) - 1)
        assert part.is_rounded and part >= Money.zero(currency)
        taken += part
    assert taken == charge


def test_staff_set_a_channels_return_postage_cap_in_the_api_and_on_its_page(
    app, client, make_user, logged_in, make_channel
):
    make_channel("eu")
    staff = api_key(app, make_user, "channels@shop.example", "staff")
    url = "/api/v1/admin/channels/eu"
    capped = client.patch(url, json={"return_postage_cap": "7.50"}, headers=staff)
    assert capped.status_code == 200 and capped.get_json()["return_postage_cap"] == "7.5"
    for wrong in ("-1", "7.505", "seven"):
        refused = client.patch(url, json={"return_postage_cap": wrong}, headers=staff)
        assert refused.status_code == 400
        assert refused.get_json()["error"]["field"] == "return_postage_cap"
    page = logged_in("staff")
    assert 'name="return_postage_cap" value="7.5"' in page.get("/admin/channels/eu").get_data(
        as_text=True
    )
    with app.app_context():
        cap = db.session.scalar(select(Channel).where(Channel.code == "eu")).return_postage_cap
        assert cap == Decimal("7.50")


@given(
    amounts=st.lists(st.integers(0, 10**6), min_size=1, max_size=len(KINDS)),
    left=st.integers(-(10**4), 10**7),
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_parts_cut_to_what_is_left_never_exceed_it_and_keep_their_order(amounts, left, currency):
    def money(units: int) -> Money:
        return Money.from_minor_units(units, currency, stripe=False)

    parts = [RefundPart(kind, money(a)) for kind, a in zip(KINDS, amounts, strict=False)]
    kept = cut_to(parts, money(left))
    total = sum((p.amount for p in kept), Money.zero(currency))
    assert total == money(min(sum(amounts), max(left, 0)))
    assert all(k.amount > Money.zero(currency) for k in kept)
    # the earlier kinds are kept whole; only the last kept one may be cut
    for i, part in enumerate(kept[:-1]):
        assert part == [p for p in parts if p.amount][i]
