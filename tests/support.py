"""Constants and helpers shared by the tests (conftest.py holds only fixtures)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

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


def make_test_app(tmp_path: Path, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "SCHEDULER_FUZZ": False,
        "RATELIMIT_ENABLED": False,
        "CARDS_DIR": str(CARDS_DIR),
    }
    config.update(overrides)
    app = create_app(config)
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
