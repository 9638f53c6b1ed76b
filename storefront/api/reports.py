"""The dashboard's figures in Store API v1: `GET /api/v1/admin/reports/<name>?from=&to=&by=`,
for staff keys (an agent's key gets 403). Money is in the shop's base currency, each
order at the rate it kept at checkout (storefront.reports)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext

from ..accounts import STAFF_ROLES
from ..reports import build, parse_period
from ..reports.returns import SPLITS, parse_query, returns_report
from .auth import api_user
from .errors import ApiError
from .spec import operation, query_param
from .views import bp

PERIOD = [
    query_param("from", "First day, YYYY-MM-DD (default: 29 days before `to`)"),
    query_param("to", "Last day, inclusive, YYYY-MM-DD (default: today)"),
    query_param("by", "Bucket", schema={"type": "string", "enum": ["day", "week", "month"]}),
]


def _staff_only() -> None:
    if api_user().role not in STAFF_ROLES:
        raise ApiError(403, "forbidden", gettext("Reports are for the shop's staff only."))


def _report(name: str):
    _staff_only()
    return jsonify(build(name, parse_period(request.args)).as_json())


def _route(name: str, schema: str, summary: str) -> None:
    def view():
        return _report(name)

    view.__name__ = "admin_report_" + name.replace("-", "_")
    described = operation(
        summary,
        tags=["back office"],
        query=PERIOD,
        response=schema,
        errors=(400, 401, 403),
        security="bearer",
    )
    bp.get(f"/admin/reports/{name}")(described(view))


_route("sales", "SalesReport", "Sales, orders, average order value, units and refunds")
_route("conversion", "ConversionReport", "Carts, checkouts and paid orders per country")
_route("shipments", "ShipmentsReport", "Groups late against their ETA, per shipper")
_route("import-charges", "ImportChargesReport", "Import charges collected per regime")


@bp.get("/admin/reports/returns")
@operation(
    "Refunds for returns (per currency and in the base currency) and return rates (units "
    "returned / units delivered) by product, reason or selling model",
    tags=["back office"],
    query=[
        *PERIOD[:2],
        query_param(
            "by",
            "The one split to answer (default: all three)",
            schema={"type": "string", "enum": list(SPLITS)},
        ),
    ],
    response="ReturnsReport",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_report_returns():
    _staff_only()
    period, by = parse_query(request.args)
    return jsonify(returns_report(period, by).as_json())
