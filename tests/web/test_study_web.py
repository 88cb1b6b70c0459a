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
    page = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert hidden(page, "review_id") == str(db.session.scalar(select(ReviewLog.id)))
    response = post(client, f"/study/{deck.id}/undo", {"review_id": hidden(page, "review_id")},
                    follow_redirects=True)
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


def _json_answer(client, deck_id: int, html_or_card, rating: int = 3, token: str | None = None):
    """POST an answer as the study page's script does: a JSON body, the CSRF token in a header."""
    if isinstance(html_or_card, str):
        card = {"card_id": int(hidden(html_or_card, "card_id")), "version": int(hidden(html_or_card, "version")),
                "shown_at": hidden(html_or_card, "shown_at")}
        token = token or hidden(html_or_card, "csrf_token")
    else:
        card = {k: html_or_card[k] for k in ("card_id", "version", "shown_at")}
    return client.post(f"/study/{deck_id}/answer", json={**card, "rating": rating},
                       headers={"X-CSRFToken": token, "Accept": "application/json"})


class StatementLog:
    """Every statement the engine sends, and where transactions end (commit or rollback)."""

    def __init__(self, engine):
        self.engine, self.events = engine, []

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._sql)
        event.listen(self.engine, "commit", self._end)
        event.listen(self.engine, "rollback", self._end)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._sql)
        event.remove(self.engine, "commit", self._end)
        event.remove(self.engine, "rollback", self._end)

    def _sql(self, conn, cursor, statement, parameters, context, executemany):
        self.events.append(" ".join(statement.split()))

    def _end(self, conn):
        self.events.append(None)

    @property
    def statements(self) -> list[str]:
        return [e for e in self.events if e is not None]

    @property
    def write_transactions(self) -> int:
        count, writing = 0, False
        for event in self.events + [None]:
            if event is None:
                count, writing = count + writing, False
            elif event.split()[0].upper() in ("INSERT", "UPDATE", "DELETE") or "IMMEDIATE" in event.upper():
                writing = True
        return count


def test_the_pages_json_answer_costs_at_most_6_statements_and_one_write_transaction(client, clock, auth, deck,
                                                                                        learner):
    """The browser's path (issue 13): one request per answered card, answered with the next card, its
    intervals and today's counts, in at most 6 SQL statements (BEGINs included) and 1 write transaction:
    the session check (user and login in one SELECT), the answer's read, the next card's read, then
    BEGIN IMMEDIATE, the state's UPDATE (or first INSERT) and the log's INSERT. The reads run outside any
    transaction (db_setup.reads_outside_transaction), so there is no read transaction to roll back.
    Before: 27 statements, 3 transactions (2 writing) and 2 round trips per card; then 8."""
    auth.login()
    deck_id = deck.id
    html = client.get(f"/study/{deck_id}").get_data(as_text=True)
    token = hidden(html, "csrf_token")
    card = {"card_id": int(hidden(html, "card_id")), "version": 0, "shown_at": hidden(html, "shown_at")}
    costs = []
    db.session.commit()  # the test's own session: nothing of it in the statements counted below
    for step, rating in enumerate((1, 1, 3, 1, 3, 4)):
        if step == 3:
            clock.advance(timedelta(minutes=2))  # the Again cards (1m) fall due: answers update states
        with StatementLog(db.engine) as log:
            response = _json_answer(client, deck_id, card, rating, token)
        assert response.status_code == 201, response.get_data(as_text=True)
        body = response.get_json()
        costs.append((len(log.statements), log.write_transactions))
        assert log.write_transactions == 1, "\n".join(str(e)[:90] for e in log.events)
        assert len(log.statements) <= 6, log.statements
        read = lambda sql: sql.startswith(("SELECT", "WITH"))  # noqa: E731  (the queue's read starts WITH)
        first_write = next(i for i, sql in enumerate(log.statements) if not read(sql))
        assert all(not read(sql) for sql in log.statements[first_write:]), log.statements  # reads first
        if db.engine.dialect.name == "sqlite":  # the only BEGIN is the write's, right before its two statements
            assert log.statements[first_write:-2] == ["BEGIN IMMEDIATE"], log.statements
        upcoming = body["next"]
        assert set(upcoming["intervals"]) == {"again", "hard", "good", "easy"} and upcoming["front"]
        assert set(body["counts"]) >= {"new", "learning", "review", "done"} and body["counts"]["done"] == step + 1
        card = upcoming
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 6
    assert db.session.scalar(select(func.count()).select_from(CardState).where(CardState.version > 1)) >= 1, costs


def test_the_json_answer_needs_the_csrf_header(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    card = {"card_id": int(hidden(html, "card_id")), "version": 0, "shown_at": hidden(html, "shown_at"), "rating": 3}
    refused = client.post(f"/study/{deck.id}/answer", json=card, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    assert _json_answer(client, deck.id, html).status_code == 201


def test_json_counts_and_next_card_match_the_page(client, auth, deck, learner):
    """What the script shows after an answer is what a page load would show."""
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    body = _json_answer(client, deck.id, html, rating=1).get_json()
    assert body["next"]["reveal_url"] == f"/study/{deck.id}?reveal={body['next']['card_id']}"
    page = client.get(body["next"]["reveal_url"]).get_data(as_text=True)
    assert hidden(page, "card_id") == str(body["next"]["card_id"]) and hidden(page, "version") == "0"
    assert re.findall(r'class="interval">([^<]+)<', page) == [body["next"]["intervals"][k]
                                                              for k in ("again", "hard", "good", "easy")]
    for name in ("new", "learning", "review"):
        assert re.search(rf'class="count-{name}" title="[^"]+">{body["counts"][name]}<', page), name
    assert hidden(page, "review_id") == str(body["review_id"])


def test_a_retired_card_cannot_be_answered(client, auth, deck, learner):
    from studyapp.domain.notes import CardStatus
    from studyapp.models import Card

    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    db.session.get(Card, int(hidden(html, "card_id"))).status = CardStatus.RETIRED
    response = _json_answer(client, deck.id, html)
    assert response.status_code == 409 and "retired" in response.get_json()["message"]
    form = post(client, f"/study/{deck.id}/answer", {"card_id": hidden(html, "card_id"), "version": "0",
                                                     "rating": "3", "shown_at": hidden(html, "shown_at")},
                follow_redirects=True)
    assert "retired by your instructor" in form.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 0


def test_a_card_of_a_draft_deck_cannot_be_answered_by_a_learner(client, auth, deck, learner):
    from studyapp.domain.notes import DeckStatus
    from studyapp.models import Deck

    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    db.session.get(Deck, deck.id).status = DeckStatus.DRAFT
    assert _json_answer(client, deck.id, html).status_code == 404
    form = post(client, f"/study/{deck.id}/answer", {"card_id": hidden(html, "card_id"), "version": "0",
                                                     "rating": "3", "shown_at": hidden(html, "shown_at")},
                token_from="/progress")
    assert form.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 0


def test_a_double_submitted_undo_takes_back_one_answer(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    first = _json_answer(client, deck.id, html, rating=3).get_json()
    _json_answer(client, deck.id, first["next"], rating=3, token=hidden(html, "csrf_token"))
    page = client.get(f"/study/{deck.id}").get_data(as_text=True)
    form = {"review_id": hidden(page, "review_id"), "csrf_token": hidden(page, "csrf_token")}
    assert client.post(f"/study/{deck.id}/undo", data=form).status_code == 302
    again = client.post(f"/study/{deck.id}/undo", data=form, follow_redirects=True)
    assert "Nothing to undo" in again.get_data(as_text=True)
    assert db.session.scalars(select(ReviewLog.id)).all() == [first["review_id"]]


def test_the_json_answers_next_card_uses_a_newly_stored_fit(client, auth, deck, learner):
    """The learner's parameters are cached per fit row; a fit stored after the page was shown is used by the
    very next answer's intervals (each worker sees the new fit's id in its card query)."""
    import fsrs

    from studyapp.models import SchedulerFit

    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    before = _json_answer(client, deck.id, html, rating=3).get_json()["next"]
    parameters = list(fsrs.Scheduler().parameters)
    parameters[3] = 60.0  # initial stability after Easy
    db.session.add(SchedulerFit(user_id=learner.id, fitted_at=NOW, parameters=parameters, n_reviews=1000,
                                logloss_default=0.4, logloss_fitted=0.3, accepted=True))
    after = _json_answer(client, deck.id, before, rating=3, token=hidden(html, "csrf_token")).get_json()["next"]
    assert before["intervals"]["easy"] == "8d" and after["intervals"]["easy"] != "8d"


def test_a_suspended_card_cannot_be_answered(client, clock, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    card_id = int(hidden(html, "card_id"))
    assert _json_answer(client, deck.id, html, rating=1).status_code == 201
    db.session.scalar(select(CardState).where(CardState.card_id == card_id)).suspended = True
    shown = {"card_id": card_id, "version": 1, "shown_at": hidden(html, "shown_at")}
    response = _json_answer(client, deck.id, shown, token=hidden(html, "csrf_token"))
    assert response.status_code == 409 and "suspended" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
