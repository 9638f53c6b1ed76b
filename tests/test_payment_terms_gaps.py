"""The gaps of payment terms closed: a cancelled order gives back what its parts paid (by
card through Stripe, by transfer owed back), an order paid in parts is never charged its
whole total, net terms mail no "payment received", a company's default terms apply at
checkout, and one bank reference pays one thing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from channels.money import Money
from orders_helpers import load
from storefront.db import db
from storefront.mail.tables import MailMessage
from storefront.orders.tables import Order
from storefront.payments import attempts, bank_transfer
from storefront.payments.operations import PaymentError
from storefront.payments.tables import ORDER, Payment, PaymentRefund
from storefront.terms import operations

# the fixtures `shop`, `holder`, `staff` and `trade_order` of neighbouring test files
from test_companies_vat import erika, order_through_the_pages
from test_companies_vat import shop as shop
from test_payment_terms import VISA, _parts, _status, _terms
from test_payment_terms import holder as holder
from test_payment_terms import staff as staff
from test_payment_terms import trade_order as trade_order


def _put_terms(client, staff, number: str, code: str) -> dict:
    put = client.put(f"/api/v1/admin/orders/{number}/terms", json={"terms": code}, headers=staff)
    assert put.status_code == 200, put.get_json()
    return _parts(put.get_json())


def _cancel(client, staff, number: str) -> dict:
    answer = client.post(
        f"/api/v1/admin/orders/{number}/cancel", json={"reason": "buyer"}, headers=staff
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _mail_subjects(app, number: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(MailMessage.subject).where(MailMessage.reference == number))
        )


# 1. cancelling gives back what the parts paid ----------------------------------------


def test_cancelling_an_order_whose_deposit_was_paid_by_card_refunds_the_deposit(
    app, client, staff, trade_order, holder
):
    order = trade_order()
    number = order["number"]
    deposit = _put_terms(client, staff, number, "deposit:30")["deposit"]["amount"]
    token = holder.client.v1.tokens.create(params={"card": VISA}).id
    paid = client.post(
        f"/orders/{number}/terms/deposit/pay?key={order['key']}", data={"token": token}
    )
    assert paid.status_code == 303
    assert _status(app, order["id"])[0] == "paid"

    cancelled = _cancel(client, staff, number)
    assert cancelled["status"] == "cancelled"
    assert cancelled["refund"] == deposit
    assert cancelled["owed_by_transfer"] is None
    with app.app_context():
        charge = db.session.scalar(
            select(Payment).where(Payment.order_id == order["id"], Payment.purpose != ORDER)
        )
        assert charge.status == "refunded"
        refund = db.session.scalar(select(PaymentRefund).where(PaymentRefund.payment == charge))
        intent = holder.intent(charge.intent_id)
    assert refund.amount_minor == charge.captured_minor == intent["amount"]
    assert any("Erstattung" in s or "refund" in s.lower() for s in _mail_subjects(app, number))
    # the cancelled order asks for nothing more
    page = client.get(f"/orders/{number}?key={order['key']}").get_data(as_text=True)
    assert 'data-testid="card-element"' not in page


def test_cancelling_an_order_whose_deposit_came_by_transfer_owes_it_back(
    app, client, staff, trade_order
):
    order = trade_order()
    number = order["number"]
    deposit = _put_terms(client, staff, number, "deposit:40")["deposit"]["amount"]
    recorded = client.post(
        f"/api/v1/admin/orders/{number}/terms/deposit/transfer",
        json={"amount": deposit["amount"], "reference": "COBADEFF-4711"},
        headers=staff,
    )
    assert recorded.status_code == 200, recorded.get_json()

    cancelled = _cancel(client, staff, number)
    assert cancelled["status"] == "cancelled"
    assert cancelled["refund"] is None  # Stripe never held it
    assert cancelled["owed_by_transfer"] == deposit


def test_cancelling_an_order_on_net_terms_owes_nothing_back(app, client, staff, trade_order):
    order = trade_order()
    _put_terms(client, staff, order["number"], "net30")
    cancelled = _cancel(client, staff, order["number"])
    assert (cancelled["refund"], cancelled["owed_by_transfer"]) == (None, None)


# 2. an order paid in parts is never charged whole -------------------------------------


def test_an_order_paid_in_parts_gets_no_intent_for_its_total(app, client, staff, trade_order):
    order = trade_order()
    _put_terms(client, staff, order["number"], "deposit:30")
    with app.app_context():
        with pytest.raises(PaymentError) as refused:
            attempts.start_payment(load(order["id"]), "checkout-key")
        assert refused.value.code == "order_paid_in_parts"
        assert db.session.scalar(select(Payment).where(Payment.order_id == order["id"])) is None


# 3. net terms and a letter of credit mail no "payment received" ------------------------


@pytest.mark.parametrize(
    ("code", "words"),
    [("net60", "Rechnung"), ("letter_of_credit", "Akkreditiv")],
)
def test_net_terms_mail_the_order_confirmed_not_a_payment(
    app, client, staff, trade_order, code, words
):
    order = trade_order()
    _put_terms(client, staff, order["number"], code)
    assert _status(app, order["id"])[0] == "paid"  # fulfilment starts at once
    with app.app_context():
        mails = db.session.scalars(
            select(MailMessage).where(MailMessage.reference == order["number"])
        ).all()
    subjects = [m.subject for m in mails]
    assert not any("Zahlung" in s and "erhalten" in s for s in subjects), subjects
    confirmed = [m for m in mails if "bestätigt" in m.subject]
    assert len(confirmed) == 1, subjects
    assert words in confirmed[0].text_body
    if code == "net60":
        with app.app_context():
            due = operations.part_of(load(order["id"]), "invoice").due_on
        assert str(due.year) in confirmed[0].text_body


# 4. a company's default terms at checkout ---------------------------------------------


def _company_checkout(app, client, logged_in, shop, terms: str, percent: int | None) -> str:
    logged_in("wholesale", email="buyer@erika.example")
    with app.app_context():
        erika(payment_terms=terms, deposit_percent=percent)
        db.session.commit()
    placed = order_through_the_pages(client, shop)
    assert placed.status_code == 303
    return placed.headers["Location"].rsplit("/", 1)[1]


def test_a_company_buyer_with_deposit_terms_is_asked_for_the_deposit(app, client, logged_in, shop):
    number = _company_checkout(app, client, logged_in, shop, "deposit", 30)
    pay = client.get(f"/checkout/pay/{number}")
    assert pay.status_code == 303 and pay.headers["Location"].endswith(f"/orders/{number}")
    page = client.get(f"/orders/{number}").text
    assert 'data-kind="deposit" data-status="due"' in page
    assert 'data-kind="balance" data-status="due"' in page
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert operations.terms_of(order).code == "deposit:30"
        deposit = operations.part_of(order, "deposit")
        total = Decimal(order.total_amount)
        assert deposit.amount == (total * Decimal("0.3")).quantize(Decimal("0.01"))
    # paying the whole total by card is refused, and no intent is made
    refused = client.post(f"/checkout/pay/{number}", data={"token": "tok_visa"})
    assert refused.status_code == 303 and refused.headers["Location"].endswith(f"/orders/{number}")
    with app.app_context():
        assert db.session.scalar(select(Payment).where(Payment.order_id == order.id)) is None


def test_a_company_buyer_on_net_terms_pays_nothing_at_checkout(app, client, logged_in, shop):
    number = _company_checkout(app, client, logged_in, shop, "net30", None)
    pay = client.get(f"/checkout/pay/{number}")
    assert pay.status_code == 303 and pay.headers["Location"].endswith(f"/orders/{number}")
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert order.status == "paid" and order.payment_terms == "net30"
        assert [p.kind for p in operations.schedule(order)] == ["invoice"]
        assert db.session.scalar(select(Payment).where(Payment.order_id == order.id)) is None
    assert 'data-testid="card-element"' not in client.get(f"/orders/{number}").text


def test_a_company_buyer_on_prepay_pays_the_total_as_today(app, client, logged_in, shop):
    number = _company_checkout(app, client, logged_in, shop, "prepay", None)
    assert client.get(f"/checkout/pay/{number}").status_code == 200
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert operations.terms_of(order) is None


# 5. one bank reference pays one thing -------------------------------------------------


def test_a_whole_order_transfer_refuses_a_reference_a_part_used(app, client, staff, trade_order):
    first = trade_order("trade-1")
    deposit = _put_terms(client, staff, first["number"], "deposit:30")["deposit"]["amount"]
    assert (
        client.post(
            f"/api/v1/admin/orders/{first['number']}/terms/deposit/transfer",
            json={"amount": deposit["amount"], "reference": "DEUTDEFF-0042"},
            headers=staff,
        ).status_code
        == 200
    )

    second = trade_order("trade-2")
    with app.app_context():
        order = load(second["id"])
        order.payment_method = "bank_transfer"
        db.session.commit()
        total = Money(order.total_amount, order.currency).rounded()
        with pytest.raises(PaymentError) as refused:
            bank_transfer.record_transfer(order, total, " DEUTDEFF-0042 ")
        assert refused.value.code == "bank_reference_used"
        assert first["number"] in refused.value.message
        db.session.rollback()
        assert load(second["id"]).status == "pending_payment"
    assert _parts(_terms(client, staff, first["number"]))["deposit"]["status"] == "paid"


def test_the_api_checkout_answer_starts_the_deposit_not_the_total(app, shop, holder):
    """The one checkout service (web and API): a company cart gets the company's terms, and
    the checkout answer's payment is the deposit's intent."""
    from storefront.checkout import operations as checkout
    from test_companies_vat import _cart

    with app.app_context():
        company = erika(buyer=None, payment_terms="deposit", deposit_percent=25)
        placed = checkout.check_out(_cart({shop["paris"]: 4}, company.id).cart, "api-key-1")
        order = placed.order
        db.session.commit()
        deposit = operations.part_of(order, "deposit")
        assert operations.terms_of(order).code == "deposit:25"
        payment = checkout.first_payment(order, "api-key-1")
        db.session.commit()
        assert payment["amount"] == Money(deposit.amount, deposit.currency).rounded().as_json()
        assert payment["amount"] != Money(order.total_amount, order.currency).rounded().as_json()
        charges = db.session.scalars(select(Payment).where(Payment.order_id == order.id)).all()
        assert [c.purpose for c in charges] == [operations.card_purpose(deposit)]


def test_a_deposit_paid_is_mailed_as_the_deposit_not_the_whole_order(
    app, client, staff, trade_order
):
    from babel.numbers import format_currency

    order = trade_order()
    number = order["number"]
    _put_terms(client, staff, number, "deposit:30")
    deposit = (order["total"] * Decimal("0.3")).rounded()
    paid = client.post(
        f"/api/v1/admin/orders/{number}/terms/deposit/transfer",
        json={"amount": deposit.as_string(), "reference": "DEUTDEFF-0301"},
        headers=staff,
    )
    assert paid.status_code == 200, paid.get_json()
    with app.app_context():
        (mail,) = db.session.scalars(
            select(MailMessage).where(
                MailMessage.reference == number, MailMessage.kind == "payment_received"
            )
        ).all()
    assert format_currency(deposit.amount, "EUR", locale="de") in mail.text_body
    assert format_currency(order["total"].amount, "EUR", locale="de") not in mail.text_body
