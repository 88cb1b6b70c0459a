import re
from datetime import timedelta

from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import CardState, ReviewLog

from support import NOW, hidden, post


def test_deck_list_shows_counts(client, auth, deck, learner):
    auth.login()
    html = client.get("/study/").get_data(as_text=True)
    assert deck.name in html
    assert re.search(r'class="count-new">20<', html)  # the daily new-card limit


def test_study_page_prompt_then_reveal_then_rate(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert 'id="back" hidden' in html and "Show answer" in html
    card_id = hidden(html, "card_id")
    revealed = client.get(f"/study/{deck.id}?reveal={card_id}").get_data(as_text=True)
    assert 'id="back" hidden' not in revealed
    for label in ("Again", "Hard", "Good", "Easy"):
        assert label in revealed
    assert re.findall(r'class="interval">([^<]+)<', revealed) == ["1m", "6m", "10m", "8d"]
    response = post(client, f"/study/{deck.id}/answer",
                    {"card_id": card_id, "version": hidden(revealed, "version"), "rating": "3",
                     "shown_at": hidden(revealed, "shown_at")}, token_from=f"/study/{deck.id}")
    assert response.status_code == 302
    log = db.session.scalar(select(ReviewLog))
    assert log.rating == 3 and str(log.card_id) == card_id and log.user_id == learner.id
    assert log.duration_ms is not None and log.duration_ms >= 0
    assert hidden(client.get(f"/study/{deck.id}").get_data(as_text=True), "card_id") != card_id


def test_double_submission_keeps_one_row_and_says_so(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    data = {"card_id": hidden(html, "card_id"), "version": hidden(html, "version"), "rating": "3",
            "shown_at": hidden(html, "shown_at"), "csrf_token": hidden(html, "csrf_token")}
    assert client.post(f"/study/{deck.id}/answer", data=data).status_code == 302
    second = client.post(f"/study/{deck.id}/answer", data=data, follow_redirects=True)
    assert "already answered" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_undo_through_the_page(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    first = hidden(html, "card_id")
    post(client, f"/study/{deck.id}/answer", {"card_id": first, "version": "0", "rating": "1",
                                              "shown_at": hidden(html, "shown_at")})
    response = post(client, f"/study/{deck.id}/undo", follow_redirects=True)
    assert "Last answer undone." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 0
    assert hidden(response.get_data(as_text=True), "card_id") == first


def test_bad_answer_form_is_refused_without_writing(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    response = post(client, f"/study/{deck.id}/answer", {"card_id": hidden(html, "card_id"), "version": "0",
                                                         "rating": "9", "shown_at": "x"}, follow_redirects=True)
    assert response.status_code == 200 and "could not be read" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0


def test_answer_for_a_card_of_another_deck_is_404(client, auth, deck, learner):
    auth.login()
    response = post(client, f"/study/{deck.id + 1}/answer", {"card_id": "1", "version": "0", "rating": "3",
                                                             "shown_at": "2026-01-01T00:00:00+00:00"})
    assert response.status_code == 404


def test_end_of_session_summary(client, auth, app, learner):
    from studyapp.domain.deckfile import parse_text
    from studyapp.models import utcnow
    from studyapp.services.decks import load_deck

    from support import NOW  # noqa: F401

    deck = load_deck(db.session, parse_text('[deck]\nid = "one"\nname = "One"\n[[card]]\nid = "x"\nprompt = "P"\n'
                                            'answer = "A"\nexplanation = "E"\n', "one.toml"), utcnow()).deck
    db.session.commit()
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    post(client, f"/study/{deck.id}/answer", {"card_id": hidden(html, "card_id"), "version": "0", "rating": "4",
                                              "shown_at": hidden(html, "shown_at")})
    done = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert "Done for now" in done
    assert re.search(r'id="summary-reviewed">1<', done) and re.search(r'id="summary-correct">100%<', done)
    assert "<time datetime=" in done


def test_study_guide_renders_sections(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}/guide").get_data(as_text=True)
    assert html.count('class="guide-section"') == len(deck.sections) >= 5


def test_missing_deck_is_a_friendly_404(client, auth, learner):
    auth.login()
    response = client.get("/study/999")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)


def test_json_clients_answer_and_get_the_next_card_in_one_round_trip(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    data = {"card_id": hidden(html, "card_id"), "version": hidden(html, "version"), "rating": "3",
            "shown_at": hidden(html, "shown_at"), "csrf_token": hidden(html, "csrf_token")}
    headers = {"Accept": "application/json"}
    response = client.post(f"/study/{deck.id}/answer", data=data, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    log = db.session.scalar(select(ReviewLog))
    assert body["status"] == "saved" and body["review_id"] == log.id and body["version"] == 1
    upcoming = body["next"]
    assert upcoming["card_id"] != int(data["card_id"]) and upcoming["version"] == 0
    assert set(upcoming["intervals"]) == {"again", "hard", "good", "easy"} and upcoming["front"]
    repeat = client.post(f"/study/{deck.id}/answer", data=data, headers=headers)
    assert repeat.status_code == 409 and repeat.get_json()["status"] == "duplicate"
    bad = client.post(f"/study/{deck.id}/answer", data={**data, "rating": "7"}, headers=headers)
    assert bad.status_code == 400 and "rating" in bad.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_each_request_reads_the_scheduler_parameters_afresh(client, auth, deck, learner):
    """Nothing a request keeps in `g` reaches the next one: once a new fit is saved, the next page shows
    its intervals (with one app context shared across requests, the old parameters stayed cached)."""
    import fsrs

    from studyapp.models import SchedulerFit

    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    page = f"/study/{deck.id}?reveal={hidden(html, 'card_id')}"
    before = re.findall(r'class="interval">([^<]+)<', client.get(page).get_data(as_text=True))
    parameters = list(fsrs.Scheduler().parameters)
    parameters[3] = 60.0  # initial stability after Easy: about 60 days instead of 8
    db.session.add(SchedulerFit(user_id=learner.id, fitted_at=NOW, parameters=parameters, n_reviews=1000,
                                logloss_default=0.4, logloss_fitted=0.3, accepted=True))
    after = re.findall(r'class="interval">([^<]+)<', client.get(page).get_data(as_text=True))
    assert before[:3] == after[:3] and before[3] == "8d" and after[3] != before[3]


def test_pages_read_the_apps_clock(client, clock, auth, deck, learner):
    auth.login()
    assert hidden(client.get(f"/study/{deck.id}").get_data(as_text=True), "shown_at") == NOW.isoformat()
    later = clock.advance(timedelta(hours=2))
    assert hidden(client.get(f"/study/{deck.id}").get_data(as_text=True), "shown_at") == later.isoformat()


def test_a_view_bug_fails_the_test_instead_of_rendering_the_500_page(app, client):
    """TESTING propagates exceptions (test_security checks the friendly page with propagation off)."""
    import pytest

    @app.route("/boom-in-test")
    def boom():
        raise RuntimeError("a view bug")

    with pytest.raises(RuntimeError, match="a view bug"):
        client.get("/boom-in-test")
