"""Published quizzes per class on the pages: publish for one's own class (another instructor's is 404), who sees
the quiz, the results on the quiz page and the quiz columns of the class CSV."""
from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import Quiz, QuizAttempt
from studyapp.services import classes as class_service

from support import NOW, Auth, make_user, post

QUIZ = "/quiz/"


def _class(teacher, deck, name, *members):
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput(name, (deck.id,)), NOW)
    for member in members:
        class_service.add_member(db.session, klass, member, NOW)
    db.session.commit()
    return klass


def _publish(client, deck, **fields):
    data = {"scope": f"deck-{deck.id}", "length": "10", "types": ["typed", "true_false"], "publish": "y",
            "title": "Week 1"}
    data.update(fields)
    return post(client, QUIZ, data, token_from=QUIZ)


def _take_all_right(client, quiz_id):
    post(client, f"/quiz/{quiz_id}/start", token_from=QUIZ)
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()).limit(1))
    for n, q in enumerate(attempt.questions, 1):
        path = f"/quiz/attempt/{attempt.id}/q/{n}"
        post(client, path, {"given": q["answer"]}, token_from=path)
    return attempt


def test_instructor_publishes_for_their_class_and_only_its_members_see_it(client, deck):
    teacher, other_teacher = make_user("teacher", "instructor"), make_user("other", "instructor")
    alice, bob = make_user("alice"), make_user("bob")
    mine = _class(teacher, deck, "Seminar A", alice)
    theirs = _class(other_teacher, deck, "Seminar B", bob)
    auth = Auth(client)
    auth.login("teacher")
    form = client.get(QUIZ).get_data(as_text=True)
    assert f'value="{mine.id}"' in form and f'value="{theirs.id}"' not in form  # only their own classes offered
    assert _publish(client, deck, publish_to=str(theirs.id)).status_code == 404  # another instructor's class
    assert _publish(client, deck, publish_to="abc").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Quiz)) == 0
    assert "None yet" in client.get(f"/classes/{mine.id}").get_data(as_text=True)
    response = _publish(client, deck, publish_to=str(mine.id))
    quiz = db.session.scalar(select(Quiz))
    assert response.status_code == 302 and quiz.class_id == mine.id
    assert f'href="/quiz/{quiz.id}"' in client.get(f"/classes/{mine.id}").get_data(as_text=True)  # the class page lists it
    page = client.get(f"/quiz/{quiz.id}").get_data(as_text=True)
    assert "Seminar A" in page and 'id="quiz-results"' in page and "alice" in page and "not finished" in page
    auth.logout()
    auth.login("alice")
    assert "Week 1" in client.get(QUIZ).get_data(as_text=True)
    _take_all_right(client, quiz.id)
    auth.logout()
    auth.login("bob")  # in another class: neither listed nor reachable by its link
    assert "Week 1" not in client.get(QUIZ).get_data(as_text=True)
    assert client.get(f"/quiz/{quiz.id}").status_code == 404
    assert post(client, f"/quiz/{quiz.id}/start", token_from=QUIZ).status_code == 404
    auth.logout()
    auth.login("other")  # the other instructor does not see it or its results
    assert client.get(f"/quiz/{quiz.id}").status_code == 404
    auth.logout()
    auth.login("teacher")
    results = client.get(f"/quiz/{quiz.id}").get_data(as_text=True)
    assert "(100%)" in results and "bob" not in results
    export = client.get(f"/instructor/progress/export.csv?class_id={mine.id}").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(export)))
    assert rows[0][-1] == f"quiz_best_percent: Week 1 (#{quiz.id})"
    assert [(r[0], r[-1]) for r in rows[1:]] == [("alice", "100.0")]


def test_publishing_for_every_learner_is_still_possible(client, deck):
    teacher = make_user("teacher", "instructor")
    make_user("bob")
    _class(teacher, deck, "Seminar A")
    auth = Auth(client)
    auth.login("teacher")
    assert "Every learner (all classes)" in client.get(QUIZ).get_data(as_text=True)
    _publish(client, deck, publish_to="")
    quiz = db.session.scalar(select(Quiz))
    assert quiz.published and quiz.class_id is None
    auth.logout()
    auth.login("bob")  # in no class at all
    assert "Week 1" in client.get(QUIZ).get_data(as_text=True)
    assert client.get(f"/quiz/{quiz.id}").status_code == 200


def test_odd_ids_in_the_start_form_are_refused_not_500(client, deck):
    teacher = make_user("teacher", "instructor")
    _class(teacher, deck, "Seminar A")
    Auth(client).login("teacher")
    for scope in ("deck-\u00b2", "deck-99999999999999999999", "section-0", "deck-\u0663"):
        assert _publish(client, deck, scope=scope).status_code == 400, scope
    for target in ("\u00b2", "99999999999999999999", "0", "-1"):
        assert _publish(client, deck, publish_to=target).status_code == 404, target
    assert db.session.scalar(select(func.count()).select_from(Quiz)) == 0
