"""The one way the shop writes a CSV file for people to open (settlements, reports).

A spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (CSV injection: a brand named `=HYPERLINK(...)` would run in the merchant's
Excel). Every cell goes through `safe_cell`, which makes such text plain with a leading `'`;
a plain number (`-12.50`) is left a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet shows it and never runs it."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence], *, lineterminator: str = "\r\n") -> str:
    """The rows (the header first) as CSV text, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
