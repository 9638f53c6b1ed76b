"""One clock for the whole shop: a test sets the time once and every feature sees it."""

import datetime

import pytest
from sqlalchemy import select

from orders_helpers import load, place
from storefront import clock
from storefront.db import as_utc, db
from storefront.orders.tables import GroupStatusChange

MOMENT = datetime.datetime(2031, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)


def test_an_order_placed_and_paid_under_a_set_clock_carries_that_moment(app, four_models):
    with clock.frozen(MOMENT):
        order_id = place(app, {four_models["stock"]: 1}, "clock-1", paid=True)
    with app.app_context():
        order = load(order_id)
        assert order.number.startswith("310203-")  # the order number's date is the clock's
        assert as_utc(order.created_at) == MOMENT
        group_ids = [group.id for group in order.groups]
        changes = db.session.scalars(
            select(GroupStatusChange).where(GroupStatusChange.group_id.in_(group_ids))
        ).all()
        assert changes and all(as_utc(c.changed_at) == MOMENT for c in changes)
    assert clock.now() > MOMENT.replace(year=2026)  # back to the wall clock after the block


def test_the_clock_refuses_a_moment_without_a_time_zone():
    with pytest.raises(ValueError, match="time zone"), clock.frozen(datetime.datetime(2031, 1, 1)):
        pass
    assert clock.today() == datetime.datetime.now(datetime.UTC).date()
