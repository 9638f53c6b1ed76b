"""The shop mounted under /shop in a host site that has its own Flask-SQLAlchemy models
(clashing table names, same database), its own Flask-Migrate `db` command, pages, error
page, template and hooks: both migrate, a buyer buys through the prefixed pages and API,
and the host's tables, routes and templates are untouched."""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g, render_template, session
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storefront import Storefront
from storefront.schema import head

# Flask-Migrate's own env.py template (the host's) still calls Flask-SQLAlchemy's get_engine.
pytestmark = pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")


def make_host_site(root, database_url: str) -> tuple[Flask, SQLAlchemy]:
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text("<h1>The host's own base.html</h1>")

    class HostBase(DeclarativeBase):
        pass

    host = Flask("host_site", root_path=str(root), instance_path=str(root / "instance"))
    host.config.update(
        SECRET_KEY="the-host-site-secret",
        SQLALCHEMY_DATABASE_URI=database_url,
        STOREFRONT_DATABASE_URL=database_url,
        STOREFRONT_MEDIA_FOLDER=str(root / "shop-media"),
        STOREFRONT_BASE_CURRENCY="USD",
        STOREFRONT_LISTING_CACHE_SECONDS=0,
    )
    db = SQLAlchemy(host, model_class=HostBase)

    class User(db.Model):  # clashing names: users, orders, products, product
        __tablename__ = "users"
        id: Mapped[int] = mapped_column(primary_key=True)
        email: Mapped[str] = mapped_column(sa.String(80), index=True)

    class Order(db.Model):
        __tablename__ = "orders"
        id: Mapped[int] = mapped_column(primary_key=True)
        note: Mapped[str] = mapped_column(sa.String(80))

    class Products(db.Model):
        __tablename__ = "products"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(sa.String(80))

    class Product(db.Model):
        __tablename__ = "product"
        id: Mapped[int] = mapped_column(primary_key=True)
        title: Mapped[str] = mapped_column(sa.String(80))

    Migrate(host, db, directory=str(root / "migrations"))

    @host.before_request
    def remember_the_visit():
        g.host_saw_it = True
        session["host_visits"] = session.get("host_visits", 0) + 1

    @host.get("/")
    def home():
        return f"host home, visit {session['host_visits']}"

    @host.get("/page")
    def page():
        return render_template("base.html")

    @host.errorhandler(404)
    def not_found(error):
        return "the host's own 404 page", 404

    host.extensions["host_models"] = (User, Order, Products, Product)
    return host, db


@contextlib.contextmanager
def logging_kept():
    """The host's Alembic env.py calls logging's fileConfig, which switches off every logger
    that exists and replaces the root's handlers: in this process only (a real `flask db`
    runs in its own), so the tests after it get their logging back."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {n: lg.disabled for n, lg in logging.root.manager.loggerDict.items()
               if isinstance(lg, logging.Logger)}  # fmt: skip
    try:
        yield
    finally:
        root.handlers[:], root.level = handlers, level
        for name, disabled in loggers.items():
            logging.getLogger(name).disabled = disabled


@pytest.fixture
def host(tmp_path, spare_database):
    site, db = make_host_site(tmp_path, spare_database)
    runner = site.test_cli_runner()
    with logging_kept():
        for args in (["db", "init"], ["db", "migrate", "-m", "host tables"], ["db", "upgrade"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 0, result.output
    User, Order, Products, Product = site.extensions["host_models"]
    with site.app_context():
        db.session.add_all(
            [
                User(email="editor@host.example"),
                Order(note="a host order"),
                Products(title="mug"),
                Product(title="tee"),
            ]
        )
        db.session.commit()

    Storefront(site, url_prefix="/shop")
    for args in (["shop", "db", "upgrade"], ["shop", "seed-demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    yield site, db
    from storefront.db import db as shop_db

    with site.app_context():
        db.session.remove()
        db.engine.dispose()
        shop_db.engine.dispose()


def test_the_shop_migrates_beside_the_host_and_leaves_its_tables_alone(host):
    site, db = host
    User, Order, Products, Product = site.extensions["host_models"]
    with site.app_context():
        assert db.session.scalar(sa.select(User.email)) == "editor@host.example"
        assert db.session.scalar(sa.select(Order.note)) == "a host order"
        assert db.session.scalar(sa.select(Products.title)) == "mug"
        assert db.session.scalar(sa.select(Product.title)) == "tee"
        tables = set(sa.inspect(db.engine).get_table_names())
        host_version = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
    assert {"users", "orders", "products", "product", "alembic_version"} <= tables
    assert "shop_alembic_version" in tables and "shop_product" in tables
    assert all(
        t.startswith("shop_")
        for t in tables - {"users", "orders", "products", "product", "alembic_version"}
    )
    # The host's Alembic history is its own: its version table holds its one revision.
    (host_revision,) = site.extensions["migrate"].directory and [
        p.name.split("_")[0]
        for p in (Path(site.extensions["migrate"].directory) / "versions").glob("*.py")
    ]
    assert host_version == host_revision


def test_the_host_keeps_its_routes_error_page_templates_and_hooks(host):
    site, _ = host
    client = site.test_client()
    assert client.get("/").get_data(as_text=True) == "host home, visit 1"
    assert client.get("/page").get_data(as_text=True) == "<h1>The host's own base.html</h1>"
    assert client.get("/nowhere").get_data(as_text=True) == "the host's own 404 page"
    shop_home = client.get("/shop/")
    assert shop_home.status_code == 200
    # The host's hook ran for every request (its 404 and the shop's page too); its session
    # key survived the shop's own session writes.
    assert client.get("/").get_data(as_text=True) == "host home, visit 5"
    # A page the shop does not have under its prefix is the shop's own 404 in the shop's look.
    missing = client.get("/shop/p/no-such-thing")
    assert missing.status_code == 404 and "The host's own" not in missing.get_data(as_text=True)


def test_every_link_the_shop_makes_stays_under_its_prefix(host):
    site, _ = host
    client = site.test_client()
    page = client.get("/shop/").get_data(as_text=True)
    links = re.findall(r'(?:href|src|action)="(/[^"]*)"', page)
    assert links, page[:500]
    assert all(link.startswith("/shop/") for link in links), sorted(set(links))
    css = next(link for link in links if link.endswith(".css") or "/static/" in link)
    with client.get(css) as stylesheet:
        assert stylesheet.status_code == 200
    product = next(link for link in links if link.startswith("/shop/p/"))
    assert client.get(product).status_code == 200
    picture = next(link for link in links if link.startswith("/shop/media/"))
    with client.get(picture) as image:  # from STOREFRONT_MEDIA_FOLDER
        assert image.status_code == 200 and image.mimetype.startswith("image/")
    login = client.get("/shop/admin/")
    assert login.status_code == 302 and login.headers["Location"].startswith("/shop/login")


def test_the_openapi_document_names_the_prefix(host):
    site, _ = host
    document = site.test_client().get("/shop/api/openapi.json").get_json()
    assert document["servers"] == [{"url": "/shop"}]
    assert "/api/v1/carts" in document["paths"]
    # Stripe's webhook lives under the prefix too, answers in JSON, and needs no CSRF token.
    unsigned = site.test_client().post("/shop/webhooks/stripe", data=b"{}")
    assert unsigned.status_code in (400, 503) and unsigned.get_json()["error"]["code"]
    assert "CSRF" not in unsigned.get_data(as_text=True)
    assert site.test_client().get("/shop/api/v1/nothing-here").get_json()["error"]["code"] == (
        "http_404"
    )


def test_robots_sitemap_and_canonical_links_stay_under_the_prefix(host):
    import xml.etree.ElementTree as ET

    site, _ = host
    client = site.test_client()
    robots = client.get("/shop/robots.txt").get_data(as_text=True).splitlines()
    assert "Disallow: /shop/admin" in robots and "Allow: /shop/" in robots
    assert "Sitemap: http://localhost/shop/sitemap.xml" in robots
    sitemap = ET.fromstring(client.get("/shop/sitemap.xml").data)
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith("http://localhost/shop/") for loc in locs)
    product = next(loc for loc in locs if "/shop/p/" in loc and loc.endswith("locale=de"))
    page = client.get(product.removeprefix("http://localhost")).get_data(as_text=True)
    assert f'<link rel="canonical" href="{product.replace("&", "&amp;")}">' in page
    with client.get("/shop/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/x-icon"


def test_a_buyer_buys_through_the_prefixed_pages_and_api(host):
    site, _ = host
    client = site.test_client()
    products = client.get("/shop/api/v1/products?channel=eu").get_json()["items"]
    product = next(p for p in products if p["selling_model"] == "wholesale_retail")
    detail = client.get(f"/shop/api/v1/products/{product['slug']}?channel=eu").get_json()
    sku = next(v["sku"] for v in detail["variants"] if v["available"])

    # Pages: the product page's form puts it in the cart, with the shop's CSRF token.
    page = client.get(f"/shop/p/{product['slug']}").get_data(as_text=True)
    form = re.search(r'<form[^>]+action="(/shop/cart/add)"(.*?)</form>', page, re.S)
    assert form, "the product page has no add-to-cart form under /shop"
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form.group(2)))
    assert f'value="{sku}"' in form.group(2)
    added = client.post(form.group(1), data={**fields, "sku": sku, "quantity": "1"})
    assert added.status_code == 303 and added.headers["Location"].startswith("/shop/")
    cart = client.get("/shop/cart").get_data(as_text=True)
    assert sku in cart or product["name"] in cart
    refused = site.test_client().post("/shop/cart/add", data={"sku": sku, "quantity": "1"})
    assert refused.status_code == 400  # no CSRF token: refused on the shop's forms
    # The add-to-cart form of a product page cached without a token: the browser's word that
    # the post comes from the shop's own pages lets it in, a cross-site post is refused.
    other = site.test_client()
    for crossed in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
        answer = other.post("/shop/cart/add", data={"sku": sku, "quantity": "1"}, headers=crossed)
        assert answer.status_code == 400 and "CSRF token is missing" in answer.text
    for same in ({"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"}):
        answer = other.post("/shop/cart/add", data={"sku": sku, "quantity": "1"}, headers=same)
        assert answer.status_code == 303 and answer.headers["Location"].startswith("/shop/")
    assert '<span class="cart-count">2</span>' in other.get("/shop/cart").text

    # API: cart, address, checkout, and the order read back.
    created = client.post("/shop/api/v1/carts", json={"channel": "eu", "country": "DE"})
    assert created.status_code == 201
    cart_id = created.get_json()["id"]
    auth = {"Authorization": f"Bearer {created.get_json()['token']}"}
    line = client.post(f"/shop/api/v1/carts/{cart_id}/lines", json={"sku": sku}, headers=auth)
    assert line.status_code == 201, line.get_json()
    address = client.put(
        f"/shop/api/v1/carts/{cart_id}/address",
        headers=auth,
        json={
            "address": {
                "name": "Lena Vogel",
                "street_address": "Torstraße 1",
                "city": "Berlin",
                "postal_code": "10119",
            },
            "email": "lena@example.de",
            "phone": "030 1234567",
        },
    )
    assert address.status_code == 200, address.get_json()
    placed = client.post(
        f"/shop/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "h-1"}, headers=auth
    )
    assert placed.status_code == 201, placed.get_json()
    order = placed.get_json()
    read = client.get(f"/shop/api/v1/orders/{order['order_id']}?token={order['order_token']}")
    assert read.status_code == 200
    assert read.get_json()["status"] == "pending_payment"
    assert read.get_json()["groups"][0]["selling_model"] == "wholesale_retail"

    # the order mail's link stays under the prefix and opens the order in another browser
    from storefront.config import settings
    from storefront.db import db as shop_db
    from storefront.mail.operations import absolute_url
    from storefront.mail.tables import MailMessage

    with site.app_context():
        mail = shop_db.session.scalar(select(MailMessage))
        link = re.search(r"http://localhost(/shop/orders/\S+)", mail.text_body).group(1)
        settings()["PUBLIC_URL"] = "https://host.example"
        try:  # a worker, outside any request, links to the public URL under the prefix
            assert absolute_url("catalog.home") == "https://host.example/shop/"
        finally:
            settings()["PUBLIC_URL"] = None
    assert mail.to_address == "lena@example.de" and order["order_id"] in mail.subject
    assert site.test_client().get(link).status_code == 200


def test_a_host_with_its_own_csrf_protect_keeps_the_cached_product_form_working(
    tmp_path, spare_database
):
    """A host checking every form post with its own CSRFProtect: the shop's product page is
    cached for anonymous visitors without a token, and its add-to-cart post from the shop's
    own pages still gets through the host's check; the host's own forms keep theirs."""
    from flask_wtf.csrf import CSRFProtect

    from storefront.db import db as shop_db

    site = Flask("csrf_site", root_path=str(tmp_path), instance_path=str(tmp_path / "i"))
    site.config.update(
        SECRET_KEY="the-host-site-secret",
        STOREFRONT_DATABASE_URL=spare_database,
        STOREFRONT_MEDIA_FOLDER=str(tmp_path / "media"),
        STOREFRONT_LISTING_CACHE_SECONDS=5,
    )
    CSRFProtect(site)

    @site.post("/newsletter")
    def newsletter():
        return "subscribed"

    Storefront(site, url_prefix="/shop")
    runner = site.test_cli_runner()
    for args in (["shop", "db", "upgrade"], ["shop", "seed-demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    client = site.test_client()
    products = client.get("/shop/api/v1/products?channel=eu").get_json()["items"]
    slug = next(p["slug"] for p in products if p["selling_model"] == "wholesale_retail")
    detail = client.get(f"/shop/api/v1/products/{slug}?channel=eu").get_json()
    sku = next(v["sku"] for v in detail["variants"] if v["available"])

    client.get(f"/shop/p/{slug}")
    page = client.get(f"/shop/p/{slug}")  # the page cache's copy
    assert page.status_code == 200 and page.cache_control.public
    assert "Set-Cookie" not in page.headers and 'name="csrf_token"' not in page.text
    data = {"sku": sku, "quantity": "1"}
    crossed = client.post("/shop/cart/add", data=data, headers={"Sec-Fetch-Site": "cross-site"})
    assert crossed.status_code == 400
    added = client.post("/shop/cart/add", data=data, headers={"Sec-Fetch-Site": "same-origin"})
    assert added.status_code == 303
    assert '<span class="cart-count">1</span>' in client.get("/shop/cart").text
    # The host's forms and the shop's other forms still need their token.
    same = {"Sec-Fetch-Site": "same-origin"}
    assert client.post("/newsletter", headers=same).status_code == 400
    assert client.post("/shop/cart/remove", data={"line": "1"}, headers=same).status_code == 400
    with site.app_context():
        shop_db.session.remove()
        shop_db.engine.dispose()


def test_the_shop_commands_live_under_one_group_beside_the_hosts_db(host):
    site, _ = host
    runner = site.test_cli_runner()
    shop_help = runner.invoke(args=["shop", "--help"]).output
    for command in ("db", "seed-demo", "fx", "catalog", "webhooks", "orders", "users", "rules"):
        assert re.search(rf"^\s+{command}\b", shop_help, re.M), shop_help
    host_db_help = runner.invoke(args=["db", "--help"]).output
    assert "Perform database migrations" in host_db_help  # Flask-Migrate's, not the shop's
    current = runner.invoke(args=["shop", "db", "current"])
    with site.app_context():
        newest = head()
    assert current.exit_code == 0 and f"{newest} (head)" in current.output  # the shop's own


def test_a_host_with_its_own_login_maps_its_users_to_shop_roles(tmp_path, spare_database):
    """A host signing its editors in with Flask-Login: `user_loader` tells the shop which
    shop user each is; the back office follows the host's sign-in, not the shop's."""
    from flask_login import LoginManager, UserMixin, login_user

    from storefront.accounts.operations import create_user
    from storefront.accounts.tables import User as ShopUser
    from storefront.db import db as shop_db
    from storefront.plugin import MountError
    from storefront.schema import upgrade

    site = Flask("login_site", root_path=str(tmp_path), instance_path=str(tmp_path / "i"))
    site.config.update(
        SECRET_KEY="the-host-site-secret",
        STOREFRONT_DATABASE_URL=spare_database,
        STOREFRONT_MEDIA_FOLDER=str(tmp_path / "media"),
    )
    logins = LoginManager(site)
    logins.login_view = "sign_in"

    class Editor(UserMixin):
        def __init__(self, user_id: str, email: str):
            self.id, self.email = user_id, email

    editors = {"1": Editor("1", "chief@host.example"), "2": Editor("2", "intern@host.example")}
    logins.user_loader(editors.get)

    @site.get("/sign-in")
    def sign_in():
        return "the host's sign-in page"

    @site.get("/as/<user_id>")
    def sign_in_as(user_id):
        login_user(editors[user_id])
        return "signed in"

    with pytest.raises(MountError, match="user_loader"):
        Storefront(site, url_prefix="/shop")

    def shop_user_for(editor):
        if not editor.is_authenticated:
            return None
        return shop_db.session.scalar(sa.select(ShopUser).where(ShopUser.email == editor.email))

    Storefront(site, url_prefix="/shop", user_loader=shop_user_for)
    with site.app_context():
        upgrade()
        create_user("chief@host.example", "unused-password-1", "staff", "Chief")
        shop_db.session.commit()

    client = site.test_client()
    anonymous = client.get("/shop/admin/orders")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]
    client.get("/as/2")  # an editor with no shop user: not the shop's staff
    assert client.get("/shop/admin/orders").status_code == 302
    client.get("/as/1")
    assert client.get("/shop/admin/orders").status_code == 200
    with site.app_context():
        shop_db.session.remove()
        shop_db.engine.dispose()


def test_the_worker_is_the_shops_and_runs_the_hosts_own_jobs_too(host):
    site, _db = host
    runner = site.test_cli_runner()
    assert "worker" not in site.cli.list_commands(None)  # the host's namespace stays its own
    ran: list[str] = []
    site.extensions["storefront"].add_job("host.tidy", lambda: ran.append("tidy") or 1, every=60)

    result = runner.invoke(args=["shop", "worker", "--once", "--only", "host.tidy"])

    assert result.exit_code == 0, result.output
    assert ran == ["tidy"] and "job host.tidy: 1 items" in result.output
