"""More new cards today (custom study): a grant raises the day's new-card limit of one deck for one learner, the
queue counts the extra cards as today's new cards, the class budget does not cut them, and the next day the
deck's own limit is back."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from studyapp.domain.days import day_bounds
from studyapp.extensions import db
from studyapp.models import ExtraNewCards, ReviewLog
from studyapp.services import classes as class_service
from studyapp.services import study, study_ahead

from support import NOW, make_user, study_cards

START = day_bounds(NOW, "UTC")[0]


@pytest.fixture
def small_deck(deck):
    deck.new_per_day = 3
    db.session.commit()
    return deck


def _queue(user, deck, now=NOW):
    return study.queue(db.session, user.id, user.timezone, deck, now)


def _grant(user, deck, n, now=NOW):
    _picked, counts, q = _queue(user, deck, now)
    grant = study_ahead.add_new_cards(db.session, user.id, deck.id, n, start=day_bounds(now, "UTC")[0], now=now,
                                      new_done=q.new_done, new_left=counts.new, unseen=q.new)
    db.session.commit()
    return grant


def test_extra_new_cards_raise_todays_limit_and_only_today(small_deck, learner):
    study_cards(learner, small_deck, [4, 4, 4], now=NOW - timedelta(hours=1))  # Easy: straight to review
    picked, counts, _q = _queue(learner, small_deck)
    assert picked is None and counts.new == 0  # the day is done: 3 new of 3
    grant = _grant(learner, small_deck, 2)
    assert grant == study_ahead.Grant(added=2, extra_today=2, new_limit=5)
    picked, counts, _q = _queue(learner, small_deck)
    assert picked is not None and picked[1] == "new" and counts.new == 2  # today's new count includes them
    study_cards(learner, small_deck, [4, 4], now=NOW)
    picked, counts, q = _queue(learner, small_deck)
    assert picked is None and counts.new == 0 and q.new_done == 5
    assert _grant(learner, small_deck, 3) == study_ahead.Grant(added=3, extra_today=5, new_limit=8)
    assert _queue(learner, small_deck)[1].new == 3
    tomorrow = NOW + timedelta(days=1)
    assert _queue(learner, small_deck, tomorrow)[1].new == 3  # the deck's own limit again
    assert study_ahead.extra_today(db.session, learner.id, small_deck.id, day_bounds(tomorrow, "UTC")[0], tomorrow) == 0


def test_a_grant_is_the_learners_own(small_deck, learner, other_learner):
    _grant(learner, small_deck, 4)
    assert _queue(learner, small_deck)[1].new == 7
    assert _queue(other_learner, small_deck)[1].new == 3


def test_requests_out_of_range_or_past_the_unseen_cards_are_refused_or_cut(small_deck, learner):
    for n in (0, -1, study_ahead.MAX_PER_REQUEST + 1):
        with pytest.raises(study_ahead.AheadError, match="between 1 and"):
            _grant(learner, small_deck, n)
    unseen = _queue(learner, small_deck)[2].new
    assert 3 + 2 * study_ahead.MAX_PER_REQUEST > unseen > 3 + study_ahead.MAX_PER_REQUEST
    assert _grant(learner, small_deck, study_ahead.MAX_PER_REQUEST).added == study_ahead.MAX_PER_REQUEST
    grant = _grant(learner, small_deck, study_ahead.MAX_PER_REQUEST)
    assert grant.added == unseen - 3 - study_ahead.MAX_PER_REQUEST  # no more than the cards not yet seen
    assert grant.new_limit == unseen and _queue(learner, small_deck)[1].new == unseen
    with pytest.raises(study_ahead.AheadError, match="already in today's queue"):
        _grant(learner, small_deck, 1)
    assert db.session.scalar(select(func.count()).select_from(ExtraNewCards)) == 1


def test_at_most_max_per_day_extra_cards(small_deck, learner, monkeypatch):
    monkeypatch.setattr(study_ahead, "MAX_PER_DAY", 5)
    assert _grant(learner, small_deck, 4).added == 4
    assert _grant(learner, small_deck, 4).added == 1
    with pytest.raises(study_ahead.AheadError, match="the most for one day"):
        _grant(learner, small_deck, 1)


def test_the_class_budget_does_not_cut_the_extra_cards(small_deck, learner):
    teacher = make_user("teacher", "instructor")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "Exam", (small_deck.id,), exam_at=NOW + timedelta(days=20), daily_minutes=1), NOW)
    class_service.add_member(db.session, klass, learner, NOW)
    db.session.commit()
    assert _queue(learner, small_deck)[1].new == 3
    study_cards(learner, small_deck, [4], now=NOW - timedelta(hours=1))
    db.session.execute(update(ReviewLog).values(duration_ms=65_000))  # the 1-minute budget is spent ...
    db.session.commit()
    assert _queue(learner, small_deck)[1].new == 0  # ... so it cuts today's new cards (the deck allows 2 more)
    assert _grant(learner, small_deck, 2).added == 2
    assert _queue(learner, small_deck)[1].new == 2


def test_the_list_of_learners_with_a_grant_is_refreshed_when_this_process_grants(small_deck, learner):
    assert not study_ahead.may_have_extra(db.session, learner.id, NOW)
    _grant(learner, small_deck, 1)  # the grant clears this process's list
    assert study_ahead.may_have_extra(db.session, learner.id, NOW)
    assert study_ahead.may_have_extra(db.session, learner.id, NOW + timedelta(days=3))  # the list is cached ...
    study_ahead.forget_extra_users()
    assert not study_ahead.may_have_extra(db.session, learner.id, NOW + timedelta(days=3))  # ... and, re-read, the grant is over
