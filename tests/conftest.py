"""Shared fixtures: an app on a fresh database per test, the article deck loaded, accounts, a logged-in client."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyapp import create_app
from studyapp.extensions import db
from studyapp.models import utcnow
from support import CARDS_DIR, SEED_ARTICLE, Auth, make_user


def database_url(tmp_path: Path) -> str:
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


@pytest.fixture
def learner(app):
    return make_user("alice")


@pytest.fixture
def other_learner(app):
    return make_user("bob")


@pytest.fixture
def instructor(app):
    return make_user("teacher", "instructor")


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
