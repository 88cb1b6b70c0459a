"""Registration and the account page in Chromium at phone width: the browser's time zone is put in while the
field is untouched, the pages fit 390 px, and "log out everywhere" ends the login."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import User

from support import PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def phone(browser):
    from browser_helpers import checked_page

    yield from checked_page(browser, viewport={"width": 390, "height": 844}, timezone_id="Asia/Tokyo")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_register_preselects_the_browsers_time_zone_at_phone_width(live_app, live_server, phone):
    phone.goto(f"{live_server}/register")
    assert phone.input_value("#timezone") == "Asia/Tokyo"
    assert phone.is_visible("text=This device's time zone")
    assert no_sideways_scroll(phone)
    phone.fill("#username", "carol")
    phone.fill("#password", "violet-lantern-harbour")
    phone.fill("#confirm", "violet-lantern-harbour")
    phone.click("input[type=submit]")
    phone.wait_for_url(f"{live_server}/study/")
    with live_app.app_context():
        assert db.session.scalar(select(User.timezone).where(User.username == "carol")) == "Asia/Tokyo"
        db.session.remove()


def test_a_chosen_time_zone_is_not_overwritten(live_app, live_server, phone):
    phone.goto(f"{live_server}/login")
    phone.fill("#username", "alice")
    phone.fill("#password", PASSWORD)
    phone.click("input[type=submit]")
    with live_app.app_context():
        db.session.scalar(select(User).where(User.username == "alice")).timezone = "Europe/Paris"
        db.session.commit()
        db.session.remove()
    phone.goto(f"{live_server}/account")
    assert phone.input_value("#timezone") == "Europe/Paris"      # the saved zone stays
    assert phone.is_visible("text=This device's time zone")       # the device's zone is shown beside it


def test_account_page_fits_a_phone_and_logs_out_everywhere(live_app, live_server, phone):
    phone.goto(f"{live_server}/login")
    phone.fill("#username", "teacher")
    phone.fill("#password", PASSWORD)
    phone.check("#remember")
    phone.click("input[type=submit]")
    phone.goto(f"{live_server}/account")
    assert phone.inner_text("h1") == "Your account"
    assert phone.is_visible("text=this device")
    assert no_sideways_scroll(phone)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "account-390.png"), full_page=True)
    phone.click("text=Log out everywhere")
    phone.wait_for_url(f"{live_server}/login")
    phone.goto(f"{live_server}/progress")
    assert "/login" in phone.url


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_reset_and_forced_change_pages_are_accessible_at_phone_width(live_app, live_server, phone, browser):
    phone.goto(f"{live_server}/login")
    phone.fill("#username", "teacher")
    phone.fill("#password", PASSWORD)
    phone.click("input[type=submit]")
    phone.goto(f"{live_server}/account/reset-password")
    phone.fill("#username", "alice")
    phone.click("input[type=submit]")
    temporary = phone.inner_text(".temporary-password code")
    assert serious_axe_violations(phone) == [] and no_sideways_scroll(phone)
    learner = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    try:
        learner.goto(f"{live_server}/login")
        learner.fill("#username", "alice")
        learner.fill("#password", temporary)
        learner.click("input[type=submit]")
        learner.wait_for_url(f"{live_server}/account/password")
        assert learner.inner_text("h1") == "Choose a new password"
        assert serious_axe_violations(learner) == [] and no_sideways_scroll(learner)
    finally:
        learner.context.close()
