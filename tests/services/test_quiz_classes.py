"""Published quizzes per class: who sees a quiz, whose results an instructor sees, and migration 0007."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.services import class_progress, quiz_results, study
from studyapp.services import classes as class_service
from studyapp.services import quiz as quizzes

from support import NOW, make_user


def _class(teacher, deck, name, *members):
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput(name, (deck.id,)), NOW)
    for member in members:
        class_service.add_member(db.session, klass, member, NOW)
    return klass


def _take(user, quiz, right=True):
    attempt = quizzes.start_attempt(db.session, user, quiz, NOW)
    for n, q in enumerate(attempt.questions, 1):
        given = q["answer"] if right or n > 1 else "zzz not it"
        if not right and n == 1 and q["type"] != "typed":
            given = next(o for o in q["options"] if o != q["answer"])
        quizzes.answer_question(db.session, user, attempt, n, given, NOW, settings=study.settings_for(quiz.deck),
                                fuzz=False)
    return attempt


def test_a_quiz_published_for_a_class_is_seen_by_its_members_only(app, deck):
    teacher, other_teacher = make_user("teacher", "instructor"), make_user("other", "instructor")
    alice, bob = make_user("alice"), make_user("bob")
    a = _class(teacher, deck, "A", alice)
    _class(other_teacher, deck, "B", bob)
    quiz = quizzes.create_quiz(db.session, teacher, deck, NOW, length=3, published=True, title="A quiz", klass=a)
    everyone = quizzes.create_quiz(db.session, teacher, deck, NOW, length=3, published=True, title="For all")
    assert quiz.class_id == a.id and everyone.class_id is None
    assert [r.quiz.title for r in quizzes.published_quizzes(db.session, alice)] == ["For all", "A quiz"]
    assert [r.quiz.title for r in quizzes.published_quizzes(db.session, bob)] == ["For all"]
    assert quizzes.visible_quiz(db.session, alice, quiz.id) is quiz
    assert quizzes.visible_quiz(db.session, bob, quiz.id) is None
    assert quizzes.visible_quiz(db.session, bob, everyone.id) is everyone
    # instructors: their own class's quiz, not another instructor's class
    assert quizzes.visible_quiz(db.session, teacher, quiz.id) is quiz
    assert quizzes.visible_quiz(db.session, other_teacher, quiz.id) is None
    assert [r.quiz.title for r in quizzes.published_quizzes(db.session, other_teacher)] == ["For all"]
    assert quizzes.may_manage(db.session, teacher, quiz) and not quizzes.may_manage(db.session, other_teacher, quiz)
    # a learner who joins later sees it; unpublished, nobody but its author does
    class_service.add_member(db.session, a, bob, NOW)
    assert quizzes.visible_quiz(db.session, bob, quiz.id) is quiz
    quiz.published = False
    assert quizzes.visible_quiz(db.session, bob, quiz.id) is None
    assert quizzes.visible_quiz(db.session, teacher, quiz.id) is quiz


def test_results_and_question_statistics_are_the_classs_own(app, deck):
    teacher = make_user("teacher", "instructor")
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    a = _class(teacher, deck, "A", alice, carol)
    quiz = quizzes.create_quiz(db.session, teacher, deck, NOW, length=2, published=True, klass=a, seed=3)
    _take(alice, quiz, right=True)
    _take(alice, quiz, right=False)
    # bob is not in the class: a quiz published for every learner he can take, this one's results skip him
    everyone = quizzes.create_quiz(db.session, teacher, deck, NOW, length=2, published=True, seed=3)
    _take(bob, everyone, right=False)
    rows = quiz_results.quiz_results(db.session, quiz)
    assert [(r.username, r.attempts, r.best_percent) for r in rows] == [("alice", 2, 100), ("carol", 0, None)]
    assert [(r.username, r.attempts, r.best_percent) for r in quiz_results.quiz_results(db.session, everyone)] == [
        ("bob", 1, 50)]
    best = quiz_results.best_percents(db.session, quiz_results.class_quizzes(db.session, a.id),
                                      [alice.id, bob.id, carol.id])
    assert best == {(alice.id, quiz.id): 100.0}
    # the class's question statistics count its members' answers only (bob's wrong answers are elsewhere)
    scoped = class_progress.overview(db.session, NOW, class_progress.class_scope(db.session, a))
    assert sum(q.answers for q in scoped.questions) == 4
    unscoped = class_progress.overview(db.session, NOW)
    assert sum(q.answers for q in unscoped.questions) == 6


def test_migration_puts_published_quizzes_in_the_default_class(empty_app):
    upgrade(revision="0006")
    t = datetime(2026, 1, 5, 9, 0)
    with db.engine.begin() as conn:
        for uid, name, role in ((1, "teach", "instructor"), (2, "ann", "learner")):
            conn.execute(sa.text("INSERT INTO users (id, username, password_hash, role, timezone, created_at, "
                                 "must_change_password) VALUES (:id, :n, 'x', :r, 'UTC', :t, :f)"),
                         {"id": uid, "n": name, "r": role, "t": t, "f": False})
        conn.execute(sa.text("INSERT INTO decks (id, slug, name, description, desired_retention, new_per_day, "
                             "reviews_per_day, learning_steps, relearning_steps, created_at, status) VALUES "
                             "(1, 'd', 'Deck', '', 0.9, 20, 200, '1m 10m', '10m', :t, 'published')"), {"t": t})
        conn.execute(sa.text("INSERT INTO classes (id, name, instructor_id, join_code, is_default, created_at) "
                             "VALUES (5, 'Everyone', 1, 'ABCDEFGH', :yes, :t), (6, 'Other', 1, 'HGFEDCBA', :no, :t)"),
                     {"yes": True, "no": False, "t": t})
        for qid, published in ((1, True), (2, False)):
            conn.execute(sa.text("INSERT INTO quizzes (id, deck_id, title, seed, length, types, published, "
                                 "created_by, created_at) VALUES (:id, 1, 'q', 1, 3, '[]', :p, 1, :t)"),
                         {"id": qid, "p": published, "t": t})
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, class_id FROM quizzes ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, 5), (2, None)]
    downgrade(revision="0006")
    with db.engine.connect() as conn:
        assert "class_id" not in {c["name"] for c in sa.inspect(conn).get_columns("quizzes")}


def _in_review(user, cards):
    """These cards in review for `user`: stability 3 days, last seen 3 days ago, due an hour ago."""
    from studyapp.models import CardState

    for card_id in cards:
        db.session.add(CardState(user_id=user.id, card_id=card_id, state=2, step=None, stability=3.0, difficulty=5.0,
                                 due=NOW - timedelta(hours=1), last_review=NOW - timedelta(days=3), reps=3, lapses=0,
                                 suspended=False, version=1))
    db.session.commit()


def test_quiz_answers_are_planned_toward_the_exam(app, deck):
    """A quiz answer goes through the same exam plan as a study answer: the same right answer to the same memory is
    due on FSRS's date for a learner without an exam, and on the planned date before the exam for one with it."""
    from studyapp.models import Card, CardState

    teacher, alice, bob = make_user("teacher", "instructor"), make_user("alice"), make_user("bob")
    exam = NOW + timedelta(days=6, hours=-3)
    _class(teacher, deck, "Exam", alice).exam_at = exam
    class_service.forget_exam_users()
    cards = db.session.scalars(select(Card.id).where(Card.deck_id == deck.id)).all()
    dues = {}
    for user in (alice, bob):
        _in_review(user, cards)
        quiz = quizzes.create_quiz(db.session, user, deck, NOW, length=1, types=["typed"], seed=11)
        attempt = quizzes.start_attempt(db.session, user, quiz, NOW)
        (question,) = attempt.questions
        answer = quizzes.answer_question(db.session, user, attempt, 1, question["answer"], NOW,
                                         settings=study.settings_for(deck), fuzz=False)
        assert answer.rating == 3 and answer.review_log_id is not None
        dues[user.username] = db.session.scalar(select(CardState.due).where(
            CardState.user_id == user.id, CardState.card_id == question["card_db_id"]))
    assert dues["bob"] - NOW == timedelta(days=11)  # FSRS at 0.90: after the exam
    assert NOW < dues["alice"] < exam  # planned toward the exam, as a study answer would be


def test_deleting_a_class_unpublishes_its_quizzes_instead_of_showing_them_to_everyone(app, deck):
    teacher, alice, bob = make_user("teacher", "instructor"), make_user("alice"), make_user("bob")
    a = _class(teacher, deck, "A", alice)
    quiz = quizzes.create_quiz(db.session, teacher, deck, NOW, length=3, published=True, title="A quiz", klass=a)
    everyone = quizzes.create_quiz(db.session, teacher, deck, NOW, length=3, published=True, title="For all")
    db.session.commit()
    assert class_service.delete_class(db.session, a) == 1
    db.session.commit()
    db.session.expire_all()
    assert quiz.published is False and quiz.class_id is None
    assert [r.quiz.title for r in quizzes.published_quizzes(db.session, bob)] == ["For all"]
    assert quizzes.visible_quiz(db.session, bob, quiz.id) is None and everyone.published


def test_a_class_with_quizzes_cannot_be_deleted_behind_their_back(app, deck):
    """quizzes.class_id is ON DELETE RESTRICT (was SET NULL: the quiz would have gone to every learner)."""
    teacher = make_user("teacher", "instructor")
    a = _class(teacher, deck, "A")
    quiz = quizzes.create_quiz(db.session, teacher, deck, NOW, length=3, published=True, title="A quiz", klass=a)
    db.session.commit()
    class_id, quiz_id = a.id, quiz.id
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.delete(class_service.Class).where(class_service.Class.id == class_id))
        db.session.flush()
    db.session.rollback()
    assert db.session.get(type(quiz), quiz_id).class_id == class_id
