"""Security properties that hold for every page: headers, cookies, CSRF on every state change, secrets."""
import pytest

from studyapp import ConfigurationError, create_app

from support import PASSWORD, make_test_app

# Endpoints that accept a state-changing method without a CSRF token, each with its reason.
CSRF_EXEMPT: dict[str, str] = {}


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Request-ID"]
    assert client.get("/nowhere").headers["Content-Security-Policy"] == csp


def test_templates_have_no_inline_script_or_style(app):
    import re
    from pathlib import Path

    folder = Path(app.root_path) / "templates"
    for template in folder.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"inline script in {template}"
        assert " style=" not in text and "<style" not in text, f"inline style in {template}"
        assert " on" not in re.sub(r"[^<]*(<[^>]*>)?", lambda m: " ".join(re.findall(r"\son\w+=", m.group(1) or "")),
                                   text), f"inline event handler in {template}"


def test_session_cookie_is_httponly_and_lax_and_secure_over_https(tmp_path):
    # A second app object, so requests get their own app context as in production.
    secure_client = make_test_app(tmp_path).test_client()
    cookie = secure_client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure_client = make_test_app(tmp_path).test_client()
    page = secure_client.get("/login", base_url="https://localhost")  # the CSRF token starts a session
    assert "Secure" in page.headers["Set-Cookie"] and "HttpOnly" in page.headers["Set-Cookie"]


def test_app_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": None})
    assert create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": None,
                       "TESTING": True}).testing


def test_a_flask_command_without_a_secret_key_says_so_in_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from flask.cli import FlaskGroup

    monkeypatch.delenv("SECRET_KEY", raising=False)
    cli = FlaskGroup(create_app=lambda: create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3", "SECRET_KEY": None}))
    result = CliRunner().invoke(cli, ["generate-cards", "--help"])
    assert result.exit_code == 1 and "Error: No SECRET_KEY" in result.output and "Traceback" not in result.output


def _sample_url(rule) -> str:
    from werkzeug.routing import IntegerConverter

    values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "x"
              for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def test_every_state_changing_route_needs_a_csrf_token(app, client, auth, instructor):
    auth.login("teacher")
    checked = 0
    for rule in app.url_map.iter_rules():
        unsafe = (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}
        if not unsafe or rule.endpoint == "static" or rule.endpoint in CSRF_EXEMPT:
            continue
        for method in unsafe:
            response = client.open(_sample_url(rule), method=method, data={})
            assert response.status_code == 400, f"{method} {rule.rule} accepted a request without a CSRF token"
            assert "The form expired" in response.get_data(as_text=True)
            checked += 1
    assert checked >= 3


def test_login_is_rate_limited_with_a_clear_message(tmp_path, learner):
    limited = make_test_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_FREE_FAILURES_PER_ACCOUNT=3)
    client = limited.test_client()
    from support import csrf_token

    codes = []
    for _ in range(5):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        codes.append(client.post("/login", data={"username": "alice", "password": "bad-pass-word",
                                                 "csrf_token": token}).status_code)
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    token = csrf_token(client.get("/login").get_data(as_text=True))
    page = client.post("/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token})
    assert page.status_code == 429  # even the right password waits: no guessing through the limit
    assert "Too many login attempts" in page.get_data(as_text=True)


def test_errors_are_friendly_pages_with_a_request_id(tmp_path, caplog):
    app = make_test_app(tmp_path, PROPAGATE_EXCEPTIONS=False)  # as in production: other tests let errors raise

    @app.route("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = app.test_client().get("/boom", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "req-123" in html and "kaboom" not in html
    assert any("req-123" in record.getMessage() for record in caplog.records)
    assert app.test_client().get("/missing").status_code == 404


def test_untrusted_host_headers_are_refused_so_share_links_cannot_point_elsewhere(tmp_path, app, deck, learner):
    from studyapp.extensions import db
    from studyapp.models import utcnow
    from studyapp.services import quiz as quizzes

    from support import csrf_token

    own = quizzes.create_quiz(db.session, learner, deck, utcnow(), length=5)
    own.published = True  # its owner sees the share link
    db.session.commit()
    client = make_test_app(tmp_path, TRUSTED_HOSTS=["study.example.org"]).test_client()
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    base = "http://study.example.org"
    page = client.get("/login", base_url=base).get_data(as_text=True)
    client.post("/login", base_url=base, data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_token(page)})
    html = client.get(f"/quiz/{own.id}", base_url=base).get_data(as_text=True)
    assert f"http://study.example.org/quiz/{own.id}" in html
    forged = client.get(f"/quiz/{own.id}", base_url=base, headers={"Host": "evil.example"})
    assert forged.status_code == 400 and "evil.example" not in forged.get_data(as_text=True)


def test_trusted_hosts_come_from_the_environment(monkeypatch):
    from studyapp import settings

    monkeypatch.setenv("TRUSTED_HOSTS", "study.example.org, .school.example")
    assert settings.from_environment()["TRUSTED_HOSTS"] == ["study.example.org", ".school.example"]
