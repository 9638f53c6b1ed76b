"""JSON schemas of carts, checkout and orders, for the OpenAPI document."""

from __future__ import annotations

from ..cart.address import FIELDS as ADDRESS_FIELDS
from ..returns.tables import ReturnStatus
from .schemas import ref

_string = {"type": "string"}
_id = {"type": "integer"}
_eta = {
    "type": "object",
    "properties": {"min_days": _id, "max_days": _id},
    "required": ["min_days", "max_days"],
}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }


CART_SCHEMAS: dict[str, dict] = {
    "NewCart": _object({"channel": _string, "country": _string}, required=["channel"]),
    "NewLine": _object({"sku": _string, "quantity": _id}, required=["sku"]),
    "LineChange": _object({"quantity": _id}),
    "Checkout": _object(
        {
            "idempotency_key": _string,
            "accept_terms_version": {
                "type": "integer",
                "minimum": 0,
                "description": "The terms version the buyer accepted (GET /pages/terms); "
                "left out, the order records none",
            },
        },
        required=["idempotency_key"],
    ),
    "Address": _object(
        {f: _string for f in (*ADDRESS_FIELDS, "country_code")},
        required=["name", "street_address"],
    ),
    "ShippingChoice": _object({"group": _string, "method": _id}),
    "ShippingOption": _object({"id": _id, "name": _string, "price": ref("Money")}),
    "Delivery": _object({"address": ref("Address"), "email": _string, "phone": _string}),
    "CartLine": _object(
        {
            "id": _id,
            "sku": _string,
            "name": {"type": "string", "description": "The product's, in the request's locale"},
            "quantity": _id,
            "unit_price": ref("Money"),
            "quoted_unit_price": ref("Money"),
            "total": ref("Money"),
            "group": {"type": ["string", "null"]},
        }
    ),
    "CartGroup": _object(
        {
            "id": _string,
            "selling_model": _string,
            "shipper": _string,
            "ship_from": _string,
            "eta": _eta,
            "goods_value": ref("Money"),
            "shipping": ref("Money"),
            "shipping_method": {"anyOf": [ref("ShippingOption"), {"type": "null"}]},
            "shipping_options": {"type": "array", "items": ref("ShippingOption")},
            "import": ref("ImportCharges"),
        }
    ),
    "ImportCharges": _object(
        {
            "regime": _string,
            "collected_at_checkout": {"type": "boolean"},
            "vat": ref("Money"),
            "duty": ref("Money"),
            "fees": ref("Money"),
            "estimated_due_on_delivery": ref("Money"),
            "vat_included": {"type": "boolean"},
            "duty_rules": {"type": "array", "items": _string},
            "duty_at_highest_rate": {"type": "boolean"},
            "duty_notes": {"type": "array", "items": _string},
        }
    ),
    "Problem": _object({"code": _string, "message": _string}, required=["code", "message"]),
    "Cart": _object(
        {
            "id": _string,
            "channel": _string,
            "currency": _string,
            "country": _string,
            "lines": {"type": "array", "items": ref("CartLine")},
            "groups": {"type": "array", "items": ref("CartGroup")},
            "totals": _object(
                {k: ref("Money") for k in ("subtotal", "shipping", "tax", "duty", "fees", "total")}
            ),
            "prices_include_tax": {"type": "boolean"},
            "address": {"anyOf": [ref("Address"), {"type": "null"}]},
            "email": {"type": ["string", "null"]},
            "phone": {"type": ["string", "null"]},
            "problems": {"type": "array", "items": ref("Problem")},
        }
    ),
    "CartCreated": {"allOf": [ref("Cart"), _object({"token": _string})]},
    "OrderGroup": _object(
        {
            "id": _id,
            "selling_model": _string,
            "shipper": _string,
            "ship_from": _string,
            "status": _string,
            "eta": _eta,
            "shipping_method": {"type": "string", "description": "In the order's locale"},
            "shipping": ref("Money"),
            "delivered_at": {"type": ["string", "null"], "format": "date-time"},
            "shipments": {"type": "array", "items": ref("Shipment")},
            "lines": {
                "type": "array",
                "items": _object(
                    {
                        "sku": _string,
                        "name": {"type": "string", "description": "In the order's locale"},
                        "quantity": _id,
                        "unit_price": ref("Money"),
                    }
                ),
            },
        }
    ),
    "Order": _object(
        {
            "id": _string,
            "status": _string,
            "currency": _string,
            "country": _string,
            "terms_version": {"type": ["integer", "null"]},
            "groups": {"type": "array", "items": ref("OrderGroup")},
            "totals": _object(
                {k: ref("Money") for k in ("subtotal", "shipping", "tax", "duty", "fees", "total")}
            ),
            "prices_include_tax": {"type": "boolean"},
            "returns": {
                "type": "array",
                "description": "the order's returns, oldest first",
                "items": _object(
                    {
                        "rma": _string,
                        "status": {"enum": [status.value for status in ReturnStatus]},
                        "lines": {
                            "type": "array",
                            "items": _object({"sku": _string, "quantity": {"type": "integer"}}),
                        },
                        "refund": ref("Money"),
                    }
                ),
            },
        }
    ),
    "CheckoutResult": _object(
        {
            "order_id": _string,
            "order_token": {"type": ["string", "null"]},
            "order": ref("Order"),
            "payment": {"type": ["object", "null"]},
        }
    ),
}
