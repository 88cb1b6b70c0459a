"""Helpers for the browser tests."""
from __future__ import annotations

from pathlib import Path

from support import PASSWORD, ROOT

SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def login(page, base: str, username: str = "alice", password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def checked_page(browser, **context_options):
    """A page in a context of its own that fails the test, at the end, on any script error or console error."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"browser errors: {errors}"


def wait_study_ready(page) -> None:
    """Wait until the study page's deferred script has bound its keys (a key pressed earlier is lost)."""
    page.wait_for_selector("#front")
    page.wait_for_function("() => document.documentElement.dataset.studyReady === 'true'")
