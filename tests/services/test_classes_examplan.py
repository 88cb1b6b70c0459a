"""services/examplan: which exam a learner's deck plans toward, the planned due date, today's budget, forecasts."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.domain import examplan as plan_math
from studyapp.domain.scheduler import Memory
from studyapp.extensions import db
from studyapp.models import CardState, ReviewLog
from studyapp.services import classes as class_service
from studyapp.services import exam_forecast, examplan

from support import NOW, make_user, study_cards


@pytest.fixture
def exam_class(app, deck):
    teacher, alice = make_user("teacher", "instructor"), make_user("alice")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "Exam class", (deck.id,), exam_at=NOW + timedelta(days=14), daily_minutes=10), NOW)
    class_service.add_member(db.session, klass, alice, NOW)
    db.session.commit()
    return klass, alice


def test_exam_policy_only_for_members_with_an_exam_ahead(exam_class, deck):
    klass, alice = exam_class
    bob = make_user("bob")
    policy = examplan.exam_policy(db.session, alice.id, deck.id, NOW)
    assert policy is not None and policy.exam_at == klass.exam_at and policy.daily_minutes == 10
    assert examplan.exam_policy(db.session, bob.id, deck.id, NOW) is None
    assert examplan.exam_policy(db.session, alice.id, deck.id, klass.exam_at + timedelta(minutes=1)) is None


def test_planned_due_is_before_the_exam_for_a_weak_card_and_unchanged_without_exam(exam_class, deck):
    klass, alice = exam_class
    weak = Memory(state=2, step=None, stability=3.0, difficulty=5.0, due=NOW + timedelta(days=3), last_review=NOW)
    due = examplan.planned_due(db.session, alice.id, deck.id, weak, NOW)
    assert NOW < due < klass.exam_at
    far = Memory(state=2, step=None, stability=3.0, difficulty=5.0, due=NOW + timedelta(days=40), last_review=NOW)
    assert examplan.planned_due(db.session, alice.id, deck.id, far, NOW) < klass.exam_at
    learning = Memory(state=1, step=0, stability=1.0, difficulty=5.0, due=NOW + timedelta(minutes=10), last_review=NOW)
    assert examplan.planned_due(db.session, alice.id, deck.id, learning, NOW) == learning.due
    bob = make_user("bob")
    assert examplan.planned_due(db.session, bob.id, deck.id, far, NOW) == far.due


def test_load_counts_due_cards_per_day(exam_class, deck):
    _klass, alice = exam_class
    study_cards(alice, deck, [3, 3, 3], now=NOW - timedelta(minutes=30))
    for i, state in enumerate(db.session.scalars(select(CardState).where(CardState.user_id == alice.id))):
        state.due = NOW + timedelta(days=2 if i < 2 else 5, hours=1)
    db.session.commit()
    assert examplan.due_load(db.session, alice.id, NOW, 10) == {2: 2, 5: 1}


def test_budget_counts_todays_minutes(exam_class, deck):
    _klass, alice = exam_class
    start = NOW - timedelta(hours=8)
    assert examplan.cards_left_in_budget(db.session, alice.id, deck.id, start, NOW) == 60  # 10 min, 10 s a card
    study_cards(alice, deck, [3, 3], now=NOW - timedelta(minutes=30))
    for log in db.session.scalars(select(ReviewLog)):
        log.duration_ms = 120_000
    db.session.commit()
    assert examplan.cards_left_in_budget(db.session, alice.id, deck.id, start, NOW) == 3  # 6 min left, 2 min a card


def test_learner_forecast_matches_the_curve(exam_class, deck):
    klass, alice = exam_class
    study_cards(alice, deck, [3, 3, 3, 3], now=NOW - timedelta(days=1))
    [forecast] = exam_forecast.learner_forecast(db.session, alice, NOW)
    states = db.session.scalars(select(CardState).where(CardState.user_id == alice.id)).all()
    model = plan_math.fsrs_model()
    n = sum(s.cards for s in forecast.sections)
    expected = sum(model.recall((klass.exam_at - s.last_review).days, (s.stability, s.difficulty)) for s in states) / n
    assert forecast.exam == pytest.approx(expected)
    assert 0 < forecast.exam < forecast.today
    columns, rows = exam_forecast.class_forecast(db.session, klass, NOW)
    assert [r.username for r in rows] == ["alice"] and rows[0].exam == pytest.approx(forecast.exam, abs=1e-6)


def test_apply_exam_plan_changes_only_the_due_date_of_review_cards(exam_class, deck):
    klass, alice = exam_class
    far = Memory(state=2, step=None, stability=3.0, difficulty=5.0, due=NOW + timedelta(days=40), last_review=NOW)
    planned = examplan.apply_exam_plan(db.session, alice.id, deck.id, far, NOW, None)
    assert planned.due < klass.exam_at and (planned.stability, planned.difficulty, planned.state) == (3.0, 5.0, 2)
    learning = Memory(state=1, step=0, stability=1.0, difficulty=5.0, due=NOW + timedelta(minutes=10), last_review=NOW)
    assert examplan.apply_exam_plan(db.session, alice.id, deck.id, learning, NOW, None) is learning
    bob = make_user("bob")
    assert examplan.apply_exam_plan(db.session, bob.id, deck.id, far, NOW, None) is far


def test_the_exam_learner_list_is_reread_when_a_class_changes(exam_class, deck):
    klass, alice = exam_class
    bob = make_user("bob")
    assert class_service.may_have_exam(db.session, alice.id, NOW)
    assert not class_service.may_have_exam(db.session, bob.id, NOW)
    class_service.add_member(db.session, klass, bob, NOW)  # the process's list is dropped
    assert class_service.may_have_exam(db.session, bob.id, NOW)


def test_limits_in_budget_cut_the_day_to_the_class_budget(exam_class, deck):
    _klass, alice = exam_class
    bob = make_user("bob")
    start = NOW - timedelta(hours=8)
    assert examplan.limits_in_budget(db.session, bob.id, deck.id, NOW, start, 20, 200, 0, 0) == (20, 200)
    assert examplan.limits_in_budget(db.session, alice.id, deck.id, NOW, start, 20, 200, 5, 7) == (20, 67)
    study_cards(alice, deck, [3, 3], now=NOW - timedelta(minutes=30))
    for log in db.session.scalars(select(ReviewLog)):
        log.duration_ms = 300_000  # 10 minutes spent: the budget is used up
    db.session.commit()
    assert examplan.limits_in_budget(db.session, alice.id, deck.id, NOW, start, 20, 200, 2, 0) == (2, 0)


def test_the_study_queue_stops_at_the_class_budget(exam_class, deck):
    """The `# exam plan` budget hook in services/study.py: once today's minutes are spent, nothing more is queued
    for a learner in the class; a learner outside it keeps the deck's limits."""
    from studyapp.services import study

    _klass, alice = exam_class
    bob = make_user("bob")
    for who in (alice, bob):
        study_cards(who, deck, [3, 3], now=NOW - timedelta(minutes=30))
    for log in db.session.scalars(select(ReviewLog)):
        log.duration_ms = 300_000  # 10 minutes each learner: alice's class budget is used up
    db.session.commit()
    assert study.deck_counts(db.session, alice, deck, NOW).new == 0
    assert study.next_showing(db.session, alice, deck, NOW) is None or \
        study.next_showing(db.session, alice, deck, NOW).queue == "learning"
    assert study.deck_counts(db.session, bob, deck, NOW).new > 0
