"""A guest finds an order by number and e-mail: a one-time code goes out by mail (read here
from the mail queue), and typing it opens the order in this browser."""

from __future__ import annotations

import datetime
import re

import pytest
from sqlalchemy import select

from storefront import clock
from storefront.customers.tables import OrderCode
from storefront.db import db
from storefront.mail.tables import MailMessage
from storefront.orders.tables import Order
from test_customers import BERLIN, orders_listed, place, register

T0 = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=datetime.UTC)
SAME_ANSWER = "If the order exists, we sent a code to its e-mail address."


@pytest.fixture
def now():
    """The shop's clock, moved on by the test: `now.at(minutes)`."""

    class Clock:
        def __init__(self):
            self.frozen = None
            self.at(0)

        def at(self, minutes: float) -> None:
            if self.frozen is not None:
                self.frozen.__exit__(None, None, None)
            self.frozen = clock.frozen(T0 + datetime.timedelta(minutes=minutes))
            self.frozen.__enter__()

    moving = Clock()
    yield moving
    moving.frozen.__exit__(None, None, None)


@pytest.fixture
def guest_order(app, four_models, now) -> str:
    """A guest's order, placed in German from a browser that is gone now."""
    browser = app.test_client()
    browser.get("/preferences?locale=de&next=/")
    return place(browser, [four_models["stock"]])


def ask(client, number, email=BERLIN["email"]):
    answer = client.post("/orders/find", data={"number": number, "email": email})
    assert answer.status_code == 303 and answer.headers["Location"] == "/orders/find/code"
    return client.get(answer.headers["Location"]).text


def mails(app, number) -> list[MailMessage]:
    with app.app_context():
        found = db.session.scalars(
            select(MailMessage)
            .where(MailMessage.reference == f"order-code:{number}")
            .order_by(MailMessage.id)
        ).all()
        db.session.expunge_all()
        return list(found)


def mailed_code(app, number) -> str:
    return re.search(r"^\s+(\d{6})$", mails(app, number)[-1].text_body, re.M).group(1)


def enter(client, code):
    return client.post("/orders/find/code", data={"code": code})


def test_a_guest_opens_the_order_with_the_mailed_code(app, client, guest_order):
    number = guest_order
    assert client.get(f"/orders/{number}").status_code == 404
    page = ask(client, number, email="Erika@Example.de")
    assert SAME_ANSWER in page
    (mail,) = mails(app, number)
    assert mail.to_address == BERLIN["email"] and mail.locale == "de"
    assert number in mail.subject and "Ihr Code" in mail.subject  # in the buyer's language
    assert mail.html_body and "/orders/find/code" in mail.text_body
    code = mailed_code(app, number)
    with app.app_context():  # only a keyed hash is kept
        assert code not in db.session.scalar(select(OrderCode.code_hash))
    wrong = "000000" if code != "000000" else "111111"
    assert enter(client, wrong).status_code == 400
    opened = enter(client, code)
    assert opened.status_code == 303 and opened.headers["Location"] == f"/orders/{number}"
    assert client.get(f"/orders/{number}").status_code == 200
    assert client.get(f"/api/v1/orders/{number}").status_code == 200
    assert enter(client, code).status_code in (303, 400)  # the code is used up
    with app.app_context():  # a guest's order stays a guest's
        assert db.session.scalar(select(Order.customer_id)) is None
    assert app.test_client().get(f"/orders/{number}").status_code == 404


def test_the_answer_is_the_same_for_orders_that_do_not_match(app, client, guest_order):
    real = ask(app.test_client(), guest_order)
    for number, email in [(guest_order, "someone@else.example"), ("NO-SUCH-1", BERLIN["email"])]:
        page = ask(client, number, email)
        assert SAME_ANSWER in page
        assert re.sub(r"value=\"[^\"]+\"|NO-SUCH-1|" + guest_order, "", page) == re.sub(
            r"value=\"[^\"]+\"|NO-SUCH-1|" + guest_order, "", real
        )
    assert len(mails(app, guest_order)) == 1  # only the matching request sent a code
    assert enter(client, "123456").status_code == 400


def test_an_expired_code_does_not_open(app, client, guest_order, now):
    ask(client, guest_order)
    code = mailed_code(app, guest_order)
    now.at(15.5)
    assert enter(client, code).status_code == 400
    assert client.get(f"/orders/{guest_order}").status_code == 404


def test_five_wrong_tries_use_the_code_up(app, client, guest_order):
    ask(client, guest_order)
    code = mailed_code(app, guest_order)
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555", "666666") if c != code]
    for guess in wrong[:5]:
        assert enter(client, guess).status_code == 400
    assert enter(client, code).status_code == 400
    assert client.get(f"/orders/{guest_order}").status_code == 404


def test_four_wrong_tries_then_the_right_code_opens(app, client, guest_order):
    ask(client, guest_order)
    code = mailed_code(app, guest_order)
    wrong = [c for c in ("111111", "222222", "333333", "444444", "555555") if c != code]
    for guess in wrong[:4]:
        assert enter(client, guess).status_code == 400
    assert enter(client, code).status_code == 303


def test_a_new_code_replaces_the_old_one_but_not_within_a_minute(app, client, guest_order, now):
    ask(client, guest_order)
    first = mailed_code(app, guest_order)
    ask(client, guest_order)
    assert len(mails(app, guest_order)) == 1  # asked again at once: the first one still holds
    now.at(2)
    ask(client, guest_order)
    second = mailed_code(app, guest_order)
    assert len(mails(app, guest_order)) == 2
    with app.app_context():
        assert db.session.query(OrderCode).count() == 1  # one active code per order
    if first != second:
        assert enter(client, first).status_code == 400
    assert enter(client, second).status_code == 303


def test_a_signed_in_buyer_claims_a_guest_order_with_the_code(app, client, guest_order):
    register(client, email=BERLIN["email"])
    assert orders_listed(client) == []  # not attached silently
    ask(client, guest_order)
    assert enter(client, mailed_code(app, guest_order)).status_code == 303
    assert orders_listed(client) == [guest_order]
    other = app.test_client()
    register(other, email="max@example.de", name="Max")
    assert other.get(f"/orders/{guest_order}").status_code == 404


def test_the_code_page_without_a_request_goes_back_to_the_form(client, make_channel):
    make_channel("eu")
    assert client.get("/orders/find/code").headers["Location"] == "/orders/find"
    assert client.post("/orders/find", data={"number": "", "email": ""}).status_code == 400
