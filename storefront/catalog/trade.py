"""What trade buyers see of a variant: the least they order, the step they order in, and
their quantity breaks (cheaper from N units). One service checks and saves all three, for
the back office, the admin API and the demo seed alike. It flushes and never commits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from channels.money import InvalidMoney, Money

from ..db import db
from ..errors import InputError
from ..markets.tables import Channel, ChannelPrice, PriceTier
from .tables import Variant


class TradeTermsError(InputError):
    """Trade terms the shop refuses; `field` names the part (minimum, step, a break)."""

    code = "invalid_trade_terms"


@dataclass(frozen=True)
class PriceBreak:
    min_quantity: int  # from this many units (more than 1)
    amount: Decimal  # the unit price, in the channel's currency or the base currency


def _whole(value, field: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise TradeTermsError(f"{field} must be a whole number of at least {least}.", field=field)
    return value


def _chargeable(amount: Decimal, currency: str, field: str) -> None:
    """A card takes BHD, KWD, OMR (three decimals) only in tens of the smallest unit."""
    money = Money(amount, currency)
    if money.is_rounded and money != money.rounded(stripe=True):
        raise TradeTermsError(
            f"Cards are charged {currency} amounts ending in 0, like "
            f"{money.rounded(stripe=True).as_string()}: {amount} could not be paid by card.",
            field=field,
        )


def check_quantities(min_quantity: int, step: int) -> tuple[int, int]:
    """A trade minimum and step: whole numbers of at least 1."""
    return _whole(min_quantity, "min_quantity", 1), _whole(step, "step", 1)


def set_trade_terms(
    variant: Variant,
    *,
    min_quantity: int = 1,
    step: int = 1,
    breaks: list[PriceBreak] = (),
    channel: Channel | None = None,
) -> list[PriceTier]:
    """Set a variant's trade minimum and step, and replace its quantity breaks (of one
    channel, or base-currency ones converted like the base price when `channel` is None).
    Each break is a bigger quantity at a lower unit price than the one before, and below
    the variant's own price when in the base currency."""
    min_quantity, step = check_quantities(min_quantity, step)
    chosen: list[PriceBreak] = []
    for i, price_break in enumerate(sorted(breaks, key=lambda b: b.min_quantity)):
        field = f"breaks[{i}]"
        _whole(price_break.min_quantity, f"{field}.min_quantity", 2)
        if not isinstance(price_break.amount, Decimal) or not price_break.amount > 0:
            raise TradeTermsError("A break's price must be more than zero.", field=field)
        if chosen and price_break.min_quantity == chosen[-1].min_quantity:
            raise TradeTermsError("Two breaks start at the same quantity.", field=field)
        if chosen and price_break.amount >= chosen[-1].amount:
            raise TradeTermsError(
                "A break for more units must be cheaper than the one before.", field=field
            )
        if channel is not None:
            _chargeable(price_break.amount, channel.currency, field)
        if channel is None and price_break.amount >= variant.price_amount:
            raise TradeTermsError(
                "A break must be cheaper than the variant's own price.", field=field
            )
        chosen.append(price_break)
    variant.wholesale_min_quantity = min_quantity
    variant.wholesale_step = step
    channel_id = channel.id if channel is not None else None
    # Row by row, not one DELETE statement, so the audit log sees which breaks went;
    # flushed before the new ones go in (the same quantities may come back).
    for tier in db.session.scalars(
        select(PriceTier).where(
            PriceTier.variant_id == variant.id,
            PriceTier.channel_id.is_(None)
            if channel_id is None
            else PriceTier.channel_id == channel_id,
        )
    ).all():
        db.session.delete(tier)
    db.session.flush()
    tiers = [
        PriceTier(
            variant_id=variant.id,
            channel_id=channel_id,
            min_quantity=b.min_quantity,
            amount=b.amount,
        )
        for b in chosen
    ]
    db.session.add_all(tiers)
    db.session.flush()
    return tiers


def set_channel_price(variant: Variant, channel: Channel, amount: Decimal | None) -> None:
    """A variant's explicit price in a channel's currency (it wins over conversion); None
    removes it, so the channel converts the base price again."""
    existing = db.session.scalar(
        select(ChannelPrice).where(
            ChannelPrice.variant_id == variant.id, ChannelPrice.channel_id == channel.id
        )
    )
    if amount is None:
        if existing is not None:
            db.session.delete(existing)
        db.session.flush()
        return
    try:
        price = Money(amount, channel.currency)
    except (InvalidMoney, TypeError):
        raise TradeTermsError(
            f"The price must be an amount in {channel.currency}.", field="price"
        ) from None
    if not price.amount > 0:
        raise TradeTermsError("The price must be more than zero.", field="price")
    if not price.is_rounded:
        raise TradeTermsError(
            f"{channel.currency} prices have fewer decimals than {amount}.", field="price"
        )
    _chargeable(price.amount, channel.currency, "price")
    if existing is None:
        db.session.add(ChannelPrice(variant_id=variant.id, channel_id=channel.id, amount=amount))
    else:
        existing.amount = amount
    db.session.flush()
