"""The study queue under a class study budget: a learner with an exam ahead whose budget cannot take every review
due today gets the weakest cards first (lowest predicted recall now), in the queue and after each answer; without
an exam, or when the budget takes them all, the reviews come by due date as before."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import Card, CardState
from studyapp.services import classes as class_service
from studyapp.services import study

from support import NOW, make_user


@pytest.fixture
def budget_class(app, deck):
    teacher, alice = make_user("teacher", "instructor"), make_user("alice")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "Exam class", (deck.id,), exam_at=NOW + timedelta(days=20), daily_minutes=1), NOW)  # 1 minute: 6 answers
    class_service.add_member(db.session, klass, alice, NOW)
    db.session.commit()
    return klass, alice


def _reviews_due(user, deck, stabilities):
    """One card per fact in review, due today; the first due is the strongest, the weakest is due last but one."""
    cards, facts = [], set()
    for card in db.session.scalars(select(Card).where(Card.deck_id == deck.id).order_by(Card.position)):
        if card.fact_key not in facts:
            facts.add(card.fact_key)
            cards.append(card)
    for i, stability in enumerate(stabilities):
        db.session.add(CardState(user_id=user.id, card_id=cards[i].id, state=2, step=None, stability=stability,
                                 difficulty=5.0, due=NOW - timedelta(hours=10 - i), last_review=NOW - timedelta(days=4),
                                 reps=3, lapses=0, suspended=False, version=1))
    db.session.commit()
    return [c.id for c in cards[:len(stabilities)]]


STABILITIES = [60.0, 40.0, 30.0, 20.0, 10.0, 8.0, 6.0, 1.5, 4.0, 50.0]  # 10 due; the budget takes 6


def test_under_the_budget_the_weakest_review_comes_first(budget_class, deck):
    _klass, alice = budget_class
    bob = make_user("bob")
    ids = {user.username: _reviews_due(user, deck, STABILITIES) for user in (alice, bob)}
    assert study.next_showing(db.session, bob, deck, NOW).card.id == ids["bob"][0]  # no exam: first due
    showing = study.next_showing(db.session, alice, deck, NOW)
    assert showing.queue == "review" and showing.card.id == ids["alice"][7]  # stability 1.5: the weakest
    # after answering it, the next weakest (stability 4), not the first due
    answered = study.answer_card(db.session, alice.id, alice.timezone, deck.id, showing.card.id, 3, showing.version,
                                 NOW, fuzz=False)
    assert answered.next.id == ids["alice"][8]
    db.session.commit()


def test_when_the_budget_takes_every_review_the_order_is_by_due_date(budget_class, deck):
    klass, alice = budget_class
    klass.daily_minutes = 60  # 360 answers: every review fits
    db.session.commit()
    ids = _reviews_due(alice, deck, STABILITIES)
    assert study.next_showing(db.session, alice, deck, NOW).card.id == ids[0]
