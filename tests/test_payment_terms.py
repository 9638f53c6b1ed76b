"""Payment terms of trade orders: a deposit and the balance before shipment, paid by bank
transfer or by card (localstripe); net terms with reminders; bad input refused."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from channels.money import Money
from localstripe_server import CardHolder, app_paying_through, running_localstripe
from orders_helpers import load, place
from storefront import clock
from storefront.db import db
from storefront.mail import send_due
from storefront.orders.links import order_key
from storefront.payments.operations import PaymentError
from storefront.payments.tables import Payment
from storefront.terms import codes, operations, reminders
from storefront.terms.tables import OrderTerms, PaymentPart
from test_after_payment import api_key

VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}


@pytest.fixture
def holder(app):
    """The shop paying through localstripe; the buyer's Stripe.js stand-in."""
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        yield CardHolder(base_url)


@pytest.fixture
def staff(app, make_user):
    return api_key(app, make_user, "owner@example.com", "owner")


@pytest.fixture
def trade_order(app, four_models):
    """An unpaid trade order of two agent-run hoops, to a German-speaking buyer."""

    def make(key: str = "trade-1", quantity: int = 2) -> dict:
        order_id = place(app, {four_models["agent"]: quantity}, key)
        with app.app_context():
            order = load(order_id)
            order.wholesale, order.email, order.locale = True, "einkauf@boutique.example", "de"
            db.session.commit()
            return {
                "id": order_id,
                "number": order.number,
                "total": Money(order.total_amount, order.currency).rounded(),
                "group": order.groups[0].id,
                "key": order_key(order),
            }

    return make


def _terms(client, staff, number: str) -> dict:
    answer = client.get(f"/api/v1/admin/orders/{number}/terms", headers=staff)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _parts(body: dict) -> dict:
    return {p["kind"]: p for p in body["schedule"]}


def _group(client, staff, order: dict, step: str, **body):
    path = f"/api/v1/admin/orders/{order['number']}/groups/{order['group']}/{step}"
    return client.post(path, json=body, headers=staff)


def _ship(client, staff, order: dict, tracking: str = "1Z12345E0205271688"):
    return _group(client, staff, order, "shipments", carrier="UPS", tracking_number=tracking)


def _status(app, order_id: int) -> tuple[str, list[str]]:
    with app.app_context():
        order = load(order_id)
        return order.status, [g.status for g in order.groups]


# deposit and balance ------------------------------------------------------------------


def test_deposit_by_transfer_then_balance_by_card_releases_shipping(
    app, client, staff, trade_order, holder
):
    order = trade_order()
    number = order["number"]
    put = client.put(
        f"/api/v1/admin/orders/{number}/terms", json={"terms": "deposit:30"}, headers=staff
    )
    assert put.status_code == 200, put.get_json()
    parts = _parts(put.get_json())
    deposit = (order["total"] * Decimal("0.3")).rounded()
    assert parts["deposit"]["amount"] == deposit.as_json()
    assert parts["balance"]["amount"] == (order["total"] - deposit).as_json()
    assert put.get_json()["due_now"] == "deposit"
    assert _status(app, order["id"])[0] == "pending_payment"

    # a partial transfer does not pay the deposit, and nothing is saved
    short = client.post(
        f"/api/v1/admin/orders/{number}/terms/deposit/transfer",
        json={"amount": str(deposit.amount - 1), "reference": "DEUTDEFF-0001"},
        headers=staff,
    )
    assert short.status_code == 409 and short.get_json()["error"]["code"] == (
        "transfer_amount_mismatch"
    )
    assert _parts(_terms(client, staff, number))["deposit"]["status"] == "due"

    paid = client.post(
        f"/api/v1/admin/orders/{number}/terms/deposit/transfer",
        json={"amount": deposit.as_string(), "reference": "DEUTDEFF-0001"},
        headers=staff,
    )
    assert paid.status_code == 200, paid.get_json()
    assert _parts(paid.get_json())["deposit"]["method"] == "bank_transfer"
    assert paid.get_json()["ships_when"] == "the balance payment"
    # the order counts as paid: its shipper is set to work
    assert _status(app, order["id"]) == ("paid", ["awaiting_shipper"])
    assert _group(client, staff, order, "accept").status_code == 200

    refused = _ship(client, staff, order)
    assert refused.status_code == 409
    assert "waits for the balance payment" in refused.get_json()["error"]["message"]

    # the buyer's order page shows the schedule and the card form for the balance
    page = client.get(f"/orders/{number}?key={order['key']}").get_data(as_text=True)
    assert 'data-kind="deposit" data-status="paid"' in page
    assert 'data-kind="balance" data-status="due"' in page
    assert 'data-testid="card-element"' in page
    token = holder.client.v1.tokens.create(params={"card": VISA}).id
    done = client.post(
        f"/orders/{number}/terms/balance/pay?key={order['key']}",
        data={"token": token},
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert 'data-kind="balance" data-status="paid"' in text
    assert 'data-testid="card-element"' not in text
    balance = _parts(_terms(client, staff, number))["balance"]
    assert (balance["status"], balance["method"]) == ("paid", "card")
    assert holder.intent(_intent(app, order["id"]))["amount"] == (
        (order["total"] - deposit).to_minor_units()
    )

    shipped = _ship(client, staff, order)
    assert shipped.status_code == 201, shipped.get_json()


def _intent(app, order_id: int) -> str:
    with app.app_context():
        return db.session.scalar(
            select(Payment.intent_id).where(
                Payment.order_id == order_id, Payment.purpose.startswith("terms:")
            )
        )


def test_a_card_payment_the_webhook_settled_also_pays_the_part(app, client, staff, trade_order):
    """Stripe's word may arrive by webhook only: reading the schedule records the part."""
    order = trade_order()
    client.put(
        f"/api/v1/admin/orders/{order['number']}/terms", json={"terms": "deposit:50"}, headers=staff
    )
    with app.app_context():
        found = load(order["id"])
        part = operations.part_of(found, "deposit")
        db.session.add(
            Payment(
                order_id=found.id,
                purpose=operations.card_purpose(part),
                attempt_key=f"{found.number}:{operations.card_purpose(part)}",
                intent_id="pi_settled_by_webhook",
                amount_minor=Money(part.amount, part.currency).to_minor_units(),
                currency=part.currency,
                status="succeeded",
            )
        )
        db.session.commit()
    body = _terms(client, staff, order["number"])
    assert _parts(body)["deposit"]["status"] == "paid" and body["due_now"] == "balance"
    assert _status(app, order["id"])[0] == "pending_payment"  # a GET writes nothing
    with app.app_context():
        assert operations.settle_card_payments() == 1  # the worker's job records it
        db.session.commit()
        assert operations.settle_card_payments() == 0
    assert _parts(_terms(client, staff, order["number"]))["deposit"]["method"] == "card"
    assert _status(app, order["id"]) == ("paid", ["awaiting_shipper"])


# net terms ---------------------------------------------------------------------------


def test_net30_starts_fulfilment_and_reminds_once_before_and_once_after(
    app, client, staff, trade_order, smtp_server, logged_in
):
    order = trade_order()
    start = datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC)
    with clock.frozen(start):
        put = client.put(
            f"/api/v1/admin/orders/{order['number']}/terms", json={"terms": "net30"}, headers=staff
        )
    assert put.status_code == 200
    [invoice] = put.get_json()["schedule"]
    assert (invoice["kind"], invoice["due_on"]) == ("invoice", "2027-03-31")
    assert invoice["amount"] == order["total"].as_json()
    assert _status(app, order["id"]) == ("paid", ["awaiting_shipper"])  # fulfilled at once
    assert _group(client, staff, order, "accept").status_code == 200
    assert _ship(client, staff, order).status_code == 201  # net terms do not hold shipping

    def run_on(day: int, month: int = 3) -> int:
        with (
            app.app_context(),
            clock.frozen(datetime.datetime(2027, month, day, 8, tzinfo=datetime.UTC)),
        ):
            count = reminders.send_reminders()
            db.session.commit()
            send_due()
            db.session.commit()
            return count

    assert run_on(23) == 0  # eight days before: not yet
    assert run_on(24) == 1  # seven days before
    assert run_on(25) == 0 and run_on(31) == 0  # once only
    assert run_on(6, 4) == 0  # six days late: not yet
    assert run_on(7, 4) == 1  # seven days late
    assert run_on(20, 4) == 0
    subjects = [m.message["Subject"] for m in smtp_server.to("einkauf@boutique.example")]
    reminders_sent = [s for s in subjects if order["number"] in s and "Rechnung" in s]
    assert len(reminders_sent) == 2, subjects  # in the buyer's language (German)
    with clock.frozen(datetime.datetime(2027, 4, 20, tzinfo=datetime.UTC)):
        body = _terms(client, staff, order["number"])
    assert _parts(body)["invoice"]["overdue"] is True
    # the back office shows it overdue, in the list and on the order's page
    back_office = logged_in("owner", email="ana@shop.example")
    with clock.frozen(datetime.datetime(2027, 4, 20, tzinfo=datetime.UTC)):
        listing = back_office.get("/admin/orders").get_data(as_text=True)
        page = back_office.get(f"/admin/orders/{order['number']}").get_data(as_text=True)
    row = listing[listing.index(order["number"]) :].split("</tr>")[0]
    assert "payment overdue" in row
    assert 'data-kind="invoice" data-status="due"' in page and 'data-testid="overdue"' in page
    with clock.frozen(datetime.datetime(2027, 3, 20, tzinfo=datetime.UTC)):
        listing = back_office.get("/admin/orders").get_data(as_text=True)
    assert "payment overdue" not in listing


def test_a_paid_invoice_is_never_reminded(app, client, staff, trade_order, smtp_server):
    order = trade_order()
    with clock.frozen(datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC)):
        client.put(
            f"/api/v1/admin/orders/{order['number']}/terms", json={"terms": "net60"}, headers=staff
        )
    paid = client.post(
        f"/api/v1/admin/orders/{order['number']}/terms/invoice/transfer",
        json={"amount": order["total"].as_string(), "reference": "SEPA-77"},
        headers=staff,
    )
    assert paid.status_code == 200, paid.get_json()
    with app.app_context(), clock.frozen(datetime.datetime(2027, 5, 20, tzinfo=datetime.UTC)):
        assert reminders.send_reminders() == 0


# bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["deposit", "deposit:0", "deposit:100", "deposit:30.5", "net45", "NET", "", 30, None]
)
def test_bad_codes_are_refused(code):
    with pytest.raises(codes.TermsError):
        codes.parse(code)


@pytest.mark.parametrize(
    ("code", "parsed"),
    [("prepay", "prepay"), ("Deposit:30", "deposit:30"), ("net90", "net90"),
     ("letter_of_credit", "letter_of_credit")],
)  # fmt: skip
def test_codes_parse(code, parsed):
    assert codes.parse(code).code == parsed


def _saved(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(OrderTerms)),
            db.session.scalar(select(func.count()).select_from(PaymentPart)),
        )


def test_bad_terms_and_retail_orders_are_refused_with_nothing_saved(
    app, client, staff, trade_order, four_models
):
    order = trade_order()
    bad = client.put(
        f"/api/v1/admin/orders/{order['number']}/terms", json={"terms": "net45"}, headers=staff
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "terms"
    retail_id = place(app, {four_models["agent"]: 1}, "retail-1")
    with app.app_context():
        retail = load(retail_id).number
    refused = client.put(
        f"/api/v1/admin/orders/{retail}/terms", json={"terms": "net30"}, headers=staff
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "not_a_trade_order"
    assert _saved(app) == (0, 0)
    assert _status(app, retail_id)[0] == "pending_payment"


def test_terms_cannot_change_once_something_is_paid(app, client, staff, trade_order):
    order = trade_order()
    url = f"/api/v1/admin/orders/{order['number']}/terms"
    client.put(url, json={"terms": "deposit:20"}, headers=staff)
    client.put(url, json={"terms": "deposit:40"}, headers=staff)  # may change while unpaid
    deposit = Money(
        _parts(_terms(client, staff, order["number"]))["deposit"]["amount"]["amount"], "EUR"
    )
    assert deposit == (order["total"] * Decimal("0.4")).rounded()
    client.post(
        f"{url}/deposit/transfer",
        json={"amount": deposit.as_string(), "reference": "R-1"},
        headers=staff,
    )
    locked = client.put(url, json={"terms": "net30"}, headers=staff)
    assert locked.status_code == 400 and locked.get_json()["error"]["code"] == "terms_locked"
    again = client.post(
        f"{url}/deposit/transfer",
        json={"amount": deposit.as_string(), "reference": "R-2"},
        headers=staff,
    )
    assert again.status_code == 409  # paid already
    other = trade_order("trade-2")
    client.put(f"/api/v1/admin/orders/{other['number']}/terms", json={"terms": "deposit:40"},
               headers=staff)  # fmt: skip
    used = client.post(
        f"/api/v1/admin/orders/{other['number']}/terms/deposit/transfer",
        json={"amount": deposit.as_string(), "reference": "R-1"},
        headers=staff,
    )
    assert used.status_code == 409 and used.get_json()["error"]["code"] == "bank_reference_used"


def test_deposit_and_balance_add_up_exactly_in_yen_and_dinar():
    for amount, currency in (("10001", "JPY"), ("12.345", "KWD"), ("99.99", "EUR")):
        total = Money(amount, currency).rounded()
        deposit = (total * (Decimal(33) / 100)).rounded()
        assert deposit.is_rounded and deposit + (total - deposit) == total


# concurrency --------------------------------------------------------------------------


def test_two_transfers_for_one_part_at_once_count_once(app, is_postgres, trade_order):
    if not is_postgres:
        pytest.skip("SQLite takes one writer at a time: the row lock is PostgreSQL's")
    order = trade_order()
    with app.app_context():
        operations.set_terms(load(order["id"]), "deposit:30")
        db.session.commit()
        amount = operations.amount_of(operations.part_of(load(order["id"]), "deposit"))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def record(reference: str) -> None:
        with app.app_context():
            found = load(order["id"])
            barrier.wait()
            try:
                operations.record_part_transfer(found, "deposit", amount, reference)
                db.session.commit()
                outcomes.append("recorded")
            except PaymentError as refused:
                db.session.rollback()
                outcomes.append(refused.code)

    threads = [threading.Thread(target=record, args=(ref,)) for ref in ("A-1", "A-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["payment_part_not_due", "recorded"]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(PaymentPart).where(PaymentPart.status == "paid")
            )
            == 1
        )
        assert load(order["id"]).status == "paid"
