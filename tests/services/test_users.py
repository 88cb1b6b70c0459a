"""Account rules and login rows: password policy, username and time-zone rules, resets; sessions and limits."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from studyapp.extensions import db
from studyapp.models import ThrottleEvent, User, UserSession
from studyapp.services import sessions, throttle, users

from support import NOW, PASSWORD, make_user


@pytest.mark.parametrize("password,username", [
    ("password", "alice"), ("12345678", "alice"), ("qwertyuiop", "alice"), ("iloveyou2", "alice"),
    ("alice2026", "alice"), ("ALICE-alice", "alice"), ("sunshine1", "bob"), ("Password1!", "bob"),
    ("short", "bob"),
])
def test_common_short_and_username_like_passwords_are_refused(password, username):
    assert users.password_problems(password, username)


@pytest.mark.parametrize("password", [PASSWORD, "violet-lantern-harbour", "Tr0ub4dor&3x", "k7qm-x2pd-9wfa"])
def test_reasonable_passwords_pass(password):
    assert users.password_problems(password, "alice") == []


def test_very_long_passwords_are_scored_on_their_start_and_capped():
    assert users.password_problems("x7!" * 60, "alice") != []              # long but one pattern repeated
    assert users.password_problems("violet-lantern-harbour-" * 3, "alice") == []
    assert users.password_problems("a" * 201, "alice") == ["Use at most 200 characters."]


def test_username_and_timezone_rules():
    assert users.username_problems("al") and users.username_problems("a b c") and users.username_problems("x" * 65)
    assert users.username_problems("alice.b-2_c") == []
    assert users.timezone_problems("Europe/Paris") == [] and users.timezone_problems("UTC") == []
    assert users.timezone_problems("Mars/Olympus") and users.timezone_problems("Etc/GMT+5")


def test_temporary_passwords_are_random_readable_and_pass_the_policy():
    seen = {users.temporary_password() for _ in range(50)}
    assert len(seen) == 50
    for password in list(seen)[:10]:
        assert len(password) == 14 and password.count("-") == 2
        assert not set(password) & set("01ilo")
        assert users.password_problems(password, "alice") == []


def test_reset_sets_a_temporary_password_and_ends_every_login(app):
    user = make_user("alice")
    for _ in range(2):
        sessions.start(db.session, user, NOW, remember=True)
    temporary = users.reset_password(db.session, user)
    db.session.commit()
    assert user.must_change_password
    assert users.authenticate(db.session, "alice", temporary) is user
    assert users.authenticate(db.session, "alice", PASSWORD) is None
    assert db.session.scalar(select(db.func.count()).select_from(UserSession)) == 0


def test_change_password_checks_the_current_one_and_keeps_one_login(app):
    user = make_user("alice")
    kept = sessions.start(db.session, user, NOW, remember=False).row
    sessions.start(db.session, user, NOW, remember=True)
    with pytest.raises(users.PasswordRefused, match="current password"):
        users.change_password(db.session, user, "wrong", "violet-lantern-harbour", keep=kept)
    with pytest.raises(users.PasswordRefused, match="different"):
        users.change_password(db.session, user, PASSWORD, PASSWORD, keep=kept)
    assert users.change_password(db.session, user, PASSWORD, "violet-lantern-harbour", keep=kept) == 1
    assert db.session.scalars(select(UserSession.id)).all() == [kept.id]


def test_sessions_are_found_by_token_only_and_end(app):
    user = make_user("alice")
    issued = sessions.start(db.session, user, NOW, remember=True, user_agent="Mozilla/5.0 (Windows NT 10.0) Firefox/128.0")
    row = issued.row
    assert issued.token not in (row.token_hash, row.remember_hash) and len(row.token_hash) == 64
    assert sessions.find(db.session, issued.token, NOW) is row
    assert sessions.find(db.session, issued.remember_token, NOW) is None
    assert sessions.find_remembered(db.session, issued.remember_token, NOW) is row
    assert sessions.find(db.session, "x" * 500, NOW) is None and sessions.find(db.session, "", NOW) is None
    renewed = sessions.rotate(db.session, row, NOW)
    assert sessions.find(db.session, issued.token, NOW) is None
    assert sessions.find_remembered(db.session, issued.remember_token, NOW) is None
    assert sessions.find(db.session, renewed.token, NOW) is row
    assert sessions.describe_agent(row.user_agent) == "Firefox on Windows"
    sessions.end(db.session, row)
    assert sessions.find(db.session, renewed.token, NOW) is None


def test_sessions_expire_and_expired_rows_are_cleared_at_the_next_login(app):
    user = make_user("alice")
    short = sessions.start(db.session, user, NOW, remember=False)
    long = sessions.start(db.session, user, NOW, remember=True)
    later = NOW + timedelta(hours=12, seconds=1)
    assert sessions.find(db.session, short.token, later) is None
    assert sessions.find(db.session, long.token, later) is long.row
    assert [row.id for row in sessions.of_user(db.session, user.id, later)] == [long.row.id]
    sessions.start(db.session, user, later, remember=False)
    assert db.session.scalar(select(db.func.count()).select_from(UserSession)) == 2
    assert sessions.find(db.session, long.token, NOW + timedelta(days=30, seconds=1)) is None


def test_back_off_doubles_up_to_its_cap():
    rule = throttle.BackOff(free=5)
    assert [rule.wait(n).total_seconds() for n in (0, 4, 5, 6, 7, 8)] == [0, 0, 2, 4, 8, 16]
    assert rule.wait(30) == timedelta(minutes=15) and rule.wait(10**6) == timedelta(minutes=15)


def test_login_failures_count_per_account_and_address_and_old_ones_are_dropped(app):
    policy = throttle.Policy(account=throttle.BackOff(free=2), address=throttle.BackOff(free=3))
    for _ in range(2):
        throttle.record_login_failure(db.session, " Alice ", "198.51.100.1", NOW, policy)
    assert throttle.login_wait(db.session, "ALICE", "203.0.113.9", NOW, policy) == 2     # the account, any address
    assert throttle.login_wait(db.session, "bob", "203.0.113.9", NOW, policy) == 0
    throttle.record_login_failure(db.session, "bob", "198.51.100.1", NOW, policy)
    assert throttle.login_wait(db.session, "carol", "198.51.100.1", NOW, policy) == 2    # the address: 3 failures
    assert throttle.login_wait(db.session, "carol", "198.51.100.1", NOW + timedelta(seconds=2), policy) == 0
    throttle.clear_login_failures(db.session, "alice")
    assert throttle.login_wait(db.session, "alice", "203.0.113.9", NOW, policy) == 0
    throttle.record_login_failure(db.session, "dave", "192.0.2.1", NOW + timedelta(hours=2), policy)
    assert db.session.scalars(select(ThrottleEvent.account)).all() == ["dave"]             # older rows deleted


def test_users_table_default_for_must_change_password(app):
    user = make_user("alice")
    assert db.session.get(User, user.id).must_change_password is False
