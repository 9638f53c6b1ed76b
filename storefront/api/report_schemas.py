"""JSON schemas of the reports (the /admin dashboard's figures), for the OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_string = {"type": "string"}
_count = {"type": "integer"}
_share = {"type": ["number", "null"], "description": "A fraction (0.25 is 25 %); null of none"}
_money = ref("Money")
_date = {"type": "string", "format": "date"}


def _rows(properties: dict) -> dict:
    return {"type": "array", "items": _object(properties)}


def _report(name: str, totals: dict, tables: dict) -> dict:
    return _object(
        {
            "report": {"type": "string", "const": name},
            "from": _date,
            "to": _date,
            "by": {"type": "string", "enum": ["day", "week", "month"]},
            "currency": {"type": "string", "description": "The shop's base currency"},
            "totals": _object(totals),
            **tables,
        }
    )


_SALES = {
    "revenue": _money,
    "orders": _count,
    "average_order_value": _money,
    "units": _count,
    "refunds": _money,
}
_SPLIT = {k: v for k, v in _SALES.items() if k != "refunds"}
_SHIPPERS = {
    "shipper": _string,
    "groups": _count,
    "delivered_on_time": _count,
    "delivered_late": _count,
    "on_the_way": _count,
    "overdue": _count,
    "late": _count,
    "late_share": _share,
}
_REGIME = {
    "groups": _count,
    "collected_groups": _count,
    "vat": _money,
    "duty": _money,
    "fees": _money,
    "collected": _money,
    "due_on_delivery": _money,
}

_RETURNED = {
    "delivered_units": _count,
    "returned_units": _count,
    "return_rate": _share,
    "refunds": _money,
}
_RETURNS_TABLES = {
    "by_product": _rows({"product": _string, **_RETURNED}),
    "by_reason": _rows(
        {
            "reason": _string,
            "returns": _count,
            "returned_units": _count,
            "return_rate": {**_share, "description": "of all units delivered in the period"},
            "refunds": _money,
        }
    ),
    "by_selling_model": _rows({"selling_model": _string, **_RETURNED}),
    "refunds_by_currency": _rows(
        {
            "currency": _string,
            "returns_refunded": _count,
            "refunded": {**_money, "description": "in the orders' own currency"},
            "refunded_in_base": _money,
        }
    ),
}

REPORT_SCHEMAS: dict[str, dict] = {
    "SalesReport": _report(
        "sales",
        {**_SALES, "orders_without_rate": _count},
        {
            "buckets": _rows({"bucket": _string, **_SALES}),
            "by_channel": _rows({"channel": _string, **_SALES}),
            "by_country": _rows({"country": _string, **_SALES}),
            "by_selling_model": _rows({"selling_model": _string, **_SPLIT}),
            "by_brand": _rows({"brand": _string, **_SPLIT}),
            "by_grade": _rows({"grade": _string, **_SPLIT}),
        },
    ),
    "ConversionReport": _report(
        "conversion",
        {
            "carts_started": _count,
            "checkouts_started": _count,
            "orders_paid": _count,
            "paid_rate": _share,
        },
        {
            "countries": _rows(
                {
                    "country": _string,
                    "carts_started": _count,
                    "checkouts_started": _count,
                    "orders_paid": _count,
                    "checkout_rate": _share,
                    "paid_rate": _share,
                }
            ),
            "categories": _rows(
                {
                    "market": _string,
                    "country": _string,
                    "category": _string,
                    "orders": _count,
                    "units": _count,
                    "revenue": _money,
                }
            ),
        },
    ),
    "ShipmentsReport": _report(
        "shipments",
        {"groups": _count, "late": _count, "overdue": _count},
        {
            "shippers": _rows(_SHIPPERS),
            "late_groups": _rows(
                {
                    "group": _string,
                    "order_number": _string,
                    "shipper": _string,
                    "eta": _date,
                    "delivered_at": {"type": ["string", "null"], "format": "date-time"},
                    "days_late": _count,
                }
            ),
        },
    ),
    "ImportChargesReport": _report(
        "import-charges",
        {**_REGIME, "groups_without_rate": _count},
        {"regimes": _rows({"regime": _string, **_REGIME})},
    ),
    "ReturnsReport": _object(
        {
            "report": {"type": "string", "const": "returns"},
            "from": _date,
            "to": _date,
            "by": {"type": "string", "enum": ["product", "reason", "model", "all"]},
            "currency": {"type": "string", "description": "The shop's base currency"},
            "totals": _object(
                {
                    **_RETURNED,
                    "returns": _count,
                    "returns_refunded": _count,
                    "refunds_without_rate": _count,
                }
            ),
            **_RETURNS_TABLES,
        },
        required=["report", "from", "to", "by", "currency", "totals", "refunds_by_currency"],
    ),
}
