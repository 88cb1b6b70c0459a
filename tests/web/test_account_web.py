"""The account page: change password (other logins end), time zone, see and end logins, log out everywhere;
an instructor or `flask reset-password` resets a learner's password to a temporary one that must be changed."""
import re

from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import User, UserSession

from support import PASSWORD, make_user, post, token

NEW_PASSWORD = "violet-lantern-harbour"


def login(client, username="alice", password=PASSWORD, remember=False):
    data = {"username": username, "password": password, "csrf_token": token(client, "/login")}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data)


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return post(client, "/account/password", {"current": current, "new": new, "confirm": confirm or new},
                token_from="/account")


def test_account_page_has_a_heading_labels_and_this_login(client, learner):
    login(client)
    html = client.get("/account", headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
                      ).get_data(as_text=True)
    assert "<h1>Your account</h1>" in html
    for field in ("current", "new", "confirm", "timezone"):
        assert re.search(rf'<label for="{field}"', html), field
    assert 'list="timezone-names"' in html and '<datalist id="timezone-names">' in html
    assert '<option value="Europe/Paris">' in html
    assert "this device" in html and "Log out everywhere" in html
    assert "js/timezone.js" in html
    assert "Reset a learner" not in html


def test_change_password_needs_the_current_one_and_a_good_new_one(client, learner):
    login(client)
    assert "Your current password is not that one." in change_password(client, current="wrong-one").get_data(as_text=True)
    assert "less common password" in change_password(client, new="password123").get_data(as_text=True)
    assert "from your username" in change_password(client, new="alice-alice-1").get_data(as_text=True)
    assert "The two passwords differ." in change_password(client, confirm="something-else").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, learner.id).password_hash == learner.password_hash


def test_change_password_ends_every_other_login_and_keeps_this_one(app, client, learner):
    login(client)
    other_device = app.test_client()
    login(other_device, remember=True)
    copy_of_this = app.test_client()
    copy_of_this.set_cookie("session", client.get_cookie("session").value)
    response = change_password(client)
    assert response.status_code == 302
    assert client.get("/progress").status_code == 200            # this browser stays logged in
    assert other_device.get("/progress").status_code == 302      # the other device is logged out
    other_device.delete_cookie("session")
    assert other_device.get("/progress").status_code == 302      # and its remember-me cookie is dead
    assert copy_of_this.get("/progress").status_code == 302      # this login's old cookie was replaced
    fresh = app.test_client()
    assert login(fresh, password=PASSWORD).status_code == 200    # the old password no longer works
    assert login(fresh, password=NEW_PASSWORD).status_code == 302


def test_time_zone_is_changed_and_an_unknown_one_refused(client, learner):
    login(client)
    response = post(client, "/account/timezone", {"timezone": "America/New_York"}, token_from="/account")
    assert response.status_code == 302
    html = post(client, "/account/timezone", {"timezone": "Mars/Olympus"}, token_from="/account").get_data(as_text=True)
    assert "Choose a time zone from the list" in html
    db.session.expire_all()
    assert db.session.get(User, learner.id).timezone == "America/New_York"


def test_end_another_login_and_log_out_everywhere(app, client, learner):
    login(client)
    phone = app.test_client()
    login(phone)
    laptop = app.test_client()
    login(laptop, remember=True)
    phone_row = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()[1]
    response = post(client, f"/account/logins/{phone_row.id}/end", token_from="/account")
    assert response.status_code == 302
    assert phone.get("/progress").status_code == 302
    assert laptop.get("/progress").status_code == 200
    assert post(client, "/account/logins/end-all", token_from="/account").status_code == 302
    assert client.get("/progress").status_code == 302
    assert laptop.get("/progress").status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(UserSession)) == 0


def test_a_learner_cannot_end_someone_elses_login(app, client, learner, other_learner):
    bobs = app.test_client()
    login(bobs, "bob")
    bob_row = db.session.scalars(select(UserSession)).one()
    login(client)
    post(client, f"/account/logins/{bob_row.id}/end", token_from="/account")
    assert bobs.get("/progress").status_code == 200


def test_instructor_resets_a_learners_password_which_must_then_be_changed(app, client, instructor, learner):
    learner_browser = app.test_client()
    login(learner_browser)
    login(client, "teacher")
    assert "Reset a learner" in client.get("/account").get_data(as_text=True)
    html = post(client, "/account/reset-password", {"username": "alice"}, token_from="/account/reset-password"
                ).get_data(as_text=True)
    temporary = re.search(r"<code>([a-z0-9-]{14})</code>", html).group(1)
    assert learner_browser.get("/progress").status_code == 302   # logged out everywhere
    fresh = app.test_client()
    assert login(fresh).status_code == 200                       # the old password is gone
    response = login(fresh, password=temporary)
    assert response.status_code == 302 and "/account/password" in response.headers["Location"]
    study = fresh.get("/study/")
    assert study.status_code == 302 and "/account/password" in study.headers["Location"]
    assert "Choose a new password" in fresh.get("/account/password").get_data(as_text=True)
    response = post(fresh, "/account/password", {"current": temporary, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
                    token_from="/account/password")
    assert response.status_code == 302
    assert fresh.get("/study/").status_code == 200


def test_reset_is_for_instructors_and_for_learners_only(app, client, instructor, learner):
    make_user("teacher2", "instructor")
    login(client)
    assert client.get("/account/reset-password").status_code == 403
    teacher = app.test_client()
    login(teacher, "teacher")
    html = post(teacher, "/account/reset-password", {"username": "teacher2"}, token_from="/account/reset-password"
                ).get_data(as_text=True)
    assert "Only learners" in html
    html = post(teacher, "/account/reset-password", {"username": "nobody"}, token_from="/account/reset-password"
                ).get_data(as_text=True)
    assert "No account has that username." in html


def test_flask_reset_password_prints_a_temporary_password(app, runner, client, learner):
    result = runner.invoke(args=["reset-password", "alice"])
    assert result.exit_code == 0, result.output
    temporary = re.search(r": ([a-z0-9-]{14})$", result.output.splitlines()[0]).group(1)
    response = login(client, password=temporary)
    assert "/account/password" in response.headers["Location"]
    assert runner.invoke(args=["reset-password", "nobody"]).exit_code != 0


def test_flask_create_user_has_the_forms_rules(runner):
    cases = {
        ("x",): "Use 3 to 64 characters",
        ("bad name",): "letters, digits",
        ("carol", "--timezone", "Mars/Olympus"): "time zone",
        ("carol", "--password", "password1"): "less common",
        ("carol", "--password", "carol-carol"): "username",
    }
    for args, message in cases.items():
        full = ["create-user", *args]
        if "--password" not in args:
            full += ["--password", "violet-lantern-harbour"]
        result = runner.invoke(args=full)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    ok = runner.invoke(args=["create-user", "carol", "--password", "violet-lantern-harbour", "--timezone", "Asia/Tokyo"])
    assert ok.exit_code == 0, ok.output
