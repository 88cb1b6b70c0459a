"""Small pure helpers for the progress pages that `stats` does not cover.

* FSRS-6's forgetting curve in closed form, so predicted recall can be computed in bulk (in
  Python, or in SQL by the services) with exactly the rule `scheduler.retrievability` uses:
  ``R = (1 + factor * t / S) ** -w20`` with ``factor = 0.9 ** (1 / -w20) - 1`` and ``t`` the
  whole days since the last review (rounded down, as py-fsrs does).
* Pearson's r from sums (n, Σx, Σy, Σxy, Σx², Σy²), so a discrimination index can be computed
  from one GROUP BY instead of per-attempt lists.
* Study days from UTC time buckets: reviews are counted in SQL per 15-minute UTC bucket (every
  real time zone offset is a multiple of 15 minutes), and each bucket maps to one study day.

Pure: no clock, no storage.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone

from fsrs.scheduler import DEFAULT_PARAMETERS

from .days import ROLLOVER_HOUR, study_day

BUCKET_SECONDS = 15 * 60
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def decay_of(parameters: Sequence[float] | None) -> float:
    """FSRS-6's forgetting-curve decay (positive): w20 of the parameters, the default's without."""
    params = parameters if parameters else DEFAULT_PARAMETERS
    return float(params[20])


def curve_factor(decay: float) -> float:
    """The factor that makes R = 0.9 when t = S: 0.9 ** (1 / -decay) - 1."""
    return 0.9 ** (1 / -decay) - 1


def elapsed_days(now: datetime, last_review: datetime) -> int:
    """Whole days since the last review, rounded down, never negative (py-fsrs's rule)."""
    return max(0, (now - last_review).days)


def recall(elapsed: float, stability: float | None, decay: float) -> float:
    """Predicted probability of recall after `elapsed` days at `stability` (0 if never learnt)."""
    if stability is None or stability <= 0:
        return 0.0
    return (1 + curve_factor(decay) * max(0.0, elapsed) / stability) ** -decay


def recall_at(now: datetime, last_review: datetime | None, stability: float | None, decay: float) -> float:
    if last_review is None:
        return 0.0
    return recall(elapsed_days(now, last_review), stability, decay)


# --------------------------------------------------------------------------- correlation from sums


def pearson_from_sums(n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """Pearson's r from running sums; None for fewer than 2 pairs or when a side does not vary."""
    if n < 2:
        return None
    cov = n * sxy - sx * sy
    var_x = n * sxx - sx * sx
    var_y = n * syy - sy * sy
    scale = max(1.0, abs(n * sxx), abs(n * syy))
    if var_x <= 1e-9 * scale or var_y <= 1e-9 * scale:
        return None
    return max(-1.0, min(1.0, cov / math.sqrt(var_x * var_y)))


def discrimination_from_sums(n: int, s_item: float, s_rest: float, s_item_rest: float,
                             s_item2: float, s_rest2: float) -> float | None:
    """Moodle's discrimination index (percent) from sums of item scores and rest-of-test scores."""
    r = pearson_from_sums(n, s_item, s_rest, s_item_rest, s_item2, s_rest2)
    return None if r is None else 100 * r


# --------------------------------------------------------------------------- days from buckets


def bucket_start(bucket: int) -> datetime:
    return _EPOCH + timedelta(seconds=bucket * BUCKET_SECONDS)


def counts_by_day_from_buckets(rows: Iterable[tuple[int, int]], tz_name: str,
                               rollover_hour: int = ROLLOVER_HOUR) -> dict[date, int]:
    """Fold ``(bucket, count)`` rows (15-minute UTC buckets) into counts per study day."""
    out: dict[date, int] = {}
    for bucket, count in rows:
        day = study_day(bucket_start(int(bucket)), tz_name, rollover_hour)
        out[day] = out.get(day, 0) + int(count)
    return out


# --------------------------------------------------------------------------- presentation rules


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def level(value: float | None, steps: int = 5) -> int:
    """0..steps-1 for a share in [0, 1] (for colour classes); 0 for None."""
    if value is None:
        return 0
    return max(0, min(steps - 1, int(value * steps)))


def improvement(logloss_default: float | None, logloss_fitted: float | None) -> float | None:
    """Relative reduction of the held-out log loss, (default - fitted) / default."""
    if not logloss_default or logloss_fitted is None:
        return None
    return (logloss_default - logloss_fitted) / logloss_default

