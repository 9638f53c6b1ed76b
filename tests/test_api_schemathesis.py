"""Schemathesis against the app's own /api/openapi.json (issue #14's standing check).

Every operation of the document is called in-process (WSGI, no network) with examples
generated from its schema, on a seeded shop and with the credentials its security asks for,
so the deep paths are reached: no answer may be a server error, a status the document does
not list, or a body or content type other than the documented one.
"""

from __future__ import annotations

import io
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from PIL import Image
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from test_after_payment import BERLIN, api_key, groups_by_model, pay

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Few examples per operation, the same ones on every run: the whole walk stays well
# under three minutes on a busy machine, and a failure reproduces.
EXAMPLES = 12
# Each record kind's own argument name: `code` and `slug` mean the record of the path.
CODES = {
    "agents": "milano-agency",
    "channels": "eu",
    "suppliers": "shenzhen-silver",
    "warehouses": "sz",
    "workshops": "atelier",
    "shipping-zones": "eu",
}
SLUGS = {"brands": "aurora", "categories": "rings"}
# What the walk deletes or archives is a record of its own, so the rest stays reachable.
SPARE = {
    "/api/v1/admin/shipping-zones/{code}": "spare",
    "/api/v1/admin/suppliers/{code}/archive": "spare-silver",
}
# The steps an agent takes on its own groups (the others are the shop's own stock).
AGENT_STEPS = ("accept", "reject", "shipments", "delivered", "tracking")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 320), "white").save(out, "PNG")
    return out.getvalue()


class SeededShop:
    """A shop with a product of each model, a paid order, a buyer's cart and the keys of
    an owner, an agent and a supplier: what the operations' path arguments point at."""

    def __init__(self, app, client, make_user, four_models, make_shipping, make_supplier):
        make_shipping("eu", "DE", {30_000: "4.90"}, "EUR", "standard")
        make_shipping("spare", "JP", {30_000: "9.00"}, "EUR", "standard")  # to be deleted
        make_supplier("spare-silver", "CN")  # to be archived
        self.skus = four_models
        self.owner = api_key(app, make_user, "owner@shop.example", "owner")
        self.agent = api_key(app, make_user, "agent@shop.example", "agent", agent="milano-agency")
        self.supplier = api_key(app, make_user, "supplier@shop.example", "supplier")
        self.number, self.order = self._order(client, list(four_models.values()))
        pay(app, self.number)
        self.groups = groups_by_model(app, self.number)
        self.stock_slug = four_models["stock"].removesuffix("-0").lower()  # as four_models names it
        # a shipment on the agent's and on the supplier's group, for their tracking updates
        self.agent_shipment = self._ship(
            client,
            f"/api/v1/admin/orders/{self.number}/groups/{self.groups['agent_operated']}",
            self.agent,
        )
        self.supplier_shipment = self._ship(
            client, f"/api/v1/supplier/groups/{self.groups['oem_dropship']}", self.supplier
        )
        self.cart_id, self.cart, self.line_id = self._cart(client)
        self.image_id = self._created(
            client.post(
                f"/api/v1/admin/products/{self.stock_slug}/images",
                data={"file": (io.BytesIO(_png()), "ring.png")},
                headers=self.owner,
            )
        )["id"]
        self.endpoint_id = self._created(
            client.post(
                "/api/v1/admin/suppliers/shenzhen-silver/endpoints",
                json={"url": "https://supplier.example/hooks", "events": ["order_group.created"]},
                headers=self.owner,
            )
        )["id"]
        # a second supplier user's key, for the revoking (the first key walks the supplier API)
        make_user(email="spare@shop.example", role="supplier")
        self.key_prefix = self._created(
            client.post(
                "/api/v1/admin/suppliers/shenzhen-silver/api-keys",
                json={"email": "spare@shop.example"},
                headers=self.owner,
            )
        )["prefix"]
        self.user_id = client.get("/api/v1/admin/users", headers=self.owner).get_json()["items"][0][
            "id"
        ]

    @staticmethod
    def _created(response) -> dict:
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def _order(self, client, skus: list[str]) -> tuple[str, dict]:
        token, cart_id, _line = self._cart(client, skus)
        auth = {"Authorization": f"Bearer {token}"}
        placed = client.post(
            f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "seed"}, headers=auth
        )
        placed = self._created(placed)
        return placed["order_id"], {"Authorization": f"Bearer {placed['order_token']}"}

    def _cart(self, client, skus: list[str] | None = None) -> tuple[str, str, str]:
        created = self._created(
            client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"})
        )
        auth = {"Authorization": f"Bearer {created['token']}"}
        cart = None
        for sku in skus or [self.skus["stock"]]:
            cart = self._created(
                client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": sku}, headers=auth)
            )
        details = {"address": BERLIN, "email": "lena@example.de", "phone": "030 1234567"}
        put = client.put(f"/api/v1/carts/{created['id']}/address", json=details, headers=auth)
        assert put.status_code == 200, put.get_json()
        if skus is None:
            return created["id"], auth, cart["lines"][0]["id"]
        return created["token"], created["id"], cart["lines"][0]["id"]

    def _ship(self, client, group: str, auth: dict) -> int:
        client.post(f"{group}/accept", headers=auth)
        shipped = client.post(
            f"{group}/shipments", json={"carrier": "usps", "tracking_number": "9400"}, headers=auth
        )
        return self._created(shipped)["id"]

    def arguments(self, path: str) -> tuple[dict, dict]:
        """The path arguments and the auth header for an operation on `path`."""
        parts = path.strip("/").split("/")
        kind = parts[3] if parts[2] == "admin" and len(parts) > 3 else parts[2]
        agent_step = (kind == "orders" and parts[-1] in AGENT_STEPS) or "shipment_id" in path
        model = "agent_operated" if agent_step else "wholesale_retail"
        if kind == "orders" and path.endswith(("/qc", "/picked", "/packed")):
            model = "self_produced" if path.endswith("/qc") else "wholesale_retail"
        values = {
            "code": SPARE.get(path, CODES.get(kind)),
            "slug": SLUGS.get(kind, self.stock_slug),
            "number": self.number,
            "group_id": self.groups["oem_dropship" if parts[2] == "supplier" else model],
            "shipment_id": (
                self.supplier_shipment if parts[2] == "supplier" else self.agent_shipment
            ),
            "cart_id": self.cart_id,
            "line_id": self.line_id,
            "sku": self.skus["stock"],
            "image_id": self.image_id,
            "id": self.endpoint_id,
            "prefix": self.key_prefix,
            "user_id": self.user_id,
            "method": "standard",
            "rma": "RMA-NONE",  # no group is delivered here: every return is not found
            "kind": "terms",  # the legal pages
            "part": "deposit",  # a part of a trade order's payment schedule
            "locale": "de",
            "quote_id": 1,  # no quote is drafted here: every quote is not found
        }
        if parts[2] == "carts":
            auth = self.cart
        elif parts[2] == "orders":
            auth = self.order
        elif parts[2] == "supplier":
            auth = self.supplier
        elif agent_step or path == "/api/v1/admin/groups":
            auth = self.agent
        else:
            auth = self.owner
        names = re.findall(r"{([a-z_]+)}", path)
        return {name: values[name] for name in names}, auth


def _walk(app, operation, path_values: dict, auth: dict, answered: dict) -> None:
    """Call one operation with its bounded, reproducible examples; raise what the checks find."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        if case.path_parameters is not None:
            case.path_parameters.update(path_values)
        case.headers = {**(case.headers or {}), **auth}
        if case.query and "channel" in case.query:
            case.query["channel"] = "eu"  # the seeded channel: a random code only meets a 400
        response = case.call(app=app)
        answered.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    call()


@pytest.fixture
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


def test_every_operation_answers_as_documented(
    app, client, api_schema, make_user, four_models, make_shipping, make_supplier
):
    shop = SeededShop(app, client, make_user, four_models, make_shipping, make_supplier)
    failures: list[str] = []
    answered: dict[str, set[int]] = {}
    walked = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        walked += 1
        path_values, auth = shop.arguments(operation.full_path)

        try:
            _walk(app, operation, path_values, auth, answered)
        except (Exception, BaseExceptionGroup) as failure:  # gathered, reported together
            failures.append(f"{operation.label}: {failure}"[:3000])
    assert walked == len(list(api_schema.get_all_operations())) > 100
    # the credentials reach every operation, and most of them get as far as doing their work
    refused = [op for op, codes in answered.items() if codes <= {401, 403}]
    assert not refused
    done = [op for op, codes in answered.items() if min(codes) < 300]
    assert len(done) >= 60, sorted(set(answered) - set(done))
    assert not failures, "\n\n".join(failures)
