"""The supplier API: answer a group sent by webhook, post shipments and stock, idempotently."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from orders_helpers import place
from storefront.db import db
from storefront.fulfilment.tables import Supplier
from storefront.orders.tables import GroupStatusChange, OrderGroup, Shipment
from storefront.webhooks.tables import SupplierApiRequest, SupplierStock
from test_webhooks import SUPPLIER, _wired_app, wired  # noqa: F401 (fixtures)


@pytest.fixture
def key_for(wired, make_user):  # noqa: F811
    """An API key of a new supplier user acting for `supplier`."""

    def issue(supplier: str = SUPPLIER, email: str | None = None) -> str:
        email = make_user(email=email or f"{supplier}@suppliers.example", role="supplier")
        result = wired.test_cli_runner().invoke(
            args=["webhooks", "supplier-key", "--supplier", supplier, "--email", email]
        )
        assert result.exit_code == 0, result.output
        return result.output.split("(shown once): ")[1].strip()

    return issue


@pytest.fixture
def api(wired):  # noqa: F811
    return wired.test_client()


@pytest.fixture
def group(wired, four_models):  # noqa: F811
    """A paid dropship group of 2 units, awaiting the supplier; returns (id, sku)."""
    place(wired, {four_models["drop"]: 2, four_models["stock"]: 1}, "supplier-api", paid=True)
    with wired.app_context():
        row = db.session.scalar(
            select(OrderGroup).where(OrderGroup.shipper == f"supplier:{SUPPLIER}")
        )
        assert row.status == "awaiting_shipper"
        return row.id, four_models["drop"]


def call(api, method, path, key, json=None, idempotency_key=None):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return api.open(f"/api/v1/supplier{path}", method=method, json=json, headers=headers)


def group_status(app, group_id) -> str:
    with app.app_context():
        return db.session.get(OrderGroup, group_id).status


def test_accept_moves_the_group_once_and_a_repeat_gets_the_first_answer(
    wired,  # noqa: F811
    api,
    key_for,
    group,
):
    group_id, _sku = group
    key = key_for()
    first = call(api, "POST", f"/groups/{group_id}/accept", key, idempotency_key="acc-1")
    assert first.status_code == 200, first.json
    assert first.json["status"] == "ready_to_ship"
    again = call(api, "POST", f"/groups/{group_id}/accept", key, idempotency_key="acc-1")
    assert (again.status_code, again.json) == (200, first.json)
    fresh = call(api, "POST", f"/groups/{group_id}/accept", key, idempotency_key="acc-2")
    assert fresh.status_code == 409 and fresh.json["error"]["code"] == "invalid_group_status"
    with wired.app_context():
        moves = db.session.scalars(
            select(GroupStatusChange.to_status).where(GroupStatusChange.group_id == group_id)
        ).all()
        assert moves.count("ready_to_ship") == 1


def test_a_supplier_calls_with_its_key_and_no_csrf_token(
    wired,  # noqa: F811
    api,
    key_for,
    group,
    monkeypatch,
):
    """Suppliers authenticate by bearer key: where the shop's forms need a CSRF token,
    the supplier API still answers without one."""
    group_id, _sku = group
    key = key_for()
    monkeypatch.setitem(wired.config, "WTF_CSRF_ENABLED", True)
    response = call(api, "POST", f"/groups/{group_id}/accept", key)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert group_status(wired, group_id) == "ready_to_ship"


def test_only_the_groups_own_supplier_may_answer_it(wired, api, key_for, make_user, group):  # noqa: F811
    group_id, _sku = group
    with wired.app_context():
        db.session.add(Supplier(code="other-factory", name="Other", country="CN"))
        db.session.commit()
    other = key_for("other-factory")
    path = f"/groups/{group_id}/accept"
    assert call(api, "POST", path, other).status_code == 404
    assert call(api, "POST", path, None).json["error"]["code"] == "authentication_required"
    assert call(api, "POST", path, "sfk_not-a-key").status_code == 401
    from storefront.accounts.api_keys import issue_api_key
    from storefront.accounts.tables import User

    staff = make_user(email="staff@example.com", role="staff")
    with wired.app_context():
        _k, staff_key = issue_api_key(db.session.scalar(select(User).where(User.email == staff)))
        db.session.commit()
    assert call(api, "POST", path, staff_key).status_code == 403
    assert group_status(wired, group_id) == "awaiting_shipper"


def test_reject_needs_a_reason(wired, api, key_for, group):  # noqa: F811
    group_id, _sku = group
    key = key_for()
    missing = call(api, "POST", f"/groups/{group_id}/reject", key, json={})
    assert missing.status_code == 400 and missing.json["error"]["field"] == "reason"
    done = call(api, "POST", f"/groups/{group_id}/reject", key, json={"reason": "out of stock"})
    assert done.status_code == 200 and done.json["status"] == "rejected"
    assert group_status(wired, group_id) == "rejected"


def test_partial_shipments_ship_the_group_when_everything_left(wired, api, key_for, group):  # noqa: F811
    group_id, sku = group
    key = key_for()
    path = f"/groups/{group_id}/shipments"
    parcel = {
        "carrier": "SF Express",
        "tracking_number": "SF1",
        "tracking_url": "https://t.example/1",
    }
    early = call(api, "POST", path, key, json={**parcel, "lines": [{"sku": sku, "quantity": 1}]})
    assert early.status_code == 409  # not accepted yet
    call(api, "POST", f"/groups/{group_id}/accept", key)

    first = call(
        api,
        "POST",
        path,
        key,
        json={**parcel, "lines": [{"sku": sku, "quantity": 1}]},
        idempotency_key="ship-1",
    )
    assert first.status_code == 201 and first.json["group_status"] == "partially_shipped"
    repeat = call(
        api,
        "POST",
        path,
        key,
        json={**parcel, "lines": [{"sku": sku, "quantity": 1}]},
        idempotency_key="ship-1",
    )
    assert repeat.json == first.json
    too_many = call(api, "POST", path, key, json={**parcel, "lines": [{"sku": sku, "quantity": 2}]})
    assert too_many.status_code == 422 and too_many.json["error"]["code"] == "more_than_ordered"
    elsewhere = call(
        api,
        "POST",
        f"/groups/{group_id}/reject",
        key,
        json={"reason": "x"},
        idempotency_key="ship-1",
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json["error"]["code"] == "idempotency_key_reused"

    rest = call(api, "POST", path, key, json={**parcel, "tracking_number": "SF2"})
    assert rest.status_code == 201 and rest.json["lines"] == [{"sku": sku, "quantity": 1}]
    assert rest.json["group_status"] == "shipped"
    with wired.app_context():
        assert len(db.session.scalars(select(Shipment)).all()) == 2
        assert db.session.scalar(select(db.func.count()).select_from(SupplierApiRequest)) == 1


def test_stock_accepts_only_the_suppliers_own_skus(wired, api, key_for, four_models):  # noqa: F811
    key = key_for()
    drop = four_models["drop"]
    first = call(api, "PUT", "/stock", key, json=[{"sku": drop, "quantity": 7}])
    assert first.status_code == 200 and first.json["items"] == [{"sku": drop, "quantity": 7}]
    call(api, "PUT", "/stock", key, json=[{"sku": drop, "quantity": 3}])
    foreign = call(
        api,
        "PUT",
        "/stock",
        key,
        json=[{"sku": drop, "quantity": 9}, {"sku": four_models["stock"], "quantity": 1}],
    )
    assert foreign.status_code == 422 and foreign.json["error"]["field"] == "[1].sku"
    negative = call(api, "PUT", "/stock", key, json=[{"sku": drop, "quantity": -1}])
    assert negative.status_code == 400
    with wired.app_context():
        assert [s.quantity for s in db.session.scalars(select(SupplierStock))] == [3]


def test_a_key_reused_with_another_body_is_refused_and_its_data_not_dropped_silently(
    wired,  # noqa: F811
    api,
    key_for,
    four_models,
):
    key = key_for()
    drop = four_models["drop"]
    first = call(
        api, "PUT", "/stock", key, json=[{"sku": drop, "quantity": 7}], idempotency_key="s-1"
    )
    assert first.status_code == 200
    same = api.put(
        "/api/v1/supplier/stock",
        data=f'[ {{"quantity": 7, "sku": "{drop}"}} ]',  # the same JSON, written otherwise
        headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "s-1"},
        content_type="application/json",
    )
    assert (same.status_code, same.json) == (200, first.json)
    other = call(
        api, "PUT", "/stock", key, json=[{"sku": drop, "quantity": 2}], idempotency_key="s-1"
    )
    assert other.status_code == 422
    assert other.json["error"]["code"] == "idempotency_key_reused"
    with wired.app_context():
        assert [s.quantity for s in db.session.scalars(select(SupplierStock))] == [7]


def test_the_openapi_document_lists_the_supplier_routes(api):
    paths = api.get("/api/openapi.json").get_json()["paths"]
    assert paths["/api/v1/supplier/stock"]["put"]["security"] == [{"bearer": []}]
    assert "post" in paths["/api/v1/supplier/groups/{group_id}/shipments"]
