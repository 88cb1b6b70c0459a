"""A live server in a thread and Debian's Chromium driven by Playwright (never a downloaded browser)."""
from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from browser_helpers import checked_page
from support import CARDS_DIR, PASSWORD, make_test_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def live_app(tmp_path):
    from studyapp.cli import _load
    from studyapp.extensions import db
    from studyapp.models import utcnow
    from studyapp.services.users import create_user

    app = make_test_app(tmp_path)
    with app.app_context():
        db.create_all()
        _load(CARDS_DIR)
        create_user(db.session, "alice", PASSWORD, "learner", utcnow())
        create_user(db.session, "teacher", PASSWORD, "instructor", utcnow())
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    # Werkzeug logs each request from the server's threads; a line written after pytest has closed its capture
    # prints "Logging error ... I/O operation on closed file". The pages' requests are checked by the tests.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"Debian's Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    yield from checked_page(browser, viewport={"width": 1100, "height": 900})
