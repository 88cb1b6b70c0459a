"""A published quiz on paper: the instructor prints the questions every learner gets, in their order, with an
answer key on its own page; learners cannot print the key."""
from __future__ import annotations

import html as htmllib
import re

from markupsafe import escape
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import Quiz, QuizAttempt

from support import post

QUIZ = "/quiz/"
TYPES = ["multiple_choice", "true_false", "typed", "who_said", "reason"]


def publish(client, deck):
    post(client, QUIZ, {"scope": f"deck-{deck.id}", "length": "20", "types": TYPES, "publish": "y",
                        "title": "Week 2 check"}, token_from=QUIZ)
    return db.session.scalar(select(Quiz))


def printed(page: str) -> tuple[list[str], list[str]]:
    questions = re.findall(r'<li class="paper-question" data-type="(\w+)">', page)
    key_block = page[page.index('class="answer-key"'):]
    key = [htmllib.unescape(re.sub(r"<[^>]+>", "", item)).strip()
           for item in re.findall(r"<li>(.*?)</li>", key_block, re.S)]
    return questions, key


def test_the_printed_quiz_is_the_one_learners_take_with_a_matching_key(client, auth, deck, learner, instructor):
    auth.login("teacher")
    quiz = publish(client, deck)
    show = client.get(f"/quiz/{quiz.id}").get_data(as_text=True)
    assert f'href="/quiz/{quiz.id}/print"' in show
    page = client.get(f"/quiz/{quiz.id}/print").get_data(as_text=True)
    types, key = printed(page)
    assert len(types) == len(key) == 20
    auth.logout()
    auth.login()
    post(client, f"/quiz/{quiz.id}/start", token_from=QUIZ)
    attempt = db.session.scalar(select(QuizAttempt))
    assert [q["type"] for q in attempt.questions] == types
    for q, line in zip(attempt.questions, key, strict=True):
        if q["type"] in ("multiple_choice", "who_said", "reason"):
            letter = "ABCD"[q["options"].index(q["answer"])]
            assert line.startswith(f"{letter}: {q['answer']}")
            for option in q["options"]:
                assert f"<li>{escape(option)}</li>" in page
        else:
            assert line.startswith(q["answer"])
    assert page.count('class="blank long"') == types.count("typed")
    assert client.get(f"/quiz/{quiz.id}/print").status_code == 403     # a learner may not print the key
    assert f'href="/quiz/{quiz.id}/print"' not in client.get(f"/quiz/{quiz.id}").get_data(as_text=True)


def test_printing_after_an_attempt_shows_that_attempts_questions(client, auth, deck, learner, instructor):
    auth.login("teacher")
    quiz = publish(client, deck)
    post(client, f"/quiz/{quiz.id}/start", token_from=QUIZ)
    first = db.session.scalar(select(QuizAttempt))
    types, _ = printed(client.get(f"/quiz/{quiz.id}/print").get_data(as_text=True))
    assert types == [q["type"] for q in first.questions]
    assert client.get("/quiz/999/print").status_code == 404


def test_make_quiz_prints_the_same_quiz_as_text_with_an_answer_key(runner, deck):
    import json

    as_json = json.loads(runner.invoke(args=["make-quiz", str(deck.id), "--seed", "4", "--count", "12"]).stdout)
    result = runner.invoke(args=["make-quiz", str(deck.id), "--seed", "4", "--count", "12", "--format", "text"])
    assert result.exit_code == 0, result.output
    paper, key = result.stdout.split("\f")
    numbered = re.findall(r"^(\d+)\. ", paper, re.M)
    assert numbered == [str(n) for n in range(1, 13)]
    key_lines = re.findall(r"^(\d+)\. (.*)$", key, re.M)
    assert len(key_lines) == 12
    for q, (_, line) in zip(as_json, key_lines, strict=True):
        if q["type"] in ("multiple_choice", "who_said", "reason"):
            assert line == f"{'ABCD'[q['options'].index(q['answer'])]}. {q['answer']}"
            assert all(f". {option}" in paper for option in q["options"])
        else:
            assert line.startswith(q["answer"])
    assert paper.count("Answer: ____") == sum(q["type"] == "typed" for q in as_json)
