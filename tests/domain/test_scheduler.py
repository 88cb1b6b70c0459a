from datetime import datetime, timedelta, timezone

import fsrs
import pytest

from studyapp.domain import scheduler
from studyapp.domain.scheduler import Rating, Settings

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def good_chain(n, now=NOW, settings=Settings()):
    memory, intervals = None, []
    for _ in range(n):
        memory = scheduler.review(memory, Rating.GOOD, now, settings)
        intervals.append(memory.due - now)
        now = memory.due
    return memory, intervals


def test_good_chain_intervals_grow_once_in_review():
    memory, intervals = good_chain(7)
    review_intervals = intervals[2:]  # after the two learning steps
    assert all(b > a for a, b in zip(review_intervals, review_intervals[1:])), intervals
    assert memory.state == 2 and memory.reps == 7 and memory.lapses == 0


def test_learning_steps_are_one_and_ten_minutes():
    outcomes = scheduler.next_states(None, NOW)
    assert outcomes[Rating.AGAIN].interval == timedelta(minutes=1)
    assert outcomes[Rating.GOOD].interval == timedelta(minutes=10)
    assert outcomes[Rating.EASY].memory.state == 2


def test_again_in_review_is_a_lapse_into_ten_minute_relearning():
    memory, _ = good_chain(4)
    lapsed = scheduler.review(memory, Rating.AGAIN, memory.due)
    assert lapsed.state == 3 and lapsed.lapses == 1
    assert lapsed.due - memory.due == timedelta(minutes=10)
    assert lapsed.stability < memory.stability


def test_again_while_learning_is_not_a_lapse():
    memory = scheduler.review(None, Rating.AGAIN, NOW)
    assert memory.lapses == 0 and memory.state == 1


def test_intervals_equal_py_fsrs_for_a_fixed_time():
    ours = None
    theirs = fsrs.Card(card_id=7)
    reference = fsrs.Scheduler(enable_fuzzing=False)
    now = NOW
    for rating in (3, 3, 2, 4, 1, 3, 3):
        ours = scheduler.review(ours, rating, now)
        theirs, _ = reference.review_card(theirs, fsrs.Rating(rating), now)
        assert ours.due == theirs.due
        assert ours.stability == pytest.approx(theirs.stability)
        assert ours.difficulty == pytest.approx(theirs.difficulty)
        now = ours.due


def test_next_states_match_review_for_each_rating():
    memory, _ = good_chain(3)
    outcomes = scheduler.next_states(memory, memory.due, fuzz_seed="1:2:3")
    for rating, outcome in outcomes.items():
        assert outcome.memory == scheduler.review(memory, rating, memory.due, fuzz_seed="1:2:3")


def test_desired_retention_changes_intervals():
    memory, _ = good_chain(4)
    low = scheduler.next_states(memory, memory.due, Settings(desired_retention=0.8))[Rating.GOOD]
    high = scheduler.next_states(memory, memory.due, Settings(desired_retention=0.95))[Rating.GOOD]
    assert low.interval > high.interval


def test_fuzz_is_deterministic_small_and_keyed():
    memory, _ = good_chain(5)
    plain = scheduler.review(memory, Rating.GOOD, memory.due)
    days = (plain.due - memory.due) / timedelta(days=1)
    fuzzed = {scheduler.review(memory, Rating.GOOD, memory.due, fuzz_seed=f"s{i}").due for i in range(20)}
    assert len(fuzzed) > 1
    for due in fuzzed:
        assert abs((due - memory.due) / timedelta(days=1) - days) <= max(1, round(days * 0.05)) + 1
    again = scheduler.review(memory, Rating.GOOD, memory.due, fuzz_seed="s3")
    assert again == scheduler.review(memory, Rating.GOOD, memory.due, fuzz_seed="s3")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        scheduler.review(None, Rating.GOOD, datetime(2026, 1, 1))


def test_memory_round_trips_through_dict():
    memory, _ = good_chain(3)
    assert scheduler.Memory.from_dict(memory.to_dict()) == memory


def test_retrievability_falls_with_time():
    memory, _ = good_chain(4)
    soon = scheduler.retrievability(memory, memory.last_review + timedelta(days=2))
    later = scheduler.retrievability(memory, memory.last_review + timedelta(days=60))
    assert 1 > soon > later > 0
    assert scheduler.retrievability(None, NOW) == 0


@pytest.mark.parametrize("seconds,label", [(30, "30s"), (60, "1m"), (600, "10m"), (3 * 3600, "3h"),
                                           (4 * 86400, "4d"), (75 * 86400, "2.5mo"), (400 * 86400, "1.1y")])
def test_interval_labels(seconds, label):
    assert scheduler.format_interval(timedelta(seconds=seconds)) == label


def test_steps_parse_and_format():
    assert scheduler.parse_steps("1m 10m") == (timedelta(minutes=1), timedelta(minutes=10))
    assert scheduler.format_steps(scheduler.parse_steps("90s 1h 2d")) == "90s 1h 2d"
    with pytest.raises(ValueError, match="'ten' is not a step"):
        scheduler.parse_steps("1m ten")


@pytest.mark.parametrize("ratings", [(1, 1, 1, 3), (1, 2, 3, 3), (1, 1, 1, 4), (1, 1, 4, 1)])
def test_easy_is_always_longer_than_good(ratings):
    """A learning card on its last step once showed '1m 10m 1d 1d': FSRS graduated Good and Easy to the
    same day. As in Anki, Easy now gets at least a day more than Good, and the label is what it gives."""
    memory, now = None, NOW
    for rating in ratings:
        memory = scheduler.review(memory, rating, now)
        now = memory.due
        outcomes = scheduler.next_states(memory, now, fuzz_seed="7:8:9")
        assert outcomes[Rating.EASY].interval > outcomes[Rating.GOOD].interval, [o.label for o in outcomes.values()]
        assert outcomes[Rating.EASY].memory == scheduler.review(memory, Rating.EASY, now, fuzz_seed="7:8:9")
