"""Hypothesis drives the account forms: any input gives a page (never a 500), and a rejected form writes nothing."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.models import User

from support import token

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(max_size=80)


@FUZZ
@given(username=text, password=text, confirm=text, tz=text)
def test_register_never_fails_badly(client, username, password, confirm, tz):
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/register", data={"username": username, "password": password, "confirm": confirm,
                                              "timezone": tz, "csrf_token": token(client, "/register")})
    assert response.status_code in (200, 302) or ("\x00" in username + password + confirm + tz
                                                   and response.status_code == 400)
    after = db.session.scalar(select(func.count()).select_from(User))
    if response.status_code in (200, 400):
        assert after == before, "a rejected registration wrote an account"
    else:
        assert after == before + 1
        client.post("/logout", data={"csrf_token": token(client, "/logout")})


@FUZZ
@given(username=text, password=text)
def test_login_never_fails_badly(client, learner, username, password):
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token(client, "/login")})
    assert response.status_code in (200, 302) or ("\x00" in username + password and response.status_code == 400)
    if response.status_code == 302:
        client.post("/logout", data={"csrf_token": token(client, "/logout")})
