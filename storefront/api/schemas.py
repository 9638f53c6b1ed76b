"""JSON schemas of the API's objects, referenced by the OpenAPI document."""

from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


_string = {"type": "string"}
_strings = {"type": "array", "items": _string}

SCHEMAS: dict[str, dict] = {
    "Money": _object(
        {
            "amount": {
                "type": "string",
                "pattern": r"^-?\d+(\.\d+)?$",
                "description": "Decimal string at the currency's precision",
            },
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        }
    ),
    "Error": _object(
        {
            "error": _object(
                {
                    "code": _string,
                    "message": _string,
                    "field": _string,
                },
                required=["code", "message"],
            )
        }
    ),
    "Channel": _object(
        {
            "code": _string,
            "name": _string,
            "currency": _string,
            "countries": _strings,
            "locales": _strings,
            "tax_display": {"type": "string", "enum": ["gross", "net"]},
        }
    ),
    "ChannelList": {"type": "array", "items": ref("Channel")},
    "ProductSummary": _object(
        {
            "slug": _string,
            "name": _string,
            "price": ref("Money"),
            "selling_model": _string,
            "grade": _string,
            "image_url": {"type": ["string", "null"]},
        }
    ),
    "ProductPage": _object(
        {
            "items": {"type": "array", "items": ref("ProductSummary")},
            "next": {"type": ["string", "null"], "description": "Opaque cursor of the next page"},
        }
    ),
    "Variant": _object(
        {
            "sku": _string,
            "options": {"type": "object", "additionalProperties": _string},
            "price": ref("Money"),
            "available": {"type": "boolean"},
        }
    ),
    "Product": _object(
        {
            "slug": _string,
            "name": _string,
            "description": _string,
            "brand": _string,
            "category": _string,
            "price": ref("Money"),
            "selling_model": _string,
            "grade": _string,
            "qc_status": {"type": ["string", "null"]},
            "hs_code": _string,
            "origin_country": _string,
            "material": _string,
            "weight_grams": {"type": "integer"},
            "images": {"type": "array", "items": _string},
            "variants": {"type": "array", "items": ref("Variant")},
        }
    ),
}
