"""What a return gives back, in one place: a quote of parts (the goods' price today;
each part a kind the pages name in the buyer's language and an amount in the order's
currency), shown before the buyer confirms and kept on the return when asked."""

from __future__ import annotations

from dataclasses import dataclass

from channels.money import Money

from ..orders.tables import Order, OrderGroup
from .eligibility import Wanted

GOODS = "goods"


@dataclass(frozen=True)
class RefundPart:
    kind: str  # GOODS, or a later rule's own kind
    amount: Money


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


def goods_price(wanted: list[Wanted], currency: str) -> Money:
    """The goods' price of the units, line-exact in the order's currency, rounded once."""
    total = Money.zero(currency)
    for w in wanted:
        total += Money(w.line.unit_amount, w.line.currency) * w.quantity
    return total.rounded()


def quote(
    order: Order, group: OrderGroup, wanted: list[Wanted], reason: str, resolution: str
) -> RefundQuote:
    """What the buyer gets back for the units; nothing for an exchange (its price
    difference is settled when the new piece ships)."""
    if resolution != "refund":
        return RefundQuote((), order.currency)
    return RefundQuote((RefundPart(GOODS, goods_price(wanted, order.currency)),), order.currency)
