"""After payment: who works on a group, and each step from paid to delivered.

Every selling model's group moves through the same few steps, whoever ships it:

- a warehouse picks and packs (`picked`, `packed`);
- a workshop makes it and quality control passes it (`inspect`);
- an agent, a supplier, or a plug-in model's shipper answers it (`accept`, `reject`);
- then anyone ready ships it, in one or several shipments (`ship`), and it is delivered
  (`deliver`, or a carrier's tracking update on a shipment: `track`).

Staff may act on every group; an agent company or a supplier only on the groups its
model names it the acting party of (`SellingModel.acting_party`). A group someone may
not act on is answered as not found. A step a group is not ready for raises NotReady,
naming what it still waits for. A rejected group goes to another shipper that can ship
it at the price paid, or its share of the order is refunded (`refund_owed`).

Services flush and never commit, except `refund_owed`, which commits around Stripe.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from channels.money import Money
from models_ import AGENT, SUPPLIER, WAREHOUSE, SellingModelDefaults, ShipperRef

from .. import clock
from ..accounts import STAFF_ROLES
from ..accounts.tables import Role, User
from ..db import as_utc, db
from ..dispatch import operations as dispatch
from ..documents import operations as documents
from ..errors import InputError
from ..fulfilment import registry
from ..fulfilment.tables import AgentCompany, PickTask, Supplier, SupplierCost
from ..notices import operations as notices
from ..orders import summary
from ..orders.states import GroupStatus, OrderStatus, follow_groups, move_group
from ..orders.tables import Order, OrderGroup, Shipment, TrackingEvent
from ..payments import operations as payments
from ..payments import refunds
from ..payments.stripe_gateway import GatewayError
from ..production.operations import REWORK, record_inspection
from ..production.tables import ProductionOrder
from ..shipping.carriers import OTHER
from ..shipping.carriers import find as find_carrier
from ..terms import cancelling
from ..terms import operations as payment_terms
from ..webhooks.service_levels import overdue
from ..webhooks.tables import SupplierAccount

TRACKING_STATUSES = ("in_transit", "out_for_delivery", "delivered", "exception")
MAX_PARCELS = 999


class NotYours(InputError):
    """A group the caller may not see: answered as if it did not exist."""

    code = "group_not_found"
    status = 404


class NotReady(InputError):
    """A step the group is not ready for; the message says what it still waits for."""

    code = "invalid_group_status"
    status = 409


class ShipmentError(InputError):
    """A shipment, delivery or tracking update given something unusable."""

    code = "invalid_shipment"
    status = 400


class LinesRefused(ShipmentError):
    """Shipment lines the group does not have, or more units than are left to ship."""

    code = "invalid_shipment_lines"
    status = 422


# who acts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who works on groups: the shop's staff (`party` None: every group) or an agent
    company or supplier (`party`: only the groups its model names it for)."""

    label: str  # recorded on every move it makes: "staff:ana@shop", "agent:milano"
    party: ShipperRef | None = None

    @property
    def is_staff(self) -> bool:
        return self.party is None


def actor_of(user: User | None) -> Actor | None:
    """The actor a signed-in user (or an API key's user) works as; None for buyers."""
    if user is None or not user.is_active:
        return None
    if user.role in STAFF_ROLES:
        return Actor(f"staff:{user.email}")
    if user.role == Role.AGENT and user.agent_id is not None:
        agent = db.session.get(AgentCompany, user.agent_id)
        if agent is not None:
            return Actor(f"agent:{agent.code} ({user.email})", ShipperRef(AGENT, agent.code))
    if user.role == Role.SUPPLIER:
        account = db.session.scalar(
            select(SupplierAccount).where(SupplierAccount.user_id == user.id)
        )
        if account is not None and account.supplier.is_active:
            code = account.supplier.code
            return Actor(f"supplier:{code} ({user.email})", ShipperRef(SUPPLIER, code))
    return None


def acting_party(group: OrderGroup) -> ShipperRef | None:
    """Who besides staff works on the group, as its model declares (None: staff only,
    also for a group whose model is no longer installed)."""
    models = registry()
    if group.selling_model not in models:
        return None
    return models.get(group.selling_model).acting_party(dispatch.model_group(group))


def may_act(actor: Actor, group: OrderGroup) -> bool:
    return actor.is_staff or acting_party(group) == actor.party


def own_party_models() -> list[str]:
    """Models that name their acting party their own way (not simply the group's shipper):
    their groups cannot be found by shipper in SQL and are checked one by one."""
    models = registry()
    return [
        code
        for code in models.codes()
        if getattr(type(models.get(code)), "acting_party", None)
        is not SellingModelDefaults.acting_party
    ]


def groups_query(actor: Actor, status: str | None = None, shipper: str | None = None) -> Select:
    """The paid groups the actor may work on, oldest first (a plug-in model's groups are
    checked one by one with `may_act` by `work_queue`)."""
    query = (
        select(OrderGroup)
        .join(Order, Order.id == OrderGroup.order_id)
        .where(OrderGroup.status != GroupStatus.AWAITING_PAYMENT)
        .options(
            selectinload(OrderGroup.order),
            selectinload(OrderGroup.lines),
            selectinload(OrderGroup.shipments),
        )
        .order_by(OrderGroup.id)
    )
    if not actor.is_staff:
        query = query.where(
            or_(
                OrderGroup.shipper == str(actor.party),
                OrderGroup.selling_model.in_(own_party_models()),
            )
        )
    if status:
        query = query.where(OrderGroup.status == status)
    if shipper:
        query = query.where(OrderGroup.shipper == shipper)
    return query


def work_queue(
    actor: Actor, status: str | None = None, shipper: str | None = None, limit: int = 200
) -> list[OrderGroup]:
    """Up to `limit` groups the actor may work on, oldest first."""
    found = []
    for group in db.session.scalars(groups_query(actor, status, shipper)):
        if may_act(actor, group):
            found.append(group)
            if len(found) >= limit:
                break
    return found


def group_for(actor: Actor, group_id: int, order_number: str | None = None) -> OrderGroup:
    """A group the actor may act on, locked for the step; NotYours otherwise."""
    group = db.session.get(OrderGroup, group_id, with_for_update=True)
    if (
        group is None
        or (order_number is not None and group.order.number != order_number)
        or group.status == GroupStatus.AWAITING_PAYMENT
        or not may_act(actor, group)
    ):
        raise NotYours(gettext("There is no order group %(id)s.", id=group_id))
    return group


def ship_to(group: OrderGroup) -> dict:
    """Where the group goes, for whoever ships it (personal data: only for them and staff)."""
    return summary.ship_to(group.order)


# what a group waits for -----------------------------------------------------------------------

_WAITS_FOR = {
    GroupStatus.AWAITING_PAYMENT: "payment",
    GroupStatus.AWAITING_SHIPPER: "its shipper to accept it",
    GroupStatus.IN_PRODUCTION: "production and its quality inspection",
    GroupStatus.PICKING: "picking in the warehouse",
    GroupStatus.PACKING: "packing in the warehouse",
}


def _not_ready(group: OrderGroup, step: str) -> NotReady:
    waits = _WAITS_FOR.get(group.status)
    if waits is not None:
        return NotReady(
            f"Group {group.id} cannot be {step} yet: it waits for {waits}.", field="status"
        )
    return NotReady(
        f"Group {group.id} is {group.status.replace('_', ' ')}: it cannot be {step}.",
        field="status",
    )


def _expect(group: OrderGroup, step: str, *statuses: GroupStatus) -> None:
    if group.status not in statuses:
        raise _not_ready(group, step)


def _moved(group: OrderGroup) -> None:
    follow_groups(group.order)
    db.session.flush()


# the steps ------------------------------------------------------------------------------------


def accept(group: OrderGroup, actor: Actor) -> None:
    """The shipper takes the group on: it is ready to ship."""
    _expect(group, "accepted", GroupStatus.AWAITING_SHIPPER)
    move_group(group, GroupStatus.READY_TO_SHIP, f"accepted by {actor.label}", actor.label)
    _moved(group)


@dataclass(frozen=True)
class Rejection:
    group: OrderGroup
    rerouted: bool  # another shipper took it
    refund: Money | None  # else the group's share, owed to the buyer


def group_share(group: OrderGroup) -> Money:
    """What the buyer paid for the group: its goods, its shipping, and the import charges
    collected for it at checkout."""
    currency = group.order.currency
    total = Money(group.shipping_amount, currency)
    for line in group.lines:
        total += Money(line.unit_amount, line.currency) * line.quantity
    if group.import_collected and group.import_currency == currency:
        total += Money(
            group.import_vat_amount + group.import_duty_amount + group.import_fees_amount,
            currency,
        )
    return total.rounded()


def _other_shippers(group: OrderGroup) -> list[tuple[str, dict]]:
    """Who else could ship a rejected group's SKUs, as (model, settings) to offer it to:
    under each model a supplier operates (its declared setting naming the supplier), every
    other active supplier that supplies all of them; then each model the shop's own
    warehouses operate. Asked of the models' declarations, never of their codes."""
    variant_ids = {line.variant_id for line in group.lines}
    rows = db.session.execute(
        select(Supplier.code, SupplierCost.variant_id)
        .join(SupplierCost, SupplierCost.supplier_id == Supplier.id)
        .where(Supplier.is_active.is_(True), SupplierCost.variant_id.in_(variant_ids))
    ).all()
    supplies: dict[str, set[int]] = {}
    for code, variant_id in rows:
        supplies.setdefault(code, set()).add(variant_id)
    rejected = ShipperRef.parse(group.shipper)
    suppliers = [
        code
        for code, variants in sorted(supplies.items())
        if variants >= variant_ids and str(ShipperRef(SUPPLIER, code)) != str(rejected)
    ]
    by_supplier, own_stock = [], []
    models = registry()
    for code in models.codes():
        operator = models.get(code).operator({})
        if operator.kind == SUPPLIER and operator.setting:
            by_supplier += [(code, {operator.setting: s}) for s in suppliers]
        elif operator.kind == WAREHOUSE:
            own_stock.append((code, {}))
    return by_supplier + own_stock


def reject(group: OrderGroup, actor: Actor, reason: str) -> Rejection:
    """The shipper turns the group down: another shipper takes it if one can, at the
    price the buyer paid; else its share is owed back (`refund_owed` gives it)."""
    reason = (reason or "").strip()
    if not reason or len(reason) > 280:
        raise ShipmentError("Give a reason of 1 to 280 characters.", field="reason")
    _expect(group, "rejected", GroupStatus.AWAITING_SHIPPER)
    move_group(group, GroupStatus.REJECTED, f"rejected by {actor.label}: {reason}", actor.label)
    db.session.flush()
    if dispatch.reroute(group, _other_shippers(group)):
        _moved(group)
        notices.group_rerouted(group)
        notices.new_work(group)
        return Rejection(group, True, None)
    share = group_share(group)
    group.refund_state = "owed"
    group.refund_amount = share.amount
    _moved(group)
    return Rejection(group, False, share)


def refund_owed(group_id: int) -> str | None:
    """Give a rejected group's share back through Stripe, if it is owed; commits (the claim
    before Stripe is asked, the record after). Returns the group's refund state after:
    "refunded"; "manual" when there is no card payment to refund to; still "owed" when
    Stripe did not answer (the worker tries again); None for a group owed nothing."""
    group = db.session.get(OrderGroup, group_id)
    if group.refund_state != "owed" or group.refund_amount is None:
        return group.refund_state or None
    order = group.order
    amount = Money(group.refund_amount, order.currency)
    try:
        refunds.refund(order, amount, f"group {group.id} rejected by its shipper", notify=False)
    except GatewayError:  # the claim was given back: still owed
        db.session.rollback()
        return "owed"
    except payments.PaymentError:
        db.session.rollback()
        group = db.session.get(OrderGroup, group_id)
        group.refund_state = "manual"
        db.session.commit()
        return "manual"
    group = db.session.get(OrderGroup, group_id)
    group.refund_state = "refunded"
    notices.group_refunded(group, amount)
    db.session.commit()
    return "refunded"


def refund_all_owed() -> int:
    """Refund every rejected group still owed (a crash or Stripe outage left it so)."""
    owed = db.session.scalars(select(OrderGroup.id).where(OrderGroup.refund_state == "owed"))
    return sum(refund_owed(group_id) == "refunded" for group_id in owed.all())


def _pick_task(group: OrderGroup) -> PickTask:
    task = db.session.scalar(select(PickTask).where(PickTask.group_id == group.id))
    if task is None:  # a group re-routed to a warehouse, or made before pick tasks were
        task = PickTask(group_id=group.id, warehouse_code=ShipperRef.parse(group.shipper).code)
        db.session.add(task)
    return task


def picked(group: OrderGroup, actor: Actor) -> None:
    _expect(group, "marked picked", GroupStatus.PICKING)
    task = _pick_task(group)
    task.status, task.picked_at = "picked", clock.now()
    move_group(group, GroupStatus.PACKING, f"picked by {actor.label}", actor.label)
    _moved(group)


def packed(group: OrderGroup, actor: Actor, parcels: list[dict] | None = None) -> None:
    """Packed into `parcels` ({length_mm, width_mm, height_mm, weight_grams, lines}), or
    one parcel derived from the lines; its export documents are issued then."""
    _expect(group, "marked packed", GroupStatus.PACKING)
    documents.packed(group, actor.label, parcels)
    task = _pick_task(group)
    task.status, task.packed_at = "packed", clock.now()
    move_group(group, GroupStatus.READY_TO_SHIP, f"packed by {actor.label}", actor.label)
    _moved(group)


def inspect(
    group: OrderGroup,
    actor: Actor,
    *,
    passed: bool,
    inspector: str,
    notes: str = "",
    outcome: str | None = None,
    line_id: int | None = None,
):
    """Record a quality inspection of a group in production; a failed one goes back to
    production (rework) unless `outcome` says relist."""
    _expect(group, "inspected", GroupStatus.IN_PRODUCTION)
    production_order = db.session.scalar(
        select(ProductionOrder).where(
            ProductionOrder.group_id == group.id, ProductionOrder.status == "open"
        )
    )
    if production_order is None:
        raise NotReady(f"Group {group.id} has no open production order.", field="status")
    result = record_inspection(
        production_order,
        passed=passed,
        inspector=inspector,
        notes=notes,
        outcome=None if passed else (outcome or REWORK),
        line_id=line_id,
    )
    _moved(group)
    return result


# shipments ----------------------------------------------------------------------------------


def _text(value, field: str, longest: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > longest:
        raise ShipmentError(f"{field} must be text of 1 to {longest} characters.", field=field)
    return value.strip()


def remaining(group: OrderGroup) -> Counter:
    """Units of each SKU of the group not shipped yet."""
    left: Counter = Counter()
    for line in group.lines:
        left[line.sku] += line.quantity
    for shipment in group.shipments:
        left.subtract({line["sku"]: line["quantity"] for line in shipment.lines})
    return left


def _shipment_lines(lines, left: Counter) -> list[dict]:
    """The lines to ship: as given, or everything not shipped yet; never more than ordered."""
    if lines is None:
        return [{"sku": sku, "quantity": n} for sku, n in left.items() if n > 0]
    if not isinstance(lines, list) or not lines:
        raise ShipmentError("lines must be a list of {sku, quantity}.", field="lines")
    wanted: Counter = Counter()
    for i, line in enumerate(lines):
        sku = line.get("sku") if isinstance(line, dict) else None
        quantity = line.get("quantity") if isinstance(line, dict) else None
        if not isinstance(sku, str) or sku not in left:
            raise LinesRefused(
                f"This group has no SKU {sku}.", "unknown_sku", field=f"lines[{i}].sku"
            )
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ShipmentError(
                "quantity must be a whole number above 0.", field=f"lines[{i}].quantity"
            )
        wanted[sku] += quantity
    for sku, quantity in wanted.items():
        if quantity > left[sku]:
            raise LinesRefused(
                f"Only {left[sku]} of {sku} are left to ship.", "more_than_ordered", "lines"
            )
    return [{"sku": sku, "quantity": n} for sku, n in wanted.items() if n > 0]


def ship(
    group: OrderGroup,
    actor: Actor,
    *,
    carrier: str,
    tracking_number: str,
    tracking_url: str = "",
    lines: list[dict] | None = None,
    parcels: int | list[dict] = 1,
) -> Shipment:
    """Record a shipment of the group (all that is left when `lines` is None). A listed
    carrier (by code or name) links the tracking number to its tracking page unless a
    `tracking_url` is given; any other carrier is kept by name as "other". `parcels` is
    their number, or the parcels themselves (`documents.parcels`)."""
    described = None
    if isinstance(parcels, list):
        described, parcels = parcels, max(len(parcels), 1)
    carrier_text = _text(carrier, "carrier", 80)
    number = _text(tracking_number, "tracking_number", 80)
    url = _text(tracking_url, "tracking_url", 500, required=False)
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname):
        raise ShipmentError("tracking_url must be an http(s) URL.", field="tracking_url")
    if not isinstance(parcels, int) or isinstance(parcels, bool) or not 1 <= parcels <= MAX_PARCELS:
        raise ShipmentError(f"parcels must be 1 to {MAX_PARCELS}.", field="parcels")
    _expect(group, "shipped", GroupStatus.READY_TO_SHIP, GroupStatus.PARTIALLY_SHIPPED)
    waits = payment_terms.shipping_waits_for(group.order)  # a deposit order's balance
    if waits is not None:
        raise NotReady(f"Group {group.id} cannot be shipped yet: it waits for {waits}.", "status")
    left = remaining(group)
    chosen = _shipment_lines(lines, left)
    if not chosen:
        raise NotReady(f"Everything in group {group.id} has shipped.", field="lines")
    described = documents.check_shipment_parcels(described, chosen)
    known = find_carrier(carrier_text)
    if known is not None and known.code != OTHER:
        code, name = known.code, known.name
        url = url or known.tracking_link(number)
    else:
        code, name = OTHER, carrier_text
    shipment = Shipment(
        group=group,
        carrier_code=code,
        carrier_name=name,
        tracking_number=number,
        tracking_url=url,
        lines=chosen,
        parcels=parcels,
        shipped_by=actor.label[:120],
        shipped_at=clock.now(),
    )
    db.session.add(shipment)
    left.subtract({line["sku"]: line["quantity"] for line in chosen})
    everything = all(n <= 0 for n in left.values())
    wanted = GroupStatus.SHIPPED if everything else GroupStatus.PARTIALLY_SHIPPED
    if wanted != group.status:
        move_group(group, wanted, f"{name} {number}", actor.label)
    _moved(group)
    documents.shipped(group, shipment, actor.label, described)
    notices.group_shipped(group, shipment)
    return shipment


def _moment(value: datetime.datetime | str | None, field: str) -> datetime.datetime:
    """A moment given as a datetime or ISO 8601 text (with an offset); now when None;
    never in the future."""
    now = clock.now()
    if value is None or value == "":
        return now
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise ShipmentError(
                f"{field} must be an ISO 8601 date and time with an offset.", field=field
            ) from None
    if value.tzinfo is None:
        raise ShipmentError(f"{field} needs a UTC offset.", field=field)
    value = as_utc(value)
    if value > now + datetime.timedelta(minutes=5):
        raise ShipmentError(f"{field} cannot be in the future.", field=field)
    return value


def deliver(
    group: OrderGroup, actor: Actor, delivered_at: datetime.datetime | str | None = None
) -> None:
    """The whole group arrived ("delivered on ..."): by its shipper or staff."""
    at = _moment(delivered_at, "delivered_at")
    _expect(group, "marked delivered", GroupStatus.SHIPPED)
    shipped = max(as_utc(s.shipped_at) for s in group.shipments) if group.shipments else None
    if shipped is not None and at < shipped:
        raise ShipmentError("delivered_at cannot be before the group shipped.", "delivered_at")
    for shipment in group.shipments:
        shipment.delivered_at = shipment.delivered_at or at
    group.delivered_at = at
    move_group(group, GroupStatus.DELIVERED, f"delivered on {at:%Y-%m-%d}", actor.label)
    _moved(group)
    notices.group_delivered(group)


def shipment_of(group: OrderGroup, shipment_id: int) -> Shipment:
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None or shipment.group_id != group.id:
        raise NotYours(gettext("There is no shipment %(id)s.", id=shipment_id))
    return shipment


def track(
    shipment: Shipment,
    actor: Actor,
    *,
    status: str,
    occurred_at: datetime.datetime | str | None = None,
    description: str = "",
    location: str = "",
) -> TrackingEvent:
    """A carrier's news of a shipment. "delivered" marks the shipment delivered, and the
    group once all of it shipped and every shipment arrived."""
    if status not in TRACKING_STATUSES:
        raise ShipmentError(f"status must be one of {', '.join(TRACKING_STATUSES)}.", "status")
    at = _moment(occurred_at, "occurred_at")
    event = TrackingEvent(
        shipment=shipment,
        status=status,
        description=_text(description, "description", 300, required=False),
        location=_text(location, "location", 120, required=False),
        occurred_at=at,
    )
    db.session.add(event)
    group = shipment.group
    if status == "delivered" and shipment.delivered_at is None:
        shipment.delivered_at = at
        arrived = all(s.delivered_at is not None for s in group.shipments)
        if group.status == GroupStatus.SHIPPED and arrived:
            group.delivered_at = at
            move_group(
                group, GroupStatus.DELIVERED, f"{shipment.carrier_name}: delivered", actor.label
            )
            notices.group_delivered(group)
    _moved(group)
    return event


# cancelling a paid order ---------------------------------------------------------------------


def cancel_paid_order(order: Order, actor: Actor, reason: str) -> Money | None:
    """Cancel a paid order none of whose goods have left: reserved and taken stock goes
    back, shippers are called back. Returns what is owed back (the caller refunds it
    after committing), None when the order was not paid."""
    reason = (reason or "").strip()[:200] or "cancelled by the shop"
    if any(
        g.status in (GroupStatus.PARTIALLY_SHIPPED, GroupStatus.SHIPPED, GroupStatus.DELIVERED)
        for g in order.groups
    ):
        raise NotReady(
            f"Order {order.number} has shipped goods: refund or return them instead.", "status"
        )
    in_parts = payment_terms.paid_in_parts(order)
    cancelling.call_off(order)  # no card pays a part of a cancelled order
    paid = order.status != OrderStatus.PENDING_PAYMENT
    dispatch.cancel_order(order, reason, actor.label)
    db.session.flush()
    if in_parts:  # what its parts paid (net terms: nothing until the invoice is paid)
        return cancelling.owed(order)
    return Money(order.total_amount, order.currency) if paid else None


def refund_cancelled(order: Order) -> Money | None:
    """Give back all that is left of a cancelled order's card payments (its own, and the
    parts of its payment terms paid by card); commits (around Stripe). None when there is
    no card payment (a bank transfer is refunded by hand: `cancelling.owed_by_transfer`)."""
    refunded = None
    try:
        # the buyer's mail names no reason: staff wrote theirs in the shop's language
        record = refunds.refund(order, None, "", notify=False)
        refunded = Money.from_minor_units(record.amount_minor, order.currency)
    except payments.PaymentError:
        db.session.rollback()
    db.session.commit()
    parts = cancelling.refund_card_parts(order)
    if parts is not None:
        refunded = parts if refunded is None else refunded + parts
    if refunded is not None:
        notices.refund_issued(order, refunded, "")
        db.session.commit()
    return refunded


def order_for(actor: Actor, number: str) -> Order:
    """An order by number for staff (404 otherwise, as for a missing one)."""
    order = db.session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None or not actor.is_staff:
        raise NotYours(gettext("There is no order %(number)s.", number=number))
    return order


def check_service_levels() -> int:
    """Raise each late group once (a supplier's `order_group.overdue` event) and mail staff
    and the group's shipper about it; how many were raised."""
    raised = overdue().raised
    for due in raised:
        notices.group_overdue(due.group, due.kind)
    return len(raised)
