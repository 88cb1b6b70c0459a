"""Template filters and globals shared by every blueprint."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app
from flask_login import current_user

from .domain.days import zone

# (endpoint, label, role or None). Entries whose blueprint is not registered are skipped.
NAV = (
    ("quiz.index", "Quizzes", None),
    ("progress.index", "Progress", None),
    ("instructor.index", "Decks", "instructor"),
    ("generate.index", "Generate", "instructor"),
    ("classes.index", "Classes", "instructor"),
    ("classprogress.index", "Class progress", "instructor"),
)


def localtime(value: datetime | None, tz_name: str = "UTC", fmt: str = "%a %d %b %Y, %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(zone(tz_name)).strftime(fmt)


def nav_extra() -> list[tuple[str, str]]:
    out = []
    for endpoint, label, role in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if role == "instructor" and not (current_user.is_authenticated and current_user.is_instructor):
            continue
        out.append((endpoint, label))
    return out


def init_app(app: Flask) -> None:
    app.add_template_filter(localtime, "localtime")
    app.add_template_global(nav_extra, "nav_extra")
