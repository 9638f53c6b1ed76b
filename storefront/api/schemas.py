"""JSON schemas of the API's objects, referenced by the OpenAPI document."""

from __future__ import annotations

from i18n import SUPPORTED_LOCALES


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
_RETURN_ADDRESS = {
    "type": "string",
    "maxLength": 500,
    "description": "where buyers send returned goods (a return answers it in `ship_to.address`)",
}
# A merchant's text in the shop's other languages; a locale left out shows the default's.
_OTHER_LOCALES = SUPPORTED_LOCALES[1:]
_names = ref("LocaleNames")

SCHEMAS: dict[str, dict] = {
    "LocaleNames": {
        "type": "object",
        "description": "The name per locale of the shop's other languages; blank or absent "
        "ones show the default language's name",
        "properties": {locale: _string for locale in _OTHER_LOCALES},
        "additionalProperties": False,
    },
    "LocaleTexts": {
        "type": "object",
        "description": "Name and description per locale of the shop's other languages",
        "properties": {
            locale: _object({"name": _string, "description": _string}, required=["name"])
            for locale in _OTHER_LOCALES
        },
        "additionalProperties": False,
    },
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
            "return_days": {
                "type": "integer",
                "minimum": 0,
                "description": "days after delivery a buyer may ask to return goods (EU and "
                "UK consumers keep at least 14)",
            },
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
            "image_sizes": ref("ImageSizes"),
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
            "brand": {"type": "string", "description": "In the request's locale"},
            "category": {"type": "string", "description": "The category's slug"},
            "category_name": {"type": "string", "description": "In the request's locale"},
            "price": ref("Money"),
            "selling_model": _string,
            "grade": _string,
            "qc_status": {"type": ["string", "null"]},
            "hs_code": _string,
            "origin_country": _string,
            "material": _string,
            "weight_grams": {"type": "integer"},
            "images": {"type": "array", "items": _string},
            "gallery": {"type": "array", "items": ref("GalleryImage")},
            "variants": {"type": "array", "items": ref("Variant")},
            "eta": {
                "anyOf": [
                    _object({"min_days": {"type": "integer"}, "max_days": {"type": "integer"}}),
                    {"type": "null"},
                ],
                "description": "Days until delivery to the channel's default country "
                "(production or handling, then transit); null when no variant can be delivered",
            },
        }
    ),
    # ProductChange (the PATCH of a product, its selling model too) and AdminProduct:
    # in variant_schemas, with the product's fields
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
            "names": _names,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "is_archived": {"type": "boolean"},
        },
        required=["slug", "name", "country"],
    ),
    "Category": _object(
        {
            "slug": _string,
            "name": _string,
            "names": _names,
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
            "return_address": _RETURN_ADDRESS,
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
            "brands": {
                "type": "array",
                "items": {"oneOf": [_string, ref("EntrustedBrand")]},
                "description": "Entrusted brand slugs (answered so); given as slugs (a brand "
                "keeps its own rate) or as EntrustedBrand objects (setting it)",
            },
            "entrusted_brands": {
                "type": "array",
                "items": ref("EntrustedBrand"),
                "description": "The entrusted brands with their own commission rates (answers)",
            },
            "return_address": _RETURN_ADDRESS,
            "is_active": {"type": "boolean"},
        },
        required=["code", "name", "country"],
    ),
    "EntrustedBrand": _object(
        {
            "brand": {"type": "string", "description": "The brand's slug"},
            "commission_rate": {
                "type": ["string", "null"],
                "description": "The brand's own rate, overriding the agent's (\"0.15\" is 15 %); "
                "null: the agent's",
            },
        },
        required=["brand"],
    ),
    "Supplier": _object(
        {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "name": _string,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "kind": {"type": "string", "enum": ["dropship", "oem"]},
            "lead_min": {"type": "integer", "minimum": 0},
            "lead_max": {"type": "integer", "minimum": 0},
            "return_address": _RETURN_ADDRESS,
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
    "ProductCreate": _object(
        {
            "slug": _string,
            "name": _string,
            "description": _string,
            "brand": {"type": "string", "description": "A brand's slug"},
            "category": {"type": "string", "description": "A category's slug"},
            "hs_code": {
                "type": "string",
                "description": "e.g. 7113.11, or a national tariff line (7113.11.50) "
                "for the exact duty",
            },
            "origin_country": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
            "material": _string,
            "grade": {"enum": ["none", "original_order", "skip_order", "follow_up_order"]},
            "weight_grams": {"type": "integer", "minimum": 1},
            "length_mm": {"type": "integer", "minimum": 1},
            "width_mm": {"type": "integer", "minimum": 1},
            "height_mm": {"type": "integer", "minimum": 1},
            "selling_model": _string,
            "selling_model_settings": {"type": "object"},
            "texts": ref("LocaleTexts"),
            "variants": {
                "type": "array",
                "items": _object(
                    {
                        "sku": _string,
                        "price": {"type": "string", "description": "In the base currency"},
                        "options": {"type": "object", "additionalProperties": _string},
                    },
                    required=["sku", "price"],
                ),
            },
        },
        required=[
            "slug",
            "name",
            "brand",
            "category",
            "hs_code",
            "origin_country",
            "material",
            "weight_grams",
            "length_mm",
            "width_mm",
            "height_mm",
            "selling_model",
            "variants",
        ],
    ),
    "ChannelPrice": _object(
        {
            "channel": _string,
            "sku": _string,
            "price": {"anyOf": [ref("Money"), {"type": "null"}]},
            "min_quantity": {"type": "integer"},
            "step": {"type": "integer"},
            "breaks": {
                "type": "array",
                "items": _object({"min_quantity": {"type": "integer"}, "price": ref("Money")}),
            },
        }
    ),
    "ChannelPriceList": _object({"items": {"type": "array", "items": ref("ChannelPrice")}}),
    "ChannelPriceSet": _object(
        {
            "channel": _string,
            "sku": _string,
            "price": {"type": ["string", "null"]},
            "min_quantity": {"type": "integer", "minimum": 1},
            "step": {"type": "integer", "minimum": 1},
            "breaks": {
                "type": "array",
                "items": _object({"min_quantity": {"type": "integer"}, "price": _string}),
            },
        },
        required=["channel", "sku", "price"],
    ),
    "ShippingZone": _object(
        {
            "code": _string,
            "name": _string,
            "countries": _strings,
            "position": {"type": "integer"},
            "methods": {
                "type": "array",
                "items": _object(
                    {
                        "code": _string,
                        "name": _string,
                        "names": _names,
                        "currency": _string,
                        "active": {"type": "boolean"},
                        "position": {"type": "integer"},
                        "bands": {
                            "type": "array",
                            "items": _object(
                                {"up_to_grams": {"type": "integer"}, "price": ref("Money")}
                            ),
                        },
                    }
                ),
            },
        }
    ),
    "ShippingZoneList": _object({"items": {"type": "array", "items": ref("ShippingZone")}}),
    "ShippingZoneSet": _object(
        {"name": _string, "countries": _strings, "position": {"type": "integer"}},
        required=["name", "countries"],
    ),
    "ShippingMethodSet": _object(
        {
            "name": _string,
            "names": _names,
            "currency": _string,
            "active": {"type": "boolean"},
            "position": {"type": "integer"},
            "bands": {
                "type": "array",
                "items": _object({"up_to_grams": {"type": "integer"}, "price": _string}),
            },
        },
        required=["name", "currency", "bands"],
    ),
}
