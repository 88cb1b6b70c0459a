"""More new cards today on the web: a plain form (no script needed) on a deck whose day is done, posted and
redirected to the study session, which marks "N extra new cards today"; bad input is a 400 with the form and
nothing stored; someone else's draft deck or no deck is a 404."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import ExtraNewCards

from support import NOW, Auth, post, study_cards, text_of


@pytest.fixture
def done_for_today(app, client, deck, learner):
    deck.new_per_day = 2
    db.session.commit()
    study_cards(learner, deck, [4, 4], now=NOW - timedelta(hours=1))  # Easy: the day's two new cards, done
    assert Auth(client).login().status_code == 302
    return deck


def _extra_rows():
    return db.session.scalar(select(func.count()).select_from(ExtraNewCards))


def test_a_learner_whose_day_is_done_takes_more_new_cards(client, done_for_today):
    deck = done_for_today
    done = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert "Done for now" in done and f"/classes/more-new/{deck.id}" in done and "extra new card" not in done
    assert f"/classes/more-new/{deck.id}" in client.get("/study/").get_data(as_text=True)
    form = client.get(f"/classes/more-new/{deck.id}")
    assert form.status_code == 200 and 'id="more-new-form"' in form.get_data(as_text=True)
    response = post(client, f"/classes/more-new/{deck.id}", {"count": "5"}, token_from=f"/classes/more-new/{deck.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/study/{deck.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 extra new cards added to today in China and Russia" in page
    assert text_of(page, "extra-new-today") == "5 extra new cards today"
    assert 'class="count-new" title="New">5<' in page and 'data-queue="new"' in page
    again = post(client, f"/classes/more-new/{deck.id}", {"count": "1"}, token_from=f"/classes/more-new/{deck.id}")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "1 extra new card added to today in China and Russia: an imperfect partnership; 6 extra new cards today in all." in page
    assert text_of(page, "extra-new-today") == "6 extra new cards today" and _extra_rows() == 1


@pytest.mark.parametrize("count", ["0", "51", "ten", ""])
def test_a_bad_count_is_a_400_with_the_form_and_nothing_stored(client, done_for_today, count):
    deck = done_for_today
    response = post(client, f"/classes/more-new/{deck.id}", {"count": count}, token_from=f"/classes/more-new/{deck.id}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="more-new-form"' in page and 'class="error"' in page
    assert _extra_rows() == 0


def test_without_the_csrf_token_nothing_is_stored(client, done_for_today):
    response = client.post(f"/classes/more-new/{done_for_today.id}", data={"count": "3"})
    assert response.status_code == 400 and _extra_rows() == 0


def test_no_deck_is_a_404_and_a_visitor_must_log_in(app, client, done_for_today):
    assert client.get("/classes/more-new/99999").status_code == 404
    assert post(client, "/classes/more-new/99999", {"count": "3"}).status_code == 404
    Auth(client).logout()
    response = client.get(f"/classes/more-new/{done_for_today.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_when_every_unseen_card_is_in_todays_queue_the_page_says_so(client, deck, learner):
    assert Auth(client).login().status_code == 302
    deck.new_per_day = 500
    db.session.commit()
    page = client.get(f"/classes/more-new/{deck.id}").get_data(as_text=True)
    assert 'id="more-new-none"' in page and 'id="more-new-form"' not in page
    response = post(client, f"/classes/more-new/{deck.id}", {"count": "3"}, token_from="/study/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/classes/more-new/{deck.id}")
    assert "already in today's queue" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _extra_rows() == 0


def test_past_the_class_study_budget_the_page_warns_and_still_adds(client, done_for_today, learner, instructor):
    from sqlalchemy import update

    from studyapp.models import ReviewLog
    from studyapp.services import classes as class_service

    deck = done_for_today
    klass = class_service.create_class(db.session, instructor, class_service.ClassInput(
        "Seminar", (deck.id,), exam_at=NOW + timedelta(days=20), daily_minutes=1), NOW)
    class_service.add_member(db.session, klass, learner, NOW)
    db.session.execute(update(ReviewLog).values(duration_ms=40_000))  # two answers of 40 s: past the minute
    db.session.commit()
    form = client.get(f"/classes/more-new/{deck.id}").get_data(as_text=True)
    assert "Daily study budget of Seminar: 1 minute; studied today: 1 minute." in form
    response = post(client, f"/classes/more-new/{deck.id}", {"count": "3"}, token_from=f"/classes/more-new/{deck.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This goes past the daily study budget of Seminar (1 minute): 1 minute studied today" in page
    assert text_of(page, "extra-new-today") == "3 extra new cards today" and 'data-queue="new"' in page


def test_another_worker_with_a_stale_list_sees_the_grant_at_once(client, done_for_today):
    """The next page may come from another worker (or app server) whose list of learners with a grant was read
    before the grant: the learner's session cookie tells it, so the extra cards are there at once."""
    from time import monotonic

    from studyapp.services import study_ahead

    deck = done_for_today
    response = post(client, f"/classes/more-new/{deck.id}", {"count": "3"}, token_from=f"/classes/more-new/{deck.id}")
    assert response.status_code == 302
    study_ahead._extra_users[db.session.get_bind()] = (monotonic(), frozenset())  # the other worker's list
    page = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert 'class="count-new" title="New">3<' in page and 'data-queue="new"' in page
    assert text_of(page, "extra-new-today") == "3 extra new cards today"
