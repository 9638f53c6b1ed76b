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
    "SellingModelSwitch": _object(
        {
            "selling_model": {"type": "string", "description": "A selling model's code"},
            "selling_model_config": {"type": "object", "description": "The model's settings"},
            "selling_model_settings": {
                "type": "object",
                "description": "Another name for selling_model_config; send one of the two",
            },
        },
        required=["selling_model"],
    ),
    "AdminProduct": _object(
        {
            "slug": _string,
            "selling_model": _string,
            "selling_model_settings": {"type": "object"},
            "selling_model_config": {"type": "object", "description": "Same as the settings"},
        }
    ),
    "AdminOrderLine": _object(
        {
            "sku": _string,
            "name": _string,
            "quantity": {"type": "integer"},
            "unit_price": ref("Money"),
            "total": ref("Money"),
        }
    ),
    "AdminOrderGroup": _object(
        {
            "id": {"type": "integer"},
            "selling_model": _string,
            "shipper": _string,
            "ship_from": _string,
            "status": _string,
            "eta": _object({"min_days": {"type": "integer"}, "max_days": {"type": "integer"}}),
            "lines": {"type": "array", "items": ref("AdminOrderLine")},
        }
    ),
    "AdminOrder": _object(
        {
            "number": _string,
            "created_at": {"type": "string", "format": "date-time"},
            "country": _string,
            "currency": _string,
            "status": _string,
            "total": {**ref("Money"), "description": "For an agent: its brands' lines only"},
            "groups": {"type": "array", "items": ref("AdminOrderGroup")},
        }
    ),
    "AdminOrderPage": _object(
        {
            "items": {"type": "array", "items": ref("AdminOrder")},
            "next": {"type": ["string", "null"], "description": "Opaque cursor of the next page"},
        }
    ),
    "Brand": _object(
        {
            "slug": _string,
            "name": _string,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "is_archived": {"type": "boolean"},
        },
        required=["slug", "name", "country"],
    ),
    "Category": _object(
        {
            "slug": _string,
            "name": _string,
            "position": {"type": "integer", "minimum": 0},
            "is_archived": {"type": "boolean"},
        },
        required=["slug", "name"],
    ),
    "BrandPage": _object(
        {"items": {"type": "array", "items": ref("Brand")}, "next": {"type": ["string", "null"]}}
    ),
    "CategoryPage": _object(
        {
            "items": {"type": "array", "items": ref("Category")},
            "next": {"type": ["string", "null"]},
        }
    ),
    "Workshop": _object(
        {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "name": _string,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "is_active": {"type": "boolean"},
        },
        required=["code", "name", "country"],
    ),
    "Agent": _object(
        {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "name": _string,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "handling_min": {"type": "integer", "minimum": 0},
            "handling_max": {"type": "integer", "minimum": 0},
            "returns_policy": _string,
            "commission_rate": {"type": "string", "description": 'A fraction: "0.12" is 12 %'},
            "brands": {"type": "array", "items": _string, "description": "Entrusted brand slugs"},
            "is_active": {"type": "boolean"},
        },
        required=["code", "name", "country"],
    ),
    "Supplier": _object(
        {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "name": _string,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "kind": {"type": "string", "enum": ["dropship", "oem"]},
            "lead_min": {"type": "integer", "minimum": 0},
            "lead_max": {"type": "integer", "minimum": 0},
            "is_active": {"type": "boolean"},
        },
        required=["code", "name", "country"],
    ),
    "WorkshopPage": _object(
        {"items": {"type": "array", "items": ref("Workshop")}, "next": {"type": ["string", "null"]}}
    ),
    "AgentPage": _object(
        {"items": {"type": "array", "items": ref("Agent")}, "next": {"type": ["string", "null"]}}
    ),
    "SupplierPage": _object(
        {"items": {"type": "array", "items": ref("Supplier")}, "next": {"type": ["string", "null"]}}
    ),
    "TeamMember": _object(
        {
            "id": {"type": "integer"},
            "email": _string,
            "name": _string,
            "role": {"enum": ["owner", "staff", "agent", "supplier"]},
            "active": {"type": "boolean"},
        },
        required=["id", "email", "name", "role", "active"],
    ),
    "TeamPage": _object(
        {
            "items": {"type": "array", "items": ref("TeamMember")},
            "next": {"type": ["string", "null"]},
        }
    ),
    "TeamInvite": _object(
        {
            "email": _string,
            "role": {"enum": ["owner", "staff", "agent", "supplier"]},
            "name": _string,
            "agent": _string,
            "supplier": _string,
        },
        required=["email", "role"],
    ),
}
