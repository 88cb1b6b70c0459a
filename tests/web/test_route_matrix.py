"""Every route in the URL map, for four visitors: anonymous, a learner (the owner of the sample data),
another learner, and an instructor. New routes fail this test until they are given a policy here.

Policies:
  public      anyone may read (logged-in users may be sent on to their home page)
  login       any logged-in user; anonymous visitors are sent to log in
  owner       the owning learner only; anonymous -> log in; anyone else gets 404 (its existence is not revealed)
  instructor  instructors only; anonymous -> log in; learners get 403
"""
from __future__ import annotations

import pytest

from studyapp.domain.scheduler import Rating
from studyapp.extensions import db
from studyapp.models import Section, utcnow
from studyapp.services import classes, generate, quiz, study, transfer

from support import PASSWORD, csrf_token, make_user

POLICY = {
    "static": "public", "main.index": "public", "auth.login": "public", "auth.register": "public",
    "auth.logout": "login",
    "auth.account": "login", "auth.password": "login", "auth.timezone": "login", "auth.end_login": "login",
    "auth.end_all_logins": "login", "auth.reset_password": "instructor",
    "study.index": "login", "study.session": "login", "study.answer": "login", "study.undo": "login",
    "study.guide": "login", "study.section_guide": "login",
    "quiz.index": "login",
    "quiz.show": "owner", "quiz.start": "owner", "quiz.unpublish": "owner", "quiz.print_quiz": "owner",
    "quiz.question": "owner", "quiz.result": "owner", "quiz.resume": "owner", "quiz.retry": "owner",
    "progress.index": "login", "progress.card": "login", "progress.suspend": "login", "progress.unsuspend": "login",
    "classprogress.index": "instructor", "classprogress.learner": "instructor", "classprogress.export": "instructor",
    "generate.index": "instructor", "generate.review": "instructor", "generate.publish": "instructor",
    "generate.unpublish": "instructor",
    "classes.index": "login", "classes.join": "login", "classes.join_link": "login",
    "classes.new": "instructor", "classes.show": "instructor", "classes.edit": "instructor",
    "classes.new_code": "instructor", "classes.remove_member": "instructor", "classes.study_ahead": "login",
    "classes.more_new": "login", "classes.delete": "instructor",
}
INSTRUCTOR_PREFIX = "instructor."  # every route of the authoring blueprint is instructor-only
# Routes whose sample object (a parked import) is used up by a POST: each request gets a fresh one.
INSTRUCTOR_OWNED = {"instructor.import_preview", "instructor.import_confirm", "instructor.import_cancel"}
CLASS_USED_UP = {"classes.delete"}  # deleting the class: each request gets a fresh one


def policy_of(endpoint: str) -> str:
    if endpoint.startswith(INSTRUCTOR_PREFIX):
        return "instructor"
    assert endpoint in POLICY, f"route {endpoint} has no access policy: add it to tests/web/test_route_matrix.py"
    return POLICY[endpoint]


@pytest.fixture
def world(app, deck):
    alice, _bob, teacher = make_user("alice"), make_user("bob"), make_user("teacher", "instructor")  # bob: another learner
    now = utcnow()
    showing = study.next_showing(db.session, alice, deck, now)
    study.record_answer(db.session, alice, showing.card, Rating.GOOD, showing.version, now,
                        settings=study.settings_for(deck))
    own_quiz = quiz.create_quiz(db.session, alice, deck, now, length=10)
    attempt = quiz.start_attempt(db.session, alice, own_quiz, now)
    article = generate.create_article(db.session, teacher, "Fixture", "The RAND study was published in 2023.", now)
    parsed = transfer.parse_upload("cards.csv", b"front,back\nQ,A\n")
    token = transfer.store_pending(db.session, teacher, deck, parsed, now)

    def fresh_token() -> str:  # confirming or cancelling a parked import uses it up
        value = transfer.store_pending(db.session, teacher, deck, parsed, utcnow())
        db.session.commit()
        return value

    def fresh_class() -> int:  # a delete uses the class up
        made = classes.create_class(db.session, teacher, classes.ClassInput("Doomed", (deck.id,)), utcnow())
        db.session.commit()
        return made.id

    section = db.session.scalar(db.select(Section).where(Section.deck_id == deck.id).limit(1))
    klass = classes.create_class(db.session, teacher, classes.ClassInput("Matrix", (deck.id,)), now)
    db.session.commit()
    return {
        "deck_id": deck.id, "card_id": showing.card.id, "user_id": alice.id, "quiz_id": own_quiz.id,
        "attempt_id": attempt.id, "n": 1, "article_id": article.id, "token": token, "slug": section.slug,
        "filename": "css/app.css", "fresh_token": fresh_token, "class_id": klass.id, "code": klass.join_code, "login_id": 1,
        "fresh_class": fresh_class,
    }


def url_for_rule(rule, values: dict) -> str:
    missing = [arg for arg in rule.arguments if arg not in values]
    assert not missing, f"{rule.rule}: no sample value for {missing}; add one to the world fixture"
    return rule.build({arg: values[arg] for arg in rule.arguments}, append_unknown=False)[1]


def login(client, username):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, username


def request(client, method, url):
    if method == "GET":
        return client.get(url)
    token = csrf_token(client.get("/study/").get_data(as_text=True)) or \
        csrf_token(client.get("/login").get_data(as_text=True))
    return client.open(url, method=method, data={"csrf_token": token})


VISITORS = ("anonymous", "alice", "bob", "teacher")
ENDS_LOGIN = ("auth.logout", "auth.end_login", "auth.end_all_logins")


@pytest.mark.parametrize("visitor", VISITORS)
def test_every_route_for_every_visitor(app, world, visitor):
    client = app.test_client()
    if visitor != "anonymous":
        login(client, visitor)
    checked = 0
    # Log out last: these end the visitor's session.
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint in ENDS_LOGIN, r.rule)):
        policy = policy_of(rule.endpoint)
        values = dict(world)
        if rule.endpoint in INSTRUCTOR_OWNED:
            values["token"] = world["fresh_token"]()
        if rule.endpoint in CLASS_USED_UP:
            values["class_id"] = world["fresh_class"]()
        url = url_for_rule(rule, values)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = request(client, method, url)
            code, where = response.status_code, response.headers.get("Location", "")
            response.close()
            label = f"{visitor} {method} {rule.rule} ({policy}) -> {code} {where}"
            assert code < 500, label
            if policy == "public":
                assert code in (200, 302), label
            elif visitor == "anonymous":
                assert code == 302 and "/login" in where, label
            elif policy == "instructor" and visitor != "teacher":
                assert code == 403, label
            elif policy == "owner" and visitor != "alice":
                assert code in (403, 404), label
            else:
                assert code not in (401, 403, 404, 405), label
            checked += 1
    assert checked >= 40
