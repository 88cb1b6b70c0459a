"""Statistics for the progress pages, computed on plain values.

Pure: no clock, no storage. The service layer aggregates in SQL (per-day counts, lists of
ratings, ...) and passes the small results here. Every function documents its rule so the
numbers on the page can be explained to a learner.

The pages draw these numbers as charts (studyapp/progress/charts.py); nothing here makes markup.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from studyapp.domain.days import ROLLOVER_HOUR, study_day
from studyapp.domain.notes import CardState
from studyapp.domain.scheduler import Memory, Rating, Settings, retrievability

MATURE_INTERVAL_DAYS = 21  # Anki: a card whose interval is 21 days or more is "mature"
LEECH_LAPSES = 8  # Anki's default leech threshold

# --------------------------------------------------------------------------- answers


def true_retention(answers: Iterable[tuple[int, int]]) -> float | None:
    """Share of answers to review cards that were not Again (Anki's "true retention").

    `answers` are ``(state_before, rating)`` pairs. Only answers given while the card was in
    the review state (``state_before == CardState.REVIEW``) count: learning and relearning steps
    test short-term memory. None when there is no such answer. The caller picks the window.
    """
    total = passed = 0
    for state_before, rating in answers:
        if state_before != CardState.REVIEW:
            continue
        total += 1
        if rating != Rating.AGAIN:
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
    """The learner's study days (starting at `rollover_hour` in their time zone) on which anything happened."""
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
    `days` are study days (see `study_days`: before the rollover hour counts as the previous day).
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


# --------------------------------------------------------------------------- forecast


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
    (NEW) are "new"; LEARNING and RELEARNING cards are "learning"; REVIEW cards are "young"
    while their interval is under 21 days and "mature" from 21 days on.
    """
    if retired:
        return "retired"
    if state == CardState.NEW:
        return "new"
    if state != CardState.REVIEW:
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
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
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
