"""Order, group and purchase-order statuses are typed values: every status a machine
names is a member of its enum, and a bare string that names none is refused."""

import enum

import pytest
from sqlalchemy import func, select, text

from orders_helpers import load, place
from storefront.db import db
from storefront.dispatch import operations as dispatch
from storefront.orders import states
from storefront.orders.states import (
    GROUP_TRANSITIONS,
    ORDER_TRANSITIONS,
    GroupStatus,
    InvalidTransition,
    OrderStatus,
    move_group,
    move_order,
)
from storefront.orders.tables import GroupStatusChange, Order, OrderGroup
from storefront.purchasing.operations import PO_TRANSITIONS
from storefront.purchasing.tables import PurchaseOrder, PurchaseOrderStatus

MACHINES = [
    (ORDER_TRANSITIONS, OrderStatus),
    (GROUP_TRANSITIONS, GroupStatus),
    (PO_TRANSITIONS, PurchaseOrderStatus),
]


@pytest.mark.parametrize(("table", "status_type"), MACHINES)
def test_every_status_a_machine_names_is_a_member_and_every_member_has_its_moves(
    table, status_type
):
    named = set(table) | {wanted for moves in table.values() for wanted in moves}
    assert all(type(status) is status_type for status in named)
    assert set(table) == set(status_type)


@pytest.mark.parametrize(
    ("column", "first"),
    [
        (Order.status, OrderStatus.PENDING_PAYMENT),
        (OrderGroup.status, GroupStatus.AWAITING_PAYMENT),
        (PurchaseOrder.status, PurchaseOrderStatus.DRAFT),
    ],
)
def test_a_new_row_starts_at_a_member_stored_as_the_same_string(column, first):
    assert column.default.arg is first
    assert column.type.length == 20
    assert isinstance(first, enum.StrEnum) and first == first.value


def test_check_hands_back_the_member_for_a_string_that_names_one():
    moved = states.check(GROUP_TRANSITIONS, "group", "ready_to_ship", "shipped")
    assert moved is GroupStatus.SHIPPED


@pytest.mark.parametrize("wanted", ["bogus", "Shipped", "SHIPPED", " shipped", ""])
def test_check_refuses_a_string_that_names_no_status(wanted):
    with pytest.raises(InvalidTransition) as refused:
        states.check(GROUP_TRANSITIONS, "group", "ready_to_ship", wanted)
    assert str(refused.value) == (
        f"A group that is ready to ship cannot become {wanted.replace('_', ' ')}."
    )


@pytest.mark.parametrize("wanted", ["bogus", "Cancelled", "pending payment"])
def test_moving_a_group_to_a_string_that_names_no_status_changes_and_logs_nothing(
    app, four_models, wanted
):
    order_id = place(app, {four_models["stock"]: 1}, f"key-group-{wanted}", paid=True)
    with app.app_context():
        group = load(order_id).groups[0]
        before = group.status
        logged = db.session.scalar(select(func.count()).select_from(GroupStatusChange))
        with pytest.raises(InvalidTransition, match=f"cannot become {wanted}"):
            move_group(group, wanted)
        assert group.status == before == GroupStatus.PICKING
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(GroupStatusChange)) == logged


def test_moving_an_order_to_a_string_that_names_no_status_is_refused(app, four_models):
    order_id = place(app, {four_models["stock"]: 1}, "key-order-bogus")
    with app.app_context():
        order = load(order_id)
        with pytest.raises(InvalidTransition, match="pending payment cannot become Paid"):
            move_order(order, "Paid")
        assert order.status == OrderStatus.PENDING_PAYMENT
        move_order(order, "paid")  # a bare string that names a member is taken as it
        assert order.status is OrderStatus.PAID


def test_statuses_are_stored_as_the_same_strings_as_before(app, four_models):
    order_id = place(app, {four_models["stock"]: 1}, "key-stored", paid=True)
    with app.app_context():
        dispatch.cancel_order(load(order_id), "buyer asked")
        db.session.commit()
        stored = db.session.execute(
            text("SELECT status FROM shop_order WHERE id = :id"), {"id": order_id}
        ).scalar_one()
        groups = db.session.execute(
            text("SELECT status FROM shop_order_group WHERE order_id = :id"), {"id": order_id}
        ).scalars()
        history = db.session.execute(
            text("SELECT from_status, to_status FROM shop_group_status_change ORDER BY id")
        ).all()
    assert (type(stored), stored) == (str, "cancelled")
    assert list(groups) == ["cancelled"]
    assert [tuple(row) for row in history] == [
        ("awaiting_payment", "picking"),
        ("picking", "cancelled"),
    ]
