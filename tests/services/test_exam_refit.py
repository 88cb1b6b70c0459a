"""`flask refit-learners` (cron, never in a request): learners with a class exam ahead are refitted once they have
enough new reviews since their last fit; learners without an exam only with --all."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import SchedulerFit, User, utcnow
from studyapp.services import classes as class_service
from studyapp.services import examplan, fitting

from support import NOW, make_user, study_cards


def _setup(deck, exam_at):
    teacher, alice, bob = make_user("teacher", "instructor"), make_user("alice"), make_user("bob")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Exam", (deck.id,), exam_at=exam_at),
                                       NOW)
    class_service.add_member(db.session, klass, alice, NOW)
    db.session.commit()
    study_cards(alice, deck, [3, 4, 4, 4, 1], now=NOW - timedelta(hours=2))
    study_cards(bob, deck, [4, 4, 4, 4], now=NOW - timedelta(hours=2))
    return alice, bob


def _names(rows):
    return [(user.username, n) for user, n in rows]


def test_learners_with_an_exam_and_enough_new_reviews_are_due(app, deck):
    alice, bob = _setup(deck, NOW + timedelta(days=20))
    assert _names(examplan.learners_due_for_refit(db.session, NOW, 3)) == [("alice", 5)]
    assert _names(examplan.learners_due_for_refit(db.session, NOW, 3, everyone=True)) == [("alice", 5), ("bob", 4)]
    assert examplan.learners_due_for_refit(db.session, NOW, 6) == []
    fitting.fit_and_store(db.session, alice, NOW)  # too few reviews to keep, but a fit all the same
    assert examplan.learners_due_for_refit(db.session, NOW, 3) == []
    study_cards(alice, deck, [4, 4, 4], now=NOW + timedelta(minutes=5))
    assert _names(examplan.learners_due_for_refit(db.session, NOW, 3)) == [("alice", 3)]
    assert examplan.learners_due_for_refit(db.session, NOW + timedelta(days=21), 3) == []  # the exam is over


def test_the_command_refits_and_says_whom(app, deck, runner):
    _setup(deck, utcnow() + timedelta(days=20))
    result = runner.invoke(args=["refit-learners", "--min-new", "3"])
    assert result.exit_code == 0, result.output
    assert "alice: 5 new reviews" in result.output and "bob" not in result.output
    assert "Refitted 1 learner, 0 kept." in result.output
    db.session.expire_all()
    alice = db.session.scalar(select(User).where(User.username == "alice"))
    assert db.session.scalars(select(SchedulerFit.user_id)).all() == [alice.id]
    again = runner.invoke(args=["refit-learners", "--min-new", "3"])
    assert "Refitted 0 learners" in again.output
