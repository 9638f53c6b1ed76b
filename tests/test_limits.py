"""Issue #14, finding 2, written as the attacks: a client creating carts by the hundred,
checking out over and over, hammering the supplier and admin APIs, and hoarding stock in
unpaid orders. The suite's app raises the limits (conftest.SUITE_LIMITS); these tests put
the shipped defaults back."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from flask import Flask

from storefront import Storefront, create_app
from storefront.config import ConfigError, Defaults
from storefront.worker import Worker, registered_jobs

RATES = ("CART_CREATION", "CHECKOUT", "SUPPLIER_API", "ADMIN_API")
HOLDS = ("HOLD_MAX_VARIANT_UNITS", "HOLD_MAX_ORDER_UNITS", "HOLD_MAX_CLIENT_UNITS")
BERLIN = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


@pytest.fixture
def shipped_limits(app, monkeypatch):
    """The session's app with the limits a shop gets out of the box."""
    for name in RATES:
        monkeypatch.setitem(
            app.config, f"RATE_LIMIT_{name}", getattr(Defaults, f"RATE_LIMIT_{name}")
        )
    for name in HOLDS:
        monkeypatch.setitem(app.config, name, getattr(Defaults, name))
    app.extensions["storefront_limits"].reset()
    return app


def retry_after(response) -> int:
    seconds = int(response.headers["Retry-After"])
    assert 1 <= seconds <= 61  # the rest of the minute, rounded up
    return seconds


# rate limits -----------------------------------------------------------------------------


def test_200_carts_from_one_client_meet_a_429_with_retry_after(
    client, shipped_limits, make_channel, caplog
):
    make_channel("eu")
    caplog.set_level("WARNING", logger="storefront.limits")
    answers = [
        client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}) for _ in range(200)
    ]
    statuses = [a.status_code for a in answers]
    assert statuses.count(201) == 20  # RATE_LIMIT_CART_CREATION: 20 per minute
    assert statuses[20:] == [429] * 180
    refused = answers[-1]
    assert refused.get_json()["error"]["code"] == "rate_limited"
    retry_after(refused)
    # the operator can see who was held back, and where
    assert "rate limit 20 per 1 minute reached by 127.0.0.1 at /api/v1/carts" in caplog.text
    # another client is not held back by this one
    other = client.post(
        "/api/v1/carts",
        json={"channel": "eu", "country": "DE"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert other.status_code == 201


def test_the_pages_first_add_creates_a_cart_and_counts_later_adds_do_not(
    app, shipped_limits, four_models, monkeypatch
):
    monkeypatch.setitem(app.config, "RATE_LIMIT_CART_CREATION", "2 per minute")
    sku = four_models["drop"]
    shopper = app.test_client()
    for _ in range(5):  # one cart, many adds
        assert shopper.post("/cart/add", data={"sku": sku}).status_code == 303
    assert app.test_client().post("/cart/add", data={"sku": sku}).status_code == 303
    hoarder = app.test_client()
    hoarder.set_cookie("locale", "de")
    refused = hoarder.post("/cart/add", data={"sku": sku})
    assert refused.status_code == 429
    retry_after(refused)
    page = refused.get_data(as_text=True)
    assert "Zu viele Anfragen" in page  # the shop's error page, in the buyer's language


def test_checkout_is_limited_per_client(client, shipped_limits, four_models, monkeypatch, app):
    monkeypatch.setitem(app.config, "RATE_LIMIT_CHECKOUT", "2 per minute")
    created = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    answers = [
        client.post(f"/api/v1/carts/{created['id']}/checkout", json={}, headers=auth)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [400, 400, 429]
    retry_after(answers[-1])


@pytest.mark.parametrize(
    ("setting", "path"),
    [("ADMIN_API", "/api/v1/admin/orders"), ("SUPPLIER_API", "/api/v1/supplier/groups")],
)
def test_the_supplier_and_admin_apis_are_limited(
    client, app, shipped_limits, monkeypatch, setting, path
):
    monkeypatch.setitem(app.config, f"RATE_LIMIT_{setting}", "3 per minute")
    statuses = [client.get(path).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]  # guessing keys costs tries too
    assert client.get(path).get_json()["error"]["code"] == "rate_limited"
    # the public catalog is not the admin's limit
    assert client.get("/api/v1/products").status_code != 429


def test_the_openapi_document_names_the_429_of_limited_operations(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "Retry-After" in paths["/api/v1/carts"]["post"]["responses"]["429"]["headers"]
    assert "429" in paths["/api/v1/carts/{cart_id}/checkout"]["post"]["responses"]
    assert "429" in paths["/api/v1/admin/orders"]["get"]["responses"]
    assert "429" in paths["/api/v1/supplier/groups"]["get"]["responses"]
    assert "429" not in paths["/api/v1/products"]["get"]["responses"]


def test_behind_a_proxy_the_forwarded_address_is_the_client(tmp_path):
    def app_with(proxies: int) -> Flask:
        return create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp_path}/{proxies}.sqlite3",
                "TRUSTED_PROXIES": proxies,
                "RATE_LIMIT_CART_CREATION": "1 per minute",
            }
        )

    def create(app: Flask, forwarded_for: str) -> int:
        return (
            app.test_client()
            .post("/api/v1/carts", json=[], headers={"X-Forwarded-For": forwarded_for})
            .status_code
        )

    behind = app_with(1)
    assert [create(behind, "198.51.100.1"), create(behind, "198.51.100.2")] == [400, 400]
    assert create(behind, "198.51.100.1") == 429
    # without a trusted proxy, a forged X-Forwarded-For does not make a new client
    direct = app_with(0)
    assert [create(direct, "198.51.100.1"), create(direct, "198.51.100.2")] == [400, 429]


@pytest.mark.parametrize(
    ("setting", "value"),
    [("TRUSTED_PROXIES", -1), ("TRUSTED_PROXIES", "1"), ("RATE_LIMIT_CHECKOUT", "lots")],
)
def test_bad_limit_settings_stop_the_start(tmp_path, setting, value):
    with pytest.raises(ConfigError, match=setting):
        create_app(
            {"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", setting: value}
        )


def test_a_host_apps_own_routes_are_not_limited(tmp_path):
    host = Flask("host_site", root_path=str(tmp_path), instance_path=str(tmp_path / "instance"))
    host.config.update(
        SECRET_KEY="the-host-site-secret",
        STOREFRONT_DATABASE_URL=f"sqlite:///{tmp_path}/shop.sqlite3",
        STOREFRONT_RATE_LIMIT_CART_CREATION="1 per minute",
    )

    @host.post("/carts")
    def host_carts():
        return "the host's own cart"

    Storefront(host, url_prefix="/shop")
    client = host.test_client()
    assert {client.post("/carts").status_code for _ in range(30)} == {200}
    assert client.post("/shop/api/v1/carts", json=[]).status_code == 400
    refused = client.post("/shop/api/v1/carts", json=[])
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"


# limits shared through Redis --------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    """Redis at 127.0.0.1:6379 (as a deployment runs it), else one started for the test."""
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        yield url
        return
    except redis.ConnectionError:
        pass
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (make apt-deps installs it)")
        pytest.skip("no Redis at 127.0.0.1:6379 and no redis-server to start")
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait()


def test_two_app_servers_share_one_limit_through_redis(tmp_path, redis_url):
    prefix = f"test-{uuid.uuid4().hex}"  # this test's own counts in a shared Redis
    servers = [
        create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp_path}/{n}.sqlite3",
                "REDIS_URL": redis_url,
                "RATE_LIMIT_KEY_PREFIX": prefix,
                "RATE_LIMIT_CART_CREATION": "4 per minute",
            }
        )
        for n in range(2)
    ]
    statuses = [
        servers[n % 2].test_client().post("/api/v1/carts", json=[]).status_code for n in range(6)
    ]
    assert statuses == [400, 400, 400, 400, 429, 429]  # 2 each, then both refuse
    store = redis.Redis.from_url(redis_url)
    assert store.keys(f"*{prefix}*")  # counted in Redis, not in each process
    store.delete(*store.keys(f"*{prefix}*"))


def test_with_redis_unreachable_each_server_still_limits_and_never_fails(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "REDIS_URL": f"redis://127.0.0.1:{_free_port()}/0",  # nothing listens there
            "RATE_LIMIT_CART_CREATION": "2 per minute",
        }
    )
    client = app.test_client()
    assert [client.post("/api/v1/carts", json=[]).status_code for _ in range(3)] == [400, 400, 429]


# stock hoarding ---------------------------------------------------------------------------


@pytest.fixture
def twelve_rings(app, make_product, make_channel, rates, make_warehouse):
    """A product with 12 units in one warehouse serving Germany; returns its slug and sku."""
    make_channel("eu")
    rates()
    slug = make_product(name="Rare ring", selling_model="wholesale_retail")
    sku = f"{slug.upper()}-0"
    make_warehouse("berlin", "DE", {sku: 12}, serves="DE")
    return slug, sku


def filled_cart(client, sku: str, quantity: int, address: str, locale: str = "en"):
    """An anonymous API buyer's cart at `address`, with `quantity` and a Berlin address:
    (its URL, the headers that open it, the client's environ)."""
    env = {"REMOTE_ADDR": address}
    created = client.post(
        "/api/v1/carts", json={"channel": "eu", "country": "DE"}, environ_base=env
    ).get_json()
    auth = {"Authorization": f"Bearer {created['token']}", "Accept-Language": locale}
    cart = f"/api/v1/carts/{created['id']}"
    client.post(f"{cart}/lines", json={"sku": sku, "quantity": quantity}, headers=auth)
    client.put(
        f"{cart}/address",
        json={"address": BERLIN, "email": "x@example.de", "phone": "030 1234567"},
        headers=auth,
    )
    return cart, auth, env


def checkout(client, sku: str, quantity: int, address: str = "192.0.2.7", locale: str = "en"):
    """An anonymous API buyer at `address` buys `quantity`; the checkout's answer."""
    cart, auth, env = filled_cart(client, sku, quantity, address, locale)
    return client.post(
        f"{cart}/checkout",
        json={"idempotency_key": uuid.uuid4().hex},
        headers=auth,
        environ_base=env,
    )


def available(client, slug: str) -> bool:
    body = client.get(f"/api/v1/products/{slug}?channel=eu").get_json()
    return body["variants"][0]["available"]


def test_two_unpaid_checkouts_cannot_hold_every_unit(client, shipped_limits, twelve_rings):
    _slug, sku = twelve_rings
    whole_lot = checkout(client, sku, 12)
    assert whole_lot.status_code == 409
    assert whole_lot.get_json()["error"]["code"] == "order_hold_limit"

    assert checkout(client, sku, 10).status_code == 201  # HOLD_MAX_VARIANT_UNITS
    second = checkout(client, sku, 2, locale="de")
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "client_hold_limit"
    assert "unbezahlten Bestellungen" in error["message"]  # in the buyer's language
    # a real buyer still gets the rest
    assert checkout(client, sku, 2, address="198.51.100.20").status_code == 201


def test_an_order_and_a_client_hold_at_most_their_totals(
    client, app, shipped_limits, twelve_rings, make_product, make_warehouse, monkeypatch
):
    monkeypatch.setitem(app.config, "HOLD_MAX_ORDER_UNITS", 3)
    monkeypatch.setitem(app.config, "HOLD_MAX_CLIENT_UNITS", 5)
    _slug, sku = twelve_rings
    assert checkout(client, sku, 4).get_json()["error"]["code"] == "order_hold_limit"
    assert checkout(client, sku, 3).status_code == 201
    assert checkout(client, sku, 3).get_json()["error"]["code"] == "client_hold_limit"
    assert checkout(client, sku, 2).status_code == 201


def test_one_clients_checkouts_at_once_still_meet_the_cap(
    app, client, is_postgres, shipped_limits, twelve_rings
):
    """Two checkouts of one client at the same moment: the second counts the first's hold."""
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    _slug, sku = twelve_rings
    carts = [filled_cart(client, sku, 6, "192.0.2.7") for _ in range(2)]  # 12 > 10 a client
    start = threading.Barrier(2, timeout=30)

    def place(filled) -> int:
        cart, auth, env = filled
        buyer = app.test_client()
        start.wait()
        return buyer.post(
            f"{cart}/checkout",
            json={"idempotency_key": uuid.uuid4().hex},
            headers=auth,
            environ_base=env,
        ).status_code

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(place, carts))
    assert answers == [201, 409]


def test_availability_counts_held_stock_and_the_worker_gives_it_back(
    client, app, shipped_limits, twelve_rings, monkeypatch
):
    slug, sku = twelve_rings
    assert available(client, slug) is True
    monkeypatch.setitem(app.config, "RESERVATION_MINUTES", -1)  # holds that ran out already
    assert checkout(client, sku, 10).status_code == 201
    assert available(client, slug) is True  # 2 left
    assert checkout(client, sku, 2, address="198.51.100.20").status_code == 201
    assert available(client, slug) is False  # on hand 12, all 12 held
    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert 'data-testid="sold-out"' in page

    # the worker releases them on the schedule every shop registers, no cron needed
    with app.app_context():
        job = registered_jobs()["orders.release_expired"]
        assert job.periodic and job.every <= 60
        report = Worker("w", only=[job.name]).run_once()
        assert [(run.name, run.items, run.error) for run in report.runs] == [(job.name, 2, "")]
    assert available(client, slug) is True
    assert 'data-testid="sold-out"' not in client.get(f"/p/{slug}").get_data(as_text=True)
