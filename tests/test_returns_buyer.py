"""Returns as the buyer sees them: from a delivered parcel on the order page, a form, a
review of what comes back and where the goods go, the return's own page, photos of what
came damaged, the order's JSON, and a mail at each step in the buyer's language."""

from __future__ import annotations

import datetime
import html
import io
import os
import re
from decimal import Decimal

import pytest
from PIL import Image
from sqlalchemy import select

import test_returns
from storefront import clock
from storefront.accounts.tables import User
from storefront.db import db
from storefront.orders.links import order_key
from storefront.orders.tables import Order
from storefront.returns.addresses import PARTIES
from storefront.returns.tables import ReturnPhoto, ReturnRequest
from storefront.webhooks.tables import OutboxEvent
from test_after_payment import api_key
from test_customers import register
from test_product_images import photo
from test_returns import returns_kept, unit_price

# the returns' fixtures: a delivered order of every selling model, and the schema check
bought, check, moment = test_returns.bought, test_returns.check, test_returns.moment

BERLIN_RETURNS = "Lumen Returns\nLagerstr. 5\n10115 Berlin\nGermany"


@pytest.fixture
def shop(app, bought, moment):
    """The bought order, its buyer speaking German, the Berlin warehouse taking returns at
    its address; `at(days)` freezes the clock that many days after delivery."""
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == bought["number"]))
        order.locale = "de"
        warehouse = PARTIES["warehouse"]
        db.session.scalar(
            select(warehouse).where(warehouse.code == "berlin")
        ).return_address = BERLIN_RETURNS
        lines = {line.sku: (line.id, line.group_id) for line in order.lines}
        key = order_key(order)
        db.session.commit()

    def at(days: float = 3):
        return clock.frozen(moment + datetime.timedelta(days=days))

    def parcel(kind: str) -> tuple[int, int]:
        """(order line id, group id) of the kind's item."""
        return lines[bought["skus"][kind]]

    return {**bought, "key": key, "at": at, "parcel": parcel}


def form_url(shop, kind: str, step: str = "") -> str:
    _line, group = shop["parcel"](kind)
    return f"/orders/{shop['number']}/parcels/{group}/return{step}?key={shop['key']}"


def answers(shop, kind: str, quantity=1, reason="wrong_size", **more) -> dict:
    line, _group = shop["parcel"](kind)
    return {f"quantity-{line}": str(quantity), "reason": reason, "resolution": "refund", **more}


GERMAN = {"Accept-Language": "de"}


def sent_mails(app, smtp_server, address="lena@example.de"):
    sent = app.test_cli_runner().invoke(args=["worker", "--once", "--only", "mail.send"])
    assert sent.exit_code == 0, sent.output
    return smtp_server.to(address)


def test_a_buyer_returns_a_parcel_from_the_order_page_and_gets_a_mail_in_german(
    app, client, shop, smtp_server
):
    price = unit_price(shop, shop["skus"]["stock"])
    german_price = price["amount"].replace(".", ",")  # 39.99 EUR reads 39,99 €
    with shop["at"](3):
        order_page = client.get(f"/orders/{shop['number']}?key={shop['key']}", headers=GERMAN)
        links = re.findall(r'href="([^"]+)" data-testid="return-items"', order_page.text)
        assert len(links) == 4  # every parcel was delivered three days ago
        stock_form = html.unescape(form_url(shop, "stock"))
        assert stock_form in [html.unescape(link) for link in links]

        form = client.get(stock_form, headers=GERMAN)
        assert form.status_code == 200
        assert "Falsche Größe" in form.text  # the reasons, in the buyer's language

        review = client.post(stock_form, data=answers(shop, "stock"), headers=GERMAN)
        assert review.status_code == 200
        total = re.search(r'data-testid="refund-total">([^<]+)<', review.text).group(1)
        assert german_price in total  # the goods' price, as a German reads it
        assert "Lagerstr. 5" in review.text  # where it goes, before anything is saved
        assert returns_kept(app) == 0

        confirmed = client.post(
            form_url(shop, "stock", "/confirm"), data=answers(shop, "stock"), headers=GERMAN
        )
        assert confirmed.status_code == 303
        rma_page = client.get(confirmed.location, headers=GERMAN)
    assert rma_page.status_code == 200
    with app.app_context():
        kept = db.session.scalars(select(ReturnRequest)).one()
        rma, refund = kept.rma, kept.refund_amount
    assert rma in rma_page.text and "Angefragt" in rma_page.text
    # the own-stock model's instructions, in German too
    assert "Zurück an das Lager, das es versandt hat" in rma_page.text
    assert "Lumen Returns<br>Lagerstr. 5<br>10115 Berlin<br>Germany" in rma_page.text
    assert str(refund.normalize()) == price["amount"]

    # the order page lists it, and the order's JSON too
    with shop["at"](4):
        order_page = client.get(f"/orders/{shop['number']}?key={shop['key']}", headers=GERMAN)
    assert f'data-rma="{rma}"' in order_page.text

    mails = [m for m in sent_mails(app, smtp_server) if rma in m.message["Subject"]]
    assert len(mails) == 1
    assert mails[0].message["Subject"].startswith(f"Ihre Rücksendung {rma}")
    text = mails[0].part("plain")
    assert "Lagerstr. 5" in text and german_price in text and "Rücksendung" in text
    assert "Zurück an das Lager, das es versandt hat" in text


@pytest.mark.parametrize(
    ("days", "quantity", "code", "german"),
    [
        (15, 1, "outside_return_window", "Die Rückgabefrist von 14 Tagen"),
        (3, 2, "more_than_bought", "wurden nur 1 gekauft"),
        (3, "²", "invalid_quantity", "ganze Zahl"),
        (3, "9" * 5000, "invalid_quantity", "ganze Zahl"),
    ],
    ids=["outside_window", "more_than_bought", "superscript_two", "5000_digits"],
)
def test_a_return_the_rules_refuse_shows_why_in_german_and_saves_nothing(
    app, client, shop, days, quantity, code, german
):
    with shop["at"](days):
        for step in ("", "/confirm"):  # refused at the review and at a forged confirmation
            refused = client.post(
                form_url(shop, "stock", step),
                data=answers(shop, "stock", quantity=quantity),
                headers=GERMAN,
            )
            assert refused.status_code == 422
            assert f'data-code="{code}"' in refused.text
            assert german in refused.text
    assert returns_kept(app) == 0


def test_the_return_link_is_gone_once_the_window_closed(client, shop):
    with shop["at"](15):
        page = client.get(f"/orders/{shop['number']}?key={shop['key']}")
    assert page.status_code == 200 and 'data-testid="return-items"' not in page.text


def test_nobody_without_the_order_opens_its_return_pages(app, client, shop):
    with shop["at"](3):
        made = client.post(form_url(shop, "stock", "/confirm"), data=answers(shop, "stock"))
        assert made.status_code == 303
        rma_url = made.location.split("?")[0]
        stranger = app.test_client()
        for key in ("", "?key=forged"):
            assert stranger.get(form_url(shop, "stock").split("?")[0] + key).status_code == 404
            assert stranger.get(rma_url + key).status_code == 404
            confirm = form_url(shop, "stock", "/confirm").split("?")[0] + key
            assert stranger.post(confirm, data=answers(shop, "stock")).status_code == 404
        assert stranger.get(f"{rma_url}?key={shop['key']}").status_code == 200
    assert returns_kept(app) == 1


def test_a_damaged_item_needs_a_photo_which_is_resized_and_sent_to_the_supplier(app, client, shop):
    damaged = answers(shop, "drop", reason="damaged")
    with shop["at"](3):
        refused = client.post(form_url(shop, "drop"), data=damaged, headers=GERMAN)
        assert refused.status_code == 422 and 'data-code="photo_required"' in refused.text
        assert "Foto" in refused.text

        upload = {**damaged, "photos": (io.BytesIO(photo(2400, 1800)), "scratch.jpg")}
        review = client.post(form_url(shop, "drop"), data=upload)
        assert review.status_code == 200, review.text
        carried = re.findall(r'name="photo" value="([^"]+)"', review.text)
        assert len(carried) == 1
        assert returns_kept(app) == 0
        confirmed = client.post(
            form_url(shop, "drop", "/confirm"), data={**damaged, "photo": carried}
        )
        assert confirmed.status_code == 303
    with app.app_context():
        kept = db.session.scalars(select(ReturnPhoto)).one()
        assert (kept.sizes["large"]["width"], kept.sizes["large"]["height"]) == (1600, 1200)
        event = db.session.scalar(
            select(OutboxEvent).where(OutboxEvent.event_type == "return.requested")
        )
        assert len(event.payload["photos"]) == 1
        url = event.payload["photos"][0]
        assert url.startswith("http") and url.endswith(kept.key)
        with Image.open(os.path.join(app.config["MEDIA_FOLDER"], kept.key)) as stored:
            assert stored.format == "WEBP" and max(stored.size) == 1600
            assert not stored.getexif()  # no camera data goes to the supplier


def test_the_order_json_lists_its_returns_and_photos_can_follow_by_api(app, client, shop, check):
    stock = shop["skus"]["stock"]
    made = shop["ask"]({stock: 1}).get_json()
    auth = {"Authorization": f"Bearer {shop['token']}"}
    order = client.get(f"/api/v1/orders/{shop['number']}", headers=auth).get_json()
    check("Order", order)
    assert order["returns"] == [
        {
            "rma": made["rma"],
            "status": "requested",
            "lines": [{"sku": stock, "quantity": 1}],
            "refund": made["refund"],
        }
    ]

    url = f"/api/v1/orders/{shop['number']}/returns/{made['rma']}/photos"
    for n in range(1, 6):
        added = client.post(
            url, data={"file": (io.BytesIO(photo(400, 300)), "a.jpg")}, headers=auth
        )
        assert added.status_code == 201, added.get_json()
        check("Return", added.get_json())
        assert len(added.get_json()["photos"]) == n
    sixth = client.post(url, data={"file": (io.BytesIO(photo(400, 300)), "a.jpg")}, headers=auth)
    assert sixth.status_code == 422 and sixth.get_json()["error"]["code"] == "too_many_photos"
    stranger = client.post(
        url,
        data={"file": (io.BytesIO(photo(400, 300)), "a.jpg")},
        headers={"Authorization": "Bearer x"},
    )
    assert stranger.status_code == 404
    with app.app_context():
        assert len(db.session.scalars(select(ReturnPhoto)).all()) == 5

    channels = client.get("/api/v1/channels").get_json()
    assert {c["code"]: c["return_days"] for c in channels} == {"eu": 14}


def test_each_step_of_a_return_is_mailed_to_the_buyer_in_german(
    app, client, make_user, shop, smtp_server
):
    staff = api_key(app, make_user, "returns@shop.example", "staff")
    approved = shop["ask"]({shop["skus"]["stock"]: 1}).get_json()["rma"]
    refused = shop["ask"]({shop["skus"]["made"]: 1}).get_json()["rma"]
    for path, body in (
        (f"{approved}/approve", {}),
        (f"{approved}/received", {}),
        (f"{refused}/refuse", {"reason": "Getragen und ohne Etikett"}),
    ):
        answer = client.post(f"/api/v1/admin/returns/{path}", json=body, headers=staff)
        assert answer.status_code == 200, answer.get_json()

    mails = sent_mails(app, smtp_server)
    subjects = [m.message["Subject"].split(" · ")[0] for m in mails]
    assert f"Ihre Rücksendung {approved} wurde genehmigt" in subjects
    assert f"Ihre Rücksendung {approved} ist angekommen" in subjects
    assert f"Ihre Rücksendung {refused} wurde nicht angenommen" in subjects
    refusal = next(
        m for m in mails if refused in m.message["Subject"] and "nicht" in m.message["Subject"]
    )
    assert "Getragen und ohne Etikett" in refusal.part("plain")
    assert "Getragen und ohne Etikett" in refusal.part("html")

    # once checked, the buyer's page names that step in German too
    sku = shop["skus"]["stock"]
    inspected = client.post(
        f"/api/v1/admin/returns/{approved}/inspect",
        json={"lines": [{"sku": sku, "outcome": "restock"}]},
        headers=staff,
    )
    assert inspected.status_code == 200, inspected.get_json()
    page = client.get(f"/orders/{shop['number']}/returns/{approved}?key={shop['key']}",
                      headers=GERMAN)  # fmt: skip
    assert page.status_code == 200
    assert re.search(r'data-status="inspected">[^<]*Geprüft<', page.text)


def test_a_signed_in_buyer_finds_their_returns_on_their_account_page(app, shop):
    erika, other = app.test_client(), app.test_client()
    register(erika)
    register(other, email="otto@example.de", name="Otto Normal")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "erika@example.de"))
        db.session.scalar(select(Order).where(Order.number == shop["number"])).customer_id = user.id
        db.session.commit()
    rma = shop["ask"]({shop["skus"]["agent"]: 1}).get_json()["rma"]

    account = erika.get("/account", headers=GERMAN)
    assert f'data-rma="{rma}"' in account.text and "Meine Rücksendungen" in account.text
    link = re.search(rf'href="([^"]+)" dir="ltr">{rma}<', account.text).group(1)
    assert erika.get(link).status_code == 200  # the owner needs no key
    assert rma not in other.get("/account").text
    assert other.get(link).status_code == 404


def test_the_confirmation_needs_the_forms_csrf_token(app, client, shop):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with shop["at"](3):
            forged = client.post(form_url(shop, "stock", "/confirm"), data=answers(shop, "stock"))
            assert forged.status_code == 400
            assert returns_kept(app) == 0
            form = client.get(form_url(shop, "stock")).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
            confirmed = client.post(
                form_url(shop, "stock", "/confirm"),
                data={**answers(shop, "stock"), "csrf_token": token},
            )
            assert confirmed.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert returns_kept(app) == 1


def test_a_damaged_items_return_postage_is_asked_on_the_page_and_refunded_up_to_the_cap(
    app, client, shop
):
    from storefront.markets.tables import Channel

    damaged = answers(shop, "drop", reason="damaged", return_postage="12,50")
    with shop["at"](3):
        assert 'name="return_postage"' not in client.get(form_url(shop, "drop")).text  # no cap
        with app.app_context():
            channel = db.session.scalar(select(Channel).where(Channel.code == "eu"))
            channel.return_postage_cap = Decimal("8.00")
            db.session.commit()
        form = client.get(form_url(shop, "drop"), headers=GERMAN).text
        assert 'name="return_postage"' in form and "8,00" in form
        upload = {**damaged, "photos": (io.BytesIO(photo(900, 900)), "dent.jpg")}
        review = client.post(form_url(shop, "drop"), data=upload, headers=GERMAN)
        assert review.status_code == 200, review.text
        # the postage the buyer paid, up to the channel's cap, shown before confirming
        assert re.search(r"<th>[^<]+</th><td>8,00\s*€</td>", review.text), review.text
        carried = re.findall(r'name="photo" value="([^"]+)"', review.text)
        confirmed = client.post(
            form_url(shop, "drop", "/confirm"), data={**damaged, "photo": carried}
        )
        assert confirmed.status_code == 303
        wrong = client.post(
            form_url(shop, "stock"),
            data=answers(shop, "stock", return_postage="a lot"),
            headers=GERMAN,
        )
    with app.app_context():
        kept = db.session.scalars(select(ReturnRequest)).one()
        parts = {part["kind"]: part["amount"] for part in kept.refund_parts}
        assert Decimal(parts["return_postage"]) == Decimal("8.00")
    assert wrong.status_code == 422 and 'data-code="invalid_return_postage"' in wrong.text
