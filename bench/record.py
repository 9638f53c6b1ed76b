"""Appending a dated section to bench/RESULTS.md, named after the commit measured."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


def append_section(title: str, body: str) -> None:
    """`## {title}, {today} (commit {short sha})` then `body`, at the end of RESULTS.md."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    with open(RESULTS, "a") as out:
        out.write(f"\n## {title}, {datetime.date.today()} (commit {commit})\n\n{body}")
