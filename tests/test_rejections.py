"""A shipper's rejection is never left hanging: the group goes to another shipper that can
ship it at the price paid, or its share of the order goes back to the buyer's card."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from orders_helpers import load, place
from storefront.db import db
from storefront.fulfilment.tables import Supplier, SupplierCost
from storefront.orders.tables import GroupStatusChange, Order, OrderGroup
from storefront.webhooks.tables import OutboxEvent
from test_after_payment import api_key, groups_by_model
from test_payments import (  # noqa: F401 (fixtures)
    _payments_app,
    _start,
    buyer,
    localstripe,
    pay_app,
)


def supplies(app, supplier: str, sku: str, cost: str = "9.00") -> None:
    from storefront.catalog.tables import Variant

    with app.app_context():
        db.session.add(
            SupplierCost(
                supplier_id=db.session.scalar(select(Supplier.id).where(Supplier.code == supplier)),
                variant_id=db.session.scalar(select(Variant.id).where(Variant.sku == sku)),
                amount=Decimal(cost),
                currency="USD",
            )
        )
        db.session.commit()


def test_a_rejected_group_goes_to_another_supplier_at_the_price_paid(
    app, client, make_user, make_supplier, four_models, smtp_server
):
    drop = four_models["drop"]
    make_supplier("guangzhou-gold", "CN", lead_min=4, lead_max=6)
    supplies(app, "guangzhou-gold", drop)
    order_id = place(app, {drop: 2}, "reroute", paid=True)
    with app.app_context():
        load(order_id).email = "buyer@example.com"
        db.session.commit()
        number = load(order_id).number
        paid_before = [(ln.sku, ln.unit_amount) for ln in load(order_id).lines]
    group_id = groups_by_model(app, number)["oem_dropship"]
    supplier_api = api_key(app, make_user, "ops@shenzhen.example", "supplier")

    answer = client.post(
        f"/api/v1/supplier/groups/{group_id}/reject",
        json={"reason": "out of stock until March"},
        headers=supplier_api,
    )
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["rerouted"] is True and body["refund"] is None
    assert (body["shipper"], body["status"]) == ("supplier:guangzhou-gold", "awaiting_shipper")
    with app.app_context():
        group = db.session.get(OrderGroup, group_id)
        assert group.model_settings == {"supplier": "guangzhou-gold"}
        assert [(ln.sku, ln.unit_amount) for ln in load(order_id).lines] == paid_before
        assert load(order_id).status == "paid"
        sent = db.session.scalars(
            select(OutboxEvent.target).where(OutboxEvent.event_type == "order_group.created")
        ).all()
        assert sent == ["supplier:shenzhen-silver", "supplier:guangzhou-gold"]
        notes = db.session.scalars(
            select(GroupStatusChange.note).where(GroupStatusChange.group_id == group_id)
        ).all()
        assert any("out of stock until March" in note for note in notes)
        assert any("re-routed from supplier:shenzhen-silver" in note for note in notes)
    # the first supplier no longer sees it; the new one does, and can accept it
    again = client.post(f"/api/v1/supplier/groups/{group_id}/accept", headers=supplier_api)
    assert again.status_code == 404
    other_api = api_key(app, make_user, "ops@guangzhou.example", "supplier")
    with app.app_context():
        from storefront.accounts.tables import User
        from storefront.webhooks.tables import SupplierAccount

        user = db.session.scalar(select(User).where(User.email == "ops@guangzhou.example"))
        account = db.session.scalar(
            select(SupplierAccount).where(SupplierAccount.user_id == user.id)
        )
        account.supplier_id = db.session.scalar(
            select(Supplier.id).where(Supplier.code == "guangzhou-gold")
        )
        db.session.commit()
    accepted = client.post(f"/api/v1/supplier/groups/{group_id}/accept", headers=other_api)
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "ready_to_ship"
    # the new supplier's people were told of the work; the buyer that a part moved
    with app.app_context():
        from storefront.mail.tables import MailMessage

        kinds = dict(db.session.execute(select(MailMessage.kind, MailMessage.to_address)).all())
    assert kinds["group_rerouted"] == "buyer@example.com"


def test_the_new_supplier_is_mailed_the_work_with_where_it_goes(
    app, client, make_user, make_supplier, four_models, smtp_server
):
    drop = four_models["drop"]
    make_supplier("guangzhou-gold", "CN", lead_min=4, lead_max=6)
    supplies(app, "guangzhou-gold", drop)
    make_user(email="ops@guangzhou.example", role="supplier")
    with app.app_context():
        from storefront.accounts.tables import User
        from storefront.webhooks.operations import grant_supplier_access

        grant_supplier_access(
            db.session.scalar(select(User).where(User.email == "ops@guangzhou.example")),
            "guangzhou-gold",
        )
        db.session.commit()
    supplier_api = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    order_id = place(app, {drop: 1}, "reroute-mail", paid=True)
    with app.app_context():
        group_id = load(order_id).groups[0].id
    client.post(
        f"/api/v1/supplier/groups/{group_id}/reject",
        json={"reason": "no capacity"},
        headers=supplier_api,
    )
    app.test_cli_runner().invoke(args=["worker", "--once", "--only", "mail.send"])
    [work] = smtp_server.to("ops@guangzhou.example")
    assert drop in work.part("plain") and "/supplier" in work.part("plain")
    # the supplier that turned it down got the first notice only
    assert len(smtp_server.to("ops@shenzhen.example")) <= 1


def test_a_rejected_group_no_one_else_can_ship_is_refunded_to_the_card(
    smtp_server,
    app,
    pay_app,  # noqa: F811
    client,
    make_user,
    four_models,
    buyer,  # noqa: F811
):
    drop, stock = four_models["drop"], four_models["stock"]
    order_id = place(app, {drop: 1, stock: 1}, "refund-share")
    with app.app_context():
        load(order_id).email = "buyer@example.com"
        db.session.commit()
    _answer, payment = _start(pay_app, order_id)
    buyer.pays(payment.intent_id)
    with pay_app.app_context():
        from storefront.payments import operations as payments

        assert payments.confirm_from_stripe(load(order_id)) is True
        db.session.commit()
        order = load(order_id)
        number, total = order.number, order.total_amount
        drop_group = next(g for g in order.groups if g.selling_model == "oem_dropship")
        share = sum(ln.unit_amount * ln.quantity for ln in drop_group.lines)
        share += drop_group.shipping_amount
        if drop_group.import_collected:
            share += (
                drop_group.import_vat_amount
                + drop_group.import_duty_amount
                + drop_group.import_fees_amount
            )
        group_id = drop_group.id
    supplier_api = api_key(app, make_user, "ops@shenzhen.example", "supplier")

    answer = pay_app.test_client().post(
        f"/api/v1/supplier/groups/{group_id}/reject",
        json={"reason": "mould broke"},
        headers=supplier_api,
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["rerouted"] is False
    refund = answer.get_json()["refund"]
    assert Decimal(refund["amount"]) == share.quantize(Decimal("0.01"))
    assert buyer.refunded(payment.intent_id) == [int(share * 100)]
    with pay_app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        group = db.session.get(OrderGroup, group_id)
        assert (group.status, group.refund_state) == ("rejected", "refunded")
        assert order.status == "partially_refunded"
        assert share < total
        # the stock group still ships: the order follows it
        stock_group = next(g for g in order.groups if g.selling_model == "wholesale_retail")
        assert stock_group.status == "picking"
        from storefront.mail.tables import MailMessage

        kinds = db.session.scalars(select(MailMessage.kind).order_by(MailMessage.id)).all()
    # one mail says which part is refunded and why; no second, bare refund mail
    assert "group_refunded" in kinds and "refund_issued" not in kinds


def test_a_refund_left_owed_by_a_crash_is_given_by_the_worker(
    app,
    pay_app,  # noqa: F811
    make_user,
    four_models,
    buyer,  # noqa: F811
):
    from storefront.delivery import operations as delivery
    from storefront.delivery.operations import Actor
    from storefront.payments import operations as payments

    order_id = place(app, {four_models["drop"]: 1}, "owed")
    _answer, payment = _start(pay_app, order_id)
    buyer.pays(payment.intent_id)
    with pay_app.app_context():
        assert payments.confirm_from_stripe(load(order_id)) is True
        db.session.commit()
        group = load(order_id).groups[0]
        # the rejection is committed, then the process dies before Stripe is asked
        rejection = delivery.reject(group, Actor("supplier:shenzhen-silver"), "kiln broke")
        db.session.commit()
        share = rejection.refund
        assert db.session.get(OrderGroup, group.id).refund_state == "owed"
    assert buyer.refunded(payment.intent_id) == []

    result = pay_app.test_cli_runner().invoke(
        args=["worker", "--once", "--only", "delivery.refund_owed"]
    )
    assert result.exit_code == 0, result.output
    assert buyer.refunded(payment.intent_id) == [share.to_minor_units(stripe=True)]
    with pay_app.app_context():
        assert db.session.scalar(select(OrderGroup.refund_state)) == "refunded"
        assert load(order_id).status == "refunded"  # the whole order was that group
