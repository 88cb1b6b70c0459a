import math
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

import pytest

from studyapp.domain import stats
from studyapp.domain.days import study_day
from studyapp.domain.notes import CardState
from studyapp.domain.scheduler import Memory, Settings
from studyapp.progress import charts  # presentation: draws the numbers these functions compute

SVG = "{http://www.w3.org/2000/svg}"
UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# ---------------------------------------------------------------- retention and ratings


def test_true_retention_counts_only_review_state_answers():
    new, learning, review, relearning = CardState
    answers = [(review, 3), (review, 1), (review, 4), (learning, 1), (relearning, 3), (review, 2), (new, 1)]
    # review-state answers: Good, Again, Easy, Hard -> 3 of 4 not Again
    assert stats.true_retention(answers) == 0.75


def test_true_retention_none_without_review_answers():
    assert stats.true_retention([]) is None
    assert stats.true_retention([(1, 3), (3, 1)]) is None


def test_average_rating_lapse_rate_and_leech():
    assert stats.average_rating([1, 3, 3, 4]) == 2.75
    assert stats.average_rating([]) is None
    assert stats.lapse_rate(3, 12) == 0.25
    assert stats.lapse_rate(0, 0) is None
    assert not stats.is_leech(7)
    assert stats.is_leech(8)
    assert stats.is_leech(3, threshold=3)


# ---------------------------------------------------------------- streaks


def test_streak_counts_back_from_today_or_yesterday():
    days = {date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 5)}
    assert stats.streak(days, date(2026, 3, 10)) == 3
    assert stats.streak(days, date(2026, 3, 11)) == 3  # today not studied yet: still alive
    assert stats.streak(days, date(2026, 3, 12)) == 0
    assert stats.streak(set(), date(2026, 3, 12)) == 0


def test_rollover_at_4am_new_york():
    # 2026-03-10 is after the US switch to daylight time (2026-03-08), so New York is UTC-4.
    at_0330 = utc(2026, 3, 10, 7, 30)  # 03:30 EDT: still the study day of March 9
    at_0430 = utc(2026, 3, 10, 8, 30)  # 04:30 EDT: the study day of March 10
    assert study_day(at_0330, "America/New_York") == date(2026, 3, 9)
    assert study_day(at_0430, "America/New_York") == date(2026, 3, 10)

    sunday_noon = utc(2026, 3, 8, 16, 0)  # 12:00 EDT on March 8
    with_both = stats.study_days([sunday_noon, at_0330, at_0430], "America/New_York")
    assert with_both == {date(2026, 3, 8), date(2026, 3, 9), date(2026, 3, 10)}
    assert stats.streak(with_both, date(2026, 3, 10)) == 3

    only_early = stats.study_days([sunday_noon, at_0330], "America/New_York")
    assert only_early == {date(2026, 3, 8), date(2026, 3, 9)}
    assert stats.streak(only_early, date(2026, 3, 10)) == 2  # alive: today not studied yet

    # The same instants in UTC skip March 9 entirely.
    in_utc = stats.study_days([sunday_noon, at_0330, at_0430], "UTC")
    assert in_utc == {date(2026, 3, 8), date(2026, 3, 10)}
    assert stats.streak(in_utc, date(2026, 3, 10)) == 1


def test_same_instants_make_different_streaks_in_tokyo_and_los_angeles():
    first = utc(2026, 3, 9, 12, 0)  # Tokyo 03-09 21:00; Los Angeles (PDT, UTC-7) 03-09 05:00
    second = utc(2026, 3, 10, 20, 0)  # Tokyo 03-11 05:00; Los Angeles 03-10 13:00
    now = utc(2026, 3, 10, 21, 0)

    tokyo_today = study_day(now, "Asia/Tokyo")
    la_today = study_day(now, "America/Los_Angeles")
    assert tokyo_today == date(2026, 3, 11)  # already "tomorrow" in Tokyo
    assert la_today == date(2026, 3, 10)

    tokyo = stats.study_days([first, second], "Asia/Tokyo")
    la = stats.study_days([first, second], "America/Los_Angeles")
    assert tokyo == {date(2026, 3, 9), date(2026, 3, 11)}
    assert la == {date(2026, 3, 9), date(2026, 3, 10)}
    assert stats.streak(tokyo, tokyo_today) == 1  # March 10 missed in Tokyo
    assert stats.streak(la, la_today) == 2


def test_counts_by_study_day():
    times = [utc(2026, 3, 10, 7, 30), utc(2026, 3, 10, 8, 30), utc(2026, 3, 10, 9, 0)]
    assert stats.counts_by_study_day(times, "America/New_York") == {
        date(2026, 3, 9): 1,
        date(2026, 3, 10): 2,
    }


# ---------------------------------------------------------------- heatmap


def test_heatmap_weeks_and_levels():
    today = date(2026, 3, 11)  # a Wednesday; 10 days back starts on Monday March 2
    counts = {date(2026, 3, 2): 4, date(2026, 3, 5): 1, date(2026, 3, 11): 2, date(2026, 3, 1): 99}
    weeks = stats.heatmap(counts, today, days=10)
    assert len(weeks) == 2
    assert all(len(week) == 7 for week in weeks)
    assert weeks[0][0] == stats.HeatCell(date(2026, 3, 2), 4, 4)
    assert weeks[0][3] == stats.HeatCell(date(2026, 3, 5), 1, 1)  # 1/4 of the busiest day
    assert weeks[0][1] == stats.HeatCell(date(2026, 3, 3), 0, 0)
    assert weeks[1][2] == stats.HeatCell(date(2026, 3, 11), 2, 2)
    assert weeks[1][3:] == [None, None, None, None]  # after today


def test_heatmap_pads_before_the_first_day():
    weeks = stats.heatmap({}, date(2026, 3, 11), days=3)  # Mon 9 .. Wed 11
    assert len(weeks) == 1
    assert [c.day.day if c else None for c in weeks[0]] == [9, 10, 11, None, None, None, None]


def test_heat_level_quarters():
    assert [stats.heat_level(c, 8) for c in (0, 1, 2, 3, 4, 5, 6, 7, 8)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert stats.heat_level(3, 0) == 0


def _parse_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert element.tag not in (f"{SVG}script", f"{SVG}style")
    return root


def test_heatmap_svg_is_accessible_xml():
    counts = {date(2026, 3, 2) + timedelta(days=i): i % 5 for i in range(40)}
    svg = charts.heatmap_svg(stats.heatmap(counts, date(2026, 4, 12), days=365), "Reviews <per> day & more")
    root = _parse_svg(svg)
    assert root.find(f"{SVG}title").text == "Reviews <per> day & more"
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 365
    assert {r.get("class") for r in rects} == {"h0", "h1", "h2", "h3", "h4"}
    titles = [r.find(f"{SVG}title").text for r in rects]
    assert titles[-1] == "2026-04-12: 0 reviews"
    assert "2026-04-10: 4 reviews" in titles  # i = 39 -> 39 % 5
    assert "2026-03-03: 1 review" in titles


# ---------------------------------------------------------------- forecast and charts


def test_forecast_folds_overdue_into_today():
    today = date(2026, 3, 10)
    due = [today - timedelta(days=2), today, today + timedelta(days=1), today + timedelta(days=1),
           today + timedelta(days=40)]
    assert stats.forecast(due, today, days=3) == [
        (today, 2),
        (today + timedelta(days=1), 2),
        (today + timedelta(days=2), 0),
    ]
    counts = {today - timedelta(days=5): 3, today + timedelta(days=2): 4}
    assert stats.forecast(counts, today, days=3) == [
        (today, 3),
        (today + timedelta(days=1), 0),
        (today + timedelta(days=2), 4),
    ]
    assert len(stats.forecast([], today)) == 30


def test_bar_chart_svg():
    series = stats.forecast({date(2026, 3, 10): 7, date(2026, 3, 12): 3}, date(2026, 3, 10), days=5)
    root = _parse_svg(charts.bar_chart_svg(series, "Due in the next 5 days", unit="cards"))
    bars = [r for r in root.findall(f"{SVG}rect") if r.get("class") == "bar"]
    assert len(bars) == 5
    assert bars[0].find(f"{SVG}title").text == "Mar 10: 7 cards"
    assert float(bars[0].get("height")) > float(bars[2].get("height")) > 0
    assert float(bars[1].get("height")) == 0
    _parse_svg(charts.bar_chart_svg([], "Nothing"))


def test_line_chart_svg():
    points = [(0, 1.0), (7, 0.8), (14, 0.65)]
    root = _parse_svg(charts.line_chart_svg(points, "Recall", x_unit="d"))
    assert root.find(f"{SVG}polyline") is not None
    assert [c.find(f"{SVG}title").text for c in root.findall(f"{SVG}circle")] == ["0d: 100%", "7d: 80%", "14d: 65%"]
    _parse_svg(charts.line_chart_svg([], "Empty"))


# ---------------------------------------------------------------- cards


def test_card_buckets_rule():
    cards = [
        (0, None, False),  # new
        (1, 0.007, False),  # learning
        (3, 0.007, False),  # relearning counts as learning
        (2, 20.9, False),  # young: interval under 21 days
        (2, 21.0, False),  # mature from 21 days
        (2, 100.0, True),  # retired wins
    ]
    assert stats.card_buckets(cards) == stats.CardBuckets(new=1, learning=2, young=1, mature=1, retired=1)
    assert stats.card_buckets(cards).total == 6


def test_interval_days():
    now = utc(2026, 3, 10, 12)
    memory = Memory(2, None, 30.0, 5.0, now + timedelta(days=21), now)
    assert stats.interval_days(memory) == 21
    assert stats.bucket(memory.state, stats.interval_days(memory)) == "mature"
    assert stats.interval_days(None) is None


def test_mastery_counts_unseen_cards_as_zero():
    assert stats.mastery([0.9, 0.5, 0.7], 5) == pytest.approx(0.42)
    assert stats.mastery([], 0) == 0.0
    with pytest.raises(ValueError):
        stats.mastery([0.5, 0.5], 1)


def test_recall_curve_hits_90_percent_at_stability():
    now = utc(2026, 3, 10, 12)
    memory = Memory(2, None, 10.0, 5.0, now + timedelta(days=10), now)
    curve = stats.recall_curve(memory, now, Settings(), days=28)
    assert len(curve) == 29
    assert curve[0] == (0, 1.0)
    assert curve[10][1] == pytest.approx(0.9)
    assert all(a[1] > b[1] for a, b in zip(curve, curve[1:], strict=False))
    assert stats.recall_curve(None, now, days=3) == [(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.0)]


# ---------------------------------------------------------------- quiz items


def test_facility():
    assert stats.facility([1, 0, 1, 1, 0]) == 0.6
    assert stats.facility([2, 1, 0], max_score=2) == 0.5
    assert stats.facility([]) is None


def test_discrimination_index_matches_hand_computed_pearson():
    item = [1, 0, 1, 1, 0]
    totals = [9, 4, 7, 8, 6]
    # rest of test = [8, 4, 6, 7, 6]; means 0.6 and 6.2
    # sum dx*dy = 0.72 + 1.32 - 0.08 + 0.32 + 0.12 = 2.40
    # sum dx^2 = 1.2, sum dy^2 = 3.24 + 4.84 + 0.04 + 0.64 + 0.04 = 8.8
    expected = 100 * 2.4 / math.sqrt(1.2 * 8.8)
    assert stats.discrimination_index(item, totals) == pytest.approx(expected)
    assert stats.discrimination_index(item, totals) == pytest.approx(73.855, abs=1e-3)


def test_discrimination_index_undefined_cases():
    assert stats.discrimination_index([1], [5]) is None  # one attempt
    assert stats.discrimination_index([1, 1, 1], [5, 6, 7]) is None  # item does not vary
    assert stats.discrimination_index([1, 0, 1], [3, 2, 3]) is None  # rest of test is always 2
    with pytest.raises(ValueError):
        stats.discrimination_index([1, 0], [3])


def test_discrimination_index_negative_when_item_favours_weak_learners():
    # rest = [10, 9, 2, 1]: sum dx*dy = -8, sum dx^2 = 1, sum dy^2 = 65
    assert stats.discrimination_index([0, 0, 1, 1], [10, 9, 3, 2]) == pytest.approx(-800 / math.sqrt(65))


def test_card_state_codes_are_the_schedulers_and_py_fsrs_codes():
    import fsrs

    from studyapp.domain import scheduler

    assert scheduler.NEW is CardState.NEW
    assert scheduler.STATE_NAMES[CardState.RELEARNING] == "relearning"
    for state in (CardState.LEARNING, CardState.REVIEW, CardState.RELEARNING):
        assert fsrs.State(state.value).name.lower() == state.name.lower()
    memory = scheduler.review(None, scheduler.Rating.EASY, utc(2026, 3, 2, 12))
    assert memory.state is CardState.REVIEW and stats.bucket(memory.state, 1.0) == "young"
