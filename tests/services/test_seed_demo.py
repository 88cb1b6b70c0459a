"""`flask seed-demo`: simulated learners whose rows are exactly what the app itself would have written."""
from collections import defaultdict

import pytest
from sqlalchemy import func, select

from studyapp.domain.scheduler import Memory
from studyapp.extensions import db
from studyapp.models import CardState, QuizAnswer, QuizAttempt, ReviewLog, User
from studyapp.services import demo, study
from studyapp.services.demo_simulation import TIME_ZONES

from support import NOW


@pytest.fixture
def seeded(deck):
    report = demo.seed_demo(db.session, deck, 6, 25, NOW, seed=7)
    db.session.commit()
    return report


def test_demo_learners_accounts_and_counts(seeded):
    learners = db.session.scalars(select(User).where(User.username.like("demo-learner-%")).order_by(User.id)).all()
    assert [u.username for u in learners] == [f"demo-learner-000{i}" for i in range(1, 7)]
    assert {u.role for u in learners} == {"learner"} and {u.timezone for u in learners} <= set(TIME_ZONES)
    assert seeded.learners == 6
    assert seeded.answers == db.session.scalar(select(func.count()).select_from(ReviewLog)) > 6 * 25
    assert seeded.card_states == db.session.scalar(select(func.count()).select_from(CardState))
    assert seeded.attempts == db.session.scalar(select(func.count()).select_from(QuizAttempt))
    from studyapp.services.users import authenticate
    assert authenticate(db.session, "demo-learner-0003", demo.PASSWORD) is not None


def test_every_history_is_a_consistent_chain_ending_in_the_card_state(seeded):
    logs = defaultdict(list)
    for log in db.session.scalars(select(ReviewLog).order_by(ReviewLog.reviewed_at, ReviewLog.id)):
        logs[(log.user_id, log.card_id)].append(log)
    states = {(s.user_id, s.card_id): s for s in db.session.scalars(select(CardState))}
    assert set(logs) == set(states)
    for key, chain in logs.items():
        state = states[key]
        assert [log.shown_version for log in chain] == list(range(len(chain)))
        assert state.version == state.reps == len(chain)
        assert chain[0].before is None and chain[0].state_before == 0
        for earlier, later in zip(chain, chain[1:]):
            assert later.before == earlier.after and later.state_before == earlier.state_after
            assert later.reviewed_at >= earlier.reviewed_at
        last = Memory.from_dict(chain[-1].after)
        assert study.memory_of(state) == last
        assert all(log.reviewed_at <= NOW for log in chain)
        assert all(1 <= log.rating <= 4 and log.source in ("study", "quiz") for log in chain)


def test_the_simulated_class_looks_like_learners(seeded):
    rows = db.session.execute(select(ReviewLog.state_before, ReviewLog.rating, func.count())
                              .group_by(ReviewLog.state_before, ReviewLog.rating)).all()
    review = {rating: n for state, rating, n in rows if state == 2}
    retention = 1 - review.get(1, 0) / sum(review.values())
    assert 0.6 < retention < 0.97  # forgetting happens, but not most of the time
    assert all(review.get(r, 0) > 0 for r in (1, 2, 3, 4))  # every button gets pressed
    days = db.session.scalar(select(func.count(func.distinct(func.date(ReviewLog.reviewed_at)))))
    assert days > 15


def test_the_demo_quizzes_are_published_for_the_demo_class_only(seeded, deck):
    """Not for every learner: a learner outside the demo class does not see them; the demo learners do."""
    from studyapp.models import Class, ClassMember, Quiz
    from studyapp.services import quiz as quiz_service

    from support import make_user

    klass = db.session.scalar(select(Class).where(Class.is_default.is_(True)))
    quizzes = db.session.scalars(select(Quiz).where(Quiz.title.in_(demo.QUIZ_TITLES))).all()
    assert len(quizzes) == 2 and all(q.published and q.class_id == klass.id for q in quizzes)
    assert deck in klass.decks
    demo_learner = db.session.scalar(select(User).join(ClassMember, ClassMember.user_id == User.id)
                                     .where(ClassMember.class_id == klass.id).limit(1))
    assert {r.quiz.title for r in quiz_service.published_quizzes(db.session, demo_learner)} == set(demo.QUIZ_TITLES)
    outsider = make_user("outsider")
    assert quiz_service.published_quizzes(db.session, outsider) == []


def test_quiz_attempts_are_scored_from_their_answers_and_feed_the_schedule(seeded):
    attempts = db.session.scalars(select(QuizAttempt)).all()
    assert attempts, "some demo learners take the class quizzes"
    for attempt in attempts:
        answers = db.session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id)).all()
        assert attempt.total == len(answers) == len(attempt.questions)
        assert attempt.score == sum(a.correct for a in answers)
        assert attempt.finished_at is not None and attempt.quiz.published
        for a in answers:
            assert a.verdict == ("correct" if a.correct else "wrong")
            assert a.card_id == attempt.questions[a.position - 1]["card_db_id"]
    quiz_logs = db.session.scalar(select(func.count()).where(ReviewLog.source == "quiz"))
    assert quiz_logs == db.session.scalar(select(func.count()).select_from(QuizAnswer))


def test_same_seed_same_class(deck):
    first = demo.seed_demo(db.session, deck, 3, 10, NOW, seed=11)
    before = db.session.execute(select(ReviewLog.user_id, ReviewLog.card_id, ReviewLog.rating,
                                       ReviewLog.reviewed_at).order_by(ReviewLog.id)).all()
    again = demo.seed_demo(db.session, deck, 3, 10, NOW, seed=11, replace=True)
    after = db.session.execute(select(ReviewLog.user_id, ReviewLog.card_id, ReviewLog.rating,
                                      ReviewLog.reviewed_at).order_by(ReviewLog.id)).all()
    assert again.removed == 3 and first.answers == again.answers
    ids = {old: new for old, new in zip(sorted({r[0] for r in before}), sorted({r[0] for r in after}))}
    assert [(ids[u], c, r, t) for u, c, r, t in before] == list(after)


def test_command_refuses_to_seed_twice_without_replace(runner, deck):
    first = runner.invoke(args=["seed-demo", "--learners", "3", "--days", "5", "--jobs", "1"])
    assert first.exit_code == 0, first.output
    assert "Seeded 3 demo learners" in first.output and "demo-learner-0001" in first.output
    second = runner.invoke(args=["seed-demo", "--learners", "2", "--days", "5"])
    assert second.exit_code != 0 and "3 demo learners already exist" in second.output and "--replace" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 3
    third = runner.invoke(args=["seed-demo", "--learners", "2", "--days", "5", "--replace", "--jobs", "1"])
    assert third.exit_code == 0 and "Removed 3 earlier demo learners" in third.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 2


def test_command_explains_a_missing_deck(runner, app):
    result = runner.invoke(args=["seed-demo", "--learners", "1", "--days", "1"])
    assert result.exit_code != 0 and "flask load-cards" in result.output
    result = runner.invoke(args=["seed-demo", "--deck", "42"])
    assert result.exit_code != 0 and "no deck with id 42" in result.output


def test_the_progress_pages_work_on_a_seeded_class(client, auth, seeded, instructor):
    auth.login("teacher")
    html = client.get("/instructor/progress").get_data(as_text=True)
    assert html.count("demo-learner-") >= 6
    assert auth.logout().status_code == 302
    auth.login("demo-learner-0001", demo.PASSWORD)
    assert client.get("/progress").status_code == 200
