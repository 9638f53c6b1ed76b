"""OEM purchase orders: drafting, the status machine, totals, and receiving into stock."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from channels.money import Money
from storefront.catalog.tables import Variant
from storefront.db import db
from storefront.fulfilment.tables import StockLevel, Supplier, SupplierCost, Warehouse
from storefront.orders.states import InvalidTransition
from storefront.purchasing.operations import (
    PO_TRANSITIONS,
    LineInput,
    PurchasingError,
    create_purchase_order,
    line_total,
    move_purchase_order,
    po_total,
)
from storefront.purchasing.tables import PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatus

FACTORY = "guangzhou-gold"
TO_RECEIVED = ["sent", "confirmed", "in_production", "shipped"]


@pytest.fixture
def catalog(app, make_product, make_supplier):
    """An OEM factory with known costs for two SKUs, a dropship supplier, and a third SKU."""
    make_supplier(FACTORY, "CN", kind="oem")
    make_supplier("shenzhen-silver", "CN", kind="dropship")
    skus = [f"{make_product(name=name).upper()}-0" for name in ("Signet", "Hoops", "Chain")]
    with app.app_context():
        factory = db.session.scalar(select(Supplier).where(Supplier.code == FACTORY))
        for sku, cost in zip(skus[:2], ("12.345", "1.50"), strict=False):
            variant_id = db.session.scalar(select(Variant.id).where(Variant.sku == sku))
            db.session.add(
                SupplierCost(
                    supplier_id=factory.id,
                    variant_id=variant_id,
                    amount=Decimal(cost),
                    currency="USD",
                )
            )
        db.session.commit()
    return skus


def draft(app, lines: dict[str, int], **kwargs) -> int:
    with app.app_context():
        order = create_purchase_order(
            kwargs.pop("supplier", FACTORY),
            [LineInput(sku, quantity) for sku, quantity in lines.items()],
            **kwargs,
        )
        db.session.commit()
        return order.id


def on_hand(app, warehouse: str) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Variant.sku, StockLevel.on_hand)
            .join(Variant, Variant.id == StockLevel.variant_id)
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
            .where(Warehouse.code == warehouse)
        )
        return dict(rows.all())


def status(app, order_id: int) -> str:
    with app.app_context():
        return db.session.get(PurchaseOrder, order_id).status


def move(client, order_id: int, wanted: str, **form):
    return client.post(f"/admin/purchase-orders/{order_id}/status", data={"status": wanted, **form})


def test_staff_run_a_purchase_order_from_draft_to_received_stock(
    app, logged_in, catalog, make_warehouse
):
    signet, _, chain = catalog
    make_warehouse("sz", "CN", {signet: 4})
    client = logged_in("staff")
    new_page = client.get("/admin/purchase-orders/new").get_data(as_text=True)
    assert "Guangzhou Gold" in new_page and "Shenzhen Silver" not in new_page

    created = client.post(
        "/admin/purchase-orders/new",
        data={
            "supplier": FACTORY,
            "currency": "USD",
            "lines-0-sku": signet,
            "lines-0-quantity": "10",
            "lines-1-sku": chain,
            "lines-1-quantity": "3",
            "lines-1-unit_cost": "20.10",
            "lines-2-sku": "",
        },
    )
    assert created.status_code == 303
    detail_url = created.location
    order_id = int(detail_url.rstrip("/").rsplit("/", 1)[1])
    page = client.get(detail_url).get_data(as_text=True)
    # 10 x 12.345 = 123.45, 3 x 20.10 = 60.30
    assert "$183.75" in page and "draft" in page
    assert "Mark sent to the factory" in page and "Receive into stock" not in page

    for wanted in TO_RECEIVED:
        assert move(client, order_id, wanted).status_code == 303
    page = client.get(detail_url).get_data(as_text=True)
    assert "Receive into stock" in page and "Cancel the order" not in page

    received = move(client, order_id, "received", warehouse="sz")
    assert received.status_code == 303
    assert status(app, order_id) == "received"
    # added to the existing row, and a row created for the SKU the warehouse never held
    assert on_hand(app, "sz") == {signet: 14, chain: 3}
    page = client.get(detail_url).get_data(as_text=True)
    assert 'data-testid="po-actions"' not in page and "received into sz" in page

    again = move(client, order_id, "received", warehouse="sz")
    assert again.status_code == 409
    assert "A purchase order that is received cannot become received." in again.get_data(
        as_text=True
    )
    assert on_hand(app, "sz") == {signet: 14, chain: 3}


def test_receiving_needs_a_warehouse(app, logged_in, catalog):
    order_id = draft(app, {catalog[0]: 5})
    with app.app_context():
        order = db.session.get(PurchaseOrder, order_id)
        for wanted in TO_RECEIVED:
            move_purchase_order(order, wanted)
        db.session.commit()
    response = move(logged_in("owner"), order_id, "received")
    assert response.status_code == 422
    assert "Choose the warehouse that received the goods." in response.get_data(as_text=True)
    assert status(app, order_id) == "shipped"


@pytest.mark.parametrize(
    ("path", "wanted", "message"),
    [
        ([], "received", "A purchase order that is draft cannot become received."),
        ([], "shipped", "A purchase order that is draft cannot become shipped."),
        (
            ["sent", "confirmed", "in_production"],
            "cancelled",
            "A purchase order that is in production cannot become cancelled.",
        ),
        (["cancelled"], "sent", "A purchase order that is cancelled cannot become sent."),
    ],
)
def test_invalid_moves_are_refused_with_a_clear_message(
    app, logged_in, catalog, path, wanted, message
):
    order_id = draft(app, {catalog[0]: 5})
    with app.app_context():
        order = db.session.get(PurchaseOrder, order_id)
        for step in path:
            move_purchase_order(order, step)
        db.session.commit()
        before = order.status
        with pytest.raises(InvalidTransition, match=message):
            move_purchase_order(order, wanted, warehouse_code="sz")
        db.session.rollback()
    response = move(logged_in("staff"), order_id, wanted, warehouse="sz")
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert status(app, order_id) == before


@pytest.mark.parametrize("steps", [[], ["sent"], ["sent", "confirmed"]])
def test_drafts_sent_and_confirmed_orders_can_be_cancelled(app, logged_in, catalog, steps):
    order_id = draft(app, {catalog[0]: 5})
    client = logged_in("staff")
    for step in steps:
        move(client, order_id, step)
    assert move(client, order_id, "cancelled").status_code == 303
    assert status(app, order_id) == "cancelled"


def test_the_transition_table_reaches_received_only_through_every_step():
    path, current = [], "draft"
    while current != "received":
        current = next(s for s in PO_TRANSITIONS[current] if s != "cancelled")
        path.append(current)
    assert path == [*TO_RECEIVED, "received"]
    assert {s for s, nexts in PO_TRANSITIONS.items() if "cancelled" in nexts} == {
        "draft",
        "sent",
        "confirmed",
    }


def test_a_dropship_supplier_gets_no_purchase_order(app, logged_in, catalog):
    with app.app_context(), pytest.raises(PurchasingError) as refused:
        create_purchase_order("shenzhen-silver", [LineInput(catalog[0], 5)])
    assert refused.value.message == (
        "Shenzhen Silver is a dropship supplier: purchase orders go to OEM factories only."
    )
    response = logged_in("staff").post(
        "/admin/purchase-orders/new",
        data={
            "supplier": "shenzhen-silver",
            "currency": "USD",
            "lines-0-sku": catalog[0],
            "lines-0-quantity": "5",
        },
    )
    assert response.status_code == 422
    assert "is a dropship supplier" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PurchaseOrder.id)) is None


def test_a_purchase_order_never_mixes_currencies(app, logged_in, catalog):
    signet, _, chain = catalog
    with app.app_context(), pytest.raises(PurchasingError) as refused:
        create_purchase_order(
            FACTORY, [LineInput(signet, 5), LineInput(chain, 2, Money("9.00", "EUR"))]
        )
    assert refused.value.message == (
        f"This purchase order is in USD but {chain} costs 9.00 EUR: "
        "one purchase order never mixes currencies."
    )
    # on the page: an order in EUR cannot take the factory's USD cost for the signet
    response = logged_in("staff").post(
        "/admin/purchase-orders/new",
        data={
            "supplier": FACTORY,
            "currency": "EUR",
            "lines-0-sku": chain,
            "lines-0-quantity": "2",
            "lines-0-unit_cost": "9.00",
            "lines-1-sku": signet,
            "lines-1-quantity": "5",
        },
    )
    assert response.status_code == 422
    assert f"This purchase order is in EUR but {signet} costs 12.345 USD" in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(PurchaseOrder.id)) is None


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "A purchase order needs at least one line."),
        ([LineInput("NOPE-1", 1)], "Unknown SKU NOPE-1."),
        ([LineInput("{chain}", 1)], "Guangzhou Gold has no cost for {chain}: enter the unit cost."),
        ([LineInput("{signet}", 0)], "The quantity of {signet} must be between 1 and"),
        ([LineInput("{signet}", 1), LineInput("{signet}", 2)], "Each SKU may appear once"),
        ([LineInput("{chain}", 1, Money("0.0001", "USD"))], "must be above 0, with at most 3"),
    ],
)
def test_incomplete_lines_are_refused(app, catalog, lines, message):
    names = {"signet": catalog[0], "chain": catalog[2]}
    lines = [LineInput(ln.sku.format(**names), ln.quantity, ln.unit_cost) for ln in lines]
    with app.app_context(), pytest.raises(PurchasingError, match=message.format(**names)):
        create_purchase_order(FACTORY, lines)


def test_totals_round_each_line_then_add_up(app, catalog):
    signet, hoops, _ = catalog
    order_id = draft(app, {signet: 3, hoops: 2})
    with app.app_context():
        order = db.session.get(PurchaseOrder, order_id)
        # 3 x 12.345 = 37.035 -> 37.04 half-up; 2 x 1.50 = 3.00
        assert [line_total(line) for line in order.lines] == [
            Money("37.04", "USD"),
            Money("3.00", "USD"),
        ]
        assert po_total(order) == Money("40.04", "USD")


def test_the_list_filters_by_status(app, logged_in, catalog):
    first = draft(app, {catalog[0]: 1})
    second = draft(app, {catalog[1]: 1})
    with app.app_context():
        move_purchase_order(db.session.get(PurchaseOrder, second), "sent")
        numbers = {i: db.session.get(PurchaseOrder, i).number for i in (first, second)}
        db.session.commit()
    client = logged_in("staff")
    everything = client.get("/admin/purchase-orders/").get_data(as_text=True)
    assert numbers[first] in everything and numbers[second] in everything
    sent = client.get("/admin/purchase-orders/?status=sent").get_data(as_text=True)
    assert numbers[second] in sent and numbers[first] not in sent
    assert "$12.35" in everything  # 1 x 12.345, half-up


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_agents_and_suppliers_cannot_reach_purchase_orders(app, logged_in, catalog, role):
    order_id = draft(app, {catalog[0]: 1})
    client = logged_in(role)
    for response in (
        client.get("/admin/purchase-orders/"),
        client.get("/admin/purchase-orders/new"),
        client.get(f"/admin/purchase-orders/{order_id}"),
        move(client, order_id, "sent"),
    ):
        assert response.status_code == 403
    assert status(app, order_id) == "draft"


def test_anonymous_visitors_are_sent_to_login(app, client, catalog):
    order_id = draft(app, {catalog[0]: 1})
    for response in (client.get("/admin/purchase-orders/"), move(client, order_id, "sent")):
        assert response.status_code == 302 and "/login" in response.location


def test_status_buttons_need_the_csrf_token(app, logged_in, catalog, monkeypatch):
    order_id = draft(app, {catalog[0]: 1})
    client = logged_in("staff")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert move(client, order_id, "sent").status_code == 400
    assert status(app, order_id) == "draft"


costs = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("99999"), places=3)
currencies = st.sampled_from(["USD", "JPY", "KWD", "EUR"])


@given(currencies, st.lists(st.tuples(st.integers(1, 10_000), costs), min_size=1, max_size=8))
def test_a_total_is_its_rounded_lines_and_stays_near_the_exact_sum(currency, rows):
    order = PurchaseOrder(currency=currency)
    for quantity, cost in rows:
        order.lines.append(
            PurchaseOrderLine(quantity=quantity, unit_cost_amount=cost, currency=currency)
        )
    total = po_total(order)
    exact = sum(Money(cost, currency) * quantity for quantity, cost in rows)
    minor = Money.from_minor_units(1, currency, stripe=False).amount
    assert total.currency == currency and total.is_rounded
    assert total == sum(line_total(line) for line in order.lines)
    # each line rounds by at most half a minor unit
    assert abs(total.amount - exact.amount) <= minor / 2 * len(rows)


@pytest.mark.parametrize("wanted", ["bogus", "Sent", "SENT"])
def test_a_status_that_names_no_member_is_refused_like_any_illegal_move(
    app, logged_in, catalog, wanted
):
    order_id = draft(app, {catalog[0]: 5})
    message = f"A purchase order that is draft cannot become {wanted}."
    with app.app_context():
        order = db.session.get(PurchaseOrder, order_id)
        with pytest.raises(InvalidTransition, match=message):
            move_purchase_order(order, wanted)
        db.session.rollback()
        move_purchase_order(order, "sent")  # a string that names a member is taken as it
        assert order.status is PurchaseOrderStatus.SENT
        db.session.rollback()
    response = move(logged_in("staff"), order_id, wanted)
    assert response.status_code == 409
    assert message in response.get_data(as_text=True)
    assert status(app, order_id) == "draft"
