"""A learner logs in and studies three cards with the keyboard, in Debian's Chromium."""
import re

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser


def test_log_in_and_study_three_cards_with_the_keyboard(live_app, live_server, page):
    from studyapp.extensions import db
    from studyapp.models import ReviewLog

    from browser_helpers import login, screenshot

    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.click("text=Study now")
    page.wait_for_selector("#front")
    screenshot(page, "study-front")

    shown = []
    for rating_key in ("3", "1", "4"):
        front = page.inner_text("#front")
        shown.append(front)
        assert page.is_hidden("#back")
        page.keyboard.press("Space")
        page.wait_for_selector("#back", state="visible")
        assert page.inner_text(".rate-good .interval")  # the buttons show their intervals
        if rating_key == "3":
            screenshot(page, "study-back")
        url_before = page.url
        page.keyboard.press(rating_key)
        page.wait_for_function("(prev) => document.querySelector('#front') && document.querySelector('#front').innerText !== prev", arg=front)
        assert page.url.startswith(url_before.split("?")[0])
    assert len(set(shown)) == 3

    with live_app.app_context():
        logs = db.session.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
        assert [log.rating for log in logs] == [3, 1, 4]
        assert all(log.source == "study" for log in logs)

    # U undoes the last answer: the third card comes back.
    page.keyboard.press("u")
    page.wait_for_function("(prev) => document.querySelector('#front').innerText === prev", arg=shown[2])
    with live_app.app_context():
        assert [log.rating for log in db.session.scalars(select(ReviewLog).order_by(ReviewLog.id))] == [3, 1]


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
