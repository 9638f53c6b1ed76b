"""Finding returns for the back office's queue and the admin API's list: the returns an
actor may see (staff: all; an agent company or a supplier: its own groups' only, as
`may_act` decides), filtered by status, shipper, reason and age. Reads only."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from .. import clock
from ..db import db
from ..delivery.operations import Actor, may_act, own_party_models
from ..errors import InputError
from ..orders.tables import OrderGroup
from .tables import REASONS, ReturnLine, ReturnRequest, ReturnStatus

LONGEST_AGE_DAYS = 3650


class ReturnFilterError(InputError):
    """A filter of the returns list the shop cannot read; `field` names it."""

    code = "invalid_return_filter"
    status = 400


@dataclass(frozen=True)
class ReturnFilters:
    status: str = ""
    shipper: str = ""  # "agent:milano": the party that shipped the group (staff only)
    reason: str = ""
    older_than_days: int | None = None  # asked at least this many days ago

    def as_args(self) -> dict[str, str]:
        """The filters as a query string keeps them (for the pager's links)."""
        args = {"status": self.status, "shipper": self.shipper, "reason": self.reason}
        if self.older_than_days is not None:
            args["older_than_days"] = str(self.older_than_days)
        return {k: v for k, v in args.items() if v}


def read_filters(args: Mapping, actor: Actor) -> ReturnFilters:
    """The filters a page's or an API call's query string asks for; ReturnFilterError
    naming the one that is wrong. Only staff filter by shipper: the others see one."""
    status = (args.get("status") or "").strip()
    if status and status not in tuple(ReturnStatus):
        raise ReturnFilterError(f"status is one of {', '.join(ReturnStatus)}.", field="status")
    reason = (args.get("reason") or "").strip()
    if reason and reason not in REASONS:
        raise ReturnFilterError(f"reason is one of {', '.join(REASONS)}.", field="reason")
    shipper = (args.get("shipper") or "").strip()[:80] if actor.is_staff else ""
    raw_age = (args.get("older_than_days") or "").strip()
    age = None
    if raw_age:
        if not raw_age.isdigit() or int(raw_age) > LONGEST_AGE_DAYS:
            raise ReturnFilterError(
                f"older_than_days is a whole number of days from 0 to {LONGEST_AGE_DAYS}.",
                field="older_than_days",
            )
        age = int(raw_age)
    return ReturnFilters(status, shipper, reason, age)


def _groups_of_own_party_models(actor: Actor) -> list[int]:
    """Groups of plug-in models naming their acting party their own way that have returns:
    checked one by one with `may_act`, as the shipping queue does."""
    models = own_party_models()
    if not models:
        return []
    groups = db.session.scalars(
        select(OrderGroup)
        .where(
            OrderGroup.selling_model.in_(models),
            OrderGroup.id.in_(select(ReturnRequest.group_id)),
        )
        .order_by(OrderGroup.id)
    )
    return [group.id for group in groups if may_act(actor, group)]


def visible_returns(actor: Actor, filters: ReturnFilters = ReturnFilters()) -> Select:
    """The returns the actor may see that match `filters`, newest first."""
    statement = (
        select(ReturnRequest)
        .join(OrderGroup, OrderGroup.id == ReturnRequest.group_id)
        .options(
            selectinload(ReturnRequest.order),
            selectinload(ReturnRequest.group),
            selectinload(ReturnRequest.lines).selectinload(ReturnLine.order_line),
        )
        .order_by(ReturnRequest.created_at.desc(), ReturnRequest.id.desc())
    )
    if not actor.is_staff:
        # a model's default acting party is the group's shipper (an agent or a supplier)
        statement = statement.where(
            or_(
                (OrderGroup.shipper == str(actor.party))
                & OrderGroup.selling_model.not_in(own_party_models()),
                OrderGroup.id.in_(_groups_of_own_party_models(actor)),
            )
        )
    if filters.status:
        statement = statement.where(ReturnRequest.status == filters.status)
    if filters.reason:
        statement = statement.where(ReturnRequest.reason == filters.reason)
    if filters.shipper:
        statement = statement.where(OrderGroup.shipper == filters.shipper)
    if filters.older_than_days is not None:
        asked_before = clock.now() - datetime.timedelta(days=filters.older_than_days)
        statement = statement.where(ReturnRequest.created_at <= asked_before)
    return statement


def paged(statement: Select, page: int, per_page: int) -> tuple[list[ReturnRequest], int]:
    """One page of `statement` (from 1) and how many pages it has in all."""
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), max(1, -(-total // per_page))


def returns_of_order(order_id: int) -> list[ReturnRequest]:
    """An order's returns, oldest first (its page in the back office lists them)."""
    return list(
        db.session.scalars(
            select(ReturnRequest)
            .where(ReturnRequest.order_id == order_id)
            .order_by(ReturnRequest.id)
        )
    )


def shippers_with_returns() -> list[str]:
    """The shippers whose groups have returns, for the staff's shipper filter."""
    return list(
        db.session.scalars(
            select(OrderGroup.shipper)
            .join(ReturnRequest, ReturnRequest.group_id == OrderGroup.id)
            .distinct()
            .order_by(OrderGroup.shipper)
        )
    )
