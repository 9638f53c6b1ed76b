"""The merchant's figures: sales, conversion, shipments and import charges for a period.

Reports only read. Money is in the shop's base currency, each order converted at the rate
it kept at checkout (`Order.base_rate`), summed unrounded and rounded once when shown
(`Figure` sums, `Money.rounded()` at the edge). An order without a kept rate (placed
before the shop kept them) is left out of the money and counted as "no rate".
The back office (`/admin`) and the admin API (`/api/v1/admin/reports/...`) show them.
"""

from __future__ import annotations

from .figures import (
    BUCKETS,
    REPORTS,
    Period,
    ReportInputError,
    build,
    conversion,
    import_charges,
    parse_period,
    sales,
    shipments,
)

__all__ = [
    "BUCKETS",
    "REPORTS",
    "Period",
    "ReportInputError",
    "build",
    "conversion",
    "import_charges",
    "parse_period",
    "sales",
    "shipments",
]
