"""Fit FSRS parameters to one learner's review history.

The fitting uses fsrs-rs-python (the Rust FSRS implementation that Anki uses), chosen because
it needs no torch: py-fsrs's own optimizer pulls in PyTorch, far too heavy for a web app.
fsrs-rs-python 0.9 returns the 21 FSRS-6 parameters, the count py-fsrs 6 (our scheduler)
expects, so a fitted result plugs straight into ``scheduler.Settings(parameters=...)``. Older
19-parameter (FSRS-5) sets are converted exactly (see `to_fsrs6`).

Pure: histories come in as plain data and nothing reads the clock. Cards (not reviews) are
split into a training and a held-out set with a seeded `random.Random`, so the same history
always gives the same result. The fitted parameters are only worth using when they predict
the held-out reviews better than FSRS-6's defaults (`FitResult.accept`).

Time: reviews are grouped by study day (4 AM rollover in the learner's time zone), and
``delta_t`` is the number of study days since the card's previous review (0 for the first
review and for same-day learning steps), as FSRS training expects.
"""
from __future__ import annotations

import math
import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import fsrs_rs_python as fsrs_rs
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from studyapp.domain.days import ROLLOVER_HOUR, study_day
from studyapp.domain.progress_math import decay_of, recall

N_PARAMETERS = 21
EPSILON = 1e-6  # predictions are clamped to [EPSILON, 1 - EPSILON] for the log loss

History = Sequence[tuple[datetime, int]]  # (reviewed_at, rating 1-4), oldest first


@dataclass(frozen=True)
class FitResult:
    """What fitting found.

    `parameters` are the fitted FSRS-6 parameters (None when nothing was fitted). The log losses
    are measured on the held-out cards' reviews: `logloss_default` with FSRS-6's defaults,
    `logloss_fitted` with the fitted parameters. `improvement` is the relative reduction,
    ``(default - fitted) / default``. `n_reviews` counts every review given.
    """

    parameters: tuple[float, ...] | None
    logloss_default: float | None
    logloss_fitted: float | None
    improvement: float | None
    n_reviews: int
    enough_data: bool
    reason: str
    n_train_items: int = 0
    n_holdout_predictions: int = 0

    @property
    def accept(self) -> bool:
        """Use the fitted parameters only when they beat the defaults on held-out reviews."""
        return (
            self.enough_data
            and self.parameters is not None
            and self.logloss_fitted is not None
            and self.logloss_default is not None
            and self.logloss_fitted < self.logloss_default
        )


# --------------------------------------------------------------------------- items


def _check(history: History) -> None:
    previous: datetime | None = None
    for when, rating in history:
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating {rating!r} is not 1-4")
        if when.tzinfo is None:
            raise ValueError("naive datetime: pass aware datetimes")
        if previous is not None and when < previous:
            raise ValueError("reviews must be sorted by time")
        previous = when


def day_deltas(history: History, tz_name: str = "UTC", rollover_hour: int = ROLLOVER_HOUR) -> list[int]:
    """Study days since the previous review, per review (0 for the first)."""
    days = [study_day(when, tz_name, rollover_hour) for when, _ in history]
    return [0] + [(b - a).days for a, b in zip(days, days[1:])]


def _reviews(history: History, tz_name: str, rollover_hour: int) -> list[fsrs_rs.FSRSReview]:
    _check(history)
    deltas = day_deltas(history, tz_name, rollover_hour)
    return [fsrs_rs.FSRSReview(int(rating), delta) for (_, rating), delta in zip(history, deltas)]


def build_items(
    histories: Mapping[Hashable, History],
    tz_name: str = "UTC",
    rollover_hour: int = ROLLOVER_HOUR,
) -> list[fsrs_rs.FSRSItem]:
    """Training items the way FSRS wants them.

    For each card, one item per review on a later study day than the previous one: the item
    holds the card's reviews up to and including that review, whose outcome FSRS learns to
    predict. Same-day reviews (learning steps) are kept inside the items but are not targets.
    """
    items = []
    for key in _ordered(histories):
        history = histories[key]
        if not history:
            continue
        reviews = _reviews(history, tz_name, rollover_hour)
        deltas = day_deltas(history, tz_name, rollover_hour)
        for i in range(1, len(reviews)):
            if deltas[i] > 0:
                items.append(fsrs_rs.FSRSItem(reviews[: i + 1]))
    return items


def _ordered(histories: Mapping[Hashable, History]) -> list[Hashable]:
    return sorted(histories, key=lambda k: (type(k).__name__, repr(k)))


# --------------------------------------------------------------------------- parameters


def to_fsrs6(parameters: Sequence[float]) -> tuple[float, ...]:
    """21 FSRS-6 parameters that py-fsrs accepts.

    A 19-parameter FSRS-5 set becomes FSRS-6 exactly by appending w19 = 0 (no stability
    dependence of same-day reviews) and w20 = 0.5 (FSRS-5's fixed forgetting-curve decay).
    Values are clamped to py-fsrs's bounds, which fsrs-rs's float32 values can overshoot.
    """
    values = [float(w) for w in parameters]
    if len(values) == 19:
        values += [0.0, 0.5]
    if len(values) != N_PARAMETERS:
        raise ValueError(f"expected {N_PARAMETERS} FSRS parameters, got {len(values)}")
    return tuple(
        min(max(round(w, 6), lo), hi) for w, lo, hi in zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS)
    )


def _is_default(parameters: Sequence[float]) -> bool:
    return all(abs(a - b) < 1e-4 for a, b in zip(parameters, DEFAULT_PARAMETERS))


def forgetting_curve(elapsed_days: float, stability: float, parameters: Sequence[float]) -> float:
    """FSRS-6 probability of recall after `elapsed_days` at `stability` (decay = w20): the one curve."""
    return recall(elapsed_days, stability, decay_of(parameters))


def predictions(
    history: History,
    parameters: Sequence[float],
    tz_name: str = "UTC",
    rollover_hour: int = ROLLOVER_HOUR,
    model: fsrs_rs.FSRS | None = None,
) -> list[tuple[float, bool]]:
    """(predicted recall, passed) for each review on a later study day than the previous one.

    The prediction comes from the memory state reached by replaying the card's earlier reviews
    with `parameters` (pass `model`, an ``fsrs_rs.FSRS(parameters)``, to reuse one); "passed"
    means any rating but Again.
    """
    if len(history) < 2:
        return []
    reviews = _reviews(history, tz_name, rollover_hour)
    deltas = day_deltas(history, tz_name, rollover_hour)
    if not any(d > 0 for d in deltas):
        return []
    model = model or fsrs_rs.FSRS(list(parameters))
    states = model.historical_memory_states(fsrs_rs.FSRSItem(reviews))
    out = []
    for i in range(1, len(history)):
        if deltas[i] > 0:
            p = forgetting_curve(deltas[i], states[i - 1].stability, parameters)
            out.append((p, history[i][1] > 1))
    return out


def log_loss(
    histories: Mapping[Hashable, History],
    parameters: Sequence[float],
    tz_name: str = "UTC",
    rollover_hour: int = ROLLOVER_HOUR,
) -> tuple[float | None, int]:
    """Mean binary log loss of `parameters`' predictions over the histories, and how many."""
    total = 0.0
    count = 0
    model = fsrs_rs.FSRS(list(parameters))
    for key in _ordered(histories):
        for p, passed in predictions(histories[key], parameters, tz_name, rollover_hour, model):
            p = min(max(p, EPSILON), 1 - EPSILON)
            total -= math.log(p) if passed else math.log(1 - p)
            count += 1
    return (total / count if count else None), count


# --------------------------------------------------------------------------- fitting


def split_cards(
    keys: Sequence[Hashable], holdout_share: float, rng_seed: int
) -> tuple[list[Hashable], list[Hashable]]:
    """Deterministically split card keys into (train, held out); both sides get a card if 2+."""
    ordered = sorted(keys, key=lambda k: (type(k).__name__, repr(k)))
    random.Random(rng_seed).shuffle(ordered)
    n_holdout = round(len(ordered) * holdout_share)
    if len(ordered) >= 2:
        n_holdout = min(max(n_holdout, 1), len(ordered) - 1)
    return ordered[n_holdout:], ordered[:n_holdout]


def fit(
    histories: Mapping[Hashable, History],
    *,
    holdout_share: float = 0.2,
    rng_seed: int = 0,
    tz_name: str = "UTC",
    rollover_hour: int = ROLLOVER_HOUR,
    min_train_items: int = 100,
) -> FitResult:
    """Fit FSRS-6 parameters on most cards and compare them with the defaults on the rest.

    Never raises for too little or odd data: the result then has ``enough_data=False`` and a
    `reason`. Invalid input (ratings outside 1-4, naive or unsorted datetimes) raises ValueError.
    """
    if not 0 < holdout_share < 1:
        raise ValueError("holdout_share must be between 0 and 1")
    for history in histories.values():
        _check(history)
    n_reviews = sum(len(h) for h in histories.values())
    train_keys, holdout_keys = split_cards([k for k, h in histories.items() if h], holdout_share, rng_seed)
    train = {k: histories[k] for k in train_keys}
    holdout = {k: histories[k] for k in holdout_keys}
    train_items = build_items(train, tz_name, rollover_hour)
    logloss_default, n_predictions = log_loss(holdout, DEFAULT_PARAMETERS, tz_name, rollover_hour)

    def not_enough(reason: str) -> FitResult:
        return FitResult(None, logloss_default, None, None, n_reviews, False, reason, len(train_items), n_predictions)

    if len(train_items) < min_train_items:
        return not_enough(
            f"only {len(train_items)} reviews on a later day than the card's previous review to "
            f"learn from; at least {min_train_items} are needed"
        )
    if n_predictions == 0:
        return not_enough("no held-out reviews to check the fitted parameters on")
    try:
        raw = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(train_items)
    except BaseException as exc:  # fsrs-rs panics (BaseException) on data it cannot use
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        return not_enough(f"fsrs-rs could not fit: {exc}")
    if _is_default(raw):
        return not_enough("fsrs-rs kept the default parameters (not enough data to fit)")
    parameters = to_fsrs6(raw)
    logloss_fitted, _ = log_loss(holdout, parameters, tz_name, rollover_hour)
    assert logloss_default is not None and logloss_fitted is not None
    improvement = (logloss_default - logloss_fitted) / logloss_default if logloss_default > 0 else 0.0
    return FitResult(
        parameters=parameters,
        logloss_default=logloss_default,
        logloss_fitted=logloss_fitted,
        improvement=improvement,
        n_reviews=n_reviews,
        enough_data=True,
        reason="fitted",
        n_train_items=len(train_items),
        n_holdout_predictions=n_predictions,
    )
