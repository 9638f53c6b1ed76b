"""Every CSV the shop hands out: a cell a spreadsheet would run as a formula arrives as text."""

import csv
import datetime
import io

import pytest

from channels.money import Money
from storefront.csv_export import csv_text, safe_cell
from storefront.reports.figures import Period, Report, Table


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_formula_cell_is_made_text(cell):
    assert safe_cell(cell) == "'" + cell
    assert list(csv.reader(io.StringIO(csv_text([[cell]])))) == [["'" + cell]]


@pytest.mark.parametrize("cell", ["-12.50", "+3", "0", "Aurora", "a=b", "", 7, None])
def test_numbers_and_plain_text_stay_as_they_are(cell):
    assert safe_cell(cell) == cell


def test_the_reports_csv_escapes_keys_and_values():
    report = Report(
        name="sales",
        title="Sales",
        period=Period(datetime.date(2026, 12, 1), datetime.date(2026, 12, 2), "day"),
        currency="USD",
        totals={"refunds": Money("-5.00", "USD")},
        tables=[
            Table(
                "categories",
                "Per category",
                ("category", "note"),
                [{"category": "=1+1", "note": "@evil"}],
            )
        ],
    )
    rows = list(csv.reader(io.StringIO(report.csv_text())))
    assert rows[1] == ["totals", "", "refunds", "-5.00"]
    assert rows[2] == ["categories", "'=1+1", "note", "'@evil"]
