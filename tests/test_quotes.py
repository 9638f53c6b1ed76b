"""Quotes with Incoterms (issue 17): drafted, revised and sent by staff through the admin
API, accepted by the trade buyer into ONE order at the quoted prices and terms."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

import quotes_helpers
from quotes_helpers import fob_body, in_days
from storefront import clock
from storefront.db import db
from storefront.fulfilment.tables import StockLevel
from storefront.mail.tables import MailMessage
from storefront.orders.tables import Order, OrderLine
from storefront.quotes.tables import Quote, QuoteVersion

trade_shop = quotes_helpers.trade_shop  # the fixture, used here by name


def _create(client, shop, **overrides):
    return client.post(
        "/api/v1/admin/quotes", json=fob_body(shop["sku"], **overrides), headers=shop["staff"]
    )


def _send(client, shop, quote_id):
    answer = client.post(f"/api/v1/admin/quotes/{quote_id}/send", headers=shop["staff"])
    assert answer.status_code == 200, answer.json
    return answer


def test_fob_shenzhen_with_deposit_revised_then_v2_accepted_into_one_order(client, app, trade_shop):
    shop = trade_shop
    created = _create(client, shop)
    assert created.status_code == 201, created.json
    quote = created.json
    assert quote["number"] == f"Q-{clock.today().year}-0001"
    assert quote["status"] == "draft"
    v1 = quote["current"]
    assert v1["lines"][0]["unit_price"] == {"amount": "18.50", "currency": "EUR"}
    assert v1["lines"][0]["override_reason"] == "200 pcs deal"
    assert v1["freight"] is None and v1["insurance"] is None  # FOB: the buyer's carriage
    assert v1["totals"]["total"] == {"amount": "3700.00", "currency": "EUR"}
    assert v1["company"]["legal_name"] == "Boutique Schmidt GmbH"
    assert v1["shipments"][0]["ship_from"] == "CN"
    assert v1["shipments"][0]["eta"]["min_days"] > 0
    _send(client, shop, quote["id"])

    revised = client.patch(
        f"/api/v1/admin/quotes/{quote['id']}",
        json=fob_body(
            shop["sku"],
            lines=[
                {
                    "sku": shop["sku"],
                    "quantity": 250,
                    "unit_price": "17.90",
                    "reason": "250 pcs, repeat order",
                }
            ],
        ),
        headers=shop["staff"],
    )
    assert revised.status_code == 200, revised.json
    assert revised.json["current_version"] == 2
    assert [v["totals"]["total"]["amount"] for v in revised.json["versions"]] == [
        "3700.00",
        "4475.00",
    ]

    # the buyer read v1: it was replaced
    stale = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={"version": 1}, headers=shop["buyer_key"]
    )
    assert stale.status_code == 409
    assert stale.json["error"]["code"] == "version_superseded"
    assert "version 2" in stale.json["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0

    accepted = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={"version": 2}, headers=shop["buyer_key"]
    )
    assert accepted.status_code == 201, accepted.json
    placed = accepted.json["order"]
    assert placed["incoterm"] == "FOB" and placed["incoterm_place"] == "Shenzhen"
    assert placed["payment_terms"] == "deposit:30"
    assert placed["total"] == {"amount": "4475.00", "currency": "EUR"}

    again = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={"version": 2}, headers=shop["buyer_key"]
    )
    assert again.status_code == 200
    assert again.json["order"]["number"] == placed["number"]

    with app.app_context():
        order = db.session.scalar(select(Order))
        assert db.session.scalar(select(func.count(Order.id))) == 1
        assert order.customer_id == shop["buyer_id"] and order.wholesale
        line = db.session.scalar(select(OrderLine))
        assert (line.quantity, line.unit_amount, line.price_source) == (
            250,
            Decimal("17.900"),
            "quote",
        )
        (group,) = order.groups
        assert group.shipping_amount == 0  # FOB: no main carriage in the price
        assert not group.import_collected  # the buyer clears and pays the import charges
        assert group.import_due_on_delivery_amount > 0
        assert order.total_amount == Decimal("4475.00")
        level = db.session.scalar(select(StockLevel))
        assert level.reserved == 250  # held on acceptance, not before
        stored = db.session.scalar(select(Quote))
        assert (stored.status, stored.accepted_version, stored.accepted_via) == (
            "accepted",
            2,
            "api_key",
        )
        assert stored.accepted_ip == "127.0.0.1" and stored.accepted_at is not None
        assert db.session.scalar(select(func.count(QuoteVersion.id))) == 2
        kinds = [m.kind for m in db.session.scalars(select(MailMessage))]
        assert "quote_sent" in kinds and "order_placed" in kinds

    after = client.get(f"/api/v1/admin/quotes/{quote['id']}", headers=shop["staff"])
    assert after.json["status"] == "accepted"
    assert after.json["acceptance"]["order"] == placed["number"]
    refused = client.patch(
        f"/api/v1/admin/quotes/{quote['id']}", json=fob_body(shop["sku"]), headers=shop["staff"]
    )
    assert refused.status_code == 409


def test_stock_is_not_held_by_a_quote_before_acceptance(client, app, trade_shop):
    quote = _create(client, trade_shop).json
    _send(client, trade_shop, quote["id"])
    with app.app_context():
        assert db.session.scalar(select(StockLevel)).reserved == 0


def test_ddp_berlin_order_collects_the_import_charges(client, app, trade_shop):
    shop = trade_shop
    body = fob_body(
        shop["sku"], incoterm="DDP", place="Berlin", freight="320.00", payment_terms="net30"
    )
    created = _create(client, shop, **{k: v for k, v in body.items() if k != "company"})
    assert created.status_code == 201, created.json
    v1 = created.json["current"]
    charges = Decimal(v1["totals"]["import_charges"]["amount"])
    assert charges > 0  # EU import VAT on goods worth 3,700 EUR from China
    assert (
        Decimal(v1["totals"]["total"]["amount"]) == Decimal("3700.00") + Decimal("320.00") + charges
    )
    _send(client, shop, created.json["id"])
    accepted = client.post(
        f"/api/v1/quotes/{created.json['id']}/accept", json={}, headers=shop["buyer_key"]
    )
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["order"]["total"] == v1["totals"]["total"]
    with app.app_context():
        order = db.session.scalar(select(Order))
        (group,) = order.groups
        assert group.import_collected  # the shop owes them under DDP
        assert group.import_due_on_delivery_amount == 0
        assert (
            group.import_vat_amount + group.import_duty_amount + group.import_fees_amount == charges
        )
        assert group.shipping_amount == Decimal("320.00")
        assert group.shipping_method == "DDP Berlin"
        assert (order.incoterm, order.incoterm_place, order.payment_terms) == (
            "DDP",
            "Berlin",
            "net30",
        )


def test_cif_needs_freight_and_insurance_and_fob_refuses_them(client, app, trade_shop):
    shop = trade_shop
    cases = [
        ({"incoterm": "CIF", "place": "Hamburg"}, "freight", "freight_required"),
        (
            {"incoterm": "CIF", "place": "Hamburg", "freight": "300"},
            "insurance",
            "insurance_required",
        ),
        ({"freight": "300"}, "freight", "freight_not_included"),
        (
            {"incoterm": "CFR", "place": "Hamburg", "freight": "300", "insurance": "20"},
            "insurance",
            "insurance_not_included",
        ),
        ({"incoterm": "XYZ"}, "incoterm", "invalid_incoterm"),
        ({"payment_terms": "deposit:0"}, "payment_terms", "invalid_payment_terms"),
        ({"payment_terms": "net45"}, "payment_terms", "invalid_payment_terms"),
        ({"valid_until": "2000-01-01"}, "valid_until", "invalid_valid_until"),
        (
            {"lines": [{"sku": shop["sku"], "quantity": 10, "unit_price": "18.00"}]},
            "lines[0].reason",
            "override_reason_required",
        ),
        (
            {
                "lines": [
                    {"sku": shop["sku"], "quantity": 10, "unit_price": "18.001", "reason": "x"}
                ]
            },
            "lines[0].unit_price",
            "invalid_amount",
        ),
        ({"lines": [{"sku": "NOPE-0", "quantity": 10}]}, "lines[0].sku", "unknown_sku"),
        ({"company": "nobody@example.com"}, "company", "unknown_company"),
    ]
    for overrides, field, code in cases:
        answer = _create(client, shop, **overrides)
        assert answer.status_code == 422, (overrides, answer.json)
        assert (answer.json["error"]["field"], answer.json["error"]["code"]) == (field, code)
    ok = _create(client, shop, incoterm="CIF", place="Hamburg", freight="300", insurance="41.10")
    assert ok.status_code == 201, ok.json
    assert ok.json["current"]["totals"]["total"]["amount"] == "4041.10"
    with app.app_context():  # nothing half-saved by the refusals
        assert db.session.scalar(select(func.count(Quote.id))) == 1
        assert db.session.scalar(select(func.count(QuoteVersion.id))) == 1


def test_a_refused_revision_leaves_the_quote_as_it_was(client, app, trade_shop):
    quote = _create(client, trade_shop).json
    bad = client.patch(
        f"/api/v1/admin/quotes/{quote['id']}",
        json=fob_body(trade_shop["sku"], incoterm="DAP", place="Berlin"),
        headers=trade_shop["staff"],
    )
    assert bad.status_code == 422 and bad.json["error"]["field"] == "freight"
    with app.app_context():
        stored = db.session.scalar(select(Quote))
        assert stored.current_version == 1
        assert db.session.scalar(select(func.count(QuoteVersion.id))) == 1


def test_the_tier_price_is_quoted_without_an_override(client, app, trade_shop):
    answer = _create(client, trade_shop, lines=[{"sku": trade_shop["sku"], "quantity": 3}])
    assert answer.status_code == 201, answer.json
    line = answer.json["current"]["lines"][0]
    assert line["override_reason"] is None
    assert line["unit_price"] == line["list_price"]


def test_an_expired_quote_cannot_be_accepted(client, app, trade_shop):
    quote = _create(client, trade_shop, valid_until=in_days(3)).json
    _send(client, trade_shop, quote["id"])
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=4)
    with clock.frozen(later):
        answer = client.post(
            f"/api/v1/quotes/{quote['id']}/accept", json={}, headers=trade_shop["buyer_key"]
        )
        shown = client.get(f"/api/v1/admin/quotes/{quote['id']}", headers=trade_shop["staff"])
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "quote_expired"
    assert "expired" in answer.json["error"]["message"]
    assert shown.json["status"] == "expired"
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0
        assert db.session.scalar(select(StockLevel)).reserved == 0


def test_a_draft_is_not_accepted_and_another_buyer_sees_nothing(client, app, trade_shop, make_user):
    quote = _create(client, trade_shop).json
    draft = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={}, headers=trade_shop["buyer_key"]
    )
    assert draft.status_code == 409 and draft.json["error"]["code"] == "quote_not_sent"
    _send(client, trade_shop, quote["id"])
    with app.app_context():
        from storefront.accounts.api_keys import issue_api_key
        from storefront.accounts.tables import User

        other = db.session.scalar(select(User).where(User.email == "staff@example.com"))
        _k, raw = issue_api_key(other)
        db.session.commit()
    stranger = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert stranger.status_code == 404
    anonymous = client.post(f"/api/v1/quotes/{quote['id']}/accept", json={})
    assert anonymous.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0


def test_two_acceptances_at_once_give_one_order(client, app, trade_shop, is_postgres):
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    quote = _create(client, trade_shop).json
    _send(client, trade_shop, quote["id"])
    start = threading.Barrier(2, timeout=30)
    statuses: list[int] = []
    lock = threading.Lock()

    def accept():
        start.wait()
        answer = app.test_client().post(
            f"/api/v1/quotes/{quote['id']}/accept", json={}, headers=trade_shop["buyer_key"]
        )
        with lock:
            statuses.append(answer.status_code)

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 201]
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 1
        assert db.session.scalar(select(StockLevel)).reserved == 200
