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
    assert "Not a valid choice" in html
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
