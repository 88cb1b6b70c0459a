"""Shared fixtures: an app on a fresh database per test, the article deck loaded, accounts, a logged-in client.

The `app` fixture leaves its app context once the tables exist (flaskr style): every request the test
client sends gets its own app context, so `g` and the database session never carry over from one request
to the next (support.IsolatedClient). Test code that talks to the database directly (services, checks
after a request) runs in `app_context`, one app context for the test body, pushed automatically for every
test that uses `app`. Helpers live in tests/support.py.
"""
from __future__ import annotations

import os

import pytest

from studyapp.extensions import db
from studyapp.models import utcnow

from support import CARDS_DIR, SEED_ARTICLE, Auth, dispose_created_apps, make_test_app, make_user


@pytest.fixture(autouse=True)
def _close_connections():
    """Close the pools of every app a test made, so no connection outlives its test (psycopg warns)."""
    yield
    dispose_created_apps()


@pytest.fixture
def app(tmp_path):
    app = make_test_app(tmp_path)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def app_context(request):
    """The test body's own app context (and database session), for tests that use `app`."""
    if "app" not in request.fixturenames:
        yield None
        return
    app = request.getfixturevalue("app")
    with app.app_context() as ctx:
        yield ctx
        db.session.remove()


@pytest.fixture
def clock(app):
    """The app's pinned clock (support.Clock, at support.NOW): `clock.advance(timedelta(...))` moves it."""
    return app.config["CLOCK"]


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
