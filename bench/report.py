"""The benchmark's table and verdicts, as printed and as bench/RESULTS.md records them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WORKERS = 2
TARGET_RATIO = 0.5
BUYER_RATIO = 0.2  # issue 18: buyer pages and API reads, against hello-world
P99_OVER_P50 = 4.0


@dataclass(frozen=True)
class WrkResult:
    requests_per_sec: float
    requests: int
    p50_ms: float | None
    p99_ms: float | None
    non_2xx_3xx: int
    socket_errors: int


@dataclass(frozen=True)
class Row:
    page: str
    path: str
    result: WrkResult


# --- report --------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def table(rows: Sequence[Row]) -> str:
    baseline = hello_rate(rows)
    lines = [
        "| page | path | requests/s | vs hello-world | p50 ms | p99 ms"
        " | non-2xx/3xx | socket errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        r = row.result
        ratio = r.requests_per_sec / baseline if baseline else 0.0
        lines.append(
            f"| {row.page} | `{row.path}` | {r.requests_per_sec:,.0f} | {ratio:.0%} "
            f"| {_ms(r.p50_ms)} | {_ms(r.p99_ms)} | {r.non_2xx_3xx} | {r.socket_errors} |"
        )
    return "\n".join(lines)


def verdict(rows: Sequence[Row]) -> str:
    baseline = hello_rate(rows)
    listing = next((row for row in rows if row.page.startswith("category listing")), None)
    if listing is None or not baseline:
        return "Target: no category listing measured."
    ratio = listing.result.requests_per_sec / baseline
    outcome = "met" if ratio >= TARGET_RATIO else "NOT met"
    return (
        f"Target (category listing >= {TARGET_RATIO:.0%} of hello-world requests/s): "
        f"{ratio:.0%}, {outcome}."
    )


RESULTS_HEADER = f"""# Page-speed results

Written by `.venv/bin/python bench/pages.py --record` (see README.md); newest section last.

Each page is served by gunicorn with {WORKERS} sync workers on 127.0.0.1 and driven by wrk on the
same machine after a short, unmeasured warm-up; each section gives the wrk command line. The shop
runs with STOREFRONT_DEMO=1 on a seeded SQLite database (`flask shop seed-demo`).

Columns:

- **requests/s**: wrk's `Requests/sec`, the mean throughput over the run.
- **vs hello-world**: requests/s divided by the Flask hello-world's (`bench/hello.py`) in the same
  run: the share of a bare Flask app's speed the page keeps.
- **p50 ms / p99 ms**: wrk's latency distribution (median and 99th percentile) per request.
- **non-2xx/3xx**: responses that were not 2xx or 3xx (should be 0).
- **socket errors**: wrk's connect + read + write + timeout errors (should be 0).

Target: the category listing (24 product cards) serves at least {TARGET_RATIO:.0%} of
hello-world's requests/s.
"""


def hello_rate(rows: Sequence[Row]) -> float:
    """Hello-world's requests/s: the mean of its runs (before and after the shop's pages, so
    that a machine whose load changes during the run is measured at both ends)."""
    hello = [r.result.requests_per_sec for r in rows if r.page.startswith("hello-world")]
    return sum(hello) / len(hello) if hello else 0.0


def _ratio(row: Row, baseline: float) -> float:
    return row.result.requests_per_sec / baseline if baseline else 0.0


def buyer_verdict(rows: Sequence[Row]) -> str:
    """Issue 18's goals for a buyer with a session and for the API reads: each row at least
    BUYER_RATIO of hello-world, and (for the pages) p99 under P99_OVER_P50 x p50."""
    baseline = hello_rate(rows)
    mine = [row for row in rows if row.page.startswith(("buyer:", "API "))]
    if not mine:
        return ""
    lines = [
        f"Buyer goals (>= {BUYER_RATIO:.0%} of hello-world requests/s; "
        f"pages p99 < {P99_OVER_P50:g} x p50):"
    ]
    for row in mine:
        ratio = _ratio(row, baseline)
        fails = [] if ratio >= BUYER_RATIO else [f"under {BUYER_RATIO:.0%}"]
        r = row.result
        tail = r.p50_ms and r.p99_ms and r.p99_ms >= P99_OVER_P50 * r.p50_ms
        if row.page.startswith("buyer:") and tail:
            fails.append(f"p99 {r.p99_ms / r.p50_ms:.1f} x p50")
        outcome = "met" if not fails else "NOT met (" + ", ".join(fails) + ")"
        lines.append(f"- {row.page}: {ratio:.1%}, {outcome}")
    return "\n".join(lines)
