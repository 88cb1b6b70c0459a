"""The learner's progress pages through the test client: what they show, suspending, and safe output."""
import re
from datetime import timedelta

from sqlalchemy import select

from studyapp.domain.days import study_day
from studyapp.domain.notes import CardStatus, CardType
from studyapp.domain.scheduler import Rating
from studyapp.extensions import db
from studyapp.models import Card, CardState, utcnow

from payloads import unsafe_markup
from support import NOW, post, study_cards, text_of


def test_progress_page_before_and_after_studying(client, auth, deck, learner):
    auth.login()
    html = client.get("/progress").get_data(as_text=True)
    assert text_of(html, f"today-done-{deck.id}") == "0"
    assert text_of(html, f"today-new-{deck.id}") == "20"
    assert text_of(html, "streak") == "0 days" and text_of(html, "heatmap-today") == "0"
    assert "No cards studied yet." in html and "default FSRS parameters" in html
    study_cards(learner, deck, [Rating.GOOD, Rating.AGAIN, Rating.EASY])
    html = client.get("/progress").get_data(as_text=True)
    assert text_of(html, f"today-done-{deck.id}") == "3"
    assert text_of(html, "streak") == "1 day" and text_of(html, "heatmap-today") == "3"
    assert text_of(html, "bucket-learning") == "2" and text_of(html, "bucket-young") == "1"
    assert int(text_of(html, "bucket-new")) == len(deck_cards(deck)) - 3
    assert f"{study_day(utcnow(), 'UTC').isoformat()}: 3 answers</title>" in html  # today's heatmap cell


def test_the_page_reads_the_pinned_clock_and_the_rollover_setting(app, client, clock, auth, deck, learner):
    """At 04:05 UTC, answers given at 03:55 belong to yesterday's study day (the day rolls over at 4 AM);
    with DAY_ROLLOVER_HOUR = 3 they are today's. The page reads the app's clock, never the wall clock."""
    clock.set(NOW.replace(hour=4, minute=5))
    study_cards(learner, deck, [Rating.GOOD, Rating.AGAIN, Rating.EASY], now=NOW.replace(hour=3, minute=55))
    auth.login()
    html = client.get("/progress").get_data(as_text=True)
    assert text_of(html, "heatmap-today") == "0" and text_of(html, "streak") == "1 day"
    yesterday = (NOW - timedelta(days=1)).date().isoformat()
    assert f"{yesterday}: 3 answers</title>" in html and "a day starts at 4:00" in html
    app.config["DAY_ROLLOVER_HOUR"] = 3
    html = client.get("/progress").get_data(as_text=True)
    assert text_of(html, "heatmap-today") == "3" and f"{NOW.date().isoformat()}: 3 answers</title>" in html
    assert text_of(html, f"today-done-{deck.id}") == "3"


def deck_cards(deck):
    return db.session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == CardStatus.ACTIVE)).all()


def test_charts_are_inline_svg_with_text_alternatives_and_no_style_or_script(client, auth, deck, learner):
    study_cards(learner, deck, [Rating.GOOD])
    auth.login()
    html = client.get("/progress").get_data(as_text=True)
    assert html.count("<svg") == 2 and html.count('role="img"') == 2
    assert "viewBox=" in html and "Answers per month (table)" in html and "Cards due per day (table)" in html
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing from elsewhere


def test_card_page_shows_history_curve_and_suspend_button(client, auth, deck, learner):
    (card,) = study_cards(learner, deck, [Rating.AGAIN])
    study_cards(learner, deck, [Rating.GOOD], now=utcnow() - timedelta(minutes=5))  # the same card, a step later
    auth.login()
    html = client.get(f"/progress/card/{card.id}").get_data(as_text=True)
    assert text_of(html, "answer-count") == "2"
    assert html.count('<tr><td class="stack-head"><time') == 2 and "Again" in html and "Good" in html
    assert "Predicted recall per day (table)" in html and html.count('<th scope="row">') == 29
    assert "Suspend this card" in html
    assert client.get("/progress/card/999999").status_code == 404


def test_suspend_and_unsuspend_through_the_page(client, auth, deck, learner):
    (card,) = study_cards(learner, deck, [Rating.GOOD])
    auth.login()
    page = f"/progress/card/{card.id}"
    response = post(client, f"/progress/suspend/{card.id}", {"back": "card"}, token_from=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    state = db.session.scalar(select(CardState).where(CardState.card_id == card.id))
    db.session.refresh(state)
    assert state.suspended
    html = client.get("/progress").get_data(as_text=True)
    assert text_of(html, "bucket-suspended") == "1" and "Suspended cards" in html and "Unsuspend" in html
    response = post(client, f"/progress/unsuspend/{card.id}", {"back": "index"}, token_from=page)
    assert response.status_code == 302 and "/progress" in response.headers["Location"]
    db.session.refresh(state)
    assert not state.suspended
    assert client.get(f"/progress/suspend/{card.id}").status_code == 405


def test_suspending_a_card_never_studied_changes_nothing(client, auth, deck, learner):
    card = deck_cards(deck)[0]
    auth.login()
    response = post(client, f"/progress/suspend/{card.id}", {"back": "index"}, token_from="/progress",
                    follow_redirects=True)
    assert "You have not studied that card yet" in response.get_data(as_text=True)
    assert db.session.scalar(select(CardState)) is None
    assert post(client, "/progress/suspend/999999", token_from="/progress").status_code == 404


def test_a_bad_back_value_is_refused_without_a_change(client, auth, deck, learner):
    (card,) = study_cards(learner, deck, [Rating.GOOD])
    auth.login()
    response = post(client, f"/progress/suspend/{card.id}", {"back": "https://evil.example"},
                    token_from="/progress", follow_redirects=True)
    assert "could not be read" in response.get_data(as_text=True)
    assert not db.session.scalar(select(CardState.suspended))


def test_hostile_card_text_is_inert_on_the_progress_pages(client, auth, deck, learner, instructor):
    (card,) = study_cards(learner, deck, [Rating.AGAIN])
    card.prompt = "<script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    card.type = CardType.BASIC
    db.session.commit()
    auth.login()
    for path in ("/progress", f"/progress/card/{card.id}"):
        assert_inert(client.get(path).get_data(as_text=True), path)
    auth.logout()
    auth.login("teacher")
    for path in ("/instructor/progress", f"/instructor/progress/learner/{learner.id}"):
        assert_inert(client.get(path).get_data(as_text=True), path)


def assert_inert(html, path):
    """Nothing on the page can run script; our own charts (inline SVG from domain.stats) aside."""
    charts = re.findall(r"<svg .*?</svg>", html, re.S)
    assert all("<script" not in svg and not re.search(r"\son\w+=", svg) and "alert" not in svg for svg in charts)
    rest = re.sub(r"<svg .*?</svg>", "", html, flags=re.S)
    assert unsafe_markup(rest) == [], path
    assert "<script>alert" not in html and "<img src=x" not in html, path


def test_a_month_starting_in_the_calendars_last_week_keeps_its_whole_label():
    """The calendar ended in the week of 1 December: its "Dec" label was cut to "De" by the SVG's edge."""
    from datetime import date

    from studyapp.domain import stats
    from studyapp.progress import charts

    svg = str(charts.heatmap_svg(stats.heatmap({}, date(2026, 12, 3), days=365)))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])
    last_label_x = float(re.findall(r'<text class="axis" x="([\d.]+)" y="10"[^>]*>Dec</text>', svg)[-1])
    assert width >= last_label_x + 18


def test_a_card_failed_minutes_ago_shows_learning_not_a_recall_of_100_percent(client, auth, deck, learner):
    """Whole-day elapsed time is 0 for a card answered minutes ago, so the model's "recall now" read 100% for a
    card failed twice that morning. Until a card is past its learning steps the pages say "learning"."""
    from studyapp.services import progress

    failed, good = study_cards(learner, deck, [Rating.AGAIN, Rating.GOOD])
    study_cards(learner, deck, [Rating.AGAIN], now=utcnow() - timedelta(minutes=5))  # the failed card, again
    auth.login()
    html = client.get("/progress").get_data(as_text=True)
    weakest = html[html.index('id="weakest"'):html.index('aria-labelledby="quiz-h"')]
    assert "100%" not in weakest
    assert weakest.count('<span class="muted">learning</span>') == 2
    card_page = client.get(f"/progress/card/{failed.id}").get_data(as_text=True)
    assert card_page.split('id="recall-now">')[1].startswith('<span class="muted">learning</span>')
    overview = progress.card_overview(db.session, learner, utcnow())
    assert {seen.card_id for seen, _ in overview.weakest} == {failed.id, good.id}
    assert all(seen.learning and seen.shown_recall is None for seen, _ in overview.weakest)


def test_retention_says_what_it_counts_next_to_the_session_summarys_correct(client, auth, deck, learner):
    study_cards(learner, deck, [Rating.GOOD])
    auth.login()
    html = client.get("/progress").get_data(as_text=True)
    assert "Retention of review cards, " in html
    assert "counts every answer of the day" in html  # the study session's "Correct", told apart


def test_a_card_forgotten_in_review_leads_the_weakest_cards(client, auth, deck, learner):
    from studyapp.services import progress
    from studyapp.services import study as study_service

    kept, forgotten = study_cards(learner, deck, [Rating.EASY, Rating.EASY], now=utcnow() - timedelta(days=3))
    state = db.session.scalar(select(CardState).where(CardState.user_id == learner.id, CardState.card_id == forgotten.id))
    study_service.record_answer(db.session, learner, forgotten, Rating.AGAIN, state.version, utcnow() - timedelta(minutes=3),
                                settings=study_service.settings_for(deck), fuzz=False)
    db.session.commit()
    (first, _), (second, _) = progress.card_overview(db.session, learner, utcnow()).weakest
    assert (first.card_id, first.learning, first.shown_recall) == (forgotten.id, True, None)  # relearning, no 100%
    assert second.card_id == kept.id and second.shown_recall is not None
