"""Bar charts drawn on the server as inline SVG: no JavaScript, nothing from a CDN.

The table under each chart carries the same figures, so the page reads without it too.
"""

from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

from channels.money import Money

WIDTH = 640
LABEL_WIDTH = 180
VALUE_WIDTH = 110
BAR_HEIGHT = 16
GAP = 6


def _number(value) -> Decimal:
    if isinstance(value, Money):
        return value.amount
    if value is None:
        return Decimal(0)
    return Decimal(value)


def _shown(value) -> str:
    if isinstance(value, Money):
        return f"{value.amount:,} {value.currency}"
    return "" if value is None else str(value)


def bar_chart(title: str, rows: list[dict], label: str, value: str) -> Markup:
    """Horizontal bars, one per row, `value` of each against the largest one."""
    if not rows:
        return Markup("")
    numbers = [_number(row[value]) for row in rows]
    top = max((n for n in numbers if n > 0), default=Decimal(1))
    space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg class="bar-chart" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (row, number) in enumerate(zip(rows, numbers, strict=True)):
        y = GAP + i * (BAR_HEIGHT + GAP)
        length = int(space * max(number, Decimal(0)) / top)
        text_y = y + BAR_HEIGHT - 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" '
            f'font-size="12">{escape(str(row[label]))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="#3b6ea8"><title>{escape(_shown(row[value]))}</title></rect>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{text_y}" '
            f'font-size="12">{escape(_shown(row[value]))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
