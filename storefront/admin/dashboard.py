"""The dashboard at /admin: the reports of storefront.reports for a period, as tables, bar
charts drawn in SVG and a CSV export of each. Staff and owner only; an agent's /admin
stays its product list."""

from __future__ import annotations

import datetime
from decimal import Decimal

from flask import Response, abort, redirect, request

from channels.money import Money

from ..accounts import STAFF_ROLES, roles_required
from ..mount import render_template, url_for
from ..reports import REPORTS, ReportInputError, build, parse_period
from ..web import format_money
from . import bp
from .charts import bar_chart
from .scope import current_scope, scoped_view


def show(value) -> str:
    """A figure as the tables show it: money formatted, shares as percentages."""
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, Decimal):
        return f"{value * 100:.1f} %"
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


@bp.get("/")
@scoped_view
def index():
    if current_scope().is_agent:
        return redirect(url_for("admin.products"))
    error = None
    try:
        period = parse_period(request.args)
    except ReportInputError as refused:
        error = refused
        period = parse_period({})
    reports = [build(name, period) for name in REPORTS]
    query = period.as_json()
    page = render_template(
        "admin/dashboard.html",
        period=period,
        error=error,
        reports=reports,
        bar_chart=bar_chart,
        show=show,
        csv_url=lambda name: url_for("admin.report_csv", name=name, **query),
    )
    return page, 400 if error else 200


@bp.get("/reports/<name>.csv")
@roles_required(*STAFF_ROLES)
def report_csv(name: str):
    if name not in REPORTS:
        abort(404)
    try:
        period = parse_period(request.args)
    except ReportInputError as refused:
        return Response(f"{refused.field}: {refused.message}\n", 400, mimetype="text/plain")
    report = build(name, period)
    filename = f"{name}-{period.start}-{period.end}-{period.by}.csv"
    return Response(
        report.csv_text(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
