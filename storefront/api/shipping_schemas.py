"""JSON schemas of shipping work and shipments, for the OpenAPI document."""

from __future__ import annotations

from ..cart.address import FIELDS
from .schemas import _object, ref

_string = {"type": "string"}
_text_or_null = {"type": ["string", "null"]}
_id = {"type": "integer"}
_moment = {"type": "string", "format": "date-time"}
_lines = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"sku": _string, "quantity": _id},
        "required": ["sku", "quantity"],
    },
}


SHIPPING_SCHEMAS: dict[str, dict] = {
    "Shipment": _object(
        {
            "id": _id,
            "carrier": _string,
            "carrier_code": _string,
            "tracking_number": _string,
            "tracking_url": _text_or_null,
            "parcels": _id,
            "shipped_at": _moment,
            "delivered_at": {"type": ["string", "null"], "format": "date-time"},
            "lines": _lines,
        }
    ),
    "ShipTo": _object({name: _string for name in (*FIELDS, "country", "phone")}),
    "ShippingGroup": _object(
        {
            "id": _id,
            "order_number": _string,
            "selling_model": _string,
            "shipper": _string,
            "status": _string,
            "eta": _object({"min_days": _id, "max_days": _id}),
            "shipping_method": _string,
            "lines": {
                "type": "array",
                "items": _object({"sku": _string, "name": _string, "quantity": _id}),
            },
            "left_to_ship": _lines,
            "ship_to": ref("ShipTo"),
            "shipments": {"type": "array", "items": ref("Shipment")},
            "refund_state": {"enum": [None, "owed", "refunded", "manual"]},
        }
    ),
    "ShippingGroupList": _object({"items": {"type": "array", "items": ref("ShippingGroup")}}),
    "RejectRequest": _object({"reason": {"type": "string", "minLength": 1, "maxLength": 280}}),
    "Rejection": {
        "allOf": [
            ref("ShippingGroup"),
            _object(
                {
                    "rerouted": {"type": "boolean"},
                    "refund": {"anyOf": [ref("Money"), {"type": "null"}]},
                }
            ),
        ]
    },
    "QcRequest": _object(
        {
            "passed": {"type": "boolean"},
            "inspector": _string,
            "notes": _string,
            "outcome": {"enum": ["rework", "relist"]},
        },
        required=["passed", "inspector"],
    ),
    "QcResult": {
        "allOf": [
            ref("ShippingGroup"),
            _object(
                {
                    "inspection": _object(
                        {
                            "id": _id,
                            "passed": {"type": "boolean"},
                            "inspector": _string,
                            "notes": _string,
                            "outcome": _text_or_null,
                        }
                    )
                }
            ),
        ]
    },
    "ShipmentRequest": _object(
        {
            "carrier": {
                "type": "string",
                "description": "A listed carrier's code or name (e.g. dhl-express, "
                '"Royal Mail"); any other name is kept as given',
            },
            "tracking_number": _string,
            "tracking_url": {"type": "string", "format": "uri"},
            "lines": _lines,
            "parcels": _id,
        },
        required=["carrier", "tracking_number"],
    ),
    "ShipmentResult": {
        "allOf": [ref("Shipment"), _object({"group_id": _id, "group_status": _string})]
    },
    "DeliveredRequest": _object({"delivered_at": _moment}, required=[]),
    "TrackingRequest": _object(
        {
            "status": {"enum": ["in_transit", "out_for_delivery", "delivered", "exception"]},
            "occurred_at": _moment,
            "description": _string,
            "location": _string,
        },
        required=["status"],
    ),
    "TrackingResult": _object(
        {
            "id": _id,
            "shipment_id": _id,
            "status": _string,
            "occurred_at": _moment,
            "description": _string,
            "location": _string,
            "group_status": _string,
        }
    ),
    "CancelRequest": _object({"reason": _string}, required=[]),
    "CancelResult": _object(
        {
            "number": _string,
            "status": _string,
            "refund": {"anyOf": [ref("Money"), {"type": "null"}]},
            # parts of its payment terms paid by bank transfer: staff send them back
            "owed_by_transfer": {"anyOf": [ref("Money"), {"type": "null"}]},
        }
    ),
}
