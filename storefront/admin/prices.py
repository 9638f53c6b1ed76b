"""A product's channel prices and trade tiers in the back office: per variant its trade
minimum and step, its base-currency quantity breaks, and per channel its explicit price
(blank: the channel converts the base price) and quantity breaks. The rules are
`catalog.trade`'s; every field's problem is shown at once and nothing is half-saved."""

from __future__ import annotations

from flask import flash, redirect, request
from sqlalchemy import select

from ..catalog.tables import Product, Variant
from ..catalog.trade import (
    PriceBreak,
    TradeTermsError,
    check_quantities,
    set_channel_price,
    set_trade_terms,
)
from ..db import db
from ..markets.tables import Channel, ChannelPrice, PriceTier
from ..mount import render_template, url_for
from . import bp
from .products import _decimal, _visible_product
from .scope import scoped_view

BASE = "base"  # the breaks in the base currency, beside the channels' codes


def _channels() -> list[Channel]:
    return db.session.scalars(
        select(Channel).where(Channel.is_active.is_(True)).order_by(Channel.position, Channel.id)
    ).all()


def _breaks_text(tiers: list[PriceTier]) -> str:
    ordered = sorted(tiers, key=lambda t: t.min_quantity)
    return ", ".join(f"{t.min_quantity}={t.amount.normalize():f}" for t in ordered)


def _current_inputs(product: Product, channels: list[Channel]) -> dict[str, str]:
    """Every input of the page by name, as saved."""
    ids = [v.id for v in product.variants]
    prices = {
        (p.variant_id, p.channel_id): p.amount
        for p in db.session.scalars(select(ChannelPrice).where(ChannelPrice.variant_id.in_(ids)))
    }
    tiers: dict[tuple[int, int | None], list[PriceTier]] = {}
    for tier in db.session.scalars(select(PriceTier).where(PriceTier.variant_id.in_(ids))):
        tiers.setdefault((tier.variant_id, tier.channel_id), []).append(tier)
    inputs = {}
    for v in product.variants:
        inputs[f"min-{v.sku}"] = str(v.wholesale_min_quantity)
        inputs[f"step-{v.sku}"] = str(v.wholesale_step)
        inputs[f"breaks-{v.sku}-{BASE}"] = _breaks_text(tiers.get((v.id, None), []))
        for c in channels:
            amount = prices.get((v.id, c.id))
            inputs[f"price-{v.sku}-{c.code}"] = "" if amount is None else f"{amount.normalize():f}"
            inputs[f"breaks-{v.sku}-{c.code}"] = _breaks_text(tiers.get((v.id, c.id), []))
    return inputs


def _breaks(raw: str) -> list[PriceBreak]:
    """ "10=45.00, 50=40.00" as breaks; ValueError for anything else."""
    breaks = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        quantity, _, price = part.partition("=")
        if not quantity.strip().isdigit():
            raise ValueError(part)
        breaks.append(PriceBreak(int(quantity), _decimal(price)))
    return breaks


def _whole(raw: str) -> int:
    raw = (raw or "").strip()
    if not raw.isdigit():
        raise ValueError(raw)
    return int(raw)


def _save_variant(variant: Variant, channels: list[Channel], form) -> dict[str, str]:
    """Save one variant's terms from the form; returns the refused inputs (name: message)."""
    sku, errors = variant.sku, {}
    quantities = variant.wholesale_min_quantity, variant.wholesale_step
    try:
        quantities = check_quantities(
            _whole(form.get(f"min-{sku}")), _whole(form.get(f"step-{sku}"))
        )
    except TradeTermsError as error:  # before ValueError: it is one
        errors[f"{'step' if error.field == 'step' else 'min'}-{sku}"] = error.message
    except ValueError:
        errors[f"min-{sku}"] = "Enter whole numbers of at least 1 for the minimum and step."
    for channel in [None, *channels]:
        code = channel.code if channel is not None else BASE
        if channel is not None:
            name = f"price-{sku}-{code}"
            raw = (form.get(name) or "").strip()
            try:
                set_channel_price(variant, channel, _decimal(raw) if raw else None)
            except TradeTermsError as error:
                errors[name] = error.message
            except ValueError:
                errors[name] = f"Enter a price in {channel.currency} like 49.00, or leave blank."
        name = f"breaks-{sku}-{code}"
        try:
            breaks = _breaks(form.get(name) or "")
            set_trade_terms(
                variant,
                min_quantity=quantities[0],
                step=quantities[1],
                breaks=breaks,
                channel=channel,
            )
        except TradeTermsError as error:
            errors[name] = error.message
        except ValueError:
            errors[name] = "Write breaks as quantity=unit price, separated by commas: 10=45.00."
    return errors


@bp.route("/products/<slug>/prices", methods=["GET", "POST"])
@scoped_view
def product_prices(slug: str):
    product = _visible_product(slug)
    channels = _channels()
    errors: dict[str, str] = {}
    inputs = _current_inputs(product, channels)
    if request.method == "POST":
        for variant in product.live_variants:
            errors.update(_save_variant(variant, channels, request.form))
        if not errors:
            db.session.commit()
            flash("Saved the channel prices and trade tiers.", "success")
            return redirect(url_for("admin.product_prices", slug=slug), 303)
        db.session.rollback()
        product = _visible_product(slug)
        inputs.update({k: v for k, v in request.form.items() if k in inputs})
    return render_template(
        "admin/product_prices.html",
        product=product,
        channels=channels,
        inputs=inputs,
        errors=errors,
        base=BASE,
    ), (422 if errors else 200)
