"""The quote pages: the trade buyer's page (signed in, or by the mail's link), Accept, the
proforma download; asking for a quote from the cart; the back office's list and form."""

from __future__ import annotations

import re

from sqlalchemy import func, select

import quotes_helpers
from quotes_helpers import fob_body, in_days
from storefront.db import db
from storefront.mail.tables import MailMessage
from storefront.orders.tables import Order
from storefront.quotes.tables import Quote

trade_shop = quotes_helpers.trade_shop  # the fixture, used here by name


def _sent_quote(client, shop, **overrides) -> tuple[int, str]:
    """A quote sent to the buyer: its id and the link in the mail."""
    quote = client.post(
        "/api/v1/admin/quotes", json=fob_body(shop["sku"], **overrides), headers=shop["staff"]
    ).json
    client.post(f"/api/v1/admin/quotes/{quote['id']}/send", headers=shop["staff"])
    mail = db.session.scalar(select(MailMessage).where(MailMessage.kind == "quote_sent"))
    link = re.search(r"https?://\S+/quotes/\d+\?key=\S+", mail.text_body).group(0)
    return quote["id"], link.split("://", 1)[1].split("/", 1)[1]


def test_the_mail_link_opens_the_page_and_accepts(client, app, trade_shop):
    with app.app_context():
        quote_id, path = _sent_quote(client, trade_shop, locale="de")
    page = client.get("/" + path, headers={"Accept-Language": "de"})
    assert page.status_code == 200
    assert "Angebot" in page.text and "FOB Shenzhen" in page.text
    assert "Version 1 annehmen und bestellen" in page.text
    assert client.get(f"/quotes/{quote_id}").status_code == 404  # without the key: nothing
    assert client.get(f"/quotes/{quote_id}?key=forged").status_code == 404
    key = path.split("key=", 1)[1]
    pdf = client.get(f"/quotes/{quote_id}/proforma.pdf?key={key}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    accepted = client.post(f"/quotes/{quote_id}/accept", data={"version": "1", "key": key})
    assert accepted.status_code == 303
    after = client.get(accepted.headers["Location"], headers={"Accept-Language": "de"})
    assert "Version 1" in after.text and "angenommen" in after.text
    with app.app_context():
        quote = db.session.scalar(select(Quote))
        assert (quote.status, quote.accepted_via) == ("accepted", "link")
        assert db.session.scalar(select(func.count(Order.id))) == 1


def test_the_signed_in_buyer_accepts_on_the_page_by_session(client, app, trade_shop):
    with app.app_context():
        quote_id, _path = _sent_quote(client, trade_shop, valid_until=in_days(0))
    client.post(
        "/account/sign-in",
        data={"email": "buyer@boutique.example", "password": "correct horse battery"},
    )
    page = client.get(f"/quotes/{quote_id}")
    assert page.status_code == 200 and 'name="version" value="1"' in page.text
    accepted = client.post(f"/quotes/{quote_id}/accept", data={"version": "1"})
    assert accepted.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Quote)).accepted_via == "session"


def test_a_trade_buyer_asks_for_a_quote_from_the_cart(client, app, trade_shop):
    client.post(
        "/account/sign-in",
        data={"email": "buyer@boutique.example", "password": "correct horse battery"},
    )
    client.get("/preferences?country=DE&next=/")
    assert (
        client.post("/cart/add", data={"sku": trade_shop["sku"], "quantity": "12"}).status_code
        == 303
    )
    cart = client.get("/cart")
    assert 'data-testid="request-quote"' in cart.text
    asked = client.post("/quotes/request")
    assert asked.status_code == 303
    with app.app_context():
        quote = db.session.scalar(select(Quote))
        assert quote.requested_from_cart and quote.status == "draft"
        assert quote.current.lines[0]["quantity"] == 12
        assert quote.buyer.email == "buyer@boutique.example"
    page = client.get(asked.headers["Location"])
    assert page.status_code == 200 and "has not been sent to you yet" in page.text


def test_a_retail_cart_has_no_quote_button(client, app, trade_shop):
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": trade_shop["sku"]})
    assert 'data-testid="request-quote"' not in client.get("/cart").text
    assert client.post("/quotes/request").status_code == 403


def test_staff_draft_revise_and_send_in_the_back_office(client, app, trade_shop):
    client.post("/login", data={"email": "staff@example.com", "password": "correct horse battery"})
    form = {
        "company": "buyer@boutique.example",
        "channel": "eu",
        "country": "DE",
        "locale": "de",
        "lines": f"{trade_shop['sku']} 100 18.00 launch price",
        "incoterm": "DAP",
        "place": "Berlin",
        "freight": "",
        "valid_until": in_days(20),
        "payment_terms": "net30",
    }
    refused = client.post("/admin/quotes/new", data=form)
    assert refused.status_code == 422 and "DAP includes the main carriage" in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Quote.id))) == 0
    created = client.post("/admin/quotes/new", data={**form, "freight": "150.00"})
    assert created.status_code == 303
    page = client.get(created.headers["Location"])
    assert "v1" in page.text and "proforma PDF" in page.text
    quote_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    revised = client.post(
        f"/admin/quotes/{quote_id}",
        data={**form, "freight": "120.00", "lines": f"{trade_shop['sku']} 100"},
    )
    assert revised.status_code == 303
    sent = client.post(f"/admin/quotes/{quote_id}/send")
    assert sent.status_code == 303
    listing = client.get("/admin/quotes")
    assert "sent" in listing.text and "v2" in listing.text and "DAP Berlin" in listing.text
    pdf = client.get(f"/admin/quotes/{quote_id}/v1/proforma.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    with app.app_context():
        quote = db.session.get(Quote, quote_id)
        assert [v.freight_amount for v in quote.versions] == [150, 120]
        assert quote.versions[0].lines[0]["reason"] == "launch price"
        assert quote.versions[1].lines[0]["reason"] == ""


def test_buyers_cannot_open_the_back_office_quotes(client, app, trade_shop):
    client.post(
        "/account/sign-in",
        data={"email": "buyer@boutique.example", "password": "correct horse battery"},
    )
    assert client.get("/admin/quotes").status_code in (302, 403)
