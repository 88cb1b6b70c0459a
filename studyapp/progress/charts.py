"""Charts for the progress pages as server-rendered SVG: a calendar heatmap, bar and line charts.

Presentation: the services hand the pages numbers (`stats.heatmap` weeks, forecast series, recall
curves) and the templates draw them with these functions, registered as template globals by
`progress.routes`. Plain values in, `Markup` out. Each chart is self-contained and accessible
(``role="img"``, ``aria-label`` and a ``<title>``), with no ``style=`` attributes or scripts, so it
passes a strict Content Security Policy. Colours come from ``class`` attributes (``h0``..``h4``, ``bar``, ``line``)
that the stylesheet can restyle; the ``fill``/``stroke`` presentation attributes are only defaults.
Pages also show a table alternative.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

from ..domain.stats import HeatCell

_HEAT_FILLS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
_WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}


def _svg_open(width: float, height: float, title: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class={quoteattr(css_class)} '
        f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
    ]


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def heatmap_svg(
    weeks: Sequence[Sequence[HeatCell | None]],
    title: str = "Reviews per day",
    *,
    cell: int = 11,
    gap: int = 2,
    unit: str = "reviews",
) -> Markup:
    """An accessible SVG calendar heatmap of `heatmap()`'s weeks (columns) by weekday (rows)."""
    left, top = 28, 14
    step = cell + gap
    # A month label starts at its week's column and is about 18 units wide ("Dec" at font-size 9): room is
    # kept after the last column so a month beginning in the last week is not cut to "De".
    label_room = 20
    width = left + len(weeks) * step + max(0, label_room - step)
    height = top + 7 * step
    parts = _svg_open(width, height, title, "heatmap")
    for row, label in _WEEKDAY_LABELS.items():
        y = top + row * step + cell - 2
        parts.append(f'<text class="axis" x="0" y="{y}" font-size="9">{label}</text>')
    for col, week in enumerate(weeks):
        x = left + col * step
        first_of_month = next((c.day for c in week if c is not None and c.day.day == 1), None)
        if first_of_month is not None:
            parts.append(f'<text class="axis" x="{x}" y="10" font-size="9">{first_of_month:%b}</text>')
        for row, slot in enumerate(week):
            if slot is None:
                continue
            y = top + row * step
            noun = unit[:-1] if slot.count == 1 and unit.endswith("s") else unit
            parts.append(
                f'<rect class="h{slot.level}" x="{x}" y="{y}" width="{cell}" height="{cell}" '
                f'fill="{_HEAT_FILLS[slot.level]}"><title>{slot.day.isoformat()}: '
                f"{slot.count} {escape(noun)}</title></rect>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # every value in it was escaped or formatted from numbers above


def _label(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%b %d").replace(" 0", " ")
    return str(value)


def _nice_max(value: float) -> float:
    """Round an axis maximum up to 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 5, 10):
        if value <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover


def bar_chart_svg(
    series: Sequence[tuple[object, float]],
    title: str,
    *,
    width: int = 600,
    height: int = 200,
    unit: str = "",
) -> Markup:
    """An accessible SVG bar chart of ``(label, value)`` pairs (labels may be dates)."""
    left, right, top, bottom = 36, 8, 10, 22
    plot_w = width - left - right
    plot_h = height - top - bottom
    top_value = _nice_max(max((v for _, v in series), default=0.0))
    parts = _svg_open(width, height, title, "chart bar-chart")
    parts.append(_axes(left, top, plot_w, plot_h, top_value))
    n = max(1, len(series))
    slot = plot_w / n
    bar_w = max(1.0, slot * 0.8)
    suffix = f" {unit}" if unit else ""
    for i, (label, value) in enumerate(series):
        bar_h = plot_h * max(0.0, value) / top_value
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h - bar_h
        parts.append(
            f'<rect class="bar" x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" height="{_num(bar_h)}" '
            f'fill="#4c78a8"><title>{escape(_label(label))}: {escape(_num(value))}{escape(suffix)}</title></rect>'
        )
    parts.extend(_x_labels([label for label, _ in series], left, slot, top + plot_h + 14))
    parts.append("</svg>")
    return Markup("".join(parts))  # every value in it was escaped or formatted from numbers above


def line_chart_svg(
    points: Sequence[tuple[float, float]],
    title: str,
    *,
    width: int = 600,
    height: int = 200,
    y_max: float | None = 1.0,
    x_unit: str = "",
    y_percent: bool = True,
) -> Markup:
    """An accessible SVG line chart of ``(x, y)`` points, e.g. a recall curve (y in 0..1)."""
    left, right, top, bottom = 36, 8, 10, 22
    plot_w = width - left - right
    plot_h = height - top - bottom
    top_value = y_max if y_max else _nice_max(max((y for _, y in points), default=0.0))
    xs = [x for x, _ in points]
    x_lo, x_hi = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (x_hi - x_lo) or 1.0
    parts = _svg_open(width, height, title, "chart line-chart")
    parts.append(_axes(left, top, plot_w, plot_h, top_value, percent=y_percent))

    def place(x: float, y: float) -> tuple[float, float]:
        return left + plot_w * (x - x_lo) / span, top + plot_h * (1 - min(max(y, 0.0), top_value) / top_value)

    coords = [place(x, y) for x, y in points]
    if coords:
        path = " ".join(f"{_num(px)},{_num(py)}" for px, py in coords)
        parts.append(f'<polyline class="line" points="{path}" fill="none" stroke="#4c78a8" stroke-width="2"/>')
    for (x, y), (px, py) in zip(points, coords, strict=True):
        shown = f"{round(100 * y)}%" if y_percent else _num(y)
        parts.append(
            f'<circle class="point" cx="{_num(px)}" cy="{_num(py)}" r="2.5" fill="#4c78a8">'
            f"<title>{escape(_num(x))}{escape(x_unit)}: {shown}</title></circle>"
        )
    for x in (x_lo, x_hi):
        px, _ = place(x, 0.0)
        anchor = "start" if x == x_lo else "end"
        parts.append(
            f'<text class="axis" x="{_num(px)}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="{anchor}">{escape(_num(x))}{escape(x_unit)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every value in it was escaped or formatted from numbers above


def _axes(left: float, top: float, plot_w: float, plot_h: float, top_value: float, percent: bool = False) -> str:
    top_label = f"{round(100 * top_value)}%" if percent else _num(top_value)
    bottom_y = top + plot_h
    return (
        f'<line class="axis" x1="{left}" y1="{_num(bottom_y)}" x2="{_num(left + plot_w)}" y2="{_num(bottom_y)}" '
        f'stroke="#888"/>'
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{_num(bottom_y)}" stroke="#888"/>'
        f'<text class="axis" x="{left - 4}" y="{top + 8}" font-size="10" text-anchor="end">{top_label}</text>'
        f'<text class="axis" x="{left - 4}" y="{_num(bottom_y)}" font-size="10" text-anchor="end">0</text>'
    )


def _x_labels(labels: Sequence[object], left: float, slot: float, y: float) -> list[str]:
    if not labels:
        return []
    picks = sorted({0, len(labels) // 2, len(labels) - 1})
    out = []
    for i in picks:
        x = left + i * slot + slot / 2
        out.append(
            f'<text class="axis" x="{_num(x)}" y="{_num(y)}" font-size="10" text-anchor="middle">'
            f"{escape(_label(labels[i]))}</text>"
        )
    return out
