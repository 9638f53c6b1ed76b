"""Fixtures: the app on a migrated database (SQLite, or PostgreSQL via TEST_DATABASE_URL)."""

from __future__ import annotations

import os
import threading
from decimal import Decimal

import pytest
import sqlalchemy
from hypothesis import settings
from sqlalchemy import create_engine, event, text
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from channels.money import Money
from feeds import ecb_document, serving_feeds
from smtp_server import smtp_server  # noqa: F401 (fixture)
from storefront import create_app
from storefront.accounts.throttle import EXTENSION as LOGIN_THROTTLE
from storefront.config import normalise_database_url
from storefront.db import db
from storefront.schema import upgrade

BASE_CURRENCY = "USD"

# A busy machine (other suites, CI neighbours) must never fail a property: no per-example deadline.
settings.register_profile("storefront", deadline=None)
settings.load_profile("storefront")


def _fresh_postgres(url: str) -> str:
    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return normalise_database_url(url)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return _fresh_postgres(url)
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


SUITE_LIMITS = {
    "RATE_LIMIT_CART_CREATION": "100000 per minute",
    "RATE_LIMIT_CHECKOUT": "100000 per minute",
    "RATE_LIMIT_SUPPLIER_API": "100000 per minute",
    "RATE_LIMIT_ADMIN_API": "100000 per minute",
    "HOLD_MAX_VARIANT_UNITS": 100000,
    "HOLD_MAX_ORDER_UNITS": 100000,
    "HOLD_MAX_CLIENT_UNITS": 100000,
}


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "MEDIA_FOLDER": str(tmp_path_factory.mktemp("media")),
            "WTF_CSRF_ENABLED": False,
            "BASE_CURRENCY": BASE_CURRENCY,
            "LISTING_CACHE_SECONDS": 0,
            "FX_CACHE_SECONDS": 0,
            # The suite makes many carts and orders from 127.0.0.1: room for it, while
            # tests/test_limits.py meets the real defaults.
            **SUITE_LIMITS,
        }
    )
    with app.app_context():
        upgrade()  # the real Alembic migrations, never create_all
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _empty_all_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for name in reversed(tables):
                    conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def app(_app):
    yield _app
    _empty_all_tables(_app)
    _app.extensions["storefront_limits"].reset()  # each test starts with no requests counted
    _app.extensions[LOGIN_THROTTLE].reset()  # one test's wrong passwords are not the next's


@pytest.fixture
def ctx(app):
    """An app context for calling services directly."""
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """Use as `with count_queries() as counted: ...; counted.n`."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        class Counter:
            n = 0
            statements: list[str] = []

        counter = Counter()
        counter.statements = []

        def before(conn, cursor, statement, parameters, context, executemany):
            counter.n += 1
            counter.statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def spare_database(database_url, tmp_path):
    """An empty database of the test's own (a host app's, an old shop's): a fresh PostgreSQL
    database beside the test one, or a SQLite file."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path}/host.sqlite3"
        return
    server = sqlalchemy.create_engine(database_url, isolation_level="AUTOCOMMIT")
    name = f"{sqlalchemy.make_url(database_url).database}_spare"
    with server.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    yield normalise_database_url(
        sqlalchemy.make_url(database_url).set(database=name).render_as_string(hide_password=False)
    )
    with server.connect() as conn:
        conn.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


# factories -------------------------------------------------------------------


@pytest.fixture
def make_brand(app):
    from storefront.catalog.tables import Brand

    def make(slug: str = "aurora", name: str | None = None, country: str = "CN") -> Brand:
        with app.app_context():
            brand = db.session.query(Brand).filter_by(slug=slug).one_or_none()
            if brand is None:
                brand = Brand(slug=slug, name=name or slug.title(), country=country)
                db.session.add(brand)
                db.session.commit()
            return brand.id

    return make


@pytest.fixture
def make_category(app):
    from storefront.catalog.tables import Category

    def make(slug: str = "rings", name: str | None = None, position: int = 0) -> int:
        with app.app_context():
            category = db.session.query(Category).filter_by(slug=slug).one_or_none()
            if category is None:
                category = Category(slug=slug, name=name or slug.title(), position=position)
                db.session.add(category)
                db.session.commit()
            return category.id

    return make


@pytest.fixture
def product_input():
    """A valid ProductInput; keyword arguments override fields."""
    from storefront.catalog.operations import ProductInput, VariantInput

    counter = iter(range(1, 1_000_000))

    def build(**overrides) -> ProductInput:
        n = next(counter)
        slug = overrides.pop("slug", f"silver-ring-{n}")
        prices = overrides.pop("prices", ["49.00"])
        fields = dict(
            slug=slug,
            name=f"Silver ring {n}",
            brand="aurora",
            category="rings",
            hs_code="7113.11",
            origin_country="CN",
            material="sterling silver",
            weight_grams=6,
            length_mm=22,
            width_mm=22,
            height_mm=4,
            grade="none",
            selling_model="wholesale_retail",
            description="A plain band in 925 silver.",
            variants=[
                VariantInput(
                    sku=f"{slug.upper()}-{i}",
                    price=Money(Decimal(p), BASE_CURRENCY),
                    options={"size": str(6 + i)},
                )
                for i, p in enumerate(prices)
            ],
        )
        fields.update(overrides)
        return ProductInput(**fields)

    return build


@pytest.fixture
def make_product(app, make_brand, make_category, product_input):
    """Create a product (and its brand and category) and return its slug."""
    from storefront.catalog.operations import create_product

    def make(**overrides) -> str:
        data = product_input(**overrides)
        make_brand(data.brand)
        make_category(data.category)
        with app.app_context():
            create_product(data, BASE_CURRENCY)
            db.session.commit()
        return data.slug

    return make


CHANNELS = {
    "us": dict(
        name="United States",
        currency="USD",
        countries_text="US",
        locales_text="en",
        tax_display="net",
        rounding_rule="precision",
    ),
    "eu": dict(
        name="Europe",
        currency="EUR",
        countries_text="DE FR IT ES NL AT",
        locales_text="en de fr es",
        tax_display="gross",
        rounding_rule="ending:0.99",
    ),
    "jp": dict(
        name="Japan",
        currency="JPY",
        countries_text="JP",
        locales_text="ja en",
        tax_display="gross",
        rounding_rule="step:10",
    ),
    "gulf": dict(
        name="Gulf",
        currency="KWD",
        countries_text="KW SA AE",
        locales_text="ar en",
        tax_display="gross",
        rounding_rule="precision",
    ),
    "ch": dict(
        name="Switzerland",
        currency="CHF",
        countries_text="CH LI",
        locales_text="de fr en",
        tax_display="gross",
        rounding_rule="step:0.05",
    ),
    # Gulf countries in their own currencies, pegged to the dollar (fx.USD_PEGS)
    "sa": dict(
        name="Saudi Arabia",
        currency="SAR",
        countries_text="SA",
        locales_text="ar en",
        tax_display="gross",
        rounding_rule="precision",
    ),
    "ae": dict(
        name="United Arab Emirates",
        currency="AED",
        countries_text="AE",
        locales_text="ar en",
        tax_display="gross",
        rounding_rule="precision",
    ),
    "bh": dict(
        name="Bahrain",
        currency="BHD",
        countries_text="BH",
        locales_text="ar en",
        tax_display="gross",
        rounding_rule="precision",
    ),
}


@pytest.fixture
def make_shipping(app):
    """A shipping zone with one method: make_shipping("eu", "DE FR", {500: "4.90"}, "EUR").

    Bands map the upper weight in grams to the price in `currency`.
    """
    from storefront.shipping.operations import MethodInput, ZoneInput, save_method, save_zone

    def make(
        zone="world",
        countries="*",
        bands=None,
        currency=BASE_CURRENCY,
        method="standard",
        name=None,
        position=0,
    ) -> int:
        bands = bands or {30_000: "0"}
        with app.app_context():
            save_zone(ZoneInput(zone, zone.title(), countries, position))
            saved = save_method(
                MethodInput(
                    zone=zone,
                    code=method,
                    name=name or method.title(),
                    currency=currency,
                    bands="\n".join(f"{grams} {price}" for grams, price in bands.items()),
                    position=position,
                )
            )
            db.session.commit()
            return saved.id

    return make


@pytest.fixture
def make_channel(app, make_shipping):
    """Create a channel like the demo's (us, eu, jp, gulf, ch); keywords override.

    Unless shipping=False, the shop also gets a free worldwide method (up to 30 kg) the
    first time, so carts can check out; tests about shipping set their own zones.
    """
    from storefront.markets.tables import Channel
    from storefront.shipping.tables import ShippingZone

    def make(code: str = "us", position: int | None = None, shipping=True, **overrides) -> int:
        fields = {**CHANNELS[code], **overrides}
        with app.app_context():
            if shipping and db.session.query(ShippingZone).count() == 0:
                make_shipping()
            channel = Channel(
                code=code,
                position=position if position is not None else list(CHANNELS).index(code),
                **fields,
            )
            db.session.add(channel)
            db.session.commit()
            return channel.id

    return make


@pytest.fixture
def rates(app):
    """Store a known day of ECB rates: 1 EUR = 1.25 USD = 160 JPY = 0.95 CHF = 0.85 GBP.

    The ECB publishes no KWD; pass KWD="0.35" to stand in for a merchant's rate.
    """
    import datetime

    from channels.fx import RateSet
    from storefront.markets import rates as shop_rates

    def store(day=datetime.date(2026, 11, 20), **overrides):
        values = {"USD": "1.25", "JPY": "160", "CHF": "0.95", "GBP": "0.85"}
        values.update(overrides)
        with app.app_context():
            shop_rates.store(RateSet(day, {k: Decimal(v) for k, v in values.items()}), "ecb")
            db.session.commit()

    return store


@pytest.fixture
def make_supplier(app):
    from storefront.fulfilment.tables import Supplier

    def make(code="shenzhen-silver", country="CN", lead_min=3, lead_max=5, kind="dropship"):
        with app.app_context():
            db.session.add(
                Supplier(
                    code=code,
                    name=code.replace("-", " ").title(),
                    country=country,
                    lead_min=lead_min,
                    lead_max=lead_max,
                    kind=kind,
                )
            )
            db.session.commit()
        return code

    return make


@pytest.fixture
def make_maker(app):
    from storefront.fulfilment.tables import Maker

    def make(code="atelier", country="PT"):
        with app.app_context():
            db.session.add(Maker(code=code, name=code.title(), country=country))
            db.session.commit()
        return code

    return make


@pytest.fixture
def make_agent(app, make_brand):
    """An agent company entrusted with the given brand slugs."""
    from storefront.fulfilment.tables import AgentCompany, EntrustedBrand

    def make(code="milano-agency", brands=("aurora",), country="IT", rate="0.12"):
        brand_ids = [make_brand(slug) for slug in brands]
        with app.app_context():
            agent = AgentCompany(
                code=code,
                name=code.replace("-", " ").title(),
                country=country,
                handling_min=1,
                handling_max=2,
                commission_rate=Decimal(rate),
                returns_policy="Returns go to the agency in Milan.",
            )
            db.session.add(agent)
            db.session.flush()
            for brand_id in brand_ids:
                db.session.add(EntrustedBrand(agent_id=agent.id, brand_id=brand_id))
            db.session.commit()
            return agent.id

    return make


@pytest.fixture
def make_warehouse(app):
    """A warehouse holding stock: make_warehouse("sz", "CN", {"SKU-0": 5}, serves="*")."""
    from storefront.catalog.tables import Variant
    from storefront.fulfilment.stock import RECEIVED, record_movement
    from storefront.fulfilment.tables import StockLevel, Warehouse

    def make(code="sz", country="CN", stock=None, serves="*"):
        with app.app_context():
            warehouse = Warehouse(code=code, name=code.upper(), country=country, serves_text=serves)
            db.session.add(warehouse)
            db.session.flush()
            for sku, units in (stock or {}).items():
                variant_id = db.session.query(Variant.id).filter_by(sku=sku).scalar()
                if units:  # received, as every stock level is: the sum of its movements
                    record_movement(warehouse, variant_id, units, RECEIVED, note="fixture")
                else:
                    db.session.add(StockLevel(warehouse_id=warehouse.id, variant_id=variant_id))
            db.session.commit()
        return code

    return make


@pytest.fixture
def four_models(
    app, make_product, make_channel, rates, make_warehouse, make_maker, make_agent, make_supplier
):
    """One product per selling model, a buyer channel in the EU, stock in two warehouses."""
    make_channel("eu")
    rates()
    make_maker("atelier", "PT")
    make_agent("milano-agency", brands=("milano",), country="IT")
    make_supplier("shenzhen-silver", "CN", lead_min=3, lead_max=5)
    skus = {
        "stock": make_product(name="Stock ring", selling_model="wholesale_retail"),
        "made": make_product(
            name="Atelier cuff",
            category="bracelets",
            selling_model="self_produced",
            selling_model_settings={"maker": "atelier", "production_min": 5, "production_max": 10},
        ),
        "agent": make_product(
            name="Milano hoops",
            brand="milano",
            category="earrings",
            selling_model="agent_operated",
            selling_model_settings={"agent": "milano-agency"},
        ),
        "drop": make_product(
            name="Rope chain",
            category="necklaces",
            selling_model="oem_dropship",
            selling_model_settings={"supplier": "shenzhen-silver"},
        ),
    }
    skus = {k: f"{slug.upper()}-0" for k, slug in skus.items()}
    make_warehouse("berlin", "DE", {skus["stock"]: 3}, serves="DE AT NL")
    make_warehouse("sz", "CN", {skus["stock"]: 50})
    return skus


@pytest.fixture
def make_user(app):
    from storefront.accounts.operations import create_user

    def make(email="owner@example.com", password="correct horse battery", role="owner") -> str:
        with app.app_context():
            create_user(email, password, role)
            db.session.commit()
        return email

    return make


@pytest.fixture
def logged_in(client, make_user):
    def login(role: str = "owner", email: str | None = None):
        email = make_user(email=email or f"{role}@example.com", role=role)
        # buyers (retail and trade) sign in on the shop's page, everyone else in the back office
        page = "/account/sign-in" if role in ("customer", "wholesale") else "/login"
        response = client.post(page, data={"email": email, "password": "correct horse battery"})
        assert response.status_code in (302, 303), response.data
        return client

    return login


@pytest.fixture(scope="session")
def live_server(_app):
    """The app served on 127.0.0.1 in a thread, for the browser tests."""
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def receiver():
    """The supplier's webhook receiver on 127.0.0.1: it keeps what it is sent."""
    received: list[tuple[bytes, dict]] = []

    @Request.application
    def receive(request: Request) -> Response:
        received.append((request.get_data(), dict(request.headers)))
        return Response("ok")

    server = make_server("127.0.0.1", 0, receive, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks", received
    server.shutdown()


# an ECB-format feed served on 127.0.0.1 ------------------------------------------


@pytest.fixture
def ecb_feed():
    """Build an ECB daily feed document around the given <Cube currency=.../> elements."""
    return ecb_document


@pytest.fixture
def feed_server():
    with serving_feeds() as server:
        yield server
