"""The merchant's figures: sales, conversion, shipments, import charges and returns for a
period.

Reports only read. Money is in the shop's base currency, each order converted at the rate
it kept at checkout (`Order.base_rate`), summed unrounded and rounded once when shown
(`Figure` sums, `Money.rounded()` at the edge). An order without a kept rate (placed
before the shop kept them) is left out of the money and counted as "no rate".
The back office (`/admin`) and the admin API (`/api/v1/admin/reports/...`) show them.
"""

from __future__ import annotations

from . import figures
from .figures import (
    BUCKETS,
    Period,
    Report,
    ReportInputError,
    conversion,
    import_charges,
    parse_period,
    sales,
    shipments,
)
from .returns import returns_report

# the returns' figures live in their own module (`returns.py`), beside figures.py's four
REPORTS = (*figures.REPORTS, "returns")


def build(name: str, period: Period) -> Report:
    """The report `name` of the period (the returns report with all its splits)."""
    if name == "returns":
        return returns_report(period)
    return figures.build(name, period)


__all__ = [
    "BUCKETS",
    "REPORTS",
    "Period",
    "ReportInputError",
    "build",
    "conversion",
    "import_charges",
    "parse_period",
    "returns_report",
    "sales",
    "shipments",
]
