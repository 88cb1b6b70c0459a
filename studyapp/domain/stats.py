"""Statistics for the progress pages, computed on plain values.

Pure: no clock, no storage. The service layer aggregates in SQL (per-day counts, lists of
ratings, ...) and passes the small results here. Every function documents its rule so the
numbers on the page can be explained to a learner.

The SVG renderers emit self-contained, accessible markup (``role="img"``, ``aria-label`` and a
``<title>``) without ``style=`` attributes or scripts, so they pass a strict Content Security
Policy. Colours come from ``class`` attributes (``h0``..``h4``, ``bar``, ``line``) that the
stylesheet can restyle; the ``fill``/``stroke`` presentation attributes are only defaults (CSS
rules override them, and CSP does not govern them). Pages should also show a table alternative.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple
from xml.sax.saxutils import escape, quoteattr

from studyapp.domain.days import ROLLOVER_HOUR, study_day
from studyapp.domain.scheduler import NEW, Memory, Settings, retrievability

REVIEW_STATE = 2
MATURE_INTERVAL_DAYS = 21  # Anki: a card whose interval is 21 days or more is "mature"
LEECH_LAPSES = 8  # Anki's default leech threshold

# --------------------------------------------------------------------------- answers


def true_retention(answers: Iterable[tuple[int, int]]) -> float | None:
    """Share of answers to review cards that were not Again (Anki's "true retention").

    `answers` are ``(state_before, rating)`` pairs. Only answers given while the card was in
    the review state (``state_before == 2``) count: learning and relearning steps test
    short-term memory. None when there is no such answer. The caller picks the window.
    """
    total = passed = 0
    for state_before, rating in answers:
        if state_before != REVIEW_STATE:
            continue
        total += 1
        if rating != 1:
            passed += 1
    return passed / total if total else None


def average_rating(ratings: Iterable[int]) -> float | None:
    """Mean button pressed (1 Again .. 4 Easy); None without ratings."""
    values = list(ratings)
    return sum(values) / len(values) if values else None


def lapse_rate(lapses: int, reviews: int) -> float | None:
    """Lapses per review; None when there was no review."""
    if reviews <= 0:
        return None
    return lapses / reviews


def is_leech(lapses: int, threshold: int = LEECH_LAPSES) -> bool:
    """A card forgotten `threshold` times or more (Anki's default: 8) needs rewriting."""
    return lapses >= threshold


# --------------------------------------------------------------------------- days


def study_days(times: Iterable[datetime], tz_name: str, rollover_hour: int = ROLLOVER_HOUR) -> set[date]:
    """The learner's study days (4 AM rollover, their time zone) on which anything happened."""
    return {study_day(t, tz_name, rollover_hour) for t in times}


def counts_by_study_day(
    times: Iterable[datetime], tz_name: str, rollover_hour: int = ROLLOVER_HOUR
) -> dict[date, int]:
    """How many events fell on each study day."""
    counts: dict[date, int] = {}
    for t in times:
        day = study_day(t, tz_name, rollover_hour)
        counts[day] = counts.get(day, 0) + 1
    return counts


def streak(days: Collection[date], today: date) -> int:
    """Consecutive study days ending today.

    A streak is still alive when today has not been studied yet: it then ends yesterday.
    `days` are study days (see `study_days`: before 4 AM counts as the previous day).
    """
    present = set(days)
    day = today if today in present else today - timedelta(days=1)
    count = 0
    while day in present:
        count += 1
        day -= timedelta(days=1)
    return count


# --------------------------------------------------------------------------- heatmap


class HeatCell(NamedTuple):
    day: date
    count: int
    level: int  # 0 (nothing) .. 4 (busiest)


def heat_level(count: int, max_count: int) -> int:
    """0 for no activity; otherwise 1-4 by quarter of the busiest day: (0, 1/4] is 1 ... (3/4, 1] is 4."""
    if count <= 0 or max_count <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / max_count)))


def heatmap(counts_by_day: Mapping[date, int], today: date, days: int = 365) -> list[list[HeatCell | None]]:
    """Weeks (Monday first) covering the `days` days ending `today`, for a calendar heatmap.

    Each week has 7 slots; slots outside the range (before the first day, after today) are None.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    start = today - timedelta(days=days - 1)
    in_range = [counts_by_day.get(start + timedelta(days=i), 0) for i in range(days)]
    max_count = max(in_range)
    first_monday = start - timedelta(days=start.weekday())
    weeks: list[list[HeatCell | None]] = []
    day = first_monday
    while day <= today:
        week: list[HeatCell | None] = []
        for _ in range(7):
            if start <= day <= today:
                count = counts_by_day.get(day, 0)
                week.append(HeatCell(day, count, heat_level(count, max_count)))
            else:
                week.append(None)
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


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
) -> str:
    """An accessible SVG calendar heatmap of `heatmap()`'s weeks (columns) by weekday (rows)."""
    left, top = 28, 14
    step = cell + gap
    width = left + len(weeks) * step
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
    return "".join(parts)


# --------------------------------------------------------------------------- forecast and charts


def forecast(
    due: Iterable[date] | Mapping[date, int], today: date, days: int = 30
) -> list[tuple[date, int]]:
    """Cards due on each of the `days` days from today; overdue cards are counted today.

    `due` is either one due date per card or a mapping from due date to a count. Cards due after
    the window are left out.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    pairs = due.items() if isinstance(due, Mapping) else ((d, 1) for d in due)
    counts = [0] * days
    for day, n in pairs:
        offset = max(0, (day - today).days)
        if offset < days:
            counts[offset] += n
    return [(today + timedelta(days=i), counts[i]) for i in range(days)]


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
) -> str:
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
    return "".join(parts)


def line_chart_svg(
    points: Sequence[tuple[float, float]],
    title: str,
    *,
    width: int = 600,
    height: int = 200,
    y_max: float | None = 1.0,
    x_unit: str = "",
    y_percent: bool = True,
) -> str:
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
    for (x, y), (px, py) in zip(points, coords):
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
    return "".join(parts)


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


# --------------------------------------------------------------------------- cards


@dataclass(frozen=True)
class CardBuckets:
    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    retired: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature + self.retired


def interval_days(memory: Memory | None) -> float | None:
    """The card's current interval: days from its last review to its due time."""
    if memory is None or memory.last_review is None:
        return None
    return (memory.due - memory.last_review) / timedelta(days=1)


def bucket(state: int, interval: float | None, retired: bool = False) -> str:
    """Which bucket a card falls in.

    Rule (Anki's): retired cards are "retired" whatever their state; never-answered cards
    (state 0) are "new"; learning (1) and relearning (3) cards are "learning"; review cards
    (2) are "young" while their interval is under 21 days and "mature" from 21 days on.
    """
    if retired:
        return "retired"
    if state == NEW:
        return "new"
    if state != REVIEW_STATE:
        return "learning"
    if interval is not None and interval >= MATURE_INTERVAL_DAYS:
        return "mature"
    return "young"


def card_buckets(cards: Iterable[tuple[int, float | None, bool]]) -> CardBuckets:
    """Count cards given as ``(state, interval_days, retired)``; see `bucket` for the rule."""
    counts = {"new": 0, "learning": 0, "young": 0, "mature": 0, "retired": 0}
    for state, interval, retired in cards:
        counts[bucket(state, interval, retired)] += 1
    return CardBuckets(**counts)


def mastery(retrievabilities: Sequence[float], total_cards: int) -> float:
    """Average predicted recall now over all `total_cards`; cards never seen count as 0.

    `retrievabilities` holds one value per card answered at least once.
    """
    if total_cards <= 0:
        return 0.0
    if len(retrievabilities) > total_cards:
        raise ValueError("more retrievabilities than cards")
    return sum(retrievabilities) / total_cards


def recall_curve(
    memory: Memory | None, now: datetime, settings: Settings = Settings(), days: int = 28
) -> list[tuple[int, float]]:
    """Predicted recall probability on each day from `now` (day 0) to `days` if not reviewed."""
    return [(d, retrievability(memory, now + timedelta(days=d), settings)) for d in range(days + 1)]


# --------------------------------------------------------------------------- quiz items


def facility(scores: Sequence[float], max_score: float = 1.0) -> float | None:
    """Moodle's facility index as a share (0..1): the mean score over the maximum score."""
    if not scores or max_score <= 0:
        return None
    return sum(scores) / (len(scores) * max_score)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None for fewer than 2 pairs or when either side does not vary."""
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    n = len(xs)
    if n < 2:
        return None
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return sxy / math.sqrt(sxx * syy)


def discrimination_index(item_scores: Sequence[float], total_scores: Sequence[float]) -> float | None:
    """Moodle's discrimination index, in percent (-100..100).

    The Pearson correlation between the score on this item and the score on the rest of the
    test (the attempt's total minus this item), per attempt, times 100. High values mean the
    learners who did well overall also got this item right. None when it is undefined: fewer
    than 2 attempts, or no variation in the item or rest-of-test scores.
    """
    rest = [total - item for item, total in zip(item_scores, total_scores, strict=True)]
    r = pearson(list(item_scores), rest)
    return None if r is None else 100 * r
