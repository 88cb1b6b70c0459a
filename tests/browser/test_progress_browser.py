"""A learner studies three cards and watches /progress change; the instructor opens the class page."""
import re

import pytest

from browser_helpers import wait_study_ready

pytestmark = pytest.mark.browser


def study_three_cards(page, base):
    page.goto(f"{base}/study/")
    page.click("text=Study now")
    wait_study_ready(page)
    for key in ("3", "3", "1"):
        front = page.inner_text("#front")
        page.keyboard.press("Space")
        page.wait_for_selector("#back", state="visible")
        page.keyboard.press(key)
        page.wait_for_function(
            "(prev) => !document.querySelector('#front') || document.querySelector('#front').innerText !== prev",
            arg=front)


def test_studying_changes_the_progress_page_and_both_pages_render(live_app, live_server, page, browser):
    from studyapp.domain.days import study_day

    from browser_helpers import login, screenshot

    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.goto(f"{live_server}/progress")
    assert page.inner_text("[id^=today-done-]") == "0"
    assert page.inner_text("#heatmap-today") == "0"
    today = study_day(live_app.config["CLOCK"](), "UTC").isoformat()  # the server's (pinned) clock
    assert page.locator("svg.heatmap rect title", has_text=f"{today}: 0 answers").count() == 1

    study_three_cards(page, live_server)

    page.goto(f"{live_server}/progress")
    assert page.inner_text("[id^=today-done-]") == "3"
    assert page.inner_text("#heatmap-today") == "3"
    assert page.inner_text("#streak") == "1 day"
    assert page.locator("svg.heatmap rect title", has_text=f"{today}: 3 answers").count() == 1
    assert page.locator("table.weakest tbody tr").count() == 3
    screenshot(page, "progress-learner")

    page.click("table.weakest tbody tr:first-child a.card-front")
    page.wait_for_selector("#answer-count")
    assert int(page.inner_text("#answer-count")) >= 1
    assert page.locator("table.history tbody tr").count() == int(page.inner_text("#answer-count"))
    assert page.locator("svg.line-chart").count() == 1

    teacher = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    login(teacher, live_server, "teacher")
    teacher.goto(f"{live_server}/instructor/progress")
    row = teacher.locator("#class-grid tbody tr", has_text="alice")
    assert row.count() == 1 and row.locator("td").nth(1).inner_text() == "3"  # answers in 30 days
    screenshot(teacher, "progress-class")
    teacher.click("#class-grid a:text('alice')")
    teacher.wait_for_selector("text=Progress of alice")
    assert teacher.inner_text("[id^=today-done-]") == "3"
    teacher.context.close()


def test_progress_page_fits_a_phone(live_server, browser):
    from browser_helpers import login

    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    login(page, live_server)
    page.wait_for_url(re.compile(r"/study/$"))
    page.goto(f"{live_server}/progress")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    box = page.locator(".chart:not(.chart-heatmap) svg").first.bounding_box()
    assert box["width"] <= 375 and box["width"] > 250  # the forecast chart scales to the screen
    context.close()
