"""Bank transfer (T/T) for trade orders: chosen by a wholesale buyer at checkout, stock held
for BANK_TRANSFER_DAYS, and the order paid once staff record the full amount as received."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from babel.dates import format_date, format_time
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from channels.money import Money
from orders_helpers import load, place, priced_cart
from storefront import create_app
from storefront.accounts.tables import User
from storefront.cart.tables import CartLine
from storefront.config import ConfigError
from storefront.db import db
from storefront.dispatch import operations as dispatch
from storefront.fulfilment.tables import PickTask, StockReservation
from storefront.orders import operations as orders
from storefront.orders.tables import GroupStatusChange, Order
from storefront.payments import bank_transfer
from storefront.payments import operations as pay
from storefront.payments.tables import BankTransfer, Payment

IBAN = "DE89370400440532013000"  # the textbook example IBAN; its check digits are right
BANK = {
    "BANK_TRANSFER_ACCOUNT_NAME": "Lumen & Loom GmbH",
    "BANK_TRANSFER_IBAN": IBAN,
    "BANK_TRANSFER_BIC": "COBADEFFXXX",
    "BANK_TRANSFER_BANK": "Commerzbank, Berlin",
}
BERLIN = {
    "name": "Boutique Erika",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "country_area": "",
    "email": "einkauf@boutique.example",
    "phone": "030 1234567",
}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@pytest.fixture
def bank(app, monkeypatch):
    """The shop takes transfers into a German account."""
    for key, value in BANK.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def trade_buyer(logged_in):
    return logged_in("wholesale", email="buyer@boutique.example")


def _place_on_the_web(client, skus) -> str:
    """Cart, delivery details, review, place: the order number."""
    client.get("/preferences?country=DE&next=/")
    for sku in skus:
        assert client.post("/cart/add", data={"sku": sku}).status_code == 303
    assert client.post("/checkout", data=BERLIN).status_code == 303
    review = client.get("/checkout/review").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review).group(1)
    placed = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    assert placed.headers["Location"].startswith("/checkout/pay/")
    return placed.headers["Location"].rsplit("/", 1)[1]


def _cart_lines(app, number: str) -> int:
    with app.app_context():
        cart_id = db.session.scalar(select(Order.cart_id).where(Order.number == number))
        return db.session.scalar(select(func.count()).where(CartLine.cart_id == cart_id))


def _order(app, number: str) -> dict:
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        return {
            "status": order.status,
            "payment_method": order.payment_method,
            "due": bank_transfer.transfer_due(order),
            "groups": {g.selling_model: g.status for g in order.groups},
            "transfers": db.session.scalar(select(func.count()).select_from(BankTransfer)),
        }


def _holds(app) -> list[datetime.datetime]:
    with app.app_context():
        found = db.session.scalars(
            select(StockReservation.expires_at).where(StockReservation.state == "held")
        ).all()
        return [d if d.tzinfo else d.replace(tzinfo=datetime.UTC) for d in found]


# the settings ----------------------------------------------------------------------------


def test_a_mistyped_iban_stops_start_up(tmp_path):
    settings = {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    with pytest.raises(ConfigError, match="not a valid IBAN"):
        create_app({**settings, "BANK_TRANSFER_IBAN": "DE89 3704 0044 0532 0130 01"})
    with pytest.raises(ConfigError, match="BANK_TRANSFER_DAYS"):
        create_app({**settings, "BANK_TRANSFER_DAYS": 0})
    app = create_app({**settings, "BANK_TRANSFER_IBAN": "de89 3704 0044 0532 0130 00"})
    assert app.config["BANK_TRANSFER_IBAN"] == IBAN


def test_bank_details_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("STOREFRONT_BANK_TRANSFER_IBAN", "DE89 3704 0044 0532 0130 00")
    monkeypatch.setenv("STOREFRONT_BANK_TRANSFER_DAYS", "10")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert (app.config["BANK_TRANSFER_IBAN"], app.config["BANK_TRANSFER_DAYS"]) == (IBAN, 10)


# the buyer -------------------------------------------------------------------------------


def test_a_trade_buyer_pays_by_bank_transfer(app, trade_buyer, four_models, bank):
    number = _place_on_the_web(trade_buyer, [four_models["stock"]])
    pay_page = trade_buyer.get(f"/checkout/pay/{number}").text
    assert "Choose how to pay" in pay_page and 'data-testid="choose-bank-transfer"' in pay_page
    assert "Your goods stay reserved for 7 days" in pay_page
    assert _cart_lines(app, number) == 1  # nothing is emptied before the buyer chooses

    chosen = trade_buyer.post(f"/checkout/pay/{number}/bank-transfer")
    assert chosen.status_code == 303 and chosen.headers["Location"] == f"/orders/{number}"

    page = trade_buyer.get(f"/orders/{number}").text
    assert 'data-testid="bank-transfer"' in page
    assert 'data-testid="account-name">Lumen &amp; Loom GmbH<' in page
    assert 'data-testid="iban">DE89 3704 0044 0532 0130 00<' in page
    assert 'data-testid="bic">COBADEFFXXX<' in page
    assert 'data-testid="transfer-amount">€39.99</strong> (EUR)' in page
    assert f'data-testid="reference">{number}<' in page
    assert "waiting for your bank transfer" in page
    order = _order(app, number)
    assert order["status"] == "pending_payment" and order["payment_method"] == "bank_transfer"
    week = _now() + datetime.timedelta(days=7)
    assert abs(order["due"] - week) < datetime.timedelta(minutes=1)
    due = order["due"]
    deadline = (
        f"{format_date(due, 'long', locale='en')}, {format_time(due, 'short', locale='en')} UTC"
    )
    assert f'data-testid="deadline">{deadline}<' in page
    assert 'class="cart-count">0<' in page and _cart_lines(app, number) == 0

    # in German, with the deadline written the German way
    german = trade_buyer.get(f"/orders/{number}?locale=de").text
    assert "Per Banküberweisung bezahlen" in german
    assert format_date(order["due"], "long", locale="de") in german

    # the pay page now leads to the instructions, and no card is charged for the order
    assert trade_buyer.get(f"/checkout/pay/{number}").headers["Location"] == f"/orders/{number}"
    card = trade_buyer.post(f"/checkout/pay/{number}", data={"token": "tok_visa"})
    assert card.headers["Location"] == f"/orders/{number}"
    assert "your card was not charged" in trade_buyer.get(f"/orders/{number}").text


def test_choosing_transfer_twice_changes_nothing_more(app, trade_buyer, four_models, bank):
    number = _place_on_the_web(trade_buyer, [four_models["stock"]])
    trade_buyer.post(f"/checkout/pay/{number}/bank-transfer")
    first = _order(app, number)
    trade_buyer.post("/cart/add", data={"sku": four_models["drop"]})  # shopping on

    again = trade_buyer.post(f"/checkout/pay/{number}/bank-transfer")
    assert again.status_code == 303 and again.headers["Location"] == f"/orders/{number}"
    assert _order(app, number) == first  # same deadline, same state
    # the piece went into a new cart, which the repeat leaves alone
    assert _cart_lines(app, number) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CartLine)) == 1


def test_retail_buyers_are_not_offered_a_transfer(app, client, four_models, bank):
    number = _place_on_the_web(client, [four_models["stock"]])
    pay_page = client.get(f"/checkout/pay/{number}").text
    assert "Pay by card" in pay_page
    assert "bank transfer" not in pay_page.lower() and IBAN[:4] not in pay_page
    holds = _holds(app)

    forced = client.post(f"/checkout/pay/{number}/bank-transfer")
    assert forced.status_code == 400
    assert "Bank transfer is not available for this order" in forced.text
    assert _order(app, number)["payment_method"] is None
    assert _holds(app) == holds  # still the 30-minute hold
    assert _cart_lines(app, number) == 1
    assert "IBAN" not in client.get(f"/orders/{number}").text


def test_without_bank_details_no_one_is_offered_a_transfer(app, trade_buyer, four_models):
    number = _place_on_the_web(trade_buyer, [four_models["stock"]])
    pay_page = trade_buyer.get(f"/checkout/pay/{number}").text
    assert "choose-bank-transfer" not in pay_page and "Pay by card" in pay_page
    assert trade_buyer.post(f"/checkout/pay/{number}/bank-transfer").status_code == 400
    assert _order(app, number)["payment_method"] is None


def test_the_choice_is_a_csrf_protected_form(app, trade_buyer, four_models, bank):
    number = _place_on_the_web(trade_buyer, [four_models["stock"]])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = trade_buyer.get(f"/checkout/pay/{number}").text
        form = page[page.index('data-testid="bank-transfer-option"') :]
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        assert trade_buyer.post(f"/checkout/pay/{number}/bank-transfer").status_code == 400
        assert _order(app, number)["payment_method"] is None
        done = trade_buyer.post(f"/checkout/pay/{number}/bank-transfer", data={"csrf_token": token})
        assert done.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _order(app, number)["payment_method"] == "bank_transfer"


def test_a_cancelled_order_cannot_switch_to_transfer(app, trade_buyer, four_models, bank):
    number = _place_on_the_web(trade_buyer, [four_models["stock"]])
    with app.app_context():
        dispatch.cancel_order(db.session.scalar(select(Order).where(Order.number == number)))
        db.session.commit()
    refused = trade_buyer.post(f"/checkout/pay/{number}/bank-transfer", follow_redirects=True)
    assert f"Order {number} is not waiting for payment." in refused.text
    assert _order(app, number)["payment_method"] is None


# the stock hold --------------------------------------------------------------------------


def _trade_order(app, lines: dict[str, int], key: str) -> int:
    with app.app_context():
        priced = priced_cart("eu", "DE", lines)
        priced.cart.wholesale = True
        order, _token = orders.place_order(priced, key)
        db.session.commit()
        return order.id


def _stock(app, sku: str) -> tuple[int, int]:
    from storefront.catalog.tables import Variant
    from storefront.fulfilment.tables import StockLevel, Warehouse

    with app.app_context():
        return tuple(
            db.session.execute(
                select(StockLevel.on_hand, StockLevel.reserved)
                .join(Warehouse)
                .join(Variant, Variant.id == StockLevel.variant_id)
                .where(Variant.sku == sku, Warehouse.code == "berlin")
            ).one()
        )


def test_the_stock_stays_held_until_the_transfer_deadline(app, four_models, bank):
    sku = four_models["stock"]
    by_transfer = _trade_order(app, {sku: 2}, "trade-1")
    by_card = place(app, {sku: 1}, "retail-1")
    with app.app_context():
        assert bank_transfer.choose_bank_transfer(load(by_transfer)) is True
        db.session.commit()
    assert _stock(app, sku) == (3, 3)

    with app.app_context():
        assert dispatch.release_expired(_now() + datetime.timedelta(minutes=31)) == 1
        db.session.commit()
        assert load(by_card).status == "cancelled"  # the card order's 30 minutes are up
        assert load(by_transfer).status == "pending_payment"
    assert _stock(app, sku) == (3, 2)  # still held for the transfer

    with app.app_context():
        assert dispatch.release_expired(_now() + datetime.timedelta(days=8)) == 1
        db.session.commit()
        order = load(by_transfer)
        assert order.status == "cancelled"
        assert {g.status for g in order.groups} == {"cancelled"}
    assert _stock(app, sku) == (3, 0)  # back on the shelf


def test_an_order_holding_no_stock_is_cancelled_after_the_deadline(app, four_models, bank):
    order_id = _trade_order(app, {four_models["drop"]: 1}, "trade-drop")  # dropship: no hold
    with app.app_context():
        bank_transfer.choose_bank_transfer(load(order_id))
        db.session.commit()
        assert dispatch.release_expired(_now() + datetime.timedelta(days=6)) == 0
        assert dispatch.release_expired(_now() + datetime.timedelta(days=8)) == 1
        db.session.commit()
        assert load(order_id).status == "cancelled"
        note = db.session.scalar(select(GroupStatusChange.note))
        assert note == "bank transfer did not arrive by its deadline"


def test_bank_transfer_days_sets_the_hold(app, four_models, bank, monkeypatch):
    monkeypatch.setitem(app.config, "BANK_TRANSFER_DAYS", 14)
    order_id = _trade_order(app, {four_models["stock"]: 1}, "trade-14")
    with app.app_context():
        bank_transfer.choose_bank_transfer(load(order_id))
        db.session.commit()
    fortnight = _now() + datetime.timedelta(days=14)
    assert all(abs(held - fortnight) < datetime.timedelta(minutes=1) for held in _holds(app))


# paying by transfer ----------------------------------------------------------------------


@pytest.fixture
def awaiting(app, four_models, bank) -> str:
    """A trade order of one piece per selling model, to be paid by transfer: its number."""
    order_id = _trade_order(app, {sku: 1 for sku in four_models.values()}, "trade-all")
    with app.app_context():
        order = load(order_id)
        bank_transfer.choose_bank_transfer(order)
        db.session.commit()
        return order.number


def _total(app, number: str) -> str:
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        return f"{order.total_amount:.2f}"


def test_a_partial_transfer_does_not_pay_the_order(app, awaiting):
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == awaiting))
        short = Money(order.total_amount - 1, order.currency)
        with pytest.raises(pay.PaymentError) as refused:
            bank_transfer.record_transfer(order, short, "TT-9")
        assert refused.value.code == "transfer_amount_mismatch"
        assert "stays unpaid until the full amount has arrived" in refused.value.message


@given(
    st.sampled_from(["EUR", "JPY", "KWD", "CHF"]),
    st.integers(min_value=1, max_value=10**10),
    st.integers(min_value=-(10**6), max_value=10**6),
)
def test_only_the_exact_total_pays_an_order(currency, minor, delta):
    total = Money.from_minor_units(minor, currency, stripe=False)
    received = Money(total.amount + Decimal(delta).scaleb(-4), currency)  # off by 0.0001s
    assert bank_transfer.pays_in_full(received, total) is (delta == 0)
    written_long = Money(total.amount.quantize(Decimal("0.0001")), currency)  # 39.9900
    assert bank_transfer.pays_in_full(written_long, total)
    other = "USD" if currency != "USD" else "EUR"
    assert not bank_transfer.pays_in_full(Money(total.amount, other), total)


def test_a_card_attempt_ending_at_stripe_leaves_a_transfer_order_waiting(app, awaiting):
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == awaiting))
        db.session.add(
            Payment(
                order_id=order.id,
                attempt_key=f"{awaiting}:first-visit",
                intent_id="pi_abandoned",
                amount_minor=100,
                currency="EUR",
            )
        )
        db.session.commit()
        event = {
            "id": "evt_1",
            "type": "payment_intent.canceled",
            "data": {"object": {"id": "pi_abandoned"}},
        }
        assert pay.handle_event(event) == "payment_canceled"
        db.session.commit()
    assert _order(app, awaiting)["status"] == "pending_payment"


# staff in the back office ----------------------------------------------------------------


def test_staff_record_the_transfer_and_the_order_moves_on(app, logged_in, awaiting):
    staff = logged_in("staff")
    total = _total(app, awaiting)
    listing = staff.get("/admin/orders?status=pending_payment").text
    assert "pending payment · bank transfer" in listing
    page = staff.get(f"/admin/orders/{awaiting}").text
    assert 'data-testid="transfer-received"' in page and 'data-testid="refund"' not in page
    assert "stock is held until then" in page

    received = staff.post(
        f"/admin/orders/{awaiting}/transfer-received",
        data={"amount": total, "reference": "  SEPA 2026-11-000123 "},
        follow_redirects=True,
    ).text
    assert f"order {awaiting} is paid" in received
    order = _order(app, awaiting)
    assert order["status"] == "paid" and order["transfers"] == 1
    assert order["groups"] == {  # as after a card payment: each model sets its shipper to work
        "wholesale_retail": "picking",
        "self_produced": "in_production",
        "agent_operated": "awaiting_shipper",
        "oem_dropship": "awaiting_shipper",
    }
    with app.app_context():
        assert db.session.scalar(select(PickTask.warehouse_code)) == "berlin"
        transfer = db.session.scalar(select(BankTransfer))
        assert (str(transfer.amount), transfer.bank_reference) == (
            f"{total}0",
            "SEPA 2026-11-000123",
        )
        staff_id = db.session.scalar(select(User.id).where(User.email == "staff@example.com"))
        assert transfer.recorded_by == staff_id
    # no Stripe refund for money Stripe never held
    assert "SEPA 2026-11-000123" in received and 'data-testid="refund"' not in received
    refund = staff.post(
        f"/admin/orders/{awaiting}/refund", data={"amount": ""}, follow_redirects=True
    )
    assert f"Order {awaiting} has no card payment to refund." in refund.text
    assert _order(app, awaiting)["status"] == "paid"


def test_a_second_confirmation_is_refused(app, logged_in, awaiting):
    staff = logged_in("owner")
    form = {"amount": _total(app, awaiting), "reference": "TT-1"}
    staff.post(f"/admin/orders/{awaiting}/transfer-received", data=form)
    again = staff.post(
        f"/admin/orders/{awaiting}/transfer-received",
        data={**form, "reference": "TT-2"},
        follow_redirects=True,
    ).text
    assert f"Order {awaiting} is not awaiting a bank transfer (it is paid)." in again
    assert _order(app, awaiting)["transfers"] == 1


@pytest.mark.parametrize(
    ("amount", "reference", "message"),
    [
        ("10.00", "TT-1", "10.00 EUR is not the order total of"),
        ("ten", "TT-1", "Enter the amount received like 1250.00."),
        ("TOTAL", "   ", "Enter the bank&#39;s reference for the transfer"),
    ],
)
def test_a_wrong_transfer_is_refused_with_nothing_changed(
    app, logged_in, awaiting, amount, reference, message
):
    staff = logged_in("staff")
    before = _order(app, awaiting)
    amount = _total(app, awaiting) if amount == "TOTAL" else amount
    refused = staff.post(
        f"/admin/orders/{awaiting}/transfer-received",
        data={"amount": amount, "reference": reference},
        follow_redirects=True,
    ).text
    assert message in refused
    assert _order(app, awaiting) == before
    assert set(before["groups"].values()) == {"awaiting_payment"}


def test_one_bank_reference_pays_one_order(app, logged_in, four_models, awaiting):
    staff = logged_in("staff")
    second_id = _trade_order(app, {four_models["drop"]: 1}, "trade-second")
    with app.app_context():
        second = load(second_id)
        bank_transfer.choose_bank_transfer(second)
        db.session.commit()
        number = second.number
    staff.post(
        f"/admin/orders/{awaiting}/transfer-received",
        data={"amount": _total(app, awaiting), "reference": "TT-1"},
    )
    reused = staff.post(
        f"/admin/orders/{number}/transfer-received",
        data={"amount": _total(app, number), "reference": "TT-1"},
        follow_redirects=True,
    ).text
    assert f"The transfer TT-1 is already recorded for order {awaiting}." in reused
    assert _order(app, number)["status"] == "pending_payment"


def test_an_order_not_awaiting_a_transfer_is_refused(app, logged_in, four_models, bank):
    staff = logged_in("staff")
    order_id = place(app, {four_models["stock"]: 1}, "retail-card")
    with app.app_context():
        number = load(order_id).number
    assert 'data-testid="transfer-received"' not in staff.get(f"/admin/orders/{number}").text
    refused = staff.post(
        f"/admin/orders/{number}/transfer-received",
        data={"amount": _total(app, number), "reference": "TT-1"},
        follow_redirects=True,
    ).text
    assert f"Order {number} is not awaiting a bank transfer (it is pending payment)." in refused
    assert _order(app, number)["status"] == "pending_payment"


@pytest.fixture
def aurora_agent(app, make_agent, make_user) -> str:
    """An agent user whose company runs the brand of the order's stock ring."""
    agent_id = make_agent("aurora-agency", brands=("aurora",), country="FR")
    email = make_user(email="agent@aurora.example", role="agent")
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).agent_id = agent_id
        db.session.commit()
    return email


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_agents_and_suppliers_cannot_record_a_transfer(
    app, client, make_user, aurora_agent, awaiting, role
):
    email = aurora_agent if role == "agent" else make_user(email="s@x.example", role="supplier")
    client.post("/login", data={"email": email, "password": "correct horse battery"})
    if role == "agent":  # the agent sees its line of the order, not the staff form
        page = client.get(f"/admin/orders/{awaiting}")
        assert page.status_code == 200 and 'data-testid="transfer-received"' not in page.text
    answer = client.post(
        f"/admin/orders/{awaiting}/transfer-received",
        data={"amount": _total(app, awaiting), "reference": "TT-1"},
    )
    assert answer.status_code == 403
    assert _order(app, awaiting)["status"] == "pending_payment"
    assert _order(app, awaiting)["transfers"] == 0
