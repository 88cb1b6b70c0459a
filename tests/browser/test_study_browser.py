"""A learner logs in and studies three cards with the keyboard, in Debian's Chromium."""
import re

import pytest
from sqlalchemy import select

from browser_helpers import wait_study_ready

pytestmark = pytest.mark.browser


def test_log_in_and_study_three_cards_with_the_keyboard(live_app, live_server, page):
    """Space shows the answer, 1-4 or Space (Good, as in Anki) answer it; each answer is ONE request, the
    JSON one (body and X-CSRFToken header), answered with the next card; focus moves to the new card and
    a live region announces it."""
    import json

    from studyapp.extensions import db
    from studyapp.models import ReviewLog

    from browser_helpers import login, screenshot

    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.click("text=Study now")
    wait_study_ready(page)
    assert page.locator("h1").count() == 1 and "Study" in page.inner_text("h1")
    screenshot(page, "study-front")
    requests = []
    page.on("request", lambda request: requests.append(request))

    shown = []
    for rating_key in ("3", "1", " "):
        front = page.inner_text("#front")
        shown.append(front)
        assert page.is_hidden("#back")
        page.keyboard.press("Space")
        page.wait_for_selector("#back", state="visible")
        assert page.inner_text(".rate-good .interval")  # the buttons show their intervals
        if rating_key == "3":
            screenshot(page, "study-back")
        url_before = page.url
        before = len(requests)
        page.keyboard.press("Space" if rating_key == " " else rating_key)
        page.wait_for_function("(prev) => document.querySelector('#front') && document.querySelector('#front').innerText !== prev", arg=front)
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'card'")
        assert page.url == url_before
        sent = requests[before:]
        assert len(sent) == 1, [(r.method, r.url) for r in sent]           # one round trip per card
        request = sent[0]
        assert request.method == "POST" and request.url.endswith("/answer")
        assert request.headers["content-type"].startswith("application/json") and request.headers["x-csrftoken"]
        body = json.loads(request.post_data)
        assert body["rating"] == (3 if rating_key == " " else int(rating_key)) and body["version"] == 0
        page.wait_for_function("() => document.getElementById('study-status').textContent.includes('Next card')")
    assert len(set(shown)) == 3

    with live_app.app_context():
        logs = db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
        assert [log.rating for log in logs] == [3, 1, 3]
        assert all(log.source == "study" for log in logs)

    # U undoes the last answer (the form names its review): the third card comes back.
    page.keyboard.press("u")
    page.wait_for_function("(prev) => document.querySelector('#front').innerText === prev", arg=shown[2])
    with live_app.app_context():
        assert [log.rating for log in db.session.scalars(select(ReviewLog).order_by(ReviewLog.id))] == [3, 1]


def test_a_failed_answer_request_falls_back_to_the_form_with_the_rating(live_app, live_server, browser):
    """The JSON request fails (network): the page submits the form the ordinary way, rating included.
    (Its own context: the aborted request is logged as a console error, which the `page` fixture refuses.)"""
    from studyapp.extensions import db
    from studyapp.models import ReviewLog

    from browser_helpers import login

    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    login(page, live_server)
    page.click("text=Study now")
    wait_study_ready(page)
    first = page.inner_text("#front")
    seen = []

    def drop_json(route):
        seen.append(route.request.headers.get("content-type", ""))
        if route.request.headers.get("content-type", "").startswith("application/json"):
            route.abort()
        else:
            route.continue_()

    page.route("**/answer", drop_json)
    page.keyboard.press("Space")
    page.keyboard.press("4")
    page.wait_for_function("(prev) => document.querySelector('#front') && document.querySelector('#front').innerText !== prev", arg=first)
    assert seen[0].startswith("application/json") and seen[1].startswith("application/x-www-form-urlencoded")
    with live_app.app_context():
        assert [log.rating for log in db.session.scalars(select(ReviewLog))] == [4]
    context.close()


def test_study_works_without_javascript(live_app, browser, live_server):
    from browser_helpers import login

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    login(page, live_server)
    page.click("text=Study now")
    page.click("text=Show answer")
    page.click("button.rate-good")
    page.wait_for_selector("#front")
    from studyapp.extensions import db
    from studyapp.models import ReviewLog
    with live_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ReviewLog)) == 1
    context.close()


def test_phone_layout_has_no_horizontal_scroll(live_server, browser):
    from browser_helpers import login, screenshot

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    login(page, live_server)
    page.click("text=Study now")
    page.click("text=Show answer")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(page, "study-phone")
    context.close()


def test_the_next_card_shows_its_own_context_line(live_app, live_server, page):
    """The script swaps in the next card's context line (shown only when it has one), as the page would."""
    from sqlalchemy import update

    from studyapp.extensions import db
    from studyapp.models import Card

    from browser_helpers import login

    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.click("text=Study now")
    wait_study_ready(page)
    first = int(page.get_attribute("#card", "data-card-id"))
    assert page.is_hidden("#card-context")
    with live_app.app_context():
        db.session.execute(update(Card).where(Card.id != first).values(context="The Sino-Russian partnership"))
        db.session.commit()
    page.keyboard.press("Space")
    page.wait_for_selector("#back", state="visible")
    page.keyboard.press("3")
    page.wait_for_function("(prev) => document.querySelector('#card').dataset.cardId !== String(prev)", arg=first)
    assert page.is_visible("#card-context") and page.inner_text("#card-context") == "The Sino-Russian partnership"
    page.wait_for_function("() => document.getElementById('study-status').textContent.includes('Sino-Russian')")
