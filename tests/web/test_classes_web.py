"""Classes on the web: an instructor creates and edits their own classes (another's are 404), learners join by
code or link, the class filter of class progress, `flask create-class`, the default class of `flask setup`."""
from __future__ import annotations

import re
from datetime import timezone

from sqlalchemy import func, select

from studyapp.domain.scheduler import format_interval
from studyapp.extensions import db
from studyapp.models import Class, ClassMember, User
from studyapp.services import classes as class_service

from support import NOW, Auth, hidden, make_user, post, study_cards


def _login(client, name):
    response = Auth(client).login(name)
    assert response.status_code == 302


def _create(client, deck_id, name="Seminar A", exam_date="2026-03-20", minutes="15"):
    return post(client, "/classes/new", {"name": name, "decks": [str(deck_id)], "exam_date": exam_date,
                                         "exam_time": "10:30", "daily_minutes": minutes}, token_from="/classes/new")


def test_instructor_creates_a_class_and_a_learner_joins_by_code(app, client, deck):
    make_user("teacher", "instructor")
    alice = make_user("alice")
    _login(client, "teacher")
    response = _create(client, deck.id)
    assert response.status_code == 302
    klass = db.session.scalar(select(Class).where(Class.name == "Seminar A"))
    assert [d.id for d in klass.decks] == [deck.id]
    assert klass.daily_minutes == 15
    assert klass.exam_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") == "2026-03-20 10:30"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert klass.join_code in page and f"/classes/join/{klass.join_code}" in page
    code = klass.join_code

    learner = app.test_client()
    _login(learner, "alice")
    assert 'id="join-class"' in learner.get("/study/").get_data(as_text=True)  # reachable from the deck list
    joined = post(learner, "/classes/join", {"code": code.lower()[:4] + "-" + code.lower()[4:]}, token_from="/classes/join")
    assert joined.status_code == 302
    assert class_service.member_ids(db.session, klass.id) == [alice.id]
    again = post(learner, "/classes/join", {"code": code}, token_from="/classes/join")
    assert again.status_code == 302  # already in: no second row
    assert db.session.scalar(select(func.count()).select_from(ClassMember)) == 1
    members = client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert "alice" in members


def test_join_link_and_bad_codes(app, client, deck):
    teacher = make_user("teacher", "instructor")
    bob = make_user("bob")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Linked", (deck.id,)),
                                       NOW)
    db.session.commit()
    _login(client, "bob")
    page = client.get(f"/classes/join/{klass.join_code}")
    assert page.status_code == 200 and "Linked" in page.get_data(as_text=True)
    assert post(client, f"/classes/join/{klass.join_code}", {"code": klass.join_code},
                token_from=f"/classes/join/{klass.join_code}").status_code == 302
    assert class_service.member_ids(db.session, klass.id) == [bob.id]
    bad = post(client, "/classes/join", {"code": "NOPE1234"}, token_from="/classes/join")
    assert bad.status_code == 400 and "No class has that code" in bad.get_data(as_text=True)
    empty = post(client, "/classes/join", {"code": ""}, token_from="/classes/join")
    assert empty.status_code == 400
    assert client.get("/classes/join/NOPE1234").status_code == 302  # an old link: sent to the form


def test_another_instructors_class_is_404_and_learners_get_403(app, client, deck):
    owner = make_user("teacher", "instructor")
    make_user("rival", "instructor")
    make_user("alice")
    klass = class_service.create_class(db.session, owner, class_service.ClassInput("Mine", (deck.id,)),
                                       NOW)
    db.session.commit()
    _login(client, "rival")
    for path in (f"/classes/{klass.id}", f"/classes/{klass.id}/edit", f"/instructor/progress?class_id={klass.id}",
                 f"/instructor/progress/export.csv?class_id={klass.id}"):
        assert client.get(path).status_code == 404, path
    assert post(client, f"/classes/{klass.id}/code", token_from="/classes/new").status_code == 404
    assert "Mine" not in client.get("/classes/").get_data(as_text=True)
    learner = app.test_client()
    _login(learner, "alice")
    assert learner.get(f"/classes/{klass.id}").status_code == 403
    assert learner.get("/classes/new").status_code == 403


def test_edit_validates_and_keeps_the_class(app, client, deck):
    teacher = make_user("teacher", "instructor")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Keep", (deck.id,)),
                                       NOW)
    db.session.commit()
    _login(client, "teacher")
    form = client.get(f"/classes/{klass.id}/edit").get_data(as_text=True)
    assert 'value="Keep"' in form
    bad = post(client, f"/classes/{klass.id}/edit", {"name": " ", "daily_minutes": "9999", "exam_date": "not a date"},
               token_from=f"/classes/{klass.id}/edit")
    assert bad.status_code == 400
    db.session.expire_all()
    assert db.session.get(Class, klass.id).name == "Keep"
    ok = post(client, f"/classes/{klass.id}/edit", {"name": "Renamed", "decks": [str(deck.id)], "exam_date": ""},
              token_from=f"/classes/{klass.id}/edit")
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(Class, klass.id).name == "Renamed" and db.session.get(Class, klass.id).exam_at is None


def test_class_progress_filter_shows_the_members_only(app, client, deck):
    teacher = make_user("teacher", "instructor")
    alice, bob = make_user("alice"), make_user("bob")
    study_cards(alice, deck, [3, 3])
    study_cards(bob, deck, [3])
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Only Alice", (deck.id,)),
                                       NOW)
    class_service.add_member(db.session, klass, alice, NOW)
    db.session.commit()
    _login(client, "teacher")
    everyone = client.get("/instructor/progress").get_data(as_text=True)
    assert ">alice<" in everyone and ">bob<" in everyone
    filtered = client.get(f"/instructor/progress?class_id={klass.id}").get_data(as_text=True)
    grid = filtered[filtered.index('id="class-grid"'):]
    assert ">alice<" in grid and ">bob<" not in grid
    csv_text = client.get(f"/instructor/progress/export.csv?class_id={klass.id}").get_data(as_text=True)
    assert "alice" in csv_text and "bob" not in csv_text


def test_create_class_cli_prints_the_join_code(runner, deck):
    make_user("teacher", "instructor")
    result = runner.invoke(args=["create-class", "Exam group", "--instructor", "teacher", "--deck", str(deck.id),
                                 "--exam-date", "2026-04-01"])
    assert result.exit_code == 0, result.output
    code = result.output.strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    klass = db.session.scalar(select(Class).where(Class.join_code == code))
    assert klass.name == "Exam group" and klass.exam_at.date().isoformat() == "2026-04-01"
    assert [d.id for d in klass.decks] == [deck.id]
    missing = runner.invoke(args=["create-class", "X", "--instructor", "nobody"])
    assert missing.exit_code != 0 and "no instructor" in missing.output
    bad_deck = runner.invoke(args=["create-class", "X", "--instructor", "teacher", "--deck", "999"])
    assert bad_deck.exit_code != 0 and "no deck" in bad_deck.output


def test_setup_puts_the_demo_learner_in_a_default_class_with_the_article_deck(runner):
    assert runner.invoke(args=["setup"]).exit_code == 0
    assert runner.invoke(args=["setup"]).exit_code == 0  # again: still one class, one membership
    classes = db.session.scalars(select(Class)).all()
    assert len(classes) == 1 and classes[0].is_default
    learner = db.session.scalar(select(User).where(User.username == "learner"))
    assert class_service.member_ids(db.session, classes[0].id) == [learner.id]
    assert "china-russia" in {d.slug for d in classes[0].decks}
    assert classes[0].instructor.username == "instructor"


def test_learner_and_instructor_see_exam_day_predictions(app, client, deck):
    from datetime import timedelta

    teacher = make_user("teacher", "instructor")
    alice, bob = make_user("alice"), make_user("bob")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "Exam soon", (deck.id,), exam_at=NOW + timedelta(days=10)), NOW)
    for who in (alice, bob):
        class_service.add_member(db.session, klass, who, NOW)
    db.session.commit()
    study_cards(alice, deck, [3] * 6, now=NOW - timedelta(days=2))
    study_cards(alice, deck, [3] * 3, now=NOW - timedelta(hours=1))  # reviews: the calibration has data
    _login(client, "alice")
    page = client.get("/progress").get_data(as_text=True)
    assert 'id="exam-forecast"' in page and "Exam soon" in page
    today = int(re.search(r'id="exam-today">(\d+)%', page).group(1))
    exam = int(re.search(r'id="exam-day">(\d+)%', page).group(1))
    assert 0 < exam <= today
    teacher_client = app.test_client()
    _login(teacher_client, "teacher")
    shown = teacher_client.get(f"/classes/{klass.id}").get_data(as_text=True)
    assert 'id="exam-grid"' in shown
    risk = shown[shown.index('id="at-risk"'):]
    assert "bob" in risk[:400] and "(0%)" in risk[:400]  # bob has not started: at risk
    other = app.test_client()
    _login(other, "bob")
    assert 'id="exam-day">0%' in other.get("/progress").get_data(as_text=True)


def test_no_exam_no_forecast_panel(app, client, deck):
    make_user("alice")
    _login(client, "alice")
    assert 'id="exam-forecast"' not in client.get("/progress").get_data(as_text=True)


def test_study_ahead_brings_the_next_days_reviews_forward(app, client, deck):
    from datetime import timedelta

    from studyapp.models import CardState

    alice = make_user("alice")
    study_cards(alice, deck, [3, 3, 3], now=NOW - timedelta(hours=1))
    states = db.session.scalars(select(CardState).where(CardState.user_id == alice.id).order_by(CardState.id)).all()
    for state, days in zip(states, (1, 2, 9), strict=True):
        state.state, state.due = 2, NOW + timedelta(days=days)
    db.session.commit()
    _login(client, "alice")
    response = post(client, f"/classes/study-ahead/{deck.id}", token_from="/study/")
    assert response.status_code == 302 and f"/study/{deck.id}" in response.headers["Location"]
    db.session.expire_all()
    dues = [db.session.get(CardState, s.id).due for s in states]
    assert dues[0] == NOW and dues[1] == NOW and dues[2] == NOW + timedelta(days=9)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Studying ahead: 2 cards" in page
    assert post(client, "/classes/study-ahead/99999", token_from="/study/").status_code == 404


def _review_card_due_now(user, deck):
    """The deck's first card in review for `user`: stability 3 days, last seen 3 days ago, due now."""
    from datetime import timedelta

    from studyapp.models import Card, CardState

    card = db.session.scalar(select(Card).where(Card.deck_id == deck.id).order_by(Card.position).limit(1))
    db.session.add(CardState(user_id=user.id, card_id=card.id, state=2, step=None, stability=3.0, difficulty=5.0,
                             due=NOW - timedelta(hours=1), last_review=NOW - timedelta(days=3), reps=3, lapses=0,
                             suspended=False, version=1))
    db.session.commit()
    return card.id


def test_exam_plan_hook_gives_a_learner_with_an_exam_a_due_date_before_it(app, deck):
    """The study answer path's `# exam plan` hook: the same answer to the same memory is due in 11 days for a
    learner without a class (FSRS at 0.90), and before the exam (in 6 days) for one whose class has the exam."""
    from datetime import timedelta

    from studyapp.models import CardState

    teacher = make_user("teacher", "instructor")
    alice, bob = make_user("alice"), make_user("bob")
    exam = NOW + timedelta(days=6, hours=-3)
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Exam", (deck.id,), exam_at=exam),
                                       NOW)
    class_service.add_member(db.session, klass, alice, NOW)
    card_ids = {user.username: _review_card_due_now(user, deck) for user in (alice, bob)}
    dues, good_labels = {}, {}
    for user in (alice, bob):
        client = app.test_client()
        _login(client, user.username)
        html = client.get(f"/study/{deck.id}").get_data(as_text=True)
        assert hidden(html, "card_id") == str(card_ids[user.username])
        good_labels[user.username] = re.search(r'data-rating="good"[^>]*>\s*<span class="interval">([^<]+)<', html).group(1)
        token, shown_at = hidden(html, "csrf_token"), hidden(html, "shown_at")
        response = client.post(f"/study/{deck.id}/answer", json={
            "card_id": card_ids[user.username], "version": 1, "shown_at": shown_at, "rating": 3},
            headers={"X-CSRFToken": token, "Accept": "application/json"})
        assert response.status_code == 201, response.get_data(as_text=True)
        db.session.expire_all()
        dues[user.username] = db.session.scalar(select(CardState.due).where(
            CardState.user_id == user.id, CardState.card_id == card_ids[user.username]))
    assert dues["bob"] - NOW == timedelta(days=11)  # FSRS at 0.90: after the exam
    assert NOW < dues["alice"] < exam  # planned toward the exam
    # The Good button said so beforehand: its label is the planned interval, not FSRS's 11 days.
    assert good_labels["bob"] == "11d" and good_labels["alice"] == format_interval(dues["alice"] - NOW)


def test_class_filter_with_an_impossible_id_is_404(app, client):
    make_user("teacher", "instructor")
    _login(client, "teacher")
    for value in ("0", "-1", str(2**31), str(2**63)):
        assert client.get(f"/instructor/progress?class_id={value}").status_code == 404
        assert client.get(f"/instructor/progress/export.csv?class_id={value}").status_code == 404


def test_an_instructor_deletes_a_class_after_a_confirmation_page(app, client, deck):
    from studyapp.models import Quiz, ReviewLog
    from studyapp.services import quiz as quizzes

    teacher, alice = make_user("teacher", "instructor"), make_user("alice")
    make_user("rival", "instructor")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Doomed", (deck.id,)), NOW)
    class_service.add_member(db.session, klass, alice, NOW)
    quiz = quizzes.create_quiz(db.session, teacher, deck, NOW, length=3, published=True, title="Class quiz", klass=klass)
    db.session.commit()
    study_cards(alice, deck, [3])
    class_id, quiz_id = klass.id, quiz.id
    _login(client, "rival")
    assert client.get(f"/classes/{class_id}/delete").status_code == 404
    assert post(client, f"/classes/{class_id}/delete", token_from="/classes/new").status_code == 404
    Auth(client).logout()
    _login(client, "teacher")
    assert f"/classes/{class_id}/delete" in client.get(f"/classes/{class_id}").get_data(as_text=True)
    page = client.get(f"/classes/{class_id}/delete").get_data(as_text=True)
    assert "1 learner will leave the class" in page and 'id="delete-form"' in page
    assert client.post(f"/classes/{class_id}/delete", data={}).status_code == 400  # no CSRF token
    assert db.session.get(Class, class_id) is not None
    response = post(client, f"/classes/{class_id}/delete", token_from=f"/classes/{class_id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/classes/")
    page = client.get("/classes/").get_data(as_text=True)
    assert "Class Doomed deleted" in page and "1 published quiz unpublished" in page
    db.session.expire_all()
    assert db.session.get(Class, class_id) is None
    assert db.session.scalar(select(func.count()).select_from(ClassMember).where(ClassMember.class_id == class_id)) == 0
    assert db.session.get(Quiz, quiz_id).published is False
    assert db.session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.user_id == alice.id)) == 1


def test_the_default_class_cannot_be_deleted(app, client, deck):
    teacher = make_user("teacher", "instructor")
    klass = class_service.create_class(db.session, teacher, class_service.ClassInput("Everyone", (deck.id,)), NOW)
    klass.is_default = True
    db.session.commit()
    _login(client, "teacher")
    assert f"/classes/{klass.id}/delete" not in client.get(f"/classes/{klass.id}").get_data(as_text=True)
    response = post(client, f"/classes/{klass.id}/delete", token_from="/classes/new")
    assert response.status_code == 302
    assert "cannot be deleted" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Class, klass.id) is not None
