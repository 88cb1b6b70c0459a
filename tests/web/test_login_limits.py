"""Login limits a school can live with: failures are counted (not successes), per account and per address, with
a back-off, in the database so that every worker and server shares them; /register is limited per address."""
from datetime import timedelta

from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import ThrottleEvent, User, utcnow
from studyapp.services.users import create_user

from support import PASSWORD, csrf_token, make_test_app

SCHOOL = "203.0.113.7"


def limited_app(tmp_path, app, **overrides):
    """Another app object on the test's database with the limits on, reading the same pinned clock."""
    return make_test_app(tmp_path, RATELIMIT_ENABLED=True, CLOCK=app.config["CLOCK"], **overrides)


def try_login(client, username, password, address=SCHOOL, headers=None):
    environ = {"REMOTE_ADDR": address}
    page = client.get("/login", environ_base=environ)
    return client.post("/login", environ_base=environ, headers=headers or {}, data={
        "username": username, "password": password, "csrf_token": csrf_token(page.get_data(as_text=True))})


def make_class(size: int) -> list[str]:
    names = [f"pupil{i:02d}" for i in range(size)]
    for name in names:
        create_user(db.session, name, PASSWORD, "learner", utcnow())
    db.session.commit()
    return names


def test_thirty_learners_behind_one_address_all_get_in(tmp_path, app):
    names = make_class(30)
    limited = limited_app(tmp_path, app)
    codes = []
    for number, name in enumerate(names):
        client = limited.test_client()
        if number % 3 == 0:  # every third learner mistypes first
            codes.append(try_login(client, name, "not-my-password").status_code)
        codes.append(try_login(client, name, PASSWORD).status_code)
    assert 429 not in codes
    assert codes.count(302) == 30


def test_thirty_wrong_passwords_for_one_account_are_throttled(tmp_path, app, learner, clock):
    limited = limited_app(tmp_path, app)
    client = limited.test_client()
    codes = [try_login(client, "alice", f"guess-number-{i}").status_code for i in range(30)]
    assert codes[:5] == [200] * 5                  # five free failures
    assert codes.count(429) >= 24                  # then every try waits (the clock does not move here)
    refused = try_login(client, "alice", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many login attempts" in refused.get_data(as_text=True)
    # Only failures that were tried are stored; refusals are not.
    assert db.session.scalar(select(db.func.count()).select_from(ThrottleEvent)) == 5
    # From another address too: the limit is the account's.
    assert try_login(limited.test_client(), "alice", PASSWORD, address="198.51.100.9").status_code == 429
    clock.advance(timedelta(seconds=int(refused.headers["Retry-After"])))
    assert try_login(client, "alice", PASSWORD).status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(ThrottleEvent)) == 0  # success clears the account


def test_back_off_doubles_with_each_failure(tmp_path, app, learner, clock):
    limited = limited_app(tmp_path, app)
    client = limited.test_client()
    waits = []
    for i in range(9):
        response = try_login(client, "alice", f"guess-{i}")
        while response.status_code == 429:
            wait = int(response.headers["Retry-After"])
            waits.append(wait)
            clock.advance(timedelta(seconds=wait))
            response = try_login(client, "alice", f"guess-{i}")
    assert waits == [2, 4, 8, 16]


def test_many_failures_from_one_address_slow_that_address_only(tmp_path, app, learner):
    make_class(3)
    limited = limited_app(tmp_path, app, LOGIN_FREE_FAILURES_PER_ADDRESS=6)
    client = limited.test_client()
    codes = [try_login(client, f"pupil{i % 3:02d}", "wrong-password-x").status_code for i in range(6)]
    assert codes == [200] * 6                       # two failures per account: under the account limit
    assert try_login(client, "alice", PASSWORD).status_code == 429
    assert try_login(limited.test_client(), "alice", PASSWORD, address="198.51.100.9").status_code == 302


def test_forged_forwarded_for_does_not_change_the_address_without_trust_proxy(tmp_path, app):
    make_class(3)
    limited = limited_app(tmp_path, app, LOGIN_FREE_FAILURES_PER_ADDRESS=3)
    client = limited.test_client()
    codes = [try_login(client, f"pupil{i:02d}", "wrong-password-x", headers={"X-Forwarded-For": f"10.9.9.{i}"}
                       ).status_code for i in range(3)]
    codes.append(try_login(client, "pupil00", PASSWORD, headers={"X-Forwarded-For": "10.9.9.200"}).status_code)
    assert codes == [200, 200, 200, 429]


def test_the_limit_is_shared_by_two_app_servers_on_one_database(tmp_path, app, learner):
    first, second = limited_app(tmp_path, app), limited_app(tmp_path, app)  # two processes' worth of app, one database
    codes = []
    for i in range(8):
        server = (first, second)[i % 2]
        codes.append(try_login(server.test_client(), "alice", f"guess-{i}").status_code)
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3


def test_register_is_limited_per_address_and_so_are_taken_name_answers(tmp_path, app, learner):
    limited = limited_app(tmp_path, app, REGISTRATIONS_PER_ADDRESS_HOUR=3, TAKEN_ANSWERS_PER_ADDRESS_HOUR=2)

    def register(username, address=SCHOOL):
        client = limited.test_client()
        page = client.get("/register", environ_base={"REMOTE_ADDR": address})
        return client.post("/register", environ_base={"REMOTE_ADDR": address}, data={
            "username": username, "password": "violet-lantern-harbour", "confirm": "violet-lantern-harbour",
            "timezone": "UTC", "csrf_token": csrf_token(page.get_data(as_text=True))})

    assert [register(f"new{i}").status_code for i in range(3)] == [302, 302, 302]
    refused = register("new3")
    assert refused.status_code == 429 and "Too many accounts" in refused.get_data(as_text=True)
    assert register("new3", address="198.51.100.9").status_code == 302
    # Probing for existing names: two answers, then the address must wait.
    other = "192.0.2.44"
    assert "That username is taken" in register("alice", other).get_data(as_text=True)
    assert "That username is taken" in register("new0", other).get_data(as_text=True)
    probe = register("new1", other)
    assert probe.status_code == 429 and "taken" not in probe.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 5
