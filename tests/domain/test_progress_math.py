"""The pure helpers behind the progress pages: recall in closed form, Pearson from sums, days from buckets."""
from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.domain import progress_math as pm
from studyapp.domain import stats


def test_stability_is_the_day_recall_falls_to_90_percent():
    for decay in (0.1542, 0.5, 0.8):
        assert pm.recall(10, 10.0, decay) == pytest.approx(0.9)
        assert pm.recall(0, 10.0, decay) == 1.0
    assert pm.recall(5, None, 0.2) == 0.0 and pm.recall_at(datetime.now(timezone.utc), None, 3.0, 0.2) == 0.0
    assert pm.decay_of(None) == pytest.approx(0.1542)
    assert pm.decay_of([0.0] * 20 + [0.3]) == 0.3


def test_elapsed_days_round_down_and_never_go_negative():
    now = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
    assert pm.elapsed_days(now, datetime(2026, 2, 28, 13, tzinfo=timezone.utc)) == 1
    assert pm.elapsed_days(now, datetime(2026, 2, 28, 12, tzinfo=timezone.utc)) == 2
    assert pm.elapsed_days(now, datetime(2026, 3, 3, tzinfo=timezone.utc)) == 0


pairs = st.lists(st.tuples(st.integers(0, 1), st.integers(0, 12)), min_size=0, max_size=30)


@given(pairs)
def test_pearson_from_sums_agrees_with_the_list_version(data):
    xs = [float(x) for x, _ in data]
    ys = [float(y) for _, y in data]
    n = len(data)
    sums = (n, sum(xs), sum(ys), sum(x * y for x, y in zip(xs, ys)), sum(x * x for x in xs), sum(y * y for y in ys))
    expected = stats.pearson(xs, ys) if n >= 2 else None
    got = pm.pearson_from_sums(*sums)
    assert (got is None) == (expected is None)
    if got is not None:
        assert got == pytest.approx(expected, abs=1e-9)


def test_discrimination_from_sums_is_moodles_index_in_percent():
    items, totals = [1, 1, 0, 0], [3, 2, 1, 1]
    rest = [t - i for i, t in zip(items, totals)]
    sums = (4, sum(items), sum(rest), sum(i * r for i, r in zip(items, rest)), sum(items), sum(r * r for r in rest))
    assert pm.discrimination_from_sums(*sums) == pytest.approx(stats.discrimination_index(items, totals))


def test_buckets_fold_into_study_days_in_the_learners_zone():
    def bucket(text):
        return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()) // pm.BUCKET_SECONDS

    rows = [(bucket("2026-03-02T03:45"), 2), (bucket("2026-03-02T04:00"), 1), (bucket("2026-03-02T08:59"), 4)]
    assert pm.counts_by_day_from_buckets(rows, "UTC") == {date(2026, 3, 1): 2, date(2026, 3, 2): 5}
    # New York is 5 hours behind: 08:59 UTC is 03:59 there, still the day before
    assert pm.counts_by_day_from_buckets(rows, "America/New_York") == {date(2026, 3, 1): 7}


def test_levels_and_improvement():
    assert [pm.level(v) for v in (None, 0.0, 0.19, 0.2, 0.5, 0.79, 0.8, 1.0)] == [0, 0, 0, 1, 2, 3, 4, 4]
    assert pm.improvement(0.4, 0.3) == pytest.approx(0.25) and pm.improvement(None, 0.3) is None
    assert pm.share(1, 4) == 0.25 and pm.share(1, 0) is None
