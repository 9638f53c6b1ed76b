"""JSON schemas of products' fields and variants in the admin API, for the OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_string = {"type": "string"}
_whole = {"type": "integer", "minimum": 1}
_options = {"type": "object", "additionalProperties": _string}
_decimal = {"type": "string", "description": "A decimal in the base currency"}

# what the admin API's product answers hold besides the selling model
PRODUCT_FIELDS: dict[str, dict] = {
    "name": _string,
    "description": _string,
    "hs_code": _string,
    "origin_country": {"type": "string", "pattern": "^[A-Z]{2}$"},
    "material": _string,
    "grade": _string,
    "weight_grams": _whole,
    "length_mm": _whole,
    "width_mm": _whole,
    "height_mm": _whole,
    "qc_status": {"type": ["string", "null"], "description": 'null or "" clears it'},
    "is_published": {"type": "boolean"},
    "brand": {"type": "string", "description": "A brand's slug"},
    "category": {"type": "string", "description": "A category's slug"},
}

VARIANT_SCHEMAS: dict[str, dict] = {
    "AdminProduct": _object(
        {
            **PRODUCT_FIELDS,
            "slug": _string,
            "selling_model": _string,
            "selling_model_settings": {"type": "object"},
            "selling_model_config": {"type": "object", "description": "Same as the settings"},
            "texts": ref("LocaleTexts"),
        }
    ),
    "ProductChange": _object(
        {
            **PRODUCT_FIELDS,
            "selling_model": {"type": "string", "description": "A selling model's code"},
            "selling_model_config": {"type": "object", "description": "The model's settings"},
            "selling_model_settings": {
                "type": "object",
                "description": "Another name for selling_model_config; send one of the two",
            },
            "texts": {
                **ref("LocaleTexts"),
                "description": "The locales given change (a blank name removes that locale's "
                "text); the selling model stays as it is unless selling_model is sent",
            },
        },
        required=[],
    ),
    "AdminVariant": _object(
        {
            "sku": _string,
            "options": _options,
            "price": ref("Money"),
            "min_quantity": _whole,
            "step": _whole,
            "is_archived": {"type": "boolean", "description": "true: no longer sold"},
        }
    ),
    "AdminVariantList": _object({"items": {"type": "array", "items": ref("AdminVariant")}}),
    "AdminVariantCreate": _object(
        {
            "sku": _string,
            "price": _decimal,
            "options": _options,
            "min_quantity": _whole,
            "step": _whole,
        },
        required=["sku", "price"],
    ),
    "AdminVariantChange": _object(
        {"price": _decimal, "options": _options, "min_quantity": _whole, "step": _whole},
        required=[],
    ),
}
