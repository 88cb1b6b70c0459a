from datetime import date, datetime, timezone

from studyapp.domain.days import day_bounds, study_day


def test_day_rolls_over_at_four_in_the_learners_zone():
    # 03:30 in New York (EST, UTC-5) is still the previous study day; 04:30 is the new one.
    before = datetime(2026, 1, 15, 8, 30, tzinfo=timezone.utc)
    after = datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc)
    assert study_day(before, "America/New_York") == date(2026, 1, 14)
    assert study_day(after, "America/New_York") == date(2026, 1, 15)


def test_same_instant_is_a_different_day_in_tokyo_and_los_angeles():
    instant = datetime(2026, 1, 15, 20, 0, tzinfo=timezone.utc)  # 05:00 Tokyo on the 16th, 12:00 LA on the 15th
    assert study_day(instant, "Asia/Tokyo") == date(2026, 1, 16)
    assert study_day(instant, "America/Los_Angeles") == date(2026, 1, 15)


def test_day_bounds_in_utc():
    start, end = day_bounds(datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc), "UTC")
    assert start == datetime(2026, 1, 15, 4, 0, tzinfo=timezone.utc)
    assert end == datetime(2026, 1, 16, 4, 0, tzinfo=timezone.utc)


def test_unknown_zone_falls_back_to_utc():
    assert study_day(datetime(2026, 1, 15, 3, 0, tzinfo=timezone.utc), "Mars/Olympus") == date(2026, 1, 14)
