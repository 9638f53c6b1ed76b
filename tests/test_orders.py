"""Orders across the four selling models: groups, stock, payment, switching, expiry."""

import datetime

import pytest
from sqlalchemy import func, select

from orders_helpers import load, place, priced_cart
from storefront.cart import groups as grouping
from storefront.catalog.operations import switch_selling_model
from storefront.catalog.tables import Product
from storefront.db import db
from storefront.dispatch import operations as dispatch
from storefront.fulfilment.tables import PickTask, StockLevel
from storefront.orders import operations
from storefront.orders.states import InvalidTransition, move_group
from storefront.orders.tables import Order, OrderGroup
from storefront.production.tables import ProductionOrder
from storefront.webhooks.tables import OutboxEvent


def stock(app, sku: str, warehouse: str) -> tuple[int, int]:
    from storefront.catalog.tables import Variant
    from storefront.fulfilment.tables import Warehouse

    with app.app_context():
        row = db.session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
            .join(Warehouse)
            .join(Variant, Variant.id == StockLevel.variant_id)
            .where(Variant.sku == sku, Warehouse.code == warehouse)
        ).one()
        return tuple(row)


def test_a_cart_with_all_four_models_splits_into_four_groups(app, four_models):
    with app.app_context():
        priced = priced_cart("eu", "DE", {sku: 1 for sku in four_models.values()})
        groups = {g.selling_model: g for g in grouping.fulfilment_groups(priced)}
    assert set(groups) == {"wholesale_retail", "self_produced", "agent_operated", "oem_dropship"}
    stock_group, made, agent, drop = (
        groups[m] for m in ("wholesale_retail", "self_produced", "agent_operated", "oem_dropship")
    )
    # the local warehouse serves Germany: pick 1-2 days + domestic 1-3
    assert (stock_group.shipper, stock_group.ship_from) == ("warehouse:berlin", "DE")
    assert (stock_group.eta.min_days, stock_group.eta.max_days) == (2, 5)
    # made to order in Portugal: production 5-10 + EU transit 2-5
    assert (made.shipper, made.ship_from, made.eta.min_days, made.eta.max_days) == (
        "maker:atelier",
        "PT",
        7,
        15,
    )
    assert (agent.shipper, agent.ship_from, agent.eta.min_days, agent.eta.max_days) == (
        "agent:milano-agency",
        "IT",
        3,
        7,
    )
    # the supplier's country is the origin: international transit from China
    assert (drop.shipper, drop.ship_from, drop.eta.min_days, drop.eta.max_days) == (
        "supplier:shenzhen-silver",
        "CN",
        9,
        17,
    )


def test_the_cart_page_shows_each_group_with_its_eta(client, four_models):
    client.get("/preferences?country=DE")
    for sku in four_models.values():
        client.post("/cart/add", data={"sku": sku, "quantity": "1"})
    page = client.get("/cart").get_data(as_text=True)
    assert page.count('data-testid="group"') == 4
    assert "Ships from Portugal" in page and "arrives in 7–15 days" in page
    assert "Ships from China" in page and "arrives in 9–17 days" in page


def test_placing_an_order_keeps_models_prices_and_holds_stock(app, four_models):
    order_id = place(app, {four_models["stock"]: 2, four_models["drop"]: 1}, "key-1")
    with app.app_context():
        order = load(order_id)
        assert order.status == "pending_payment" and order.currency == "EUR"
        groups = {g.selling_model: g for g in order.groups}
        assert groups["oem_dropship"].model_settings == {"supplier": "shenzhen-silver"}
        assert all(g.status == "awaiting_payment" for g in order.groups)
        line = groups["wholesale_retail"].lines[0]
        assert (str(line.unit_amount), line.currency, line.price_source) == (
            "39.990",
            "EUR",
            "converted",
        )
        assert str(order.subtotal_amount) == "119.970"  # 2 x 39.99 + 39.99
    assert stock(app, four_models["stock"], "berlin") == (3, 2)


def test_payment_starts_each_models_own_fulfilment(app, four_models):
    order_id = place(app, {sku: 1 for sku in four_models.values()}, "key-2", paid=True)
    with app.app_context():
        order = load(order_id)
        assert order.status == "paid"
        status = {g.selling_model: g.status for g in order.groups}
        assert status == {
            "wholesale_retail": "picking",
            "self_produced": "in_production",
            "agent_operated": "awaiting_shipper",
            "oem_dropship": "awaiting_shipper",
        }
        groups = {g.selling_model: g for g in order.groups}
        assert db.session.scalar(select(PickTask.warehouse_code)) == "berlin"
        production = db.session.scalar(select(ProductionOrder))
        assert production.group_id == groups["self_produced"].id
        event = db.session.scalar(select(OutboxEvent))
        assert (event.event_type, event.target) == (
            "order_group.created",
            "supplier:shenzhen-silver",
        )
        assert event.payload["lines"] == [{"sku": four_models["drop"], "quantity": 1}]
    assert stock(app, four_models["stock"], "berlin") == (2, 0)  # taken from the shelf


def test_switching_a_model_leaves_open_orders_as_they_were_sold(app, four_models):
    sku = four_models["stock"]
    first = place(app, {sku: 1}, "key-3")
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == "Stock ring"))
        switch_selling_model(product, "oem_dropship", {"supplier": "shenzhen-silver"}, None)
        db.session.commit()
    second = place(app, {sku: 1}, "key-4")
    with app.app_context():
        assert [g.selling_model for g in load(first).groups] == ["wholesale_retail"]
        assert [g.shipper for g in load(first).groups] == ["warehouse:berlin"]
        assert [g.shipper for g in load(second).groups] == ["supplier:shenzhen-silver"]
        dispatch.mark_paid(load(first))  # the old order still ships from the warehouse
        db.session.commit()
        assert load(first).groups[0].status == "picking"


def test_out_of_stock_is_refused_and_nothing_is_half_saved(app, four_models, make_warehouse):
    sku = four_models["stock"]
    with pytest.raises(operations.CheckoutRefused, match="out of stock"):
        place(app, {sku: 60, four_models["drop"]: 1}, "key-5")
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == 0
        assert db.session.scalar(select(func.count(OrderGroup.id))) == 0
    assert stock(app, sku, "berlin") == (3, 0) and stock(app, sku, "sz") == (50, 0)


def test_the_far_warehouse_ships_when_the_near_one_runs_short(app, four_models):
    order_id = place(app, {four_models["stock"]: 10}, "key-6")
    with app.app_context():
        assert load(order_id).groups[0].shipper == "warehouse:sz"
    assert stock(app, four_models["stock"], "sz") == (50, 10)


def test_the_same_idempotency_key_is_one_order(app, four_models):
    place(app, {four_models["drop"]: 1}, "same-key")
    with app.app_context():
        assert operations.find_by_idempotency_key("same-key") is not None
        assert db.session.scalar(select(func.count(Order.id))) == 1


def test_unpaid_orders_give_their_stock_back_when_the_hold_expires(app, four_models):
    order_id = place(app, {four_models["stock"]: 2}, "key-7")
    with app.app_context():
        later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
        assert dispatch.release_expired(later) == 1
        db.session.commit()
        assert load(order_id).status == "cancelled"
        assert load(order_id).groups[0].status == "cancelled"
    assert stock(app, four_models["stock"], "berlin") == (3, 0)


def test_release_expired_command(app, runner, four_models):
    place(app, {four_models["stock"]: 1}, "key-8")
    app.config["RESERVATION_MINUTES"] = -1
    try:
        place(app, {four_models["stock"]: 1}, "key-9")
    finally:
        app.config["RESERVATION_MINUTES"] = 30
    result = runner.invoke(args=["orders", "release-expired"])
    assert "Cancelled 1 unpaid orders" in result.output


def test_invalid_status_moves_are_refused_with_a_clear_error(app, four_models):
    order_id = place(app, {sku: 1 for sku in four_models.values()}, "key-10", paid=True)
    with app.app_context():
        made = next(g for g in load(order_id).groups if g.selling_model == "self_produced")
        with pytest.raises(InvalidTransition, match="in production cannot become shipped"):
            move_group(made, "shipped")
        with pytest.raises(InvalidTransition, match="paid cannot become paid"):
            dispatch.mark_paid(load(order_id))
        dispatch.cancel_order(load(order_id), "buyer asked")
        db.session.commit()
        assert {g.status for g in load(order_id).groups} == {"cancelled"}
        cancelled = db.session.scalars(
            select(OutboxEvent.event_type).order_by(OutboxEvent.id)
        ).all()
        assert cancelled == ["order_group.created", "order_group.cancelled"]
