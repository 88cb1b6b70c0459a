import pytest
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import User

from support import PASSWORD, token


def test_register_logs_in_and_hashes_the_password(client):
    response = client.post("/register", data={"username": "carol", "password": "long-enough-1",
                                              "confirm": "long-enough-1", "timezone": "Europe/Paris",
                                              "csrf_token": token(client, "/register")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/study/")
    user = db.session.scalar(select(User).where(User.username == "carol"))
    assert user.role == "learner" and user.timezone == "Europe/Paris"
    assert user.password_hash.startswith("scrypt:") and "long-enough-1" not in user.password_hash
    assert client.get("/study/").status_code == 200


def test_register_form_shows_every_error_and_keeps_input(client, learner):
    html = client.post("/register", data={"username": "alice", "password": "short", "confirm": "other",
                                          "timezone": "Nowhere/City",
                                          "csrf_token": token(client, "/register")}).get_data(as_text=True)
    assert "Use at least 8 characters." in html
    assert "The two passwords differ." in html
    assert "Choose a time zone from the list" in html
    assert 'value="alice"' in html
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_taken_username_is_reported(client, learner):
    html = client.post("/register", data={"username": "ALICE", "password": "long-enough-1",
                                          "confirm": "long-enough-1", "timezone": "UTC",
                                          "csrf_token": token(client, "/register")}).get_data(as_text=True)
    assert "That username is taken" in html


def test_login_and_logout(client, auth, learner):
    response = auth.login()
    assert response.status_code == 302
    assert client.get("/study/").status_code == 200
    assert auth.logout().status_code == 302
    assert client.get("/study/").status_code == 302


@pytest.mark.parametrize("username,password", [("alice", "wrong-password"), ("nobody", PASSWORD)])
def test_failed_login_has_one_generic_message(client, auth, learner, username, password):
    html = auth.login(username, password).get_data(as_text=True)
    assert "Unknown username or wrong password." in html
    assert client.get("/study/").status_code == 302


def test_login_form_fields_are_named_username_and_password(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html


@pytest.mark.parametrize("target,expected", [
    ("/study/1", "/study/1"),
    ("https://evil.example/x", "/study/"),
    ("//evil.example/x", "/study/"),
    ("/\\evil.example", "/study/"),
    ("javascript:alert(1)", "/study/"),
])
def test_next_after_login_stays_on_this_site(client, auth, learner, target, expected):
    response = auth.login(next_url=target)
    assert response.headers["Location"] == expected


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get("/study/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_post_without_csrf_token_is_refused(client, auth, learner):
    auth.login()
    response = client.post("/logout")
    assert response.status_code == 400
    assert client.get("/study/").status_code == 200  # still logged in


def test_logout_by_get_only_asks(client, auth, learner):
    auth.login()
    assert "Log out?" in client.get("/logout").get_data(as_text=True)
    assert client.get("/study/").status_code == 200


def test_instructor_lands_on_instructor_area_when_it_exists(client, auth, instructor):
    response = auth.login("teacher")
    assert response.status_code == 302


# --- sessions that end (issue 12) -------------------------------------------------------------------------

def _copy_cookies(source, target, names=("session", "studyapp_remember")) -> None:
    """Put `source`'s cookies into `target`, as an attacker who copied them from the browser would."""
    for name in names:
        cookie = source.get_cookie(name)
        if cookie is not None:
            target.set_cookie(name, cookie.value)


def _login(client, username="alice", password=PASSWORD, remember=False):
    data = {"username": username, "password": password, "csrf_token": token(client, "/login")}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def test_a_copied_session_cookie_is_dead_after_logout(app, client, auth, learner):
    assert _login(client).status_code == 302
    thief = app.test_client()
    _copy_cookies(client, thief, names=("session",))
    assert thief.get("/progress").status_code == 200          # the copy works while the login lives
    assert auth.logout().status_code == 302
    response = thief.get("/progress")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_copied_remember_me_cookie_is_dead_after_logout(app, client, auth, learner):
    assert _login(client, remember=True).status_code == 302
    assert client.get_cookie("studyapp_remember") is not None
    thief = app.test_client()
    _copy_cookies(client, thief, names=("studyapp_remember",))
    assert auth.logout().status_code == 302
    assert client.get_cookie("studyapp_remember") is None     # the owner's browser forgets it too
    assert thief.get("/progress").status_code == 302


def test_remember_me_token_is_random_and_replaced_on_use(app, client, learner):
    _login(client, remember=True)
    first = client.get_cookie("studyapp_remember").value
    other = app.test_client()
    _login(other, remember=True)
    assert other.get_cookie("studyapp_remember").value != first    # not derived from the user id
    from studyapp.models import UserSession

    stored = db.session.scalars(select(UserSession.remember_hash)).all()
    assert first not in stored and all(len(h) == 64 for h in stored)  # only hashes are stored

    restarted = app.test_client()                                   # the browser restarted: no session cookie
    restarted.set_cookie("studyapp_remember", first)
    assert restarted.get("/progress").status_code == 200
    assert restarted.get_cookie("studyapp_remember").value != first  # rotated on use
    replay = app.test_client()
    replay.set_cookie("studyapp_remember", first)
    assert replay.get("/progress").status_code == 302               # the used token opens nothing again
    assert restarted.get("/progress").status_code == 200


def test_the_old_user_id_remember_cookie_opens_nothing(app, client, learner):
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        old_style = encode_cookie(str(learner.id))  # what Flask-Login's remember cookie held before
    client.set_cookie("remember_token", old_style)
    assert client.get("/progress").status_code == 302


def test_unused_logins_end_and_remembered_ones_last_thirty_days(app, client, clock, learner):
    from datetime import timedelta

    _login(client)
    clock.advance(timedelta(hours=13))
    assert client.get("/progress").status_code == 302
    remembered = app.test_client()
    _login(remembered, remember=True)
    clock.advance(timedelta(days=20))
    assert remembered.get("/progress").status_code == 200
    clock.advance(timedelta(days=31))
    assert remembered.get("/progress").status_code == 302


def test_login_rotates_the_csrf_token_and_the_session(app, client, learner):
    before = token(client, "/login")
    thief = app.test_client()
    _copy_cookies(client, thief, names=("session",))           # a session fixed before the login
    _login(client)
    after = token(client, "/study/")
    assert before != after
    assert thief.get("/progress").status_code == 302            # the pre-login cookie did not become a login


def test_logged_in_pages_are_not_stored_by_caches(client, auth, learner):
    auth.login()
    assert client.get("/progress").headers["Cache-Control"] == "no-store"
    assert client.get("/study/").headers["Cache-Control"] == "no-store"
    with client.get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_last_seen_is_recorded_every_few_minutes(app, client, clock, learner):
    from datetime import timedelta

    from studyapp.models import UserSession

    _login(client)
    clock.advance(timedelta(minutes=6))
    assert client.get("/progress").status_code == 200
    db.session.expire_all()
    row = db.session.scalars(select(UserSession)).one()
    assert row.last_seen_at == clock()


def test_registration_refuses_common_and_username_like_passwords(client):
    for password in ("password", "12345678", "qwertyuiop", "carol2026", "Carol-carol"):
        html = client.post("/register", data={"username": "carol", "password": password, "confirm": password,
                                              "timezone": "UTC", "csrf_token": token(client, "/register")}
                           ).get_data(as_text=True)
        assert "Choose a longer, less common password" in html or "from your username" in html, password
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 0


def test_downloads_are_not_stored_by_caches(client, auth, deck, instructor):
    auth.login("teacher")
    response = client.get("/instructor/progress/export.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
