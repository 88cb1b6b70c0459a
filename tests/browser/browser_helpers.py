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
