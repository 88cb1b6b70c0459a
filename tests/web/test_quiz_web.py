"""Quizzes through the pages: start, one question per page, feedback, result, retry, publish, CLI."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Card, CardState, Quiz, QuizAnswer, QuizAttempt, ReviewLog, Section

from payloads import XSS_PAYLOADS, unsafe_markup
from support import post

QUIZ_JS = {"/static/js/quiz.js"}  # the question page's own script (keyboard); nothing else may run

QUIZ = "/quiz/"


def start_quiz(client, deck, **fields):
    data = {"scope": f"deck-{deck.id}", "length": "10",
            "types": ["multiple_choice", "true_false", "typed", "who_said", "reason"]}
    data.update(fields)
    return post(client, QUIZ, data, token_from=QUIZ)


def latest_attempt():
    return db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()).limit(1))


def right(q):
    return q["answer"]


def wrong(q):
    if q["type"] == "typed":
        return "zzz not it"
    return next(o for o in q["options"] if o != q["answer"])


def answer(client, attempt_id, n, given, **kwargs):
    path = f"/quiz/attempt/{attempt_id}/q/{n}"
    return post(client, path, {"given": given}, token_from=path, **kwargs)


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_quiz_pages_need_a_login(client):
    response = client.get(QUIZ)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_start_page_offers_decks_sections_lengths_and_types(client, auth, deck, learner):
    auth.login()
    html = client.get(QUIZ).get_data(as_text=True)
    assert f'value="deck-{deck.id}"' in html
    section = deck.sections[0]
    assert f'value="section-{section.id}"' in html
    for value in ("10", "20", "all"):
        assert f'value="{value}"' in html
    for label in ("Multiple choice", "True or false", "Typed answer", "Who said it", "Reason"):
        assert label in html
    assert "Publish for a class" not in html and "/instructor/generate/" not in html  # instructors only


def test_take_a_quiz_question_by_question(client, auth, deck, learner):
    auth.login()
    response = start_quiz(client, deck)
    attempt = latest_attempt()
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/quiz/attempt/{attempt.id}/q/1")
    assert attempt.total == 10 and attempt.user_id == learner.id
    page = client.get(f"/quiz/attempt/{attempt.id}/q/1").get_data(as_text=True)
    q = attempt.questions[0]
    assert "Question 1 of 10" in page
    if q["type"] == "typed":
        assert re.search(r'<input[^>]*name="given"[^>]*type="text"', page)
    else:
        assert page.count('type="radio"') == len(q["options"])
    response = answer(client, attempt.id, 1, wrong(q))
    assert response.status_code == 302
    feedback = client.get(f"/quiz/attempt/{attempt.id}/q/1").get_data(as_text=True)
    assert "Wrong." in feedback and "The right answer" in feedback and "Next" in feedback
    assert f"/quiz/attempt/{attempt.id}/q/2" in feedback
    saved = db.session.scalar(select(QuizAnswer))
    assert (saved.position, saved.correct, saved.rating) == (1, False, 1)
    log = db.session.scalar(select(ReviewLog))
    assert (log.source, log.rating, log.card_id) == ("quiz", 1, q["card_db_id"])


def test_explanation_and_guide_link_in_the_feedback(client, auth, deck, learner):
    auth.login()
    start_quiz(client, deck, types=["multiple_choice"])
    attempt = latest_attempt()
    q = attempt.questions[0]
    answer(client, attempt.id, 1, right(q))
    page = client.get(f"/quiz/attempt/{attempt.id}/q/1").get_data(as_text=True)
    card = db.session.get(Card, q["card_db_id"])
    assert "Right." in page
    assert card.explanation.split()[0] in page
    assert f"/study/{deck.id}/guide/{card.section.slug}" in page


def test_a_repeated_answer_is_stored_once_with_a_friendly_message(client, auth, deck, learner):
    auth.login()
    start_quiz(client, deck)
    attempt = latest_attempt()
    q = attempt.questions[0]
    path = f"/quiz/attempt/{attempt.id}/q/1"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True))[1]
    first = client.post(path, data={"given": right(q), "csrf_token": token})
    second = client.post(path, data={"given": wrong(q), "csrf_token": token}, follow_redirects=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already answered this question" in second.get_data(as_text=True)
    assert count(QuizAnswer) == 1 and count(ReviewLog) == 1
    assert db.session.scalar(select(QuizAnswer.given)) == right(q)


def test_an_unreadable_answer_is_refused_and_stores_nothing(client, auth, deck, learner):
    auth.login()
    start_quiz(client, deck, types=["multiple_choice"])
    attempt = latest_attempt()
    n = next(i for i, q in enumerate(attempt.questions, 1) if q["type"] == "multiple_choice")
    for given in ("", "not one of the options"):
        response = answer(client, attempt.id, n, given)
        assert response.status_code == 400
        assert "Choose one of the answers." in response.get_data(as_text=True)
    assert count(QuizAnswer) == 0 and count(ReviewLog) == 0 and count(CardState) == 0


def test_typed_near_miss_says_almost(client, auth, deck, learner):
    auth.login()
    start_quiz(client, deck, types=["typed"], length="all")
    attempt = latest_attempt()
    # a one-word answer typed with a slip (its last letter doubled)
    n, q = next((i, q) for i, q in enumerate(attempt.questions, 1)
                if q["answer"].isalpha() and len(q["answer"]) >= 5 and not q["accepted"])
    answer(client, attempt.id, n, q["answer"] + q["answer"][-1])
    page = client.get(f"/quiz/attempt/{attempt.id}/q/{n}").get_data(as_text=True)
    assert "Almost: check the spelling." in page
    assert db.session.scalar(select(ReviewLog.rating)) == 2


def test_other_learners_get_404_for_an_attempt(client, auth, deck, learner, other_learner):
    auth.login()
    start_quiz(client, deck)
    attempt = latest_attempt()
    auth.logout()
    auth.login("bob")
    base = f"/quiz/attempt/{attempt.id}"
    for path in (f"{base}/q/1", f"{base}/result", base, f"/quiz/{attempt.quiz_id}"):
        assert client.get(path).status_code == 404, path
    assert answer(client, attempt.id, 1, right(attempt.questions[0])).status_code == 404
    assert post(client, f"{base}/retry", token_from=QUIZ).status_code == 404
    assert count(QuizAnswer) == 0


def test_result_page_scores_and_retry_takes_only_the_missed(client, auth, deck, learner):
    auth.login()
    start_quiz(client, deck, length="10")
    attempt = latest_attempt()
    early = client.get(f"/quiz/attempt/{attempt.id}/result")
    assert early.status_code == 302 and early.headers["Location"].endswith("/q/1")
    for n, q in enumerate(attempt.questions, 1):
        answer(client, attempt.id, n, wrong(q) if n in (2, 5) else right(q))
    last = client.get(f"/quiz/attempt/{attempt.id}/q/10").get_data(as_text=True)
    assert "See your score" in last
    page = client.get(f"/quiz/attempt/{attempt.id}/result").get_data(as_text=True)
    assert "8 / 10" in page and "80%" in page
    assert page.count("<strong>wrong</strong>") == 2 and page.count("<strong>right</strong>") == 8
    assert "Retry the ones I missed" in page and "/study/" in page and "/guide/" in page
    missed = [attempt.questions[1], attempt.questions[4]]
    response = post(client, f"/quiz/attempt/{attempt.id}/retry", token_from=QUIZ)
    retry = latest_attempt()
    assert response.headers["Location"].endswith(f"/quiz/attempt/{retry.id}/q/1")
    assert retry.retry_of == attempt.id and retry.questions == missed
    history = client.get(QUIZ).get_data(as_text=True)
    assert "8 / 10 (80%)" in history and "retry" in history and "Continue" in history


def test_instructor_publishes_a_quiz_the_class_can_take(client, auth, deck, learner, other_learner, instructor):
    auth.login("teacher")
    assert "/instructor/generate/" in client.get(QUIZ).get_data(as_text=True)
    response = start_quiz(client, deck, publish="y", title="Week 1 check")
    quiz = db.session.scalar(select(Quiz))
    assert quiz.published and quiz.title == "Week 1 check"
    assert response.headers["Location"].endswith(f"/quiz/{quiz.id}")
    page = client.get(f"/quiz/{quiz.id}").get_data(as_text=True)
    assert f"http://localhost/quiz/{quiz.id}" in page and "Start the quiz" in page
    auth.logout()
    taken = []
    for name in ("alice", "bob"):
        auth.login(name)
        listing = client.get(QUIZ).get_data(as_text=True)
        assert "Week 1 check" in listing and "not taken" in listing
        response = post(client, f"/quiz/{quiz.id}/start", token_from=QUIZ)
        attempt = latest_attempt()
        assert response.headers["Location"].endswith(f"/quiz/attempt/{attempt.id}/q/1")
        for n, q in enumerate(attempt.questions, 1):
            answer(client, attempt.id, n, right(q))
        taken.append(attempt.questions)
        assert "10 / 10 (100%)" in client.get(QUIZ).get_data(as_text=True)
        auth.logout()
    assert taken[0] == taken[1]


def test_a_learner_cannot_publish(client, auth, deck, learner, other_learner):
    auth.login()
    start_quiz(client, deck, publish="y")
    quiz = db.session.scalar(select(Quiz))
    assert not quiz.published
    auth.logout()
    auth.login("bob")
    assert client.get(f"/quiz/{quiz.id}").status_code == 404
    assert "No quiz has been published" in client.get(QUIZ).get_data(as_text=True)


def test_bad_start_form_shows_errors(client, auth, deck, learner):
    auth.login()
    response = post(client, QUIZ, {"scope": f"deck-{deck.id}", "length": "10"}, token_from=QUIZ)
    assert response.status_code == 400 and "Tick at least one question type." in response.get_data(as_text=True)
    response = post(client, QUIZ, {"scope": "deck-999", "length": "10", "types": ["typed"]}, token_from=QUIZ)
    assert response.status_code == 400
    assert count(Quiz) == 0


def test_a_section_without_cards_says_so(client, auth, deck, learner):
    auth.login()
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == "history"))
    for card in db.session.scalars(select(Card).where(Card.section_id == section.id)):
        card.status = "retired"
    db.session.commit()
    response = start_quiz(client, deck, scope=f"section-{section.id}")
    assert response.status_code == 422 and "these cards can make 0" in response.get_data(as_text=True)


def test_xss_in_card_fields_stays_inert_on_quiz_pages(client, auth, deck, learner):
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == "history"))
    cards = db.session.scalars(select(Card).where(Card.section_id == section.id).order_by(Card.position)).all()
    for card, payload in zip(cards, XSS_PAYLOADS, strict=False):
        card.type, card.cloze_ord = "basic", None
        card.note_key = card.fact_key = card.key  # one note and one fact each: every card can be asked
        card.prompt = f"Why {payload}?"
        card.answer = f"{payload} answer"  # not in the prompt: a stem never gives its answer away
        card.explanation = payload
        card.speaker = payload
        card.distractors = [f"{payload} one", f"{payload} two", f"{payload} three"]
    db.session.commit()
    auth.login()
    start_quiz(client, deck, scope=f"section-{section.id}", length="all")
    attempt = latest_attempt()
    for n, q in enumerate(attempt.questions, 1):
        html = client.get(f"/quiz/attempt/{attempt.id}/q/{n}").get_data(as_text=True)
        assert unsafe_markup(html, QUIZ_JS) == [], (n, q["type"])
        answer(client, attempt.id, n, wrong(q) if n % 2 else right(q))
        html = client.get(f"/quiz/attempt/{attempt.id}/q/{n}").get_data(as_text=True)
        assert unsafe_markup(html, QUIZ_JS) == [], (n, q["type"])
    html = client.get(f"/quiz/attempt/{attempt.id}/result").get_data(as_text=True)
    assert unsafe_markup(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, not dropped


def test_xss_in_a_published_quiz_title_stays_inert(client, auth, deck, learner, instructor):
    auth.login("teacher")
    start_quiz(client, deck, publish="y", title=XSS_PAYLOADS[1])
    quiz = db.session.scalar(select(Quiz))
    for path in (QUIZ, f"/quiz/{quiz.id}"):
        html = client.get(path).get_data(as_text=True)
        assert unsafe_markup(html) == [] and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_make_quiz_cli_is_reproducible(runner, deck):
    first = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "5", "--count", "8", "--format", "json"])
    second = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "5", "--count", "8", "--format", "json"])
    other = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "6", "--count", "8"])
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout and first.stdout != other.stdout
    questions = json.loads(first.stdout)
    assert len(questions) == 8
    keys = {c.key: c.id for c in db.session.scalars(select(Card).where(Card.deck_id == deck.id))}
    for q in questions:
        assert {"type", "prompt", "answer", "card_id", "card_db_id", "options"} <= set(q)
        assert keys[q["card_id"]] == q["card_db_id"]
        if q["type"] in ("multiple_choice", "who_said", "reason"):
            assert len(set(q["options"])) == 4 and q["answer"] in q["options"]


def test_make_quiz_cli_options(runner, deck):
    everything = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "1", "--count", "0"])
    questions = json.loads(everything.stdout)
    cards = {c.key: c for c in db.session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == "active"))}
    facts = [cards[q["card_id"]].fact_key for q in questions]
    assert len(facts) == len(set(facts)) >= 0.8 * len({c.fact_key for c in cards.values()})  # one per fact
    typed = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "1", "--count", "0", "--types", "typed",
                               "--section", "history"])
    assert typed.exit_code == 0, typed.output
    assert {q["type"] for q in json.loads(typed.stdout)} == {"typed"}
    assert {q["section"] for q in json.loads(typed.stdout)} == {"history"}
    assert runner.invoke(args=["make-quiz", "999", "--seed", "1"]).exit_code != 0
    assert runner.invoke(args=["make-quiz", str(deck.id), "--types", "essay"]).exit_code != 0
    fresh = runner.invoke(args=["make-quiz", str(deck.id)])
    assert fresh.exit_code == 0 and "seed:" in fresh.stderr


@pytest.mark.parametrize("qtype", ["multiple_choice", "true_false", "typed", "who_said", "reason"])
def test_make_quiz_cli_gives_only_the_type_asked_or_exits_saying_why(runner, deck, qtype):
    result = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "2", "--count", "5", "--types", qtype])
    assert result.exit_code == 0, result.output
    assert [q["type"] for q in json.loads(result.stdout)] == [qtype] * 5
    too_many = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "2", "--count", "500", "--types", qtype])
    assert too_many.exit_code != 0 and too_many.stdout.strip() == ""
    assert "You asked for 500" in too_many.output and "these cards can make" in too_many.output


def test_the_result_page_says_what_the_answers_did_to_the_schedule(client, auth, deck, learner):
    deck.new_per_day = 2
    db.session.commit()
    auth.login()
    start_quiz(client, deck, types=["true_false"], length="10")
    attempt = latest_attempt()
    for n, q in enumerate(attempt.questions, 1):
        answer(client, attempt.id, n, q["answer"])
    last = client.get(f"/quiz/attempt/{attempt.id}/q/{len(attempt.questions)}").get_data(as_text=True)
    assert "today's new-card limit for this deck is reached" in last
    page = client.get(f"/quiz/attempt/{attempt.id}/result").get_data(as_text=True)
    assert ("2 answers updated your review schedule; 8 cards you have not studied yet were not added to it "
            "(today&#39;s new-card limit).") in page
    assert count(CardState) == 2 and count(QuizAnswer) == 10


def test_a_shorter_quiz_than_asked_says_so(client, auth, deck, learner):
    auth.login()
    data = {"scope": f"deck-{deck.id}", "length": "20", "types": ["reason"]}
    response = post(client, QUIZ, data, token_from=QUIZ, follow_redirects=True)
    attempt = latest_attempt()
    assert 0 < len(attempt.questions) < 20 and {q["type"] for q in attempt.questions} == {"reason"}
    assert (f"You asked for 20 reason questions; these cards can make {len(attempt.questions)} (one per fact)."
            in response.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/quiz/999", "/quiz/attempt/999/q/1", "/quiz/attempt/999/result"])
def test_missing_quiz_pages_are_404(client, auth, learner, path):
    auth.login()
    assert client.get(path).status_code == 404
