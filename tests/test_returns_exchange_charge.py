"""An exchange for a dearer variant charges the price difference: shown before the buyer
confirms, paid by card (the return's page or the API) as a second PaymentIntent of the same
order that leaves the order as it was; the return is approved only once paid, and a refusal
gives the difference back from that payment alone."""

from __future__ import annotations

import datetime
import json
import re
import urllib.request
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

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
from storefront.orders.links import order_key
from storefront.orders.tables import Order
from storefront.payments import refunds
from storefront.payments.tables import Payment
from storefront.returns.exchanges import settle_difference
from test_after_payment import api_key, api_order
from test_returns import check, delivered_on, moment, returns_kept
from test_returns_money import free_units, groups_of, sizes

FIXTURES = (check, moment, sizes)  # other modules' fixtures, used here by name
VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
DECLINED = {**VISA, "number": "4000000000000341"}  # Stripe declines the charge


@pytest.fixture
def holder(app):
    """The shop paying through localstripe; the buyer's Stripe.js stand-in."""
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        yield CardHolder(base_url)


def order_of(app, number: str) -> tuple[str, list[tuple[str, str, int]]]:
    """The order's status and its payments (purpose, status, minor units)."""
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        payments = db.session.scalars(
            select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)
        )
        return order.status, [(p.purpose, p.status, p.amount_minor) for p in payments]


@pytest.fixture
def ring(app, client, make_user, sizes, moment, holder):
    """A ring in the 49.00 size, paid by card through localstripe and delivered; `ask`
    asks (or quotes) its exchange for another size in the API, `api` calls the return's
    buyer API, `staff` decides in the admin API."""
    answer = api_order(client, [sizes[0]], locale="en", key="exchange-charge")
    number, token = answer["order_id"], answer["order_token"]
    intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
    assert holder.pays(intent_id)["status"] == "succeeded"
    paid = deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
    assert paid.get_json()["outcome"] == "paid"
    delivered_on(app, number, moment)
    with app.app_context():
        key = order_key(db.session.scalar(select(Order).where(Order.number == number)))
    auth = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    staff_key = api_key(app, make_user, "returns@shop.example", "staff")

    def ask(sku: str, quote: bool = False):
        with clock.frozen(moment + datetime.timedelta(days=3)):
            return client.post(
                f"/api/v1/orders/{number}/returns" + ("/quote" if quote else ""),
                json={"lines": [{"sku": sizes[0]}], "reason": "wrong_size",
                      "resolution": "exchange", "exchange_sku": sku},
                headers=auth,
            )  # fmt: skip

    def api(rma: str, path: str = ""):
        url = f"/api/v1/orders/{number}/returns/{rma}{path}"
        return client.post(url, headers=auth) if path else client.get(url, headers=auth)

    def staff(rma: str, step: str, **body):
        return client.post(f"/api/v1/admin/returns/{rma}/{step}", json=body, headers=staff_key)

    return {"number": number, "intent": intent_id, "key": key, "ask": ask, "api": api,
            "staff": staff, "staff_key": staff_key}  # fmt: skip


def difference(app, number: str, sizes) -> Money:
    """The new size's price less the old one's, as the order's lines hold them."""
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        price = {line.sku: line.unit_amount for line in order.lines}
        return Money(price[sizes[2]] - price[sizes[0]], "EUR").rounded()


def sales(client, ring) -> dict:
    """The sales report's totals for today, when the ring was paid."""
    today = clock.now().date().isoformat()
    answer = client.get(
        f"/api/v1/admin/reports/sales?from={today}&to={today}", headers=ring["staff_key"]
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["totals"]


def paid_by_api(client, holder, ring, rma: str) -> str:
    """The buyer pays the difference through the API and Stripe.js; Stripe says so."""
    started = ring["api"](rma, "/payment")
    assert started.status_code == 200, started.get_json()
    intent_id = started.get_json()["client_secret"].split("_secret_")[0]
    assert holder.pays(intent_id)["status"] == "succeeded"
    event = stripe_event("payment_intent.succeeded", holder.intent(intent_id))
    assert deliver(client, event).get_json()["outcome"] == "charge_paid"
    return intent_id


def test_a_dearer_size_is_quoted_charged_by_card_and_approved_once_paid(
    app, client, sizes, ring, holder, check, logged_in
):
    quoted = ring["ask"](sizes[2], quote=True)
    assert quoted.status_code == 200, quoted.get_json()
    check("ReturnQuote", quoted.get_json())
    assert quoted.get_json()["refund_parts"] == []
    asked = ring["ask"](sizes[2])
    assert asked.status_code == 201, asked.get_json()
    body = asked.get_json()
    owed = difference(app, ring["number"], sizes)
    assert owed > Money.zero("EUR")  # the 59.00 size for the 49.00 one
    ten, minor = owed.as_json(), owed.to_minor_units()
    assert quoted.get_json()["charge"] == ten
    check("Return", body)
    assert (body["charge"], body["charge_status"]) == (ten, "owed")
    assert free_units(app, sizes[2]) == 1  # held at once
    rma, before = body["rma"], order_of(app, ring["number"])

    staff_page = logged_in("staff")
    shown = staff_page.get(f"/admin/returns/{rma}").get_data(as_text=True)
    assert "the buyer has not paid it yet" in shown  # and no approval is offered
    assert f'action="/admin/returns/{rma}/approve"' not in shown
    refused = ring["staff"](rma, "approve")
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "difference_not_paid"
    assert "pay the difference" in refused.get_json()["error"]["message"]

    started = ring["api"](rma, "/payment")
    check("ReturnPayment", started.get_json())
    assert started.get_json()["amount"] == ten
    again = ring["api"](rma, "/payment").get_json()
    assert again["client_secret"] == started.get_json()["client_secret"]  # one intent
    intent_id = paid_by_api(client, holder, ring, rma)
    assert intent_id != ring["intent"]
    assert holder.intent(intent_id)["amount"] == minor  # exactly the difference
    status, payments = order_of(app, ring["number"])
    assert status == before[0] == "delivered"  # the order is as it was
    assert payments == [before[1][0], (f"return:{rma}", "succeeded", minor)]
    assert ring["api"](rma).get_json()["charge_status"] == "paid"
    nothing = ring["api"](rma, "/payment")
    assert (nothing.status_code, nothing.get_json()["error"]["code"]) == (409, "nothing_to_pay")

    shown = staff_page.get(f"/admin/returns/{rma}").get_data(as_text=True)
    assert "paid by the buyer&#39;s card" in shown
    assert f'action="/admin/returns/{rma}/approve"' in shown
    approved = ring["staff"](rma, "approve")
    assert approved.status_code == 200, approved.get_json()
    new = [g for g in groups_of(app, ring["number"]) if g[3] == [(sizes[2], 1)]]
    assert [(g[0], g[1], g[2]) for g in new] == [(body["exchange_group_id"], "picking", Decimal(0))]
    # the order's own refunds come from the order's payment, never from the difference
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == ring["number"]))
        claim = refunds.claim_refund(order, Money("5.00", "EUR"), "goodwill")
        assert claim.intent_id == ring["intent"]
        db.session.rollback()


def test_a_refused_exchange_gives_the_paid_difference_back_and_frees_the_size(
    app, client, sizes, ring, holder
):
    rma = ring["ask"](sizes[2]).get_json()["rma"]
    owed, sold = difference(app, ring["number"], sizes), sales(client, ring)
    assert sold["refunds"]["amount"] == "0.00" and sold["orders"] == 1
    intent_id = paid_by_api(client, holder, ring, rma)
    refused = ring["staff"](rma, "refuse", reason="Worn")
    assert refused.status_code == 200, refused.get_json()
    assert holder.refunded(intent_id) == [owed.to_minor_units()]  # in full, from that intent
    assert holder.refunded(ring["intent"]) == []  # the order's payment untouched
    assert refused.get_json()["charge_status"] == "given_back"
    assert free_units(app, sizes[2]) == 2
    status, payments = order_of(app, ring["number"])
    assert status == "delivered"
    assert payments[1] == (f"return:{rma}", "refunded", owed.to_minor_units())
    page = client.get(f"/orders/{ring['number']}/returns/{rma}?key={ring['key']}")
    assert f"The difference of €{owed.amount} was refunded to your card." in page.get_data(
        as_text=True
    )
    # no new sale, nor a refund of one: the sales are as they were before it was paid
    assert sales(client, ring) == sold


def test_a_return_refused_before_the_difference_is_paid_calls_its_payment_off(
    app, client, sizes, ring, holder
):
    rma = ring["ask"](sizes[2]).get_json()["rma"]
    started = ring["api"](rma, "/payment").get_json()  # the buyer's app has the intent
    intent_id = started["client_secret"].split("_secret_")[0]
    refused = ring["staff"](rma, "refuse", reason="Worn")
    assert refused.status_code == 200 and refused.get_json()["charge_status"] == "owed"
    assert holder.intent(intent_id)["status"] == "canceled"  # no card can pay it now
    assert holder.refunded(ring["intent"]) == []
    again = ring["api"](rma, "/payment")
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "nothing_to_pay")
    assert free_units(app, sizes[2]) == 2
    assert order_of(app, ring["number"])[0] == "delivered"


def the_returns_page(app, client, ring, sizes, moment) -> tuple[str, str, Money]:
    """The buyer reviews the exchange on the pages, then opens the return's page: its
    RMA, the card form's address, and the difference it shows."""
    with clock.frozen(moment + datetime.timedelta(days=3)):
        review = client.post(
            f"/orders/{ring['number']}/parcels/{_group_of(app, ring['number'])}/return"
            f"?key={ring['key']}",
            data={f"quantity-{_line_of(app, ring['number'])}": "1", "reason": "wrong_size",
                  "resolution": "exchange", "exchange_sku": sizes[2]},
        )  # fmt: skip
    assert review.status_code == 200
    assert returns_kept(app) == 0  # nothing saved before the buyer confirms
    rma = ring["ask"](sizes[2]).get_json()["rma"]
    owed = difference(app, ring["number"], sizes)
    assert f"pay the difference of €{owed.amount}" in review.get_data(as_text=True)
    page = client.get(f"/orders/{ring['number']}/returns/{rma}?key={ring['key']}")
    text = page.get_data(as_text=True)
    assert 'data-testid="card-element"' in text and f"Pay €{owed.amount}" in text
    pay_url = re.search(r'action="([^"]*/pay\?[^"]*)"', text).group(1).replace("&amp;", "&")
    return rma, pay_url, owed


def test_the_returns_page_pays_the_difference_by_card(
    app, client, sizes, ring, holder, moment, smtp_server
):
    rma, pay_url, owed = the_returns_page(app, client, ring, sizes, moment)
    sent = app.test_cli_runner().invoke(args=["worker", "--once", "--only", "mail.send"])
    assert sent.exit_code == 0, sent.output
    [asked] = [m for m in smtp_server.to("lena@example.de") if rma in m.message["Subject"]]
    assert f"Pay the difference of €{owed.amount} on your return's page" in asked.part("plain")
    before = order_of(app, ring["number"])
    token = holder.client.v1.tokens.create(params={"card": VISA}).id
    paid = client.post(pay_url, data={"token": token}, follow_redirects=True)
    text = paid.get_data(as_text=True)
    assert f"You paid the difference of €{owed.amount}" in text
    assert 'data-testid="card-element"' not in text
    assert order_of(app, ring["number"]) == (
        before[0],
        [*before[1], (f"return:{rma}", "succeeded", owed.to_minor_units())],
    )
    intent_id = charge_intent(app, rma)
    assert holder.intent(intent_id)["amount"] == owed.to_minor_units()
    assert ring["staff"](rma, "approve").status_code == 200


def test_a_declined_card_leaves_the_difference_owed_until_another_card_pays(
    app, client, sizes, ring, holder, moment
):
    rma, pay_url, owed = the_returns_page(app, client, ring, sizes, moment)
    before = order_of(app, ring["number"])
    token = holder.client.v1.tokens.create(params={"card": DECLINED}).id
    declined = client.post(pay_url, data={"token": token}, follow_redirects=True)
    text = declined.get_data(as_text=True)
    assert "Your card was not charged" in text and 'data-testid="card-element"' in text
    assert ring["api"](rma).get_json()["charge_status"] == "owed"
    approved = ring["staff"](rma, "approve")
    assert approved.status_code == 409  # the return still waits
    assert ring["api"](rma).get_json()["status"] == "requested"
    # the declined card's intent is canceled (no card pays it later); nothing else changed
    status, payments = order_of(app, ring["number"])
    assert (status, payments[:-1]) == before
    assert payments[-1] == (f"return:{rma}", "canceled", owed.to_minor_units())
    declined_intent = charge_intent(app, rma)
    assert holder.intent(declined_intent)["status"] == "canceled"
    # another card pays the difference, through a new intent
    token = holder.client.v1.tokens.create(params={"card": VISA}).id
    client.post(pay_url, data={"token": token})
    assert ring["api"](rma).get_json()["charge_status"] == "paid"
    assert order_of(app, ring["number"])[1][len(before[1]) :] == [
        (f"return:{rma}", "canceled", owed.to_minor_units()),
        (f"return:{rma}", "succeeded", owed.to_minor_units()),
    ]
    assert holder.intent(charge_intent(app, rma))["status"] == "succeeded"
    assert ring["staff"](rma, "approve").status_code == 200


def test_a_card_whose_bank_asks_to_confirm_pays_once_the_bank_says_yes(
    app, client, sizes, ring, holder, moment
):
    rma, pay_url, owed = the_returns_page(app, client, ring, sizes, moment)
    secure = {**VISA, "number": "4000002760003184"}  # 3-D Secure
    token = holder.client.v1.tokens.create(params={"card": secure}).id
    asked = client.post(pay_url, data={"token": token}, follow_redirects=True)
    text = asked.get_data(as_text=True)
    assert "Your bank asks you to confirm this payment." in text
    confirm_url = re.search(r'action="([^"]*/pay/authenticated[^"]*)"', text).group(1)
    confirm_url = confirm_url.replace("&amp;", "&")
    assert ring["api"](rma).get_json()["charge_status"] == "owed"  # not before the bank
    # what Stripe.js does when the buyer completes the bank's step (localstripe's stand-in)
    intent_id = charge_intent(app, rma)
    secret = holder.intent(intent_id)["client_secret"]
    request = urllib.request.Request(
        f"{holder.base_url}/v1/payment_intents/{intent_id}/_authenticate?success=true",
        data=json.dumps({"key": "pk_test_buyer", "client_secret": secret}).encode(),
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    paid = client.post(confirm_url, follow_redirects=True)
    assert f"You paid the difference of €{owed.amount}" in paid.get_data(as_text=True)
    assert ring["api"](rma).get_json()["charge_status"] == "paid"
    assert order_of(app, ring["number"])[0] == "delivered"


def charge_intent(app, rma: str) -> str:
    with app.app_context():
        purpose = f"return:{rma}"
        newest = select(Payment.intent_id).where(Payment.purpose == purpose)
        return db.session.scalar(newest.order_by(Payment.id.desc()).limit(1))


def _group_of(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Order).where(Order.number == number)).groups[0].id


def _line_of(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Order).where(Order.number == number)).lines[0].id


@given(
    paid=st.integers(0, 10**9),
    new=st.integers(0, 10**9),
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_an_exchange_either_refunds_or_charges_the_difference_rounded_once(paid, new, currency):
    """Prices held to three decimals: the difference goes one way only, rounded once, off
    by at most half a minor unit."""
    paid_money = Money(Decimal(paid) / 1000, currency)
    new_money = Money(Decimal(new) / 1000, currency)
    refunded, charged = settle_difference(paid_money, new_money)
    zero = Money.zero(currency)
    assert refunded.is_rounded and charged.is_rounded
    assert refunded >= zero and charged >= zero and (refunded == zero or charged == zero)
    off = (refunded - charged) - (paid_money - new_money)
    half = Money.from_minor_units(1, currency, stripe=False).amount / 2
    assert abs(off.amount) <= half
