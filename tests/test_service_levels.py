"""Supplier service levels: groups not accepted or not shipped in time are flagged, told once."""

from __future__ import annotations

import datetime
import json

import pytest
from sqlalchemy import select

from orders_helpers import load, place
from storefront import clock
from storefront.db import db
from storefront.orders.states import move_group
from storefront.orders.tables import GroupStatusChange, OrderGroup
from storefront.webhooks import service_levels
from storefront.webhooks.service_levels import ACCEPTANCE, DELIVERY, OVERDUE_EVENT, SHIPPING
from storefront.webhooks.tables import OutboxEvent

SUPPLIER = "shenzhen-silver"
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def supplier_group(order_id: int) -> OrderGroup:
    return next(g for g in load(order_id).groups if g.shipper == f"supplier:{SUPPLIER}")


def entered_at(group_id: int, status: str) -> datetime.datetime:
    at = db.session.scalar(
        select(GroupStatusChange.changed_at).where(
            GroupStatusChange.group_id == group_id, GroupStatusChange.to_status == status
        )
    )
    return at if at.tzinfo else at.replace(tzinfo=datetime.UTC)


def overdue_events() -> list[dict]:
    return [
        {"target": e.target, **e.payload}
        for e in db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == OVERDUE_EVENT)
        )
    ]


@pytest.fixture
def orders(app, four_models):
    """A paid mixed order (a dropship group and an agent group) and a paid dropship order."""
    return {
        "mixed": place(
            app, {four_models["drop"]: 2, four_models["agent"]: 1}, "k-mixed", paid=True
        ),
        "drop": place(app, {four_models["drop"]: 1}, "k-drop", paid=True),
    }


def test_a_group_not_accepted_within_the_window_is_overdue_and_told_once(app, orders):
    with app.app_context():
        group = supplier_group(orders["mixed"])
        sent = entered_at(group.id, "awaiting_shipper")
        assert service_levels.overdue(sent + 23 * HOUR).late == []

        report = service_levels.overdue(sent + 25 * HOUR)
        late = {(due.group.id, due.kind) for due in report.late}
        assert late == {
            (group.id, ACCEPTANCE),
            (supplier_group(orders["drop"]).id, ACCEPTANCE),
        }
        assert all(due.supplier.code == SUPPLIER for due in report.late)
        [due] = [d for d in report.late if d.group.id == group.id]
        assert due.due_at == sent + 24 * HOUR
        db.session.commit()

        again = service_levels.overdue(sent + 30 * HOUR)
        assert len(again.late) == 2 and again.raised == []
        db.session.commit()
        events = overdue_events()
        assert len(events) == 2
        [event] = [e for e in events if e["group_id"] == group.id]
        assert event["target"] == f"supplier:{SUPPLIER}"
        assert (event["kind"], event["order_number"]) == (ACCEPTANCE, load(orders["mixed"]).number)


def test_agent_groups_and_answered_groups_are_never_overdue(app, orders):
    with app.app_context():
        mixed = load(orders["mixed"])
        agent_group = next(g for g in mixed.groups if g.shipper.startswith("agent:"))
        assert agent_group.status == "awaiting_shipper"
        rejected = supplier_group(orders["drop"])
        move_group(rejected, "rejected", "out of stock")
        db.session.commit()
        far = datetime.datetime.now(datetime.UTC) + 365 * DAY
        late = service_levels.overdue(far).late
        assert [due.group.id for due in late] == [supplier_group(orders["mixed"]).id]


def test_the_window_comes_from_config(app, orders, monkeypatch):
    monkeypatch.setitem(app.config, "SUPPLIER_ACCEPT_HOURS", 2)
    with app.app_context():
        sent = entered_at(supplier_group(orders["drop"]).id, "awaiting_shipper")
        assert service_levels.find_overdue(sent + 90 * datetime.timedelta(minutes=1)) == []
        assert len(service_levels.find_overdue(sent + 3 * HOUR)) == 2


def test_an_accepted_group_not_shipped_within_the_lead_time_is_overdue_once(app, orders):
    with app.app_context():
        group = supplier_group(orders["drop"])
        sent = entered_at(group.id, "awaiting_shipper")
        db.session.commit()
        service_levels.overdue(sent + 2 * DAY)  # late to accept: told once
        db.session.commit()
        group = supplier_group(orders["drop"])
        move_group(group, "ready_to_ship", "accepted by supplier")
        db.session.commit()
        accepted = entered_at(group.id, "ready_to_ship")

        # lead_max is 5 days, counted from the acceptance
        on_time = service_levels.overdue(accepted + 5 * DAY - HOUR)
        assert group.id not in {due.group.id for due in on_time.late}
        report = service_levels.overdue(accepted + 5 * DAY + HOUR)
        [due] = [d for d in report.late if d.group.id == group.id]
        assert (due.kind, due.due_at) == (SHIPPING, accepted + 5 * DAY)
        assert [d.group.id for d in report.raised if d.kind == SHIPPING] == [group.id]
        db.session.commit()
        service_levels.overdue(accepted + 9 * DAY)
        db.session.commit()
        kinds = sorted(e["kind"] for e in overdue_events() if e["group_id"] == group.id)
        assert kinds == [ACCEPTANCE, SHIPPING]

        move_group(group, "shipped", "tracking posted")
        db.session.commit()
        assert group.id not in {d.group.id for d in service_levels.find_overdue(accepted + 9 * DAY)}


def test_the_command_checks_commits_and_reports_once(app, orders, runner):
    with app.app_context():
        group_id = supplier_group(orders["drop"]).id
        for change in db.session.scalars(select(GroupStatusChange)):
            change.changed_at = change.changed_at - 2 * DAY  # sent two days ago
        db.session.commit()
        number = load(orders["drop"]).number

    result = runner.invoke(args=["webhooks", "check-service-levels"])
    assert result.exit_code == 0, result.output
    assert f"group {group_id} (order {number}) of {SUPPLIER}: acceptance overdue" in result.output
    assert "2 groups overdue, 2 newly reported" in result.output
    again = runner.invoke(args=["webhooks", "check-service-levels"])
    assert "2 groups overdue, 0 newly reported" in again.output
    with app.app_context():
        assert len(overdue_events()) == 2


def test_overdue_groups_show_on_the_supplier_pages(app, orders, logged_in):
    with app.app_context():
        for change in db.session.scalars(select(GroupStatusChange)):
            change.changed_at = change.changed_at - 2 * DAY
        db.session.commit()
        late_number = load(orders["drop"]).number
        group_id = supplier_group(orders["drop"]).id
    client = logged_in("staff")

    listing = client.get("/admin/suppliers").get_data(as_text=True)
    assert '<td data-col="overdue"><strong class="field-error">2</strong></td>' in listing
    page = client.get(f"/admin/suppliers/{SUPPLIER}/webhooks").get_data(as_text=True)
    overdue_table = page.split('data-testid="overdue"')[1].split("</table>")[0]
    assert f'data-group="{group_id}"' in overdue_table
    assert late_number in overdue_table and "acceptance" in overdue_table


@pytest.mark.parametrize("hours", [0, -3, "soon", True])
def test_an_acceptance_window_that_is_not_a_positive_number_is_refused(tmp_path, hours):
    from storefront import create_app
    from storefront.config import ConfigError

    with pytest.raises(ConfigError, match="SUPPLIER_ACCEPT_HOURS"):
        create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
                "SUPPLIER_ACCEPT_HOURS": hours,
            }
        )


# delivery: shipped groups of any shipper, not delivered in time -------------------------

PAID = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def ship(group: OrderGroup, partly: bool = False) -> None:
    steps = {
        "picking": ["packing", "ready_to_ship"],
        "awaiting_shipper": ["ready_to_ship"],
    }[group.status]
    for status in [*steps, "partially_shipped" if partly else "shipped"]:
        move_group(group, status)


@pytest.fixture
def shipped(app, four_models):
    """An order paid at PAID whose warehouse group shipped and supplier group partly shipped."""
    with clock.frozen(PAID):
        order_id = place(
            app, {four_models["drop"]: 1, four_models["stock"]: 1}, "k-ship", paid=True
        )
    with app.app_context(), clock.frozen(PAID + DAY):
        order = load(order_id)
        by_shipper = {group.shipper: group for group in order.groups}
        ship(by_shipper["warehouse:berlin"])
        ship(by_shipper[f"supplier:{SUPPLIER}"], partly=True)
        db.session.commit()
        return order_id, {shipper: group.id for shipper, group in by_shipper.items()}


def delivery_due(group: OrderGroup) -> datetime.datetime:
    return PAID + group.eta_max_days * DAY + 7 * DAY  # DELIVERY_GRACE_DAYS


def test_a_shipped_group_not_delivered_after_its_eta_and_grace_is_overdue_once(app, shipped):
    order_id, groups = shipped
    with app.app_context():
        warehouse = db.session.get(OrderGroup, groups["warehouse:berlin"])
        supplier = db.session.get(OrderGroup, groups[f"supplier:{SUPPLIER}"])
        assert warehouse.eta_max_days != supplier.eta_max_days  # each group its own ETA
        early = min(delivery_due(warehouse), delivery_due(supplier)) - HOUR
        with clock.frozen(early):
            assert service_levels.overdue().late == []

        with clock.frozen(delivery_due(warehouse) + HOUR):
            report = service_levels.overdue()
            db.session.commit()
        assert {(due.group.id, due.kind) for due in report.raised} == {(warehouse.id, DELIVERY)}
        [due] = report.raised
        assert (due.supplier, due.shipper, due.due_at) == (
            None,
            "warehouse:berlin",
            delivery_due(warehouse),
        )

        later = max(delivery_due(warehouse), delivery_due(supplier)) + HOUR
        with clock.frozen(later):
            report = service_levels.overdue()
            db.session.commit()
            assert {due.group.id for due in report.late} == {warehouse.id, supplier.id}
            assert [due.group.id for due in report.raised] == [supplier.id]  # told once each
            assert service_levels.overdue().raised == []
            # the supplier sees its own group only; staff see both
            supplier_id = report.raised[0].supplier.id
            assert [d.group.id for d in service_levels.find_overdue(supplier_id=supplier_id)] == [
                supplier.id
            ]
        events = sorted(
            (e["target"], e["group_id"], e["kind"], e["order_number"]) for e in overdue_events()
        )
        number = load(order_id).number
        assert events == [
            (f"supplier:{SUPPLIER}", supplier.id, DELIVERY, number),
            ("warehouse:berlin", warehouse.id, DELIVERY, number),
        ]

        move_group(warehouse, "delivered")
        db.session.commit()
        with clock.frozen(later):
            assert [d.group.id for d in service_levels.find_overdue()] == [supplier.id]


def test_only_the_suppliers_delivery_event_is_sent_to_it(app, shipped, make_supplier):
    from storefront.webhooks import operations
    from storefront.webhooks.tables import Delivery

    _order_id, groups = shipped
    with app.app_context():
        operations.add_endpoint(SUPPLIER, "https://supplier.example/hooks", [OVERDUE_EVENT])
        db.session.commit()
        with clock.frozen(PAID + 60 * DAY):
            assert len(service_levels.overdue().raised) == 2
            db.session.commit()
            operations.fan_out()
            db.session.commit()
        bodies = db.session.scalars(select(Delivery.body)).all()
    [body] = bodies
    assert json.loads(body)["data"]["group_id"] == groups[f"supplier:{SUPPLIER}"]


def test_a_group_without_a_payment_date_counts_from_the_order(app, shipped, monkeypatch):
    monkeypatch.setitem(app.config, "DELIVERY_GRACE_DAYS", 1)
    _order_id, groups = shipped
    with app.app_context():
        group = db.session.get(OrderGroup, groups["warehouse:berlin"])
        group.order.paid_at = None  # an order paid before the shop kept the date
        group.order.created_at = PAID - 10 * DAY
        db.session.commit()
        due_at = PAID - 10 * DAY + group.eta_max_days * DAY + DAY
        with clock.frozen(due_at - HOUR):
            assert group.id not in {d.group.id for d in service_levels.find_overdue()}
        with clock.frozen(due_at + HOUR):
            [due] = [d for d in service_levels.find_overdue() if d.group.id == group.id]
        assert (due.kind, due.due_at) == (DELIVERY, due_at)


def test_the_staff_supplier_page_shows_a_late_delivery(app, shipped, logged_in):
    _order_id, groups = shipped
    client = logged_in("staff")
    with clock.frozen(PAID + 60 * DAY):
        page = client.get(f"/admin/suppliers/{SUPPLIER}/webhooks").get_data(as_text=True)
    overdue_table = page.split('data-testid="overdue"')[1].split("</table>")[0]
    row = overdue_table.split(f'data-group="{groups[f"supplier:{SUPPLIER}"]}"')[1].split("</tr>")[0]
    assert "<td>delivery</td>" in row
    warehouse_row = f'data-group="{groups["warehouse:berlin"]}"'
    assert warehouse_row not in overdue_table  # not this supplier's
