"""Constants and helpers shared by the tests (conftest.py holds only fixtures)."""
from __future__ import annotations

import contextvars
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import has_app_context
from flask.testing import FlaskClient

from studyapp import create_app, settings
from studyapp.extensions import db
from studyapp.models import utcnow

ROOT = Path(__file__).resolve().parent.parent
CARDS_DIR = ROOT / "cards"
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)
PASSWORD = "correct-horse-9"


def database_url(tmp_path: Path) -> str:
    """SQLite in the test's own folder, or the PostgreSQL database named by DATABASE_URL.

    On PostgreSQL every test starts from empty tables too (created and dropped around it).
    """
    url = settings.from_environment().get("SQLALCHEMY_DATABASE_URI")
    return url or f"sqlite:///{tmp_path / 'test.sqlite3'}"


class Clock:
    """A pinned clock for the app's `CLOCK` setting: it reads `at` until a test moves it."""

    def __init__(self, at: datetime = NOW):
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at

    def advance(self, delta: timedelta) -> datetime:
        self.at += delta
        return self.at


class IsolatedClient(FlaskClient):
    """A test client whose every request runs as a server would run it: in a fresh context, with its own
    app context, `g` and database session, none of them shared with the test body or earlier requests.

    Before each request the test body's session (if it has one) commits, as the setup a real client
    would find must be in the database; objects it holds are then re-read after the request.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


def make_test_app(tmp_path: Path, **overrides):
    """An app for one test: its own SQLite file (or DATABASE_URL), errors raised rather than rendered
    (TESTING propagates exceptions), and a pinned clock (`CLOCK`, at NOW) unless overridden."""
    config = {
        "TESTING": True,
        "CLOCK": Clock(),
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "SCHEDULER_FUZZ": False,
        "RATELIMIT_ENABLED": False,
        "CARDS_DIR": str(CARDS_DIR),
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    CREATED_APPS.append(app)
    return app


CREATED_APPS: list = []  # conftest disposes their connection pools after each test


def dispose_created_apps() -> None:
    while CREATED_APPS:
        app = CREATED_APPS.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def make_user(username: str, role: str = "learner", tz: str = "UTC"):
    from studyapp.services.users import create_user

    user = create_user(db.session, username, PASSWORD, role, utcnow(), timezone=tz)
    db.session.commit()
    return user


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str | None:
    match = CSRF_RE.search(html)
    return (match.group(1) or match.group(2)) if match else None


def token(client, path: str = "/login") -> str:
    """A CSRF token for this client's session, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    found = csrf_token(html)
    assert found, f"no csrf token on {path}"
    return found


def post(client, path: str, data: dict | None = None, token_from: str = "/study/", **kwargs):
    """POST with the session's CSRF token, as a browser submitting our form would."""
    data = dict(data or {})
    data.setdefault("csrf_token", token(client, token_from))
    return client.post(path, data=data, **kwargs)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username="alice", password=PASSWORD, next_url: str | None = None):
        path = "/login" + (f"?next={next_url}" if next_url else "")
        return self.client.post(path, data={"username": username, "password": password,
                                            "csrf_token": token(self.client, "/login")})

    def logout(self):
        return post(self.client, "/logout", token_from="/logout")


def hidden(html: str, name: str) -> str:
    """The value of a form's hidden field (or any input named `name`)."""
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"'
                      rf'|id="{name}" name="{name}" type="hidden" value="([^"]*)"', html)
    if not match:
        match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no field {name!r} on the page"
    return next(g for g in match.groups() if g is not None)


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with this id (up to its first child tag)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)<', html, re.S)
    assert match, f"no #{element_id}"
    return match.group(1).strip()


def study_cards(user, deck, ratings, now: datetime | None = None, step: timedelta = timedelta(seconds=20)) -> list:
    """Answer the next cards of `deck` with these ratings through the study service, as the study page
    would, and commit. By default the answers are ten minutes before the app's clock (pages see them)."""
    from studyapp.services import study as study_service

    now = now or utcnow() - timedelta(minutes=10)
    cards = []
    for rating in ratings:
        showing = study_service.next_showing(db.session, user, deck, now)
        study_service.record_answer(db.session, user, showing.card, rating, showing.version, now,
                                    settings=study_service.settings_for(deck), fuzz=False)
        cards.append(showing.card)
        now += step
    db.session.commit()
    return cards
