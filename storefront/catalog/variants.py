"""A product's variants after it was created: add one, change its options, price and trade
quantities, archive and restore it. An archived variant is no longer sold, and the orders
and carts that point at it keep it; a product keeps at least one variant on sale. The
services validate as the CSV import does, flush and never commit."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from channels.money import InvalidMoney, Money

from ..db import db
from .operations import CatalogError, VariantInput, check_variant
from .tables import Product, Variant
from .trade import TradeTermsError, check_quantities


def options_text(options: dict[str, str]) -> str:
    text = ";".join(f"{key}={value}" for key, value in options.items())
    if len(text) > 200:
        raise CatalogError("The options are longer than 200 characters together.", field="options")
    return text


def _price(product: Product, amount: Decimal) -> Money:
    try:
        return Money(amount, product.price_currency)
    except (InvalidMoney, TypeError):
        raise CatalogError(
            f"The price must be an amount in {product.price_currency}.", field="price"
        ) from None


def _quantities(min_quantity: int, step: int) -> tuple[int, int]:
    try:
        return check_quantities(min_quantity, step)
    except TradeTermsError as error:
        raise CatalogError(error.message, field=error.field) from None


def refresh_from_price(product: Product) -> None:
    """The product's from-price: its cheapest variant on sale."""
    product.from_price_amount = min(v.price_amount for v in product.live_variants)


def add_variant(
    product: Product, data: VariantInput, *, min_quantity: int = 1, step: int = 1
) -> Variant:
    """A new variant of `product`, on sale at once; its SKU is unique across the shop."""
    check_variant(data, product.price_currency)
    text = options_text(data.options)
    min_quantity, step = _quantities(min_quantity, step)
    if db.session.scalar(select(Variant.id).where(Variant.sku == data.sku)) is not None:
        raise CatalogError(f"SKU {data.sku} is already used.", field="sku")
    variant = Variant(
        sku=data.sku,
        options_text=text,
        price_amount=data.price.amount,
        price_currency=data.price.currency,
        wholesale_min_quantity=min_quantity,
        wholesale_step=step,
    )
    product.variants.append(variant)
    refresh_from_price(product)
    db.session.flush()
    return variant


def edit_variant(
    variant: Variant,
    *,
    options: dict[str, str] | None = None,
    price: Decimal | None = None,
    min_quantity: int | None = None,
    step: int | None = None,
) -> Variant:
    """Change what is given (None: unchanged). Placed orders keep what they were sold at."""
    product = variant.product
    amount = variant.price_amount if price is None else price
    checked = VariantInput(
        variant.sku,
        _price(product, amount),
        variant.options if options is None else options,
    )
    check_variant(checked, product.price_currency)
    text = options_text(checked.options)
    min_quantity, step = _quantities(
        variant.wholesale_min_quantity if min_quantity is None else min_quantity,
        variant.wholesale_step if step is None else step,
    )
    variant.options_text = text
    variant.price_amount = checked.price.amount
    variant.wholesale_min_quantity = min_quantity
    variant.wholesale_step = step
    refresh_from_price(product)
    db.session.flush()
    return variant


def archive_variant(variant: Variant) -> Variant:
    """Stop selling the variant; refused for the product's last variant on sale."""
    product = variant.product
    if variant.is_archived:
        return variant
    if [v.id for v in product.live_variants] == [variant.id]:
        raise CatalogError(
            f"{variant.sku} is the last variant on sale: add another, or unpublish the product.",
            field="sku",
        )
    variant.is_archived = True
    refresh_from_price(product)
    db.session.flush()
    return variant


def restore_variant(variant: Variant) -> Variant:
    variant.is_archived = False
    refresh_from_price(variant.product)
    db.session.flush()
    return variant


def variant_of(product: Product, sku: str) -> Variant | None:
    return next((v for v in product.variants if v.sku == sku), None)
