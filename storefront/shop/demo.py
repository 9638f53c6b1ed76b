"""Seed a believable demo jewelry shop: markets, partners, catalog, stock, pictures, users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from channels.money import Money
from models_ import WAREHOUSE

from .. import clock
from ..accounts.operations import (
    TEAM_ROLES,
    create_user,
    invite_user,
    password_token,
    set_password_with,
)
from ..accounts.tables import User
from ..catalog.operations import ProductInput, VariantInput, create_product, lookup_tables
from ..catalog.tables import Brand, Category, Grade, Product, Variant
from ..catalog.taxonomy import BrandInput, CategoryInput, save_brand, save_category
from ..catalog.trade import PriceBreak, set_trade_terms
from ..compliance.operations import PROFILE_ID
from ..compliance.tables import ComplianceProfile
from ..db import db
from ..fulfilment import registry
from ..fulfilment.partners import (
    AgentInput,
    MakerInput,
    SupplierInput,
    save_agent,
    save_maker,
    save_supplier,
)
from ..fulfilment.stock import SYSTEM, receive_new_stock
from ..fulfilment.tables import AgentCompany, Maker, Supplier, Warehouse
from ..fulfilment.warehouses import WarehouseInput, create_warehouse
from ..markets.channels_admin import ChannelInput, save_channel, set_rate
from ..markets.tables import Channel
from ..shipping.operations import MethodInput, ZoneInput, save_method, save_zone
from ..webhooks.operations import grant_supplier_access
from .demo_bulk import bulk_products
from .demo_catalog import (
    AGENTS,
    BRANDS,
    CATEGORIES,
    DEMO_PRODUCTS,
    EU_COUNTRIES,
    HS_CODE_BY_MATERIAL,
    MAKERS,
    QC_NOT_INSPECTED,
    RETURN_ADDRESSES,
    SUPPLIERS,
    WAREHOUSES,
    WHOLESALE,
    DemoProduct,
)
from .demo_companies import seed_companies
from .demo_orders import seed_orders
from .demo_pages import seed_legal_pages
from .demo_paperwork import seed_paperwork
from .demo_rates import date_rates
from .demo_texts import BRAND_NAMES, CATEGORY_NAMES, PRODUCT_TEXTS, SHIPPING_METHOD_NAMES
from .images import KIND_BY_CATEGORY, product_svg, write_image

DEMO_CURRENCY = "USD"
# (code, name, currency, countries, locales, tax display, duties, rounding of converted prices)
CHANNELS = (
    ("eu", "European Union", "EUR", EU_COUNTRIES, "en de fr es", "gross", "ddp", "ending:0.99"),
    ("uk", "United Kingdom", "GBP", "GB", "en", "gross", "ddp", "ending:0.99"),
    ("us", "United States", "USD", "US", "en", "net", "dap", "ending:0.99"),
    ("jp", "Japan", "JPY", "JP", "ja en", "gross", "dap", "step:10"),
    ("au", "Australia", "AUD", "AU", "en", "gross", "ddp", "ending:0.95"),
    ("ch", "Switzerland & Liechtenstein", "CHF", "CH LI", "de fr en", "gross", "dap", "step:0.05"),
    # SAR and AED follow the USD rate at their dollar pegs (channels.fx.USD_PEGS)
    ("sa", "Saudi Arabia", "SAR", "SA", "ar en", "gross", "dap", "precision"),
    ("ae", "United Arab Emirates", "AED", "AE", "ar en", "gross", "dap", "precision"),
    ("gulf", "Gulf states", "KWD", "KW QA BH OM", "ar en", "gross", "dap", "precision"),
)
# Goods worth this much (channel currency) ship free by the cheapest method.
FREE_SHIPPING_OVER = {"eu": "150", "uk": "120", "us": "150", "jp": "20000", "au": "250",
                      "ch": "150", "sa": "600", "ae": "600", "gulf": "50"}  # fmt: skip
# (zone, name, countries, position, [(method, name, currency, bands "grams price" a line)])
SHIPPING = (
    ("europe", "Europe", f"{EU_COUNTRIES} GB CH LI NO", 0, [
        ("standard", "Standard parcel", "EUR", "250 4.90\n1000 8.90\n5000 16.00"),
        ("express", "Express courier", "EUR", "1000 19.00\n5000 29.00"),
    ]),
    ("world", "Rest of the world", "*", 1, [
        ("standard", "Tracked airmail", "USD", "250 9.00\n1000 18.00\n5000 42.00"),
        ("express", "Express courier", "USD", "1000 35.00\n5000 60.00"),
    ]),
)  # fmt: skip
# The ECB publishes no KWD: the demo enters a dated rate as a merchant would (flask fx set).
# XDR: the IMF's SDR, which picks a parcel's CN22 or CN23 (export documents).
DEMO_MANUAL_RATES = {"KWD": Decimal("0.3561"), "XDR": Decimal("0.8560")}
# The seller's numbers the export documents print (a made-up EORI of the right shape).
DEMO_EORI = "DE123456789012345"
DEMO_SELLER_ADDRESS = "Lumen & Loom GmbH\nHafenstraße 9\n20457 Hamburg\nGermany"
DEMO_SELLER = {"name": "Lumen & Loom GmbH", "street_address": "Hafenstraße 9", "city": "Hamburg",
               "postal_code": "20457", "country": "DE", "phone": "+49 40 32901234"}  # fmt: skip
# (e-mail, password, role, name): printed at the end, so only ever created in DEMO mode.
DEMO_USERS = (
    ("owner@demo.shop", "demo-owner-password", "owner", "Demo Owner"),
    ("agent@demo.shop", "demo-agent-password", "agent", "Demo Agent"),
    ("staff@demo.shop", "demo-staff-password", "staff", "Demo Staff"),
    # A trade buyer: signs in at /login, shops at wholesale tiers, may pay by bank transfer.
    ("trade@demo.shop", "demo-trade-password", "wholesale", "Demo Trade Buyer"),
    # Works in the supplier portal (/supplier) for the dropship supplier.
    ("supplier@demo.shop", "demo-supplier-password", "supplier", "Demo Supplier"),
)
DEMO_SUPPLIER = "siam-silver-dropship"  # the supplier the demo supplier user acts for
FLUSH_EVERY = 500  # products per flush: big enough for bulk INSERTs, small enough for memory


@dataclass
class SeedResult:
    products: int = 0
    variants: int = 0
    brands: int = 0
    categories: int = 0
    channels: int = 0
    images: int = 0
    stocked_variants: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (e-mail, password, role)
    orders: list[str] = field(default_factory=list)  # paid demo orders, waiting to ship
    trade_terms: int = 0  # variants with a trade minimum and quantity breaks
    companies: int = 0  # trade companies (demo_companies)
    # the paperwork (demo_paperwork): {"packed": group, "accepted": quote, "sent": quote}
    paperwork: dict = field(default_factory=dict)


def product_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Product)) or 0


def seed_demo(
    *,
    extra_products: int = 0,
    with_users: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SeedResult | None:
    """Fill an empty shop; None (and nothing added) when it has products. Never commits."""
    if product_count():
        return None
    result = SeedResult(channels=_seed_channels())
    _seed_shipping()
    result.brands, result.categories = _seed_brands_and_categories()
    _seed_partners()
    _seed_compliance()
    db.session.flush()
    seed_legal_pages()  # after the channels: the withdrawal page names their return days

    brands, categories = lookup_tables()
    lookups = dict(brands=brands, categories=categories, taken_slugs=set(),
                   taken_skus=set(db.session.scalars(select(Variant.sku))))  # fmt: skip
    written: set[str] = set()
    stocked: list[tuple[Variant, bool]] = []  # (variant, hand-written?)
    hand_written = (_from_demo(d, n, written) for n, d in enumerate(DEMO_PRODUCTS, 1))
    generated = bulk_products(extra_products, DEMO_CURRENCY, written)
    # The taken sets guard uniqueness, so the models' settings look-ups need not flush each product.
    with db.session.no_autoflush:
        for source in (hand_written, generated):
            for data in source:
                product = create_product(data, DEMO_CURRENCY, **lookups)
                result.products += 1
                result.variants += len(product.variants)
                if _from_warehouses(product):
                    stocked.extend((v, source is hand_written) for v in product.variants)
                if result.products % FLUSH_EVERY == 0:
                    db.session.flush()
                if progress is not None:
                    progress(1)
    db.session.flush()
    result.stocked_variants = _seed_stock(stocked)
    result.trade_terms = _seed_trade_terms([v for v, hand_written in stocked if hand_written])
    result.images = len(written)
    result.companies = seed_companies(with_buyer=False)
    if with_users:
        result.users = _seed_users()
        db.session.flush()
        seed_companies(with_buyer=True)
        result.orders = seed_orders(DEMO_SUPPLIER)
        result.paperwork = seed_paperwork(DEMO_SUPPLIER)
    db.session.flush()
    return result


def _seed_channels() -> int:
    """The markets, through the service the back office and the admin API use."""
    have = set(db.session.scalars(select(Channel.code)))
    added = 0
    for position, (code, name, currency, countries, locales, tax, duties, rule) in enumerate(
        CHANNELS
    ):
        if code not in have:
            save_channel(
                ChannelInput(code, name, currency, countries, locales, tax, duties, rule,
                             FREE_SHIPPING_OVER[code], position)
            )  # fmt: skip
            added += 1
    today = clock.today()
    for currency, rate in DEMO_MANUAL_RATES.items():
        set_rate(currency, rate, today)
    date_rates(today)  # no stale-rates warning on the demo's first day
    return added


def _seed_shipping() -> None:
    for zone, name, countries, position, methods in SHIPPING:
        save_zone(ZoneInput(zone, name, countries, position))
        for place, (code, method_name, currency, bands) in enumerate(methods):
            save_method(
                MethodInput(zone, code, method_name, currency, bands, position=place,
                            names=SHIPPING_METHOD_NAMES[method_name])
            )  # fmt: skip


def _seed_brands_and_categories() -> tuple[int, int]:
    have_brands = set(db.session.scalars(select(Brand.slug)))
    have_categories = set(db.session.scalars(select(Category.slug)))
    brands = [
        save_brand(BrandInput(slug, name, country, BRAND_NAMES.get(slug)))
        for slug, name, country, *_ in BRANDS
        if slug not in have_brands
    ]
    categories = [
        save_category(CategoryInput(slug, name, position, CATEGORY_NAMES[slug]))
        for position, (slug, name) in enumerate(CATEGORIES)
        if slug not in have_categories
    ]
    return len(brands), len(categories)


def _seed_compliance() -> None:
    """The seller's EORI and address for the export documents, unless the shop has them."""
    if db.session.get(ComplianceProfile, PROFILE_ID) is None:
        db.session.add(
            ComplianceProfile(
                id=PROFILE_ID,
                eori=DEMO_EORI,
                seller_address=DEMO_SELLER_ADDRESS,
                seller=DEMO_SELLER,
            )
        )


def _seed_partners() -> None:
    """The workshop, agent company, suppliers and warehouses the products' settings name,
    through the services of the back office's partner and warehouse pages."""
    have = {
        table: set(db.session.scalars(select(table.code)))
        for table in (Maker, AgentCompany, Supplier, Warehouse)
    }
    for code, name, country in MAKERS:
        if code not in have[Maker]:
            save_maker(MakerInput(code, name, country, RETURN_ADDRESSES[code]))
    brand_ids = dict(db.session.execute(select(Brand.slug, Brand.id)).all())
    for code, name, country, (low, high), returns, rate, entrusted in AGENTS:
        if code not in have[AgentCompany]:
            save_agent(
                AgentInput(code, name, country, low, high, returns, Decimal(rate),
                           tuple(brand_ids[slug] for slug in entrusted),
                           return_address=RETURN_ADDRESSES[code])
            )  # fmt: skip
    for code, name, kind, country, (low, high) in SUPPLIERS:
        if code not in have[Supplier]:
            save_supplier(
                SupplierInput(code, name, country, kind, low, high, RETURN_ADDRESSES[code])
            )
    for code, name, country, serves in WAREHOUSES:
        if code not in have[Warehouse]:
            create_warehouse(code, WarehouseInput(name, country, serves, RETURN_ADDRESSES[code]))


def _from_warehouses(product: Product) -> bool:
    """Whether the product's model ships from the shop's warehouses (so it needs stock)."""
    operator = registry().get(product.selling_model).operator(product.selling_model_settings or {})
    return operator.kind == WAREHOUSE


def _seed_stock(variants: list[tuple[Variant, bool]]) -> int:
    """Units of every wholesale variant in Shenzhen; the hand-written ones in Rotterdam too,
    each level with its `received` movement."""
    warehouses = dict(db.session.execute(select(Warehouse.code, Warehouse.id)).all())
    rows = []
    for variant, hand_written in variants:
        rows.append((warehouses["shenzhen"], variant.id, 20 + (variant.id * 7) % 60))
        if hand_written:
            rows.append((warehouses["rotterdam"], variant.id, 5 + (variant.id * 3) % 15))
    receive_new_stock(rows, note="demo seed", actor=SYSTEM)
    return len(variants)


# What trade buyers get on the hand-written stock pieces: at least 2 units, and cheaper
# from 10 and from 50 (a share of the piece's own price).
TRADE_MINIMUM = 2
TRADE_BREAKS = ((10, Decimal("0.90")), (50, Decimal("0.80")))


def _seed_trade_terms(variants: list[Variant]) -> int:
    for variant in variants:
        breaks = [
            PriceBreak(units, (variant.price_amount * share).quantize(Decimal("0.01")))
            for units, share in TRADE_BREAKS
        ]
        set_trade_terms(variant, min_quantity=TRADE_MINIMUM, breaks=breaks)
    return len(variants)


def _seed_users() -> list[tuple[str, str, str]]:
    """The demo's team, invited as the Team page invites and given their demo passwords
    through the invitation's set-password link."""
    have = set(db.session.scalars(select(User.email)))
    # The demo agent works for the first agent company, which runs the Italian-style brand.
    agent_id = db.session.scalar(select(AgentCompany.id).where(AgentCompany.code == AGENTS[0][0]))
    users = []
    for email, password, role, name in DEMO_USERS:
        if email not in have:
            if role in TEAM_ROLES:
                user = invite_user(email, role, name, agent_id if role == "agent" else None)
                set_password_with(password_token(user), password)
            else:  # a buyer signs up with a password of their own
                user = create_user(email, password, role, name=name)
            if role == "supplier":
                grant_supplier_access(user, DEMO_SUPPLIER)
        users.append((email, password, role))
    return users


_BRAND_INFO = {slug: (prefix, model, settings) for slug, _, _, prefix, model, settings in BRANDS}


def _sku(prefix: str, number: int, options: dict[str, str], index: int) -> str:
    # Readable SKUs: brand, piece number, then the option values (SLS-001-7, SLS-023-18KGOLD).
    suffix = "".join(ch for ch in "-".join(options.values()).upper() if ch.isalnum() or ch == "-")
    return f"{prefix}-{number:03d}-{suffix or index + 1}"[:64]


def _from_demo(demo: DemoProduct, number: int, written: set[str]) -> ProductInput:
    prefix, usual_model, usual_settings = _BRAND_INFO[demo.brand]
    model = demo.selling_model or usual_model
    kind = KIND_BY_CATEGORY[demo.category]
    svg = product_svg(kind, demo.material, demo.stone, title=demo.name)
    image = write_image(f"products/{demo.slug}.svg", svg)
    written.add(image)
    length, width, height = demo.size_mm
    return ProductInput(
        slug=demo.slug,
        name=demo.name,
        description=demo.description,
        brand=demo.brand,
        category=demo.category,
        hs_code=HS_CODE_BY_MATERIAL[demo.material],
        origin_country=demo.origin,
        material=demo.material,
        weight_grams=demo.weight_grams,
        length_mm=length,
        width_mm=width,
        height_mm=height,
        grade=demo.grade,
        qc_status=QC_NOT_INSPECTED if demo.grade == Grade.SKIP_ORDER else None,
        selling_model=model,
        # A piece sold off the brand's usual model is stock the shop bought in.
        selling_model_settings=dict(usual_settings if model == usual_model else WHOLESALE),
        variants=[
            VariantInput(
                sku=_sku(prefix, number, options, i),
                price=Money(Decimal(price), DEMO_CURRENCY),
                options=options,
            )
            for i, (options, price) in enumerate(demo.variants)
        ],
        texts=dict(PRODUCT_TEXTS.get(demo.slug, {})),
        images=[(image, demo.name)],
    )
