"""Quiz service: frozen, reproducible questions; answers graded once and fed to the schedule."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.domain import scheduler
from studyapp.domain.quizgen import CHOICE_TYPES, QUESTION_TYPES
from studyapp.extensions import db
from studyapp.models import Card, CardState, QuizAnswer, QuizAttempt, ReviewLog, Section
from studyapp.services import quiz as quizzes
from studyapp.services import study

from support import NOW


def settings(deck):
    return study.settings_for(deck)


def start(user, deck, *, types=None, length=10, seed=7, section=None, published=False):
    quiz = quizzes.create_quiz(db.session, user, deck, NOW, section=section, length=length, types=types,
                               seed=seed, published=published)
    attempt = quizzes.start_attempt(db.session, user, quiz, NOW)
    db.session.commit()
    return quiz, attempt


def wrong_option(question):
    """An answer that is wrong for any question type."""
    if question["type"] == "typed":
        return "zzz not the answer"
    return next(o for o in question["options"] if o != question["answer"])


def first_of_type(attempt, qtype="multiple_choice"):
    return next(q for q in attempt.questions if q["type"] == qtype)


def answer(user, deck, attempt, n, given, when=NOW):
    result = quizzes.answer_question(db.session, user, attempt, n, given, when, settings=settings(deck), fuzz=False)
    db.session.commit()
    return result


def put_in_review(user, card, when=NOW):
    """The card as a learner knows it: in review, last seen 10 days ago, due now."""
    state = CardState(user_id=user.id, card_id=card.id, state=2, step=None, stability=12.0, difficulty=5.0,
                      due=when, last_review=when - timedelta(days=10), reps=4, lapses=0, suspended=False, version=4)
    db.session.add(state)
    db.session.commit()
    return state


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 42, 1234])
def test_every_choice_question_has_four_distinct_options_with_the_answer(deck, seed):
    questions = quizzes.build_questions(db.session, deck, None, seed, None, None)
    facts = {card.fact_key for card in db.session.scalars(select(Card).where(Card.deck_id == deck.id))}
    assert len(questions) >= 0.9 * len(facts)  # one per fact of the article deck, nearly every fact
    choice = [q for q in questions if q["type"] in CHOICE_TYPES]
    assert choice
    for q in choice:
        assert len(q["options"]) == 4, q
        assert len({o.casefold() for o in q["options"]}) == 4, q
        assert q["answer"] in q["options"]
    for q in questions:
        assert q["type"] in QUESTION_TYPES
        card = db.session.get(Card, q["card_db_id"])
        assert card.key == q["card_id"] and card.deck_id == deck.id


def test_the_same_seed_gives_the_same_questions(deck, learner):
    first = quizzes.build_questions(db.session, deck, None, 99, 20, None)
    assert first == quizzes.build_questions(db.session, deck, None, 99, 20, None)
    assert first != quizzes.build_questions(db.session, deck, None, 100, 20, None)
    quiz, attempt = start(learner, deck, seed=99, length=20)
    assert attempt.questions == first and attempt.total == 20
    assert quiz.seed == 99 and quiz.length == 20


def test_a_fresh_quiz_draws_its_seed_at_random(deck, learner):
    seeds = {quizzes.create_quiz(db.session, learner, deck, NOW).seed for _ in range(3)}
    assert len(seeds) > 1


def test_section_quiz_asks_only_about_that_section(deck, learner):
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == "history"))
    _, attempt = start(learner, deck, section=section, length=None)
    facts = db.session.scalar(select(func.count(func.distinct(Card.fact_key))).where(
        Card.section_id == section.id, Card.status == "active"))
    assert 0 < len(attempt.questions) <= facts
    assert len({db.session.get(Card, q["card_db_id"]).fact_key for q in attempt.questions}) == len(attempt.questions)
    assert {q["section"] for q in attempt.questions} == {"history"}


def test_only_the_chosen_question_types_are_asked(deck, learner):
    _, attempt = start(learner, deck, types=["typed", "true_false"], length=None)
    assert {q["type"] for q in attempt.questions} == {"typed", "true_false"}
    for qtype in QUESTION_TYPES:
        _, attempt = start(learner, deck, types=[qtype], length=10, seed=5)
        assert {q["type"] for q in attempt.questions} == {qtype}, qtype


def test_asking_for_more_of_a_type_than_the_deck_can_make_says_how_many(deck, learner):
    build = quizzes.plan_questions(db.session, deck, None, 1, 500, ["who_said"])
    assert build.short and {q.type for q in build.questions} == {"who_said"}
    can = len(build.questions)
    assert 0 < can <= build.capacity["who_said"] < 500
    assert build.message == f"You asked for 500 who-said questions; these cards can make {can} (one per fact)."
    notices = []
    quiz = quizzes.create_quiz(db.session, learner, deck, NOW, length=500, types=["who_said"], seed=1,
                               notices=notices)
    assert notices == [build.message] and quiz.length == 500
    assert quizzes.plan_questions(db.session, deck, None, 1, can, ["who_said"]).message is None


def test_a_quiz_never_asks_two_cards_of_one_fact_or_note(deck, learner):
    for seed in range(5):
        questions = quizzes.build_questions(db.session, deck, None, seed, None, None)
        cards = [db.session.get(Card, q["card_db_id"]) for q in questions]
        assert len({c.fact_key for c in cards}) == len({c.note_key for c in cards}) == len(cards)


def test_no_questions_is_an_error_not_an_empty_quiz(deck, learner):
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == "history"))
    for card in db.session.scalars(select(Card).where(Card.section_id == section.id)):
        card.status = "retired"
    with pytest.raises(quizzes.NoQuestions) as excinfo:
        quizzes.create_quiz(db.session, learner, deck, NOW, section=section)
    assert "can make 0" in str(excinfo.value)


def test_published_quiz_gives_two_learners_the_same_questions(deck, learner, other_learner, instructor):
    quiz = quizzes.create_quiz(db.session, instructor, deck, NOW, length=10, published=True)
    db.session.commit()
    first = quizzes.start_attempt(db.session, learner, quiz, NOW)
    # the deck changes after the first attempt: the class still gets one question list
    db.session.get(Card, first.questions[0]["card_db_id"]).status = "retired"
    second = quizzes.start_attempt(db.session, other_learner, quiz, NOW + timedelta(hours=1))
    db.session.commit()
    assert first.questions == second.questions
    assert [q["card_id"] for q in first.questions] == [q["card_id"] for q in second.questions]


def test_published_quiz_regenerates_from_its_seed(deck, learner, instructor):
    quiz = quizzes.create_quiz(db.session, instructor, deck, NOW, length=10, published=True)
    expected = quizzes.build_questions(db.session, deck, None, quiz.seed, 10, quiz.types)
    assert quizzes.start_attempt(db.session, learner, quiz, NOW).questions == expected


def test_wrong_answer_on_a_review_card_is_a_lapse(deck, learner):
    _, attempt = start(learner, deck, types=["multiple_choice"])
    q = attempt.questions[0]
    card = db.session.get(Card, q["card_db_id"])
    put_in_review(learner, card)
    saved = answer(learner, deck, attempt, 1, wrong_option(q))
    assert (saved.correct, saved.verdict, saved.rating) == (False, "wrong", 1)
    state = db.session.scalar(select(CardState).where(CardState.user_id == learner.id, CardState.card_id == card.id))
    assert state.lapses == 1 and state.state == 3 and state.version == 5
    assert NOW < state.due <= NOW + timedelta(minutes=10)
    log = db.session.get(ReviewLog, saved.review_log_id)
    assert (log.source, log.rating, log.state_before, log.state_after, log.shown_version) == ("quiz", 1, 2, 3, 4)


def test_right_recognition_counts_as_hard_and_grows_the_interval_less_than_recall(deck, learner):
    _, attempt = start(learner, deck, types=["multiple_choice"])
    q = first_of_type(attempt)
    card = db.session.get(Card, q["card_db_id"])
    before = study.memory_of(put_in_review(learner, card))
    outcomes = scheduler.next_states(before, NOW, settings(deck))
    saved = answer(learner, deck, attempt, attempt.questions.index(q) + 1, q["answer"])
    assert (saved.correct, saved.rating) == (True, 2)
    state = db.session.scalar(select(CardState).where(CardState.user_id == learner.id, CardState.card_id == card.id))
    assert state.due == outcomes[scheduler.Rating.HARD].memory.due
    assert state.due - NOW < outcomes[scheduler.Rating.GOOD].interval  # what a right typed answer gives
    assert db.session.get(ReviewLog, saved.review_log_id).rating == 2


def test_typed_answers_right_and_blank(deck, learner):
    _, attempt = start(learner, deck, types=["typed"], length=2)
    q1, _ = attempt.questions
    assert answer(learner, deck, attempt, 1, q1["answer"]).rating == 3
    blank = answer(learner, deck, attempt, 2, "")
    assert (blank.verdict, blank.rating) == ("wrong", 1)
    assert db.session.scalars(select(ReviewLog.rating).order_by(ReviewLog.id)).all() == [3, 1]


def test_a_near_miss_is_hard(deck, learner):
    quiz = quizzes.create_quiz(db.session, learner, deck, NOW, types=["typed"], length=None, seed=3)
    attempt = quizzes.start_attempt(db.session, learner, quiz, NOW)
    # a one-word answer typed with a slip (its last letter doubled) is a near miss
    n, q = next((i, q) for i, q in enumerate(attempt.questions, 1)
                if q["answer"].isalpha() and len(q["answer"]) >= 5 and not q["accepted"])
    saved = answer(learner, deck, attempt, n, q["answer"] + q["answer"][-1])
    assert (saved.verdict, saved.correct, saved.rating) == ("near", False, 2)


def test_a_new_card_answered_in_a_quiz_becomes_a_learning_card(deck, learner):
    _, attempt = start(learner, deck, types=["true_false"])
    q = attempt.questions[0]
    answer(learner, deck, attempt, 1, q["answer"])
    state = db.session.scalar(select(CardState).where(CardState.card_id == q["card_db_id"]))
    assert state.state == 1 and state.reps == 1


def test_a_second_answer_to_one_question_is_refused(deck, learner):
    _, attempt = start(learner, deck)
    q = attempt.questions[0]
    answer(learner, deck, attempt, 1, q["answer"])
    with pytest.raises(quizzes.AlreadyAnswered):
        answer(learner, deck, attempt, 1, "something else")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 1
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_quiz_answer_keeps_the_study_queue_working(deck, learner):
    _, attempt = start(learner, deck, types=["multiple_choice"])
    q = attempt.questions[0]
    answer(learner, deck, attempt, 1, wrong_option(q))
    later = study.next_showing(db.session, learner, deck, NOW + timedelta(minutes=11))
    assert later.card.id == q["card_db_id"] and later.queue == "learning"
    # a study answer after the quiz answer names the new version and is accepted
    study.record_answer(db.session, learner, later.card, 3, later.version, NOW + timedelta(minutes=11),
                        settings=settings(deck), fuzz=False)
    db.session.commit()
    assert db.session.scalars(select(ReviewLog.source).order_by(ReviewLog.id)).all() == ["quiz", "study"]


def test_score_finish_and_retry_of_the_missed(deck, learner):
    _, attempt = start(learner, deck, length=4, types=["multiple_choice", "who_said", "reason"])
    for n, q in enumerate(attempt.questions, 1):
        answer(learner, deck, attempt, n, q["answer"] if n % 2 else wrong_option(q))
    assert attempt.finished_at == NOW and (attempt.score, attempt.total) == (2, 4)
    retry = quizzes.retry_missed(db.session, learner, attempt, NOW)
    db.session.commit()
    assert retry.retry_of == attempt.id and retry.questions == [attempt.questions[1], attempt.questions[3]]
    for n, q in enumerate(retry.questions, 1):
        answer(learner, deck, retry, n, q["answer"], NOW + timedelta(minutes=20))
    assert quizzes.retry_missed(db.session, learner, retry, NOW) is None


def test_best_score_of_published_quizzes(deck, learner, instructor):
    quiz = quizzes.create_quiz(db.session, instructor, deck, NOW, length=2, published=True,
                               types=["multiple_choice"])
    scores = []
    for right in (1, 2):
        attempt = quizzes.start_attempt(db.session, learner, quiz, NOW)
        for n, q in enumerate(attempt.questions, 1):
            answer(learner, deck, attempt, n, q["answer"] if n <= right else wrong_option(q),
                   NOW + timedelta(days=right))
        scores.append(attempt.score)
    (row,) = quizzes.published_quizzes(db.session, learner)
    assert scores == [1, 2] and row.best.score == 2 and row.best_percent == 100 and row.attempts == 2
    assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 2


def test_attempts_belong_to_their_learner(deck, learner, other_learner):
    _, attempt = start(learner, deck)
    assert quizzes.own_attempt(db.session, other_learner, attempt.id) is None
    with pytest.raises(PermissionError):
        quizzes.answer_question(db.session, other_learner, attempt, 1, "x", NOW, settings=settings(deck))
    assert quizzes.visible_quiz(db.session, other_learner, attempt.quiz_id) is None


def test_the_unique_constraint_refuses_a_twin_the_check_missed(deck, learner, monkeypatch):
    _, attempt = start(learner, deck)
    q = attempt.questions[0]
    answer(learner, deck, attempt, 1, q["answer"])
    monkeypatch.setattr(quizzes, "answer_for", lambda attempt, position: None)  # as if sent at the same moment
    with pytest.raises(quizzes.AlreadyAnswered):
        quizzes.answer_question(db.session, learner, attempt, 1, wrong_option(q), NOW, settings=settings(deck))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == 1
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
    assert db.session.scalar(select(CardState.version).where(CardState.card_id == q["card_db_id"])) == 1


def test_a_cloze_notes_category_and_distractors_belong_to_its_first_deletion(app):
    from studyapp.models import Card as CardModel
    from studyapp.services.quiz import quiz_card

    first = CardModel(key="n.c1", note_key="n", cloze_ord=1, kind="fact", type="cloze",
                      prompt="Written by {{c1::Michael Peck}}, a {{c2::defence}} writer.", answer="Michael Peck",
                      category="person", distractors=["Mark Cozad"], fact_key="n", tags="")
    second = CardModel(key="n.c2", note_key="n", cloze_ord=2, kind="fact", type="cloze", prompt=first.prompt,
                       answer="defence", category="person", distractors=["Mark Cozad"], fact_key="n", tags="")
    assert quiz_card(first).category == "person" and quiz_card(first).distractors == ("Mark Cozad",)
    assert quiz_card(second).category is None and quiz_card(second).distractors == ()
    assert quiz_card(second).prompt == "Written by Michael Peck, a […] writer."


def test_quiz_answers_respect_the_new_card_limit_and_say_what_they_did(deck, learner):
    deck.new_per_day = 3
    db.session.commit()
    _, attempt = start(learner, deck, types=["true_false"], length=6)
    reviewed = db.session.get(Card, attempt.questions[5]["card_db_id"])
    put_in_review(learner, reviewed)  # a card the learner already studies
    for n, q in enumerate(attempt.questions, 1):
        answer(learner, deck, attempt, n, q["answer"] if n % 2 else "wrong")
    scheduled = [a for a in attempt.answers if a.review_log_id is not None]
    held = [a for a in attempt.answers if a.review_log_id is None]
    # three never-studied cards fill today's allowance, the other two stay new; the known card is updated
    assert [a.position for a in scheduled] == [1, 2, 3, 6] and [a.position for a in held] == [4, 5]
    states = db.session.scalars(select(CardState).where(CardState.user_id == learner.id)).all()
    assert {s.card_id for s in states} == {attempt.questions[i]["card_db_id"] for i in (0, 1, 2, 5)}
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 4
    assert all(a.verdict in ("correct", "wrong") for a in held) and attempt.finished_at == NOW
    effect = quizzes.schedule_effect(db.session, attempt)
    assert (effect.updated, effect.held_back) == (4, 2)
    assert effect.message.startswith("4 answers updated your review schedule; 2 cards you have not studied yet "
                                     "were not added to it (today's new-card limit).")
    # study shows no more new cards today: the quiz used the allowance
    assert study.deck_counts(db.session, learner, deck, NOW).new == 0
    # tomorrow the allowance is back and a quiz answer brings a held-back card in
    tomorrow = NOW + timedelta(days=1)
    assert quizzes.new_cards_left(db.session, learner, deck, tomorrow) == 3
    again = quizzes.retry_missed(db.session, learner, attempt, tomorrow)
    db.session.commit()
    n = next(i for i, q in enumerate(again.questions, 1) if q["card_db_id"] == attempt.questions[3]["card_db_id"])
    assert answer(learner, deck, again, n, again.questions[n - 1]["answer"], tomorrow).review_log_id is not None


def test_new_cards_studied_today_count_against_the_quiz(deck, learner):
    deck.new_per_day = 2
    db.session.commit()
    _, attempt = start(learner, deck, types=["typed"], length=3)
    for _ in range(2):  # two new cards studied first fill the allowance
        showing = study.next_showing(db.session, learner, deck, NOW)
        assert showing.queue == "new"
        study.record_answer(db.session, learner, showing.card, 3, showing.version, NOW, settings=settings(deck),
                            fuzz=False)
        db.session.commit()
    fresh = [n for n, q in enumerate(attempt.questions, 1)
             if quizzes.current_version(db.session, learner, db.session.get(Card, q["card_db_id"])) == 0]
    assert fresh
    for n in fresh:
        assert answer(learner, deck, attempt, n, "zzz").review_log_id is None
    assert quizzes.schedule_effect(db.session, attempt).held_back == len(fresh)
    assert quizzes.held_back(db.session, attempt) == set(fresh)
