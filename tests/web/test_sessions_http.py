"""Over real HTTP, against gunicorn with two workers on one database: cookies copied before logout are dead
after it, and the login limit holds whichever worker takes each attempt."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from studyapp.extensions import db
from studyapp.models import utcnow
from studyapp.services.users import create_user

from support import PASSWORD, ROOT, make_test_app

pytestmark = [pytest.mark.slow]

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    app = make_test_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.create_all()
        create_user(db.session, "alice", PASSWORD, "learner", utcnow())
        db.session.commit()
        db.session.remove()
    port = free_port()
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], SECRET_KEY="http-test-key")
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--workers", "2", "--bind",
                             f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "gunicorn.log").read_text()[-2000:]) from None
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
        log.close()
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def csrf(session: requests.Session, url: str) -> str:
    return CSRF.search(session.get(url, timeout=5).text).group(1)


def login(base: str, password: str = PASSWORD, remember: bool = False) -> requests.Response:
    session = requests.Session()
    data = {"username": "alice", "password": password, "csrf_token": csrf(session, f"{base}/login")}
    if remember:
        data["remember"] = "y"
    response = session.post(f"{base}/login", data=data, allow_redirects=False, timeout=5)
    response.browser = session
    return response


def with_cookie(name: str, value: str) -> requests.Session:
    session = requests.Session()
    session.cookies.set(name, value, domain="127.0.0.1", path="/")
    return session


def status(session: requests.Session, url: str) -> int:
    return session.get(url, allow_redirects=False, timeout=5, headers={"Connection": "close"}).status_code


def test_copied_cookies_are_dead_after_logout_over_http(server):
    response = login(server, remember=True)
    assert response.status_code == 302
    browser = response.browser
    copied_session = with_cookie("session", browser.cookies["session"])
    copied_remember = with_cookie("studyapp_remember", browser.cookies["studyapp_remember"])
    assert status(copied_session, f"{server}/progress") == 200      # the copy works while the login lives
    logout = browser.post(f"{server}/logout", data={"csrf_token": csrf(browser, f"{server}/logout")},
                          allow_redirects=False, timeout=5)
    assert logout.status_code == 302
    for _ in range(4):                                               # whichever worker answers
        assert status(copied_session, f"{server}/progress") == 302
        assert status(copied_remember, f"{server}/progress") == 302


def test_login_limit_holds_across_workers_over_http(server):
    codes = [login(server, password=f"guess-{i}").status_code for i in range(6)]
    # Five free failures, then a back-off of 2 s and more: the try straight after is refused, and so is the
    # right password straight after that, whichever of the two workers answers.
    assert codes == [200] * 5 + [429]
    assert login(server).status_code == 429
