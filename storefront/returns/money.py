"""What a return gives back, in one place, by rules the merchant can read (docs/returns.md):
a quote of parts, each a kind the pages name in the buyer's language and an amount in the
order's currency, shown before the buyer confirms and kept on the return when asked.

- goods: the returned units' price, line-exact;
- vat: the VAT the shop collected on top of the prices (none when the prices hold it);
- shipping: the group's shipping, when the whole group comes back or the shop was at fault;
- duty: the duty and fees the shop collected, the returned goods' share of them;
- return_postage: the postage the buyer states, up to the channel's cap, when the shop was
  at fault;
- price_difference: an exchange for a cheaper variant.

Each part is rounded once at the currency's precision; a return that completes the group
takes what is left of each charge, so the returns of a group give back what was paid for
it, and never more (the last parts are cut to it). The return postage is no money the shop
was paid: it comes on top, up to the channel's cap and to what the order's payment still
holds after every return of the order (a card refund can give no more back).

Last, each part is rounded down to an amount a card refund can give back
(`payments.refunds.refundable`: BHD, KWD, OMR in 0.010), so the total the buyer is shown
is the one Stripe refunds; what a partial return leaves behind goes with the return that
completes the group.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import func, select

from channels.money import InvalidMoney, Money

from ..db import db
from ..orders.tables import Order, OrderGroup
from ..payments.refunds import refundable
from .eligibility import ReturnRefused, Wanted
from .tables import ReturnRequest, ReturnStatus

GOODS = "goods"
VAT = "vat"
SHIPPING = "shipping"
DUTY = "duty"
RETURN_POSTAGE = "return_postage"
PRICE_DIFFERENCE = "price_difference"
# The kinds in the order a quote lists them; when a bound cuts, it cuts the last first.
KINDS = (GOODS, VAT, SHIPPING, DUTY, PRICE_DIFFERENCE, RETURN_POSTAGE)
# Reasons that put the shop at fault (a faulty item, or not the item described): they
# refund the group's shipping and the buyer's return postage. A wrong size is the buyer's
# choice of size, not a wrong item.
SHOP_AT_FAULT = frozenset({"damaged", "not_as_described"})
POSTAGE_HIGHEST = Decimal(1_000_000)


@dataclass(frozen=True)
class RefundPart:
    kind: str  # one of KINDS
    amount: Money

    def as_json(self) -> dict:
        return {"kind": self.kind, "amount": self.amount.as_json()}


@dataclass(frozen=True)
class RefundQuote:
    parts: tuple[RefundPart, ...]
    currency: str

    @property
    def total(self) -> Money:
        total = Money.zero(self.currency)
        for part in self.parts:
            total += part.amount
        return total.rounded()

    def kept(self) -> list[dict]:
        """The parts as a return keeps them (amounts in the return's currency)."""
        return [{"kind": p.kind, "amount": p.amount.as_string()} for p in self.parts]


def kept_parts(request: ReturnRequest) -> tuple[RefundPart, ...]:
    """The parts a return kept; a return asked before parts were kept refunded its goods."""
    if request.refund_parts is None:
        amount = Money(request.refund_amount, request.currency).rounded()
        return (RefundPart(GOODS, amount),) if amount else ()
    return tuple(
        RefundPart(part["kind"], Money(Decimal(part["amount"]), request.currency))
        for part in request.refund_parts
    )


@dataclass(frozen=True)
class GroupPaid:
    """What the buyer paid for one group, by charge (goods unrounded: lines are exact)."""

    goods: Money
    shipping: Money
    vat: Money  # collected on top of the prices; zero when the prices hold it
    duty: Money  # duty and fees collected at checkout

    @property
    def total(self) -> Money:
        return self.goods.rounded() + self.shipping + self.vat + self.duty


def paid_for(group: OrderGroup, currency: str) -> GroupPaid:
    goods = Money.zero(currency)
    for line in group.lines:
        goods += Money(line.unit_amount, line.currency) * line.quantity
    zero = Money.zero(currency).rounded()
    vat = duty = zero
    if group.import_collected and group.import_currency == currency:
        if not group.import_vat_included:
            vat = Money(group.import_vat_amount, currency).rounded()
        duty = Money(group.import_duty_amount + group.import_fees_amount, currency).rounded()
    return GroupPaid(goods, Money(group.shipping_amount, currency).rounded(), vat, duty)


@dataclass(frozen=True)
class Earlier:
    """What the group's earlier returns (not refused) took: units per line, parts per kind."""

    units: Counter
    parts: dict[str, Money]

    @property
    def paid_back(self) -> Money:
        """What these returns give back of what was paid for the group (all but postage)."""
        zero = Money.zero(self.parts[GOODS].currency)
        return sum((a for k, a in self.parts.items() if k != RETURN_POSTAGE), zero)


def earlier_returns(group: OrderGroup, currency: str) -> Earlier:
    requests = db.session.scalars(
        select(ReturnRequest).where(
            ReturnRequest.group_id == group.id, ReturnRequest.status != ReturnStatus.REFUSED
        )
    ).all()
    units: Counter = Counter()
    zero = Money.zero(currency).rounded()
    parts = dict.fromkeys(KINDS, zero)
    for request in requests:
        for line in request.lines:
            units[line.order_line_id] += line.quantity
        for part in kept_parts(request):
            parts[part.kind] = parts.get(part.kind, zero) + part.amount
    return Earlier(units, parts)


def order_left(order: Order) -> Money:
    """What the order's payment still holds after every return of it (not refused)."""
    promised = db.session.scalar(
        select(func.sum(ReturnRequest.refund_amount)).where(
            ReturnRequest.order_id == order.id, ReturnRequest.status != ReturnStatus.REFUSED
        )
    )
    return Money(order.total_amount - (promised or 0), order.currency)


def share(charge: Money, taken: Money, part: Money, whole: Money, complete: bool) -> Money:
    """The part of a charge that goes with `part` of `whole` (rounded once); all that is
    left of it when the return completes the group, so the shares add up to the charge."""
    left = max(charge - taken, Money.zero(charge.currency).rounded())
    if complete:
        return left
    if not charge or not whole or not part:
        return Money.zero(charge.currency).rounded()
    rest = max(whole - part, Money.zero(whole.currency))
    return min(charge.allocate([part.amount, rest.amount])[0], left)


def check_postage(raw, currency: str) -> Money | None:
    """The return postage the buyer states: a Money object in the order's currency."""
    if raw is None:
        return None
    amount = raw.get("amount") if isinstance(raw, dict) else None
    try:
        money = Money(Decimal(amount), raw.get("currency")) if isinstance(amount, str) else None
    except (InvalidOperation, InvalidMoney):
        money = None
    if (
        money is None
        or money.currency != currency
        or not money.amount.is_finite()
        or not 0 <= money.amount < POSTAGE_HIGHEST
        or not money.is_rounded
    ):
        raise ReturnRefused(
            gettext(
                "Give the return postage you paid as an amount in %(currency)s, like 6.50.",
                currency=currency,
            ),
            "invalid_return_postage",
            "return_postage",
        )
    return money


def postage_cap(order: Order) -> Money:
    """The channel's cap on return postage, in the order's currency (none when the channel
    now sells in another currency than the order's)."""
    channel = order.channel
    if channel.currency != order.currency:
        return Money.zero(order.currency)
    return Money(channel.return_postage_cap, order.currency).rounded()


def cut_to(parts: list[RefundPart], left: Money) -> tuple[RefundPart, ...]:
    """The parts cut, last first, so they add up to at most `left`."""
    kept = []
    for part in parts:
        amount = min(part.amount, max(left, Money.zero(left.currency)))
        left -= amount
        if amount:
            kept.append(RefundPart(part.kind, amount.rounded()))
    return tuple(kept)


def quote(
    order: Order,
    group: OrderGroup,
    wanted: list[Wanted],
    reason: str,
    resolution: str,
    postage: Money | None = None,
    difference: Money | None = None,
) -> RefundQuote:
    """What the buyer gets back for the units, by the rules above. An exchange gives back
    only the price `difference` to a cheaper variant (and the postage when the shop was at
    fault): the new piece takes the place of the goods."""
    currency = order.currency
    zero = Money.zero(currency).rounded()
    paid, earlier = paid_for(group, currency), earlier_returns(group, currency)
    now = Counter({w.line.id: w.quantity for w in wanted})
    whole_back = all(earlier.units[ln.id] + now[ln.id] >= ln.quantity for ln in group.lines)
    at_fault = reason in SHOP_AT_FAULT
    parts = []
    if resolution == "refund":
        goods = Money.zero(currency)
        for w in wanted:
            goods += Money(w.line.unit_amount, w.line.currency) * w.quantity
        shipping = zero
        if whole_back or at_fault:
            shipping = max(paid.shipping - earlier.parts[SHIPPING], zero)
        # the VAT was charged on the goods and the shipping
        taxed, all_taxed = goods + shipping, paid.goods + paid.shipping
        parts += [
            RefundPart(GOODS, goods.rounded()),
            RefundPart(VAT, share(paid.vat, earlier.parts[VAT], taxed, all_taxed, whole_back)),
            RefundPart(SHIPPING, shipping),
            RefundPart(DUTY, share(paid.duty, earlier.parts[DUTY], goods, paid.goods, whole_back)),
        ]
    elif difference is not None:
        parts.append(RefundPart(PRICE_DIFFERENCE, difference.rounded()))
    kept = cut_to(parts, paid.total - earlier.paid_back)
    if at_fault and postage is not None:
        given = sum((p.amount for p in kept), zero)
        postage = min(postage, postage_cap(order))
        kept += cut_to([RefundPart(RETURN_POSTAGE, postage)], order_left(order) - given)
    return RefundQuote(to_refund(kept), currency)


def to_refund(parts: tuple[RefundPart, ...]) -> tuple[RefundPart, ...]:
    """The parts, each rounded down to what a card refund can give back (never more)."""
    rounded = (RefundPart(p.kind, refundable(p.amount)) for p in parts)
    return tuple(p for p in rounded if p.amount)
