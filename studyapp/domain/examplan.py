"""Scheduling toward an exam: pure, no clock, no storage (docs/scheduling.md explains the method).

FSRS schedules every card to a fixed desired retention, forever. Before an exam what counts is recall *on the
exam day*, for the time the learner has. For one card just answered (stability S, difficulty D, the exam T days
away) the planner compares:

* no review before the exam: expected exam-day recall R(T, S);
* a review in k days (k = 1 .. T-1), followed by the best continuation: with probability p = R(k, S) the learner
  recalls it (stability grows to S_s), otherwise relearns it (S_f, and one more answer); each answer costs
  `review_cost` (recall units: a review must add at least that much expected exam-day recall to be worth it).

This is a small expectimax over FSRS's own predictions, `depth` reviews deep, re-planned after every answer
(receding horizon), so a card's last review lands where its post-review stability carries recall to the exam.
A card whose exam-day recall would fall below `target` always gets one final pass. The days whose value is
within a small tolerance of the best form the window the load balancer may choose from. After the exam the
caller schedules normally.

The memory model is a `Model`: `FsrsModel` (FSRS-6, any parameters, so per-learner fitted ones work) here;
the benchmark plugs in its simulated "true" memory for the oracle.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from fsrs.scheduler import DEFAULT_PARAMETERS

MIN_DIFFICULTY, MAX_DIFFICULTY = 1.0, 10.0
STABILITY_MIN = 0.001


class Model:
    """A memory model over a hashable state: recall after t days, the state after a success or a failure."""

    def recall(self, days: float, state) -> float:
        raise NotImplementedError

    def success(self, state, recall: float):
        raise NotImplementedError

    def failure(self, state, recall: float):
        raise NotImplementedError


@dataclass(frozen=True)
class FsrsModel(Model):
    """FSRS-6 in closed form (the formulas of py-fsrs 6), state = (stability, difficulty).

    A success is Good; a failure is Again followed by one relearning step answered Good the same day (what the
    study loop does), so the stability after a lapse includes FSRS's same-day (short-term) update.
    """

    parameters: tuple[float, ...] = tuple(DEFAULT_PARAMETERS)
    decay: float = field(init=False)
    factor: float = field(init=False)

    def __post_init__(self) -> None:
        w = self.parameters
        decay = float(w[20])
        object.__setattr__(self, "decay", decay)
        object.__setattr__(self, "factor", 0.9 ** (1 / -decay) - 1)

    def recall(self, days: float, state) -> float:
        stability = state[0]
        if stability is None or stability <= 0:
            return 0.0
        return (1 + self.factor * max(0.0, days) / stability) ** -self.decay

    def interval(self, stability: float, retention: float) -> float:
        """Days until recall falls to `retention` (FSRS's next interval before rounding)."""
        return stability / self.factor * (retention ** (-1 / self.decay) - 1)

    def _difficulty(self, difficulty: float, rating: int) -> float:
        w = self.parameters
        easy = w[4] - math.exp(w[5] * 3) + 1
        delta = -(w[6] * (rating - 3))
        damped = difficulty + (10.0 - difficulty) * delta / 9.0
        return min(max(w[7] * easy + (1 - w[7]) * damped, MIN_DIFFICULTY), MAX_DIFFICULTY)

    def _short_term_good(self, stability: float) -> float:
        w = self.parameters
        increase = max(1.0, math.exp(w[17] * w[18]) * stability ** -w[19])
        return max(stability * increase, STABILITY_MIN)

    def success(self, state, recall: float):
        s, d = state
        w = self.parameters
        grown = s * (1 + math.exp(w[8]) * (11 - d) * s ** -w[9] * (math.exp((1 - recall) * w[10]) - 1))
        return (max(grown, STABILITY_MIN), self._difficulty(d, 3))

    def failure(self, state, recall: float):
        s, d = state
        w = self.parameters
        long_term = w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp((1 - recall) * w[14])
        short_term = s / math.exp(w[17] * w[18])
        forgotten = max(min(long_term, short_term), STABILITY_MIN)
        d_after = self._difficulty(self._difficulty(d, 1), 3)
        return (self._short_term_good(forgotten), d_after)


@dataclass(frozen=True)
class Policy:
    """How to plan toward one exam."""

    target: float = 0.90  # a card predicted below this on the exam day gets a final pass
    review_cost: float = 0.02  # the exam-day recall one answer must add to be worth its time
    depth: int = 2  # reviews looked ahead (re-planned after every answer)
    floor: float = 0.90  # a review is never planned where predicted recall is below this: the card stays alive
    # (a long gap the model believes in but that is wrong costs a lapse right before the exam)
    far_floor: float = 0.93  # the floor while the exam is more than `far_days` away: a plan over many future
    far_days: float = 30.0  # reviews compounds the model's errors, so it keeps more margin

    def floor_at(self, days_to_exam: float) -> float:
        return self.far_floor if days_to_exam > self.far_days else self.floor
    tolerance: float = 0.004  # days whose value is this close to the best may take the review (load balancing)


@dataclass(frozen=True)
class Plan:
    next_in: int | None  # days from now to the next review; None: none before the exam
    window: tuple[int, int] | None  # the days (from now) the review may move to without hurting the plan
    exam_recall: float  # predicted exam-day recall with no further review
    planned_recall: float  # expected exam-day recall with the plan (before costs)
    final_pass: bool = False  # the review is the final pass of a card below target


def candidate_days(horizon: float) -> tuple[int, ...]:
    """Whole days 1 .. horizon-1 to consider for the next review: every day up to 7, then about 15% apart,
    and always the last three days before the exam."""
    last = math.ceil(horizon) - 1
    if last < 1:
        return ()
    days = set(range(1, min(last, 7) + 1))
    k = 7.0
    while k < last:
        k *= 1.15
        days.add(min(last, round(k)))
    days.update(d for d in (last, last - 1, last - 2) if d >= 1)
    return tuple(sorted(days))


def _rounded(state) -> tuple:
    return tuple(round(x, 3) if isinstance(x, float) else x for x in state)


def _days(model: Model, state, horizon: float, floor: float) -> list[int]:
    """Candidate days whose predicted recall is at least `floor` (always the first one)."""
    days = candidate_days(horizon)
    kept = [k for k in days if model.recall(k, state) >= floor]
    return kept or list(days[:1])


def _value(model: Model, state, horizon: float, depth: int, cost: float, floor: float, memo: dict) -> float:
    """Best expected exam-day recall minus costs with at most `depth` more reviews."""
    key = (_rounded(state), round(horizon, 3), depth)
    found = memo.get(key)
    if found is not None:
        return found
    best = model.recall(horizon, state)
    if depth > 0:
        for k in _days(model, state, horizon, floor):
            best = max(best, _review_value(model, state, horizon, k, depth, cost, floor, memo))
    memo[key] = best
    return best


def _review_value(model: Model, state, horizon: float, k: int, depth: int, cost: float, floor: float,
                  memo: dict) -> float:
    p = model.recall(k, state)
    rest = horizon - k
    win = _value(model, model.success(state, p), rest, depth - 1, cost, floor, memo)
    lose = _value(model, model.failure(state, p), rest, depth - 1, cost, floor, memo) - cost  # relearning answer
    return -cost + p * win + (1 - p) * lose


def plan(model: Model, state, days_to_exam: float, policy: Policy = Policy()) -> Plan:
    """The next review of a card just answered (memory `state`), `days_to_exam` days before the exam."""
    now_recall = model.recall(days_to_exam, state)
    if not candidate_days(days_to_exam):
        return Plan(None, None, now_recall, now_recall)
    floor = policy.floor_at(days_to_exam)
    days = _days(model, state, days_to_exam, floor)
    memo: dict = {}
    cost = policy.review_cost
    scored = [(k, _review_value(model, state, days_to_exam, k, policy.depth, cost, floor, memo)) for k in days]
    best_k, best = max(scored, key=lambda item: (item[1], item[0]))
    planned = best + policy.review_cost  # the value without this review's own cost: what the learner gets
    final_pass = False
    if best <= now_recall:  # no review pays for its time ...
        if now_recall >= policy.target:
            return Plan(None, None, now_recall, now_recall)
        # ... but the card would be below target on the exam day: one final pass, at the best single day.
        single = [(k, _review_value(model, state, days_to_exam, k, 1, 0.0, floor, {})) for k in days]
        best_k, best = max(single, key=lambda item: (item[1], item[0]))
        scored, planned, final_pass = single, best, True
    close = [k for k, v in scored if v >= best - policy.tolerance]
    lo, hi = best_k, best_k
    while lo - 1 in close or (lo - 1 >= 1 and lo - 1 not in days and lo - 2 in close):
        lo -= 1
    while hi + 1 in close or (hi + 1 not in days and hi + 2 in close and hi + 2 < days_to_exam):
        hi += 1
    return Plan(best_k, (lo, hi), now_recall, planned, final_pass)


# --------------------------------------------------------------------------- load balancing and budget


def balance(preferred: int, window: tuple[int, int], load: Mapping[int, float]) -> int:
    """The day in `window` (inclusive) with the least work already planned; ties go to the day nearest the
    preferred one, then the earlier. Like Anki 24.11's load balancer, but deterministic."""
    lo, hi = min(window), max(window)
    return min(range(lo, hi + 1), key=lambda day: (load.get(day, 0), abs(day - preferred), day))


def fuzz_window(interval: int) -> tuple[int, int]:
    """The spread a normal (non-exam) interval may be moved by: about 5% each way, none under 3 days."""
    if interval < 3:
        return (interval, interval)
    spread = max(1, round(interval * 0.05))
    return (max(1, interval - spread), interval + spread)


def cards_in_budget(budget_minutes: float | None, spent_seconds: float, seconds_per_card: float) -> int | None:
    """How many more answers fit in today's study budget (None: no budget)."""
    if budget_minutes is None:
        return None
    left = budget_minutes * 60 - spent_seconds
    return max(0, int(left // max(1.0, seconds_per_card)))


def paced_budget(daily_cap: float, left: float, study_days_left: float, pace: float = 1.0) -> float:
    """Today's study time when a total allowance must last to the exam: at most `pace` x (allowance `left` /
    study days left), and never more than the daily cap. Without it a planner with fewer minutes than it
    would like spends the daily cap every day and has nothing left for the last days before the exam, where
    reviews count most (measured in benchmarks/exam.py: with 80% of FSRS 0.90's minutes it stopped studying
    2-3 days before a 30-day exam and 8 days before a 60-day one)."""
    return max(0.0, min(daily_cap, left, pace * left / max(1.0, study_days_left)))


def new_cards_today(unseen: int, study_days_left: int, base_limit: int, consolidation_days: int = 5) -> int:
    """New cards to introduce today so that every card is seen at least `consolidation_days` study days before
    the exam (at least the deck's own limit)."""
    if unseen <= 0:
        return 0
    days = max(1, study_days_left - consolidation_days)
    return max(base_limit, math.ceil(unseen / days))


def budget_cuts_reviews(budget_limit: int, deck_limit: int, reviews_done: int, reviews_due: int) -> bool:
    """Whether today's study budget (not the deck's own daily limit) leaves room for some but not all of the
    reviews due today: only then does the order of the reviews decide which are done."""
    left = budget_limit - reviews_done
    return budget_limit < deck_limit and 0 < left < reviews_due


def weakest_first(model: Model, cards: Iterable[tuple], now: datetime) -> int | None:
    """The review to take first when the budget cannot take every review due today: the card with the lowest
    predicted recall now (the benchmark's planner does the same; worth about a point of exam-day recall there).
    `cards`: (card id, stability, last review, due, position); ties: the earliest due, then deck order."""
    best = None
    for card_id, stability, last_review, due, position in cards:
        days = (now - last_review) / timedelta(days=1) if last_review is not None else 0.0
        key = (model.recall(days, (stability, None)), due, position, card_id)
        if best is None or key < best:
            best = key
    return best[-1] if best is not None else None


# --------------------------------------------------------------------------- the answer path


def adjust_due(model: Model, state, reviewed_at: datetime, due: datetime, exam_at: datetime,
               policy: Policy = Policy(), load: Mapping[int, float] | None = None) -> tuple[datetime, Plan | None]:
    """The due date of a card in review state just answered at `reviewed_at`, planned toward `exam_at`.

    `due` is the normal scheduler's choice. Returns (due, plan): the planned review (load-balanced over
    `load`, work already planned per day from now), or, when no review before the exam pays, the normal due
    date but not before the exam. After the exam the normal due date stands (plan None).
    """
    if exam_at <= reviewed_at:
        return due, None
    days_to_exam = (exam_at - reviewed_at) / timedelta(days=1)
    result = plan(model, state, days_to_exam, policy)
    if result.next_in is None:
        return max(due, exam_at), result
    day = balance(result.next_in, result.window or (result.next_in, result.next_in), load or {})
    return reviewed_at + timedelta(days=day), result


# --------------------------------------------------------------------------- predictions and calibration


def exam_recall(model: Model, states: Iterable[tuple[object, float]]) -> list[float]:
    """Predicted exam-day recall of each (state, days from its last review to the exam); None state: 0."""
    return [model.recall(days, state) if state is not None else 0.0 for state, days in states]


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    predicted: float  # mean prediction in the bin
    observed: float  # share recalled


def calibration(pairs: Iterable[tuple[float, bool | float]], bins: int = 10) -> list[CalibrationBin]:
    """Predicted recall against what happened, in `bins` equal-width bins (empty bins left out)."""
    sums = [[0, 0.0, 0.0] for _ in range(bins)]
    for predicted, observed in pairs:
        i = min(bins - 1, max(0, int(predicted * bins)))
        sums[i][0] += 1
        sums[i][1] += predicted
        sums[i][2] += float(observed)
    return [CalibrationBin(i / bins, (i + 1) / bins, n, sp / n, so / n) for i, (n, sp, so) in enumerate(sums) if n]


def calibration_rmse(table: list[CalibrationBin]) -> float | None:
    """Root mean squared gap between predicted and observed, bins weighted by their counts."""
    total = sum(b.count for b in table)
    if not total:
        return None
    return math.sqrt(sum(b.count * (b.predicted - b.observed) ** 2 for b in table) / total)


@lru_cache(maxsize=64)
def fsrs_model(parameters: tuple[float, ...] | None = None) -> FsrsModel:
    return FsrsModel(tuple(parameters) if parameters else tuple(DEFAULT_PARAMETERS))
