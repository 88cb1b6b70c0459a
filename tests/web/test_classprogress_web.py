"""Who may see which progress page: every route of both blueprints, for each kind of visitor; privacy;
the class grid and its CSV export."""
import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.domain.scheduler import Rating
from studyapp.extensions import db
from studyapp.models import Card, CardState, utcnow
from studyapp.services import study

from support import CARDS_DIR, make_user, post, study_cards

BLUEPRINTS = ("progress", "classprogress")


def rules(app):
    found = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in BLUEPRINTS]
    assert {r.endpoint for r in found} == {
        "progress.index", "progress.card", "progress.suspend", "progress.unsuspend",
        "classprogress.index", "classprogress.learner", "classprogress.export"}, "a new route needs a permission test"
    return found


def url(rule, card_id, user_id):
    values = {"card_id": card_id, "user_id": user_id}
    return rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]


def method(rule):
    return "POST" if "POST" in rule.methods else "GET"


@pytest.fixture
def studied(deck, learner, other_learner):
    """Alice answered two cards; Bob answered the deck's last card (Alice never saw it) four times."""
    study_cards(learner, deck, [Rating.GOOD, Rating.AGAIN])
    card = db.session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == "active")
                              .order_by(Card.position.desc())).first()
    at = utcnow() - timedelta(hours=2)
    for version, rating in enumerate([Rating.AGAIN, Rating.AGAIN, Rating.GOOD, Rating.GOOD]):
        study.record_answer(db.session, other_learner, card, rating, version, at + timedelta(minutes=15 * version),
                            settings=study.settings_for(deck), fuzz=False)
    db.session.commit()
    return card


def test_anonymous_visitors_are_sent_to_log_in_everywhere(app, client, deck, studied, learner):
    for rule in rules(app):
        path = url(rule, studied.id, learner.id)
        if method(rule) == "POST":
            response = post(client, path, token_from="/login")
        else:
            response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_a_learner_gets_their_own_pages_and_403_on_the_instructors(app, client, auth, deck, studied, learner,
                                                                   other_learner):
    auth.login("alice")
    for rule in rules(app):
        path = url(rule, studied.id, other_learner.id)
        if rule.endpoint.startswith("classprogress."):
            assert client.get(path).status_code == 403, path
        elif method(rule) == "POST":
            assert post(client, path, token_from="/progress").status_code == 302, path
        else:
            assert client.get(path).status_code == 200, path


def test_an_instructor_sees_every_page(app, client, auth, deck, studied, learner, instructor):
    auth.login("teacher")
    for rule in rules(app):
        path = url(rule, studied.id, learner.id)
        if method(rule) == "POST":
            response = post(client, path, token_from="/progress")
            assert response.status_code == 302, path  # an instructor suspends their own cards only
        else:
            assert client.get(path).status_code == 200, path
    assert client.get(f"/instructor/progress/learner/{instructor.id}").status_code == 404  # not a learner
    assert client.get("/instructor/progress/learner/999999").status_code == 404


def test_a_learner_never_sees_another_learners_history(client, auth, deck, studied, learner, other_learner):
    auth.login("alice")
    html = client.get(f"/progress/card/{studied.id}").get_data(as_text=True)
    assert "You have not studied this card yet." in html and "No answers yet." in html
    assert "bob" not in html
    html = client.get("/progress").get_data(as_text=True)
    assert re.search(rf'id="today-done-{deck.id}">2<', html)  # Alice's two answers, not Bob's four
    assert "bob" not in html
    # Alice's "suspend" on Bob's card does nothing to Bob's schedule
    post(client, f"/progress/suspend/{studied.id}", token_from="/progress")
    assert db.session.scalar(select(CardState.suspended).where(CardState.user_id == other_learner.id,
                                                               CardState.card_id == studied.id)) is False


def test_the_drill_down_is_the_learners_report_read_only(client, auth, deck, studied, other_learner, instructor):
    auth.login("teacher")
    html = client.get(f"/instructor/progress/learner/{other_learner.id}").get_data(as_text=True)
    assert "Progress of bob" in html and re.search(rf'id="today-done-{deck.id}">4<', html)
    assert "/progress/suspend/" not in html and "/progress/unsuspend/" not in html
    assert "/progress/card/" not in html  # card pages are the learner's own


def test_class_grid_lists_learners_with_mastery_classes_and_activity(client, auth, deck, studied, learner,
                                                                     other_learner, instructor):
    auth.login("teacher")
    html = client.get("/instructor/progress").get_data(as_text=True)
    grid = html[html.index('id="class-grid"'):html.index("</table>", html.index('id="class-grid"'))]
    assert "alice" in grid and "bob" in grid and "teacher" not in grid
    sections = db.session.scalar(select(db.func.count(db.distinct(Card.section_id))).where(Card.deck_id == deck.id))
    bob_row = grid[grid.index(">bob<"):].split("</tr>")[0]
    assert len(re.findall(r'class="num m[0-4]"', bob_row)) == sections + 1  # overall + one per section
    assert re.findall(r'<td class="num">(\d+)</td>', bob_row)[0] == "4"  # answers in 30 days
    assert "Facts the class struggles with" in html and "Quiz questions" in html
    assert " style=" not in html


def test_csv_export_has_one_row_per_learner_and_defuses_formulas(client, auth, deck, studied, instructor):
    make_user("=cmd|' /C calc'!A0")
    auth.login("teacher")
    response = client.get("/instructor/progress/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["learner", "last_activity_utc", "reviews_30d", "retention_30d_percent", "mastery_percent"]
    by_name = {row[0]: row for row in body}
    assert set(by_name) == {"alice", "bob", "'=cmd|' /C calc'!A0"}
    assert by_name["bob"][2] == "4" and by_name["alice"][2] == "2"
    assert all(len(row) == len(header) for row in body)
    assert by_name["'=cmd|' /C calc'!A0"][1] == ""  # never studied


# -- issue 15: honest numbers, decks heading their sections, a sticky learner column, ranking in words ------
def test_struggles_show_no_recall_for_cards_every_learner_is_still_learning(client, auth, deck, studied, learner,
                                                                           instructor):
    auth.login("teacher")
    html = client.get("/instructor/progress").get_data(as_text=True)
    struggles = html[html.index('id="struggles-h"'):html.index('id="cards-h"')]
    assert "still learning it: no recall predicted yet" in struggles  # alice's two cards, minutes after studying
    assert "1 −" not in struggles and "least likely to recall now" in struggles  # the ranking told in words
    from studyapp.services import class_progress

    # alice's two cards, answered minutes ago: their rows carry no recall
    rows = [r for r in class_progress.card_rows(db.session, utcnow()) if r.learners and r.card.id != studied.id]
    assert rows and all(r.mean_recall is None and r.still_learning == r.learners for r in rows)


def test_sections_of_two_decks_sit_under_their_own_deck_header_and_the_learner_column_sticks(
        client, auth, deck, studied, instructor, tmp_path):
    from studyapp.domain.deckfile import parse_file
    from studyapp.services.decks import load_deck

    text = (CARDS_DIR / "china-russia.toml").read_text(encoding="utf-8")
    text = text.replace('id = "china-russia"', 'id = "second-deck"', 1).replace(
        'name = "China and Russia: an imperfect partnership"', 'name = "A second deck"', 1)
    path = tmp_path / "second-deck.toml"
    path.write_text(text, encoding="utf-8")
    load_deck(db.session, parse_file(path), utcnow())
    db.session.commit()
    auth.login("teacher")
    html = client.get("/instructor/progress").get_data(as_text=True)
    head = html[html.index('id="class-grid"'):html.index("</thead>", html.index('id="class-grid"'))]
    decks = re.findall(r'<th scope="colgroup" colspan="(\d+)" class="deck-head">([^<]+)</th>', head)
    sections = db.session.scalar(select(db.func.count(db.distinct(Card.section_id))).where(Card.deck_id == deck.id))
    assert sorted(name for _, name in decks) == ["A second deck", "China and Russia: an imperfect partnership"]
    assert all(int(n) == sections for n, _ in decks)
    assert head.count('class="section-head') == 2 * sections
    assert '<th scope="col" rowspan="2" class="sticky-col">Learner</th>' in head
    assert 'class="sticky-col"><a href="/instructor/progress/learner/' in html
