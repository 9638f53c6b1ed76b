"""JSON schemas of warehouses and stock movements (back office), for the OpenAPI document."""

from __future__ import annotations

from ..fulfilment.stock import REASONS
from .schemas import _object, ref

_string = {"type": "string"}
_int = {"type": "integer"}
_next = {"type": ["string", "null"]}
_serves = {
    "type": "array",
    "items": _string,
    "description": 'ISO countries the warehouse ships to; ["*"] ships everywhere',
}
_serves_input = {"oneOf": [_serves, {"type": "string", "description": '"DE AT" or "*"'}]}
_return_address = {
    "type": "string",
    "maxLength": 500,
    "description": "the postal address buyers send returned goods to, one line per line "
    '(a return answers it in `ship_to.address`); "" for none yet',
}

STOCK_SCHEMAS: dict[str, dict] = {
    # a supplier's own stock levels (PUT /supplier/stock): at most 1,000 items a call
    "SupplierStockLevel": _object({"sku": _string, "quantity": {"type": "integer", "minimum": 0}}),
    "SupplierStockReport": {"type": "array", "items": ref("SupplierStockLevel"), "minItems": 1},
    "SupplierStockLevels": _object(
        {"items": {"type": "array", "items": ref("SupplierStockLevel")}}
    ),
    "Warehouse": _object(
        {
            "code": _string,
            "name": _string,
            "country": _string,
            "serves": _serves,
            "return_address": _return_address,
            "is_active": {"type": "boolean"},
            "units_on_hand": _int,
            "units_reserved": _int,
        }
    ),
    "WarehousePage": _object(
        {"items": {"type": "array", "items": ref("Warehouse")}, "next": _next}
    ),
    "WarehouseCreate": _object(
        {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "name": _string,
            "country": _string,
            "serves": _serves_input,
            "return_address": _return_address,
        },
        required=["code", "name", "country"],
    ),
    "WarehouseChange": _object(
        {
            "name": _string,
            "country": _string,
            "serves": _serves_input,
            "return_address": _return_address,
        },
        required=[],
    ),
    "StockLevel": _object(
        {"sku": _string, "product": _string, "on_hand": _int, "reserved": _int, "free": _int}
    ),
    "StockLevelPage": _object(
        {"items": {"type": "array", "items": ref("StockLevel")}, "next": _next}
    ),
    "StockMovement": _object(
        {
            "id": _int,
            "warehouse": _string,
            "sku": _string,
            "quantity": {"type": "integer", "description": "signed: units in > 0, out < 0"},
            "reason": {"enum": list(REASONS)},
            "note": _string,
            "actor": {"type": "string", "description": 'an e-mail, or "system"'},
            "reference": _string,
            "created_at": {"type": "string", "format": "date-time"},
        }
    ),
    "StockMovementPage": _object(
        {"items": {"type": "array", "items": ref("StockMovement")}, "next": _next}
    ),
    "StockMovementCreate": _object(
        {
            "warehouse": _string,
            "sku": _string,
            "quantity": {"type": "integer", "not": {"const": 0}},
            "reason": {"enum": list(REASONS)},
            "note": {"type": "string", "maxLength": 300},
        },
        required=["warehouse", "sku", "quantity", "reason"],
    ),
    "StockMovementRecorded": {
        "allOf": [
            ref("StockMovement"),
            _object({"level": _object({"on_hand": _int, "reserved": _int})}),
        ]
    },
}
