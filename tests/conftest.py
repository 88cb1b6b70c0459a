"""Shared fixtures: an app on a fresh database per test, the article deck loaded, two accounts."""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from studyapp import create_app
from studyapp.extensions import db
from studyapp.models import utcnow

ROOT = Path(__file__).resolve().parent.parent
CARDS_DIR = ROOT / "cards"
SEED_ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)

PASSWORD = "correct-horse-9"


def database_url(tmp_path: Path) -> str:
    """SQLite in the test's folder, or a fresh schema on the PostgreSQL server named by TEST_DATABASE_URL."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(tmp_path):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "SCHEDULER_FUZZ": False,
        "RATELIMIT_ENABLED": False,
        "CARDS_DIR": str(CARDS_DIR),
    })
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def csrf_app(app):
    """The same app with CSRF checks on, for tests that exercise them."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def deck(app):
    from studyapp.domain.deckfile import parse_file
    from studyapp.services.decks import load_deck

    report = load_deck(db.session, parse_file(CARDS_DIR / "china-russia.toml"), utcnow())
    db.session.commit()
    return report.deck


def make_user(username: str, role: str = "learner", tz: str = "UTC"):
    from studyapp.services.users import create_user

    user = create_user(db.session, username, PASSWORD, role, utcnow(), timezone=tz)
    db.session.commit()
    return user


@pytest.fixture
def learner(app):
    return make_user("alice")


@pytest.fixture
def other_learner(app):
    return make_user("bob")


@pytest.fixture
def instructor(app):
    return make_user("teacher", "instructor")


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str | None:
    match = CSRF_RE.search(html)
    return (match.group(1) or match.group(2)) if match else None


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username="alice", password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


@pytest.fixture
def seed_article() -> str:
    if not SEED_ARTICLE.exists():
        pytest.skip("the seed article is only available where ../shared is")
    return SEED_ARTICLE.read_text(encoding="utf-8")


def pytest_report_header(config):
    return f"database: {os.environ.get('DATABASE_URL') or 'SQLite (per-test file)'}"
