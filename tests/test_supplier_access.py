"""A supplier's webhook endpoints and its users' API keys from the back office and the admin
API: added or issued with the secret or key shown once, switched off, removed, revoked;
staff only."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from sqlalchemy import select

from storefront.accounts.tables import ApiKey, User
from storefront.db import db
from storefront.webhooks import operations
from storefront.webhooks.access import checked_url
from storefront.webhooks.operations import WebhookError, grant_supplier_access
from storefront.webhooks.tables import Delivery, SupplierEndpoint
from test_after_payment import api_key

SUPPLIER = "shenzhen-silver"
OTHER = "guangzhou-gold"
ACCESS = f"/admin/partners/suppliers/{SUPPLIER}/access"
API = f"/api/v1/admin/suppliers/{SUPPLIER}"
SECRET = re.compile(r"whsec_[A-Za-z0-9+/=]+")
RAW_KEY = re.compile(r"sfk_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def suppliers(make_supplier):
    make_supplier(SUPPLIER)
    make_supplier(OTHER, lead_min=2, lead_max=4)


@pytest.fixture
def supplier_user(app, make_user, suppliers):
    """A supplier-role user working for `supplier`; returns its e-mail."""

    def make(email: str = "orders@shenzhen.example", supplier: str = SUPPLIER) -> str:
        make_user(email=email, role="supplier")
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            grant_supplier_access(user, supplier)
            db.session.commit()
        return email

    return make


@pytest.fixture
def staff(logged_in, suppliers):
    return logged_in("staff")


@pytest.fixture
def staff_key(app, make_user, suppliers) -> dict:
    return api_key(app, make_user, "staff-key@shop.example", "staff")


def endpoints(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        return [
            (e.url, e.event_types_text, e.is_active)
            for e in db.session.scalars(select(SupplierEndpoint).order_by(SupplierEndpoint.id))
        ]


def endpoint_id(app, url: str) -> int:
    with app.app_context():
        return db.session.scalar(select(SupplierEndpoint.id).where(SupplierEndpoint.url == url))


def with_a_delivery(app, endpoint: int) -> None:
    """An order_group.created fanned out to the supplier's endpoints that want it: this
    endpoint now has a delivery."""
    from test_webhooks import add_events

    add_events(app, 1, supplier=SUPPLIER)
    with app.app_context():
        operations.fan_out()
        db.session.commit()
        assert db.session.scalar(select(Delivery.id).where(Delivery.endpoint_id == endpoint))


def forms_have_csrf(page: str) -> None:
    forms = page.count('<form method="post"')
    assert forms and page.count('name="csrf_token"') == forms


def supplier_api(client, raw: str):
    return client.get("/api/v1/supplier/groups", headers={"Authorization": f"Bearer {raw}"})


# the back office: endpoints ------------------------------------------------------------------


def test_staff_add_an_endpoint_and_see_its_secret_only_once(app, staff):
    page = staff.get(ACCESS)
    assert page.status_code == 200
    forms_have_csrf(page.get_data(as_text=True))
    assert "order_group.created" in page.get_data(as_text=True)  # the events to choose from

    added = staff.post(
        f"/admin/partners/suppliers/{SUPPLIER}/endpoints",
        data={
            "url": "https://shenzhen.example/hooks",
            "events": ["order_group.created", "order_group.overdue"],
        },
    )
    text = added.get_data(as_text=True)
    assert added.status_code == 200
    [secret] = SECRET.findall(text.split('data-testid="new-secret"')[1].split("</p>")[0])
    assert endpoints(app) == [
        ("https://shenzhen.example/hooks", "order_group.created order_group.overdue", True)
    ]
    with app.app_context():  # the secret signs, so the endpoint keeps it
        assert db.session.scalar(select(SupplierEndpoint.secret)) == secret
    for later in (ACCESS, f"/admin/suppliers/{SUPPLIER}/webhooks"):
        assert secret not in staff.get(later).get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "events", "field", "message"),
    [
        ("http://shenzhen.example/hooks", ["*"], "url", "must start with https://"),
        ("ftp://shenzhen.example/hooks", ["*"], "url", "https:// address"),
        ("https://[::1/hooks", ["*"], "url", "https:// address"),
        ("https://shenzhen.example/hooks", [], "events", "Choose at least one event type"),
        ("https://shenzhen.example/hooks", ["order.paid"], "events", "not an event the shop sends"),
    ],
)
def test_a_refused_endpoint_names_the_field_and_writes_nothing(
    app, staff, url, events, field, message
):
    answer = staff.post(
        f"/admin/partners/suppliers/{SUPPLIER}/endpoints", data={"url": url, "events": events}
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and message in text
    marked = (
        '<fieldset aria-invalid="true">' in text
        if field == "events"
        else 'aria-invalid="true"' in re.search(r'<input name="url"[^>]*>', text).group(0)
    )
    assert marked
    assert endpoints(app) == []
    assert "whsec_" not in text


def test_plain_http_to_this_machine_only_in_the_demo_and_tests(app, staff):
    answer = staff.post(
        f"/admin/partners/suppliers/{SUPPLIER}/endpoints",
        data={"url": "http://127.0.0.1:8099/hooks", "events": ["*"]},
    )
    assert answer.status_code == 200
    assert endpoints(app) == [("http://127.0.0.1:8099/hooks", "*", True)]
    # outside the demo and the tests, plain http is refused even to this machine
    assert checked_url("http://localhost/h", allow_local_http=True) == "http://localhost/h"
    assert checked_url("http://[::1]:80/h", allow_local_http=True) == "http://[::1]:80/h"
    for url, allowed in (("http://localhost/h", False), ("http://10.0.0.5/h", True)):
        with pytest.raises(WebhookError) as refused:
            checked_url(url, allow_local_http=allowed)
        assert refused.value.field == "url"


def test_switching_off_needs_the_tick_parks_deliveries_and_comes_back(app, staff):
    staff.post(
        f"/admin/partners/suppliers/{SUPPLIER}/endpoints",
        data={"url": "https://shenzhen.example/hooks", "events": ["*"]},
    )
    ep = endpoint_id(app, "https://shenzhen.example/hooks")
    with_a_delivery(app, ep)
    url = f"/admin/partners/suppliers/{SUPPLIER}/endpoints/{ep}/active"

    refused = staff.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Tick the box to confirm" in refused and endpoints(app)[0][2] is True
    staff.post(url, data={"confirm": "yes"})
    assert endpoints(app)[0][2] is False
    with app.app_context():
        assert db.session.scalar(select(Delivery.status)) == "disabled"  # waits for a replay
    assert "switched off by staff" in staff.get(ACCESS).get_data(as_text=True)
    staff.post(url, data={"active": "1"})
    assert endpoints(app)[0][2] is True


def test_an_endpoint_is_removed_only_with_the_tick_and_while_nothing_was_sent(app, staff):
    for path, events in (("unused", "order_group.cancelled"), ("used", "order_group.created")):
        staff.post(
            f"/admin/partners/suppliers/{SUPPLIER}/endpoints",
            data={"url": f"https://shenzhen.example/{path}", "events": [events]},
        )
    unused = endpoint_id(app, "https://shenzhen.example/unused")
    used = endpoint_id(app, "https://shenzhen.example/used")
    with_a_delivery(app, used)
    remove = f"/admin/partners/suppliers/{SUPPLIER}/endpoints/{{}}/remove"

    assert "Tick the box" in staff.post(remove.format(unused), follow_redirects=True).get_data(
        as_text=True
    )
    kept = staff.post(remove.format(used), data={"confirm": "yes"})
    assert kept.status_code == 422 and "switch it off instead" in kept.get_data(as_text=True)
    staff.post(remove.format(unused), data={"confirm": "yes"})
    assert [url for url, _e, _a in endpoints(app)] == ["https://shenzhen.example/used"]
    # another supplier's endpoint is not reachable through this one
    other = f"/admin/partners/suppliers/{OTHER}/endpoints/{used}/remove"
    assert staff.post(other, data={"confirm": "yes"}).status_code == 404


# the back office: API keys ------------------------------------------------------------------


def test_a_key_is_shown_once_kept_as_a_hash_and_stops_working_when_revoked(
    app, client, staff, supplier_user
):
    email = supplier_user()
    page = staff.get(ACCESS).get_data(as_text=True)
    assert f'data-user="{email}"' in page and "no API key" in page
    forms_have_csrf(page)

    issued = staff.post(f"/admin/partners/suppliers/{SUPPLIER}/api-keys", data={"email": email})
    [raw] = RAW_KEY.findall(issued.get_data(as_text=True))
    prefix = raw[:12]
    later = staff.get(ACCESS).get_data(as_text=True)
    assert raw not in later and f'data-key="{prefix}"' in later and "live" in later
    with app.app_context():
        stored = db.session.execute(select(ApiKey.prefix, ApiKey.key_hash)).one()
        assert stored.prefix == prefix and raw not in stored.key_hash
    assert supplier_api(client, raw).status_code == 200

    revoke = f"/admin/partners/suppliers/{SUPPLIER}/api-keys/{prefix}/revoke"
    assert "Tick the box" in staff.post(revoke, follow_redirects=True).get_data(as_text=True)
    assert supplier_api(client, raw).status_code == 200
    done = staff.post(revoke, data={"confirm": "yes"}, follow_redirects=True)
    assert f"Key {prefix} revoked" in done.get_data(as_text=True)
    answer = supplier_api(client, raw)
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "invalid_api_key"
    assert "revoked " in staff.get(ACCESS).get_data(as_text=True)


def test_keys_only_for_the_suppliers_own_users(app, staff, supplier_user, make_user):
    supplier_user("orders@guangzhou.example", supplier=OTHER)
    make_user(email="clerk@shop.example", role="staff")
    for email, message in (
        ("orders@guangzhou.example", "works for another supplier"),
        ("clerk@shop.example", "Choose a user of this supplier"),
        ("nobody@example.com", "Choose a user of this supplier"),
    ):
        answer = staff.post(f"/admin/partners/suppliers/{SUPPLIER}/api-keys", data={"email": email})
        assert answer.status_code == 422 and message in answer.get_data(as_text=True)
        assert not RAW_KEY.search(answer.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ApiKey)) == 0
    missing = f"/admin/partners/suppliers/{SUPPLIER}/api-keys/sfk_nothing/revoke"
    assert staff.post(missing, data={"confirm": "yes"}).status_code == 404


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_only_staff_reach_the_pages(logged_in, suppliers, role):
    client = logged_in(role)
    assert client.get(ACCESS).status_code == 403
    added = client.post(
        f"/admin/partners/suppliers/{SUPPLIER}/endpoints",
        data={"url": "https://x.example/h", "events": ["*"]},
    )
    assert added.status_code == 403


def test_the_supplier_page_links_to_its_endpoints_and_keys(staff, client):
    for shared in (
        f"/admin/partners/suppliers/{SUPPLIER}",
        f"/admin/suppliers/{SUPPLIER}/webhooks",
    ):
        assert f'href="{ACCESS}"' in staff.get(shared).get_data(as_text=True)
    anonymous = client.application.test_client().get(ACCESS)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


# the admin API ------------------------------------------------------------------------------


@pytest.fixture
def check(client):
    doc = client.get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))

    def against(name: str, body: dict) -> None:
        validator = Draft202012Validator(
            {"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry
        )
        assert not list(validator.iter_errors(body)), (name, body)

    return against


def test_endpoints_through_the_api(app, client, staff_key, check):
    made = client.post(
        f"{API}/endpoints",
        json={"url": "https://shenzhen.example/hooks", "events": ["order_group.created"]},
        headers=staff_key,
    )
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    check("SupplierEndpointCreated", body)
    assert body["secret"].startswith("whsec_") and body["events"] == ["order_group.created"]
    listing = client.get(f"{API}/endpoints", headers=staff_key)
    check("SupplierEndpointList", listing.get_json())
    assert body["secret"] not in listing.get_data(as_text=True)
    assert [e["url"] for e in listing.get_json()["items"]] == ["https://shenzhen.example/hooks"]

    one = f"{API}/endpoints/{body['id']}"
    off = client.patch(one, json={"active": False, "events": ["*"]}, headers=staff_key)
    assert off.status_code == 200 and off.get_json()["active"] is False
    assert off.get_json()["events"] == ["*"]
    check("SupplierEndpoint", off.get_json())
    assert client.patch(one, json={"active": True}, headers=staff_key).get_json()["active"]
    bad = client.patch(one, json={"active": "no"}, headers=staff_key)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "active"

    refused = client.post(
        f"{API}/endpoints", json={"url": "http://shenzhen.example/h", "events": ["*"]},
        headers=staff_key,
    )  # fmt: skip
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "url"
    assert len(endpoints(app)) == 1

    with_a_delivery(app, body["id"])
    in_use = client.delete(one, headers=staff_key)
    assert in_use.status_code == 409
    assert in_use.get_json()["error"]["code"] == "endpoint_in_use"
    other = client.post(
        f"/api/v1/admin/suppliers/{OTHER}/endpoints",
        json={"url": "https://guangzhou.example/h", "events": ["*"]},
        headers=staff_key,
    ).get_json()
    assert client.delete(f"{API}/endpoints/{other['id']}", headers=staff_key).status_code == 404
    gone = client.delete(
        f"/api/v1/admin/suppliers/{OTHER}/endpoints/{other['id']}", headers=staff_key
    )
    assert gone.status_code == 204
    assert [url for url, _e, _a in endpoints(app)] == ["https://shenzhen.example/hooks"]
    assert (
        client.get("/api/v1/admin/suppliers/nobody/endpoints", headers=staff_key).status_code == 404
    )


def test_keys_through_the_api(app, client, staff_key, supplier_user, check):
    email = supplier_user()
    issued = client.post(f"{API}/api-keys", json={"email": email}, headers=staff_key)
    assert issued.status_code == 201, issued.get_json()
    check("SupplierApiKeyIssued", issued.get_json())
    raw, prefix = issued.get_json()["key"], issued.get_json()["prefix"]
    assert raw.startswith(prefix) and issued.get_json()["revoked_at"] is None
    listing = client.get(f"{API}/api-keys", headers=staff_key)
    check("SupplierApiKeyList", listing.get_json())
    assert raw not in listing.get_data(as_text=True)
    assert [k["email"] for k in listing.get_json()["items"]] == [email]
    assert supplier_api(client, raw).status_code == 200

    revoked = client.post(f"{API}/api-keys/{prefix}/revoke", headers=staff_key)
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    check("SupplierApiKey", revoked.get_json())
    assert supplier_api(client, raw).status_code == 401
    again = client.post(f"{API}/api-keys/{prefix}/revoke", headers=staff_key)
    assert again.get_json()["revoked_at"] == revoked.get_json()["revoked_at"]
    assert client.post(f"{API}/api-keys/sfk_none/revoke", headers=staff_key).status_code == 404
    wrong = client.post(f"{API}/api-keys", json={"email": "x@example.com"}, headers=staff_key)
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "email"
    assert client.post(f"{API}/api-keys", json={"email": 7}, headers=staff_key).status_code == 400


def test_the_api_is_for_staff_keys_only(app, client, make_user, supplier_user, make_agent):
    make_agent("milano-agency")
    agent = api_key(app, make_user, "agent@milano.example", "agent", agent="milano-agency")
    supplier = api_key(app, make_user, "key@shenzhen.example", "supplier")
    calls = [
        ("get", f"{API}/endpoints", None),
        ("post", f"{API}/endpoints", {"url": "https://x.example/h", "events": ["*"]}),
        ("get", f"{API}/api-keys", None),
        ("post", f"{API}/api-keys", {"email": "key@shenzhen.example"}),
    ]
    for method, path, body in calls:
        assert getattr(client, method)(path, json=body).status_code == 401
        for headers in (agent, supplier):
            answer = getattr(client, method)(path, json=body, headers=headers)
            assert answer.status_code == 403, (path, answer.get_json())
    assert endpoints(app) == []
    with app.app_context():  # only the two keys made above
        assert db.session.scalar(select(db.func.count()).select_from(ApiKey)) == 2


def test_the_document_describes_the_routes(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/admin/suppliers/{code}/endpoints"])
    assert {"patch", "delete"} <= set(paths["/api/v1/admin/suppliers/{code}/endpoints/{id}"])
    assert "201" in paths["/api/v1/admin/suppliers/{code}/api-keys"]["post"]["responses"]
    assert "post" in paths["/api/v1/admin/suppliers/{code}/api-keys/{prefix}/revoke"]
