"""The shop's order mails, caught by a real SMTP server: in the buyer's language with
amounts in its format, each shipment's ETA and import charges, a link that opens the
order without a session; staff and shippers hear of new work."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

from sqlalchemy import select

from channels.money import Money
from storefront import clock
from storefront.accounts.operations import create_user
from storefront.cart import operations as carts
from storefront.checkout import operations as checkout
from storefront.db import db
from storefront.dispatch.operations import mark_paid
from storefront.fulfilment.tables import AgentCompany
from storefront.mail import send_due
from storefront.mail.tables import MailMessage
from storefront.notices import operations as notices
from storefront.orders.tables import Order, Shipment
from storefront.webhooks.operations import grant_supplier_access
from test_api_carts import deliver_to_berlin
from test_bank_transfer import _place_on_the_web, bank, trade_buyer  # noqa: F401

LINK = re.compile(r"https?://\S+/orders/\S+?key=[\w.\-]+")


def _checkout(client, skus, language="de", key="mail-order"):
    headers = {"Accept-Language": language}
    cart = client.post(
        "/api/v1/carts", json={"channel": "eu", "country": "DE"}, headers=headers
    ).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}", **headers}
    for sku in skus:
        added = client.post(
            f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku, "quantity": 1}, headers=auth
        )
        assert added.status_code == 201, added.get_json()
    deliver_to_berlin(client, cart["id"], auth)
    placed = client.post(
        f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": key}, headers=auth
    )
    assert placed.status_code == 201, placed.get_json()
    return placed.get_json()["order_id"]


def _order(number: str) -> Order:
    return db.session.scalar(select(Order).where(Order.number == number))


def test_the_order_placed_mail_speaks_german_and_opens_the_order(
    app, client, four_models, smtp_server
):
    number = _checkout(client, four_models.values())
    with app.app_context():
        order = _order(number)
        assert order.locale == "de"
        etas = [(g.eta_min_days, g.eta_max_days) for g in order.groups]
        total = Money(order.total_amount, order.currency).rounded()
        assert send_due() == 1
    [mail] = smtp_server.to("lena@example.de")
    assert mail.message["Subject"].startswith(f"Vielen Dank für Ihre Bestellung {number}")
    text, html = mail.part("plain"), mail.part("html")
    for body in (text, html):
        assert "Hallo Lena Vogel," in body
        assert "Lumen & Loom" in body or "Lumen &amp; Loom" in body
        assert "Sendung 1 von 4" in body and "Sendung 4 von 4" in body
        for low, high in etas:
            assert f"Zustellung in {low}–{high} Tagen" in body
        # German money: comma decimals, the euro sign after the amount
        german_total = f"{total.amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        assert f"{german_total}\xa0€" in body
        assert "Zwischensumme" in body
    # each shipment's import charges: none inside the EU, due on delivery from China
    assert text.count("Keine Einfuhrabgaben") == 3
    assert "Geschätzt bei Zustellung fällig" in text
    [link] = set(LINK.findall(text))
    assert link in html
    # the link opens the order page in another browser (no session)
    page = app.test_client().get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert page.status_code == 200
    assert number in page.get_data(as_text=True)
    assert app.test_client().get(urlsplit(link).path).status_code == 404


def test_a_repeated_checkout_sends_no_second_mail(app, client, four_models, smtp_server):
    cart = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    client.post(
        f"/api/v1/carts/{cart['id']}/lines",
        json={"sku": four_models["stock"], "quantity": 1},
        headers=auth,
    )
    deliver_to_berlin(client, cart["id"], auth)
    for _ in range(2):
        client.post(
            f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": "once"}, headers=auth
        )
    with app.app_context():
        assert send_due() == 1
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0].message["Subject"].startswith("Thank you for your order")


def _shipper_users(app):
    with app.app_context():
        create_user("owner@shop.test", "correct horse battery", "owner")
        agent = create_user("agent@milano.test", "correct horse battery", "agent")
        agent.agent_id = db.session.scalar(
            select(AgentCompany.id).where(AgentCompany.code == "milano-agency")
        )
        supplier = create_user("ops@shenzhen.test", "correct horse battery", "supplier")
        grant_supplier_access(supplier, "shenzhen-silver")
        create_user("buyer@trade.test", "correct horse battery", "wholesale")
        db.session.commit()


def test_payment_received_and_new_work_for_each_shipper(app, client, four_models, smtp_server):
    _shipper_users(app)
    number = _checkout(client, four_models.values())
    with app.app_context():
        send_due()
        smtp_server.messages.clear()
        order = _order(number)
        mark_paid(order)
        db.session.commit()
        shippers = {g.shipper: g for g in order.groups}
        send_due()
    [paid] = smtp_server.to("lena@example.de")
    assert paid.message["Subject"].startswith(f"Zahlung für Bestellung {number} erhalten")
    assert "Wir haben Ihre Zahlung" in paid.part("plain")
    # staff ship the shop's own (warehouse and workshop), the agent and the supplier theirs
    staff = smtp_server.to("owner@shop.test")
    assert len(staff) == 2
    own = {k for k in shippers if k.startswith(("warehouse:", "maker:"))}
    assert len(own) == 2
    [agent] = smtp_server.to("agent@milano.test")
    [supplier] = smtp_server.to("ops@shenzhen.test")
    assert not smtp_server.to("buyer@trade.test")
    for mail in (*staff, agent, supplier):
        text = mail.part("plain")
        assert mail.message["Subject"].startswith(f"New to ship: order {number}")
        assert "Torstraße 1" in text and "10119" in text and "Lena Vogel" in text
        assert "Phone: +49" in text, text
    assert "agent:milano-agency" in agent.part("plain")
    assert four_models["agent"] in agent.part("plain")
    assert four_models["drop"] in supplier.part("plain")
    assert "/supplier" in supplier.part("plain")


def test_every_buyer_notice_renders_in_each_language(app, client, four_models, smtp_server):
    number = _checkout(client, [four_models["stock"], four_models["drop"]], language="ja")
    with app.app_context():
        order = _order(number)
        group = order.groups[0]
        shipment = Shipment(
            group=group,
            carrier_code="dhl-express",
            carrier_name="DHL Express",
            tracking_number="JD0123456789",
            tracking_url="https://www.dhl.com/track?id=JD0123456789",
            lines=[{"sku": group.lines[0].sku, "quantity": 1}],
            shipped_at=clock.now(),
        )
        db.session.add(shipment)
        group.delivered_at = clock.now()
        for locale in ("en", "de", "fr", "es", "ja", "zh_Hans", "ar"):
            order.locale = locale
            notices.transfer_instructions(
                order,
                {"account_name": "Lumen", "iban": "DE89370400440532013000", "bic": None},
                clock.now() + datetime.timedelta(days=7),
            )
            notices.payment_received(order)
            notices.group_shipped(group, shipment)
            notices.group_delivered(group)
            notices.refund_issued(order, Money("12.50", order.currency), "damaged")
            notices.group_rerouted(group)
            notices.group_refunded(group, Money("30", order.currency))
            notices.group_overdue(group, "shipping")
        db.session.commit()
        kinds = set(db.session.scalars(select(MailMessage.kind)))
        assert send_due() == 20 and send_due() == 20
        send_due()
    assert {"group_shipped", "group_refunded", "transfer_instructions"} <= kinds
    mails = smtp_server.to("lena@example.de")
    assert len(mails) == 1 + 7 * 7  # the order placed, then seven notices in seven languages
    shipped = [m for m in mails if "JD0123456789" in m.part("plain")]
    assert len(shipped) == 7
    assert all("https://www.dhl.com/track?id=JD0123456789" in m.part("html") for m in shipped)
    japanese = [m for m in mails if m.message["Content-Language"] == "ja"]
    assert len(japanese) == 8 and all(LINK.search(m.part("plain")) for m in japanese)
    arabic = [m for m in mails if m.message["Content-Language"] == "ar"]
    assert all('dir="rtl"' in m.part("html") for m in arabic)
    assert "DE89 3704 0044 0532 0130 00" in mails[1].part("plain")


def test_a_rolled_back_checkout_sends_no_mail(app, client, four_models, smtp_server):
    cart = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    client.post(
        f"/api/v1/carts/{cart['id']}/lines",
        json={"sku": four_models["stock"], "quantity": 1},
        headers=auth,
    )
    deliver_to_berlin(client, cart["id"], auth)
    with app.app_context():
        placed = checkout.check_out(carts.load_cart(cart["id"]), "rolled-back")
        assert placed.order.id and db.session.scalar(select(MailMessage.kind)) == "order_placed"
        db.session.rollback()  # e.g. the request failed after placing: nothing was placed
        assert db.session.scalar(select(MailMessage.id).limit(1)) is None
        assert send_due() == 0
    assert smtp_server.messages == []


def test_choosing_a_bank_transfer_mails_the_instructions_once(
    app,
    trade_buyer,  # noqa: F811
    four_models,
    bank,  # noqa: F811
    smtp_server,
):
    number = _place_on_the_web(trade_buyer, [four_models["stock"]])
    for _ in range(2):
        trade_buyer.post(f"/checkout/pay/{number}/bank-transfer")
    with app.app_context():
        send_due()
    [mail] = [
        m
        for m in smtp_server.to("einkauf@boutique.example")
        if m.message["Subject"].startswith("How to pay order")
    ]
    text = mail.part("plain")
    assert "DE89 3704 0044 0532 0130 00" in text and "COBADEFFXXX" in text
    assert f"Payment reference: {number}" in text
    assert "Transfer exactly €39.99" in text
    assert "Must arrive by" in text and "UTC" in text
    assert LINK.search(text)
