"""Hostile input against the forms that store or search text: Hypothesis for the card and deck forms
and the quiz's typed answer, and SQL-injection payloads stored verbatim and searched harmlessly."""
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Card, CardRevision, Deck, QuizAnswer, User, utcnow
from studyapp.services import quiz

from payloads import SQL_PAYLOADS
from support import post

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(max_size=120)


def ensure_login(client, auth, username):
    """Hypothesis runs the body many times with one client: log in once."""
    if client.get("/login").status_code != 302:
        auth.login(username)


def counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Card, CardRevision, Deck, User))


@FUZZ
@given(kind=text, type_=text, section=text, prompt=text, answer=text, explanation=text, tags=text,
       paragraph=text)
def test_card_form_never_fails_badly_and_rejection_writes_nothing(client, auth, deck, instructor, kind, type_,
                                                                  section, prompt, answer, explanation, tags,
                                                                  paragraph):
    ensure_login(client, auth, "teacher")
    before = counts()
    response = post(client, f"/instructor/decks/{deck.id}/cards/new", {
        "kind": kind, "type": type_, "section": section, "prompt": prompt, "answer": answer,
        "explanation": explanation, "tags": tags, "paragraph": paragraph}, token_from="/instructor/")
    assert response.status_code in (200, 302, 400, 422), response.status_code
    if response.status_code != 302:
        assert counts() == before, "a rejected card form wrote something"


@FUZZ
@given(name=text, description=text)
def test_deck_form_never_fails_badly(client, auth, instructor, name, description):
    ensure_login(client, auth, "teacher")
    before = counts()
    response = post(client, "/instructor/decks/new", {"name": name, "description": description},
                    token_from="/instructor/")
    assert response.status_code in (200, 302, 400, 422)
    if response.status_code != 302:
        assert counts() == before


@FUZZ
@given(given_answer=text)
def test_typed_quiz_answer_never_fails_badly(client, auth, deck, learner, given_answer):
    ensure_login(client, auth, "alice")
    attempt = quiz.start_attempt(db.session, learner, quiz.create_quiz(db.session, learner, deck, utcnow(),
                                                                       length=3, types=["typed"]), utcnow())
    db.session.commit()
    response = post(client, f"/quiz/attempt/{attempt.id}/q/1", {"answer": given_answer},
                    token_from=f"/quiz/attempt/{attempt.id}/q/1")
    assert response.status_code in (200, 302, 400, 422)
    stored = db.session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id)).all()
    assert len(stored) <= 1


def test_sql_payloads_are_stored_verbatim_and_searched_harmlessly(client, auth, deck, instructor):
    auth.login("teacher")
    users_before = db.session.scalar(select(func.count()).select_from(User))
    for i, payload in enumerate(SQL_PAYLOADS):
        response = post(client, f"/instructor/decks/{deck.id}/cards/new", {
            "kind": "fact", "type": "basic", "prompt": f"Prompt {i} {payload}", "answer": payload,
            "explanation": payload, "tags": ""}, token_from="/instructor/")
        assert response.status_code == 302, payload
        stored = db.session.scalar(select(Card).where(Card.prompt == f"Prompt {i} {payload}"))
        assert stored is not None and stored.answer == payload
        search = client.get(f"/instructor/decks/{deck.id}", query_string={"q": payload, "tag": payload})
        assert search.status_code == 200
    for payload in SQL_PAYLOADS:
        assert client.get("/study/", query_string={"q": payload}).status_code == 200
        login = client.post("/login", data={"username": payload, "password": payload})
        assert login.status_code in (200, 302, 400)
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    assert db.session.scalar(select(func.count()).select_from(Card)) > 0  # no table was dropped


@FUZZ
@given(retention=text, new=text, reviews=text, steps=text, relearn=text, name=text)
def test_deck_settings_form_never_fails_badly(client, auth, deck, instructor, retention, new, reviews, steps,
                                              relearn, name):
    ensure_login(client, auth, "teacher")
    before = (deck.desired_retention, deck.new_per_day, deck.learning_steps)
    response = post(client, f"/instructor/decks/{deck.id}/settings", {
        "name": name, "desired_retention": retention, "new_per_day": new, "reviews_per_day": reviews,
        "learning_steps": steps, "relearning_steps": relearn}, token_from="/instructor/")
    assert response.status_code in (200, 302, 400, 422)
    db.session.expire_all()
    if response.status_code != 302:
        assert (deck.desired_retention, deck.new_per_day, deck.learning_steps) == before


@FUZZ
@given(scope=text, length=text, types=st.lists(text, max_size=3), title=text)
def test_quiz_start_form_never_fails_badly(client, auth, deck, learner, scope, length, types, title):
    ensure_login(client, auth, "alice")
    response = post(client, "/quiz/", {"scope": scope, "length": length, "types": types, "title": title},
                    token_from="/quiz/")
    assert response.status_code in (200, 302, 400, 422)


@FUZZ
@given(title=text, article=st.text(max_size=600))
def test_generator_paste_form_never_fails_badly(client, auth, instructor, title, article):
    ensure_login(client, auth, "teacher")
    response = post(client, "/instructor/generate/", {"title": title, "text": article},
                    token_from="/instructor/generate/")
    assert response.status_code in (200, 302, 400, 422)


@pytest.mark.parametrize("steps,message", [
    ("3000000d", "&#39;3000000d&#39; is longer than a year; a step may be at most 365d"),
    (" ".join(["1m"] * 11), "Has 11 steps; use at most 10"),
])
def test_deck_settings_bound_the_learning_steps(client, auth, deck, instructor, steps, message):
    auth.login("teacher")
    before = deck.learning_steps
    response = post(client, f"/instructor/decks/{deck.id}/settings", {
        "name": deck.name, "desired_retention": "0.9", "new_per_day": "20", "reviews_per_day": "200",
        "learning_steps": steps, "relearning_steps": steps}, token_from="/instructor/")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert deck.learning_steps == before


@pytest.mark.parametrize("digits", ["100", "9" * 30, "9" * 5000])
def test_a_cloze_number_out_of_range_is_a_clear_message_everywhere(client, auth, deck, instructor, digits):
    auth.login("teacher")
    before = counts()
    prompt = f"The {{{{c{digits}::Amur}}}} is a river."
    form = post(client, f"/instructor/decks/{deck.id}/cards/new",
                {"kind": "fact", "type": "cloze", "prompt": prompt, "answer": ""}, token_from="/instructor/")
    assert form.status_code == 422 and "must be numbered from c1 to c99" in form.get_data(as_text=True)
    preview = client.get("/instructor/preview", query_string={"type": "cloze", "prompt": prompt})
    assert preview.status_code == 200
    upload = post(client, f"/instructor/decks/{deck.id}/import",
                  {"upload": (io.BytesIO(f"front,back\n{prompt},\n".encode()), "c.csv")},
                  token_from="/instructor/", content_type="multipart/form-data")
    if upload.status_code == 302:
        page = client.get(upload.headers["Location"]).get_data(as_text=True)
        assert "must be numbered from c1 to c99" in page or "characters long" in page
    else:
        assert upload.status_code == 422
    assert counts() == before
