"""Classes in the services and the migration: join codes, membership, scope, the default class of old installations."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from studyapp.extensions import db
from studyapp.services import classes as class_service

from support import NOW, make_user


def test_codes_are_unique_normalised_and_joining_twice_adds_one_row(app, deck):
    teacher, alice = make_user("teacher", "instructor"), make_user("alice")
    a = class_service.create_class(db.session, teacher, class_service.ClassInput("A", (deck.id,)), NOW)
    b = class_service.create_class(db.session, teacher, class_service.ClassInput("B"), NOW)
    assert a.join_code != b.join_code and len(a.join_code) == 8
    klass, joined = class_service.join(db.session, alice, " " + a.join_code.lower() + " ", NOW)
    assert klass.id == a.id and joined
    assert class_service.join(db.session, alice, a.join_code, NOW)[1] is False
    assert class_service.member_ids(db.session, a.id) == [alice.id]
    with pytest.raises(class_service.ClassError):
        class_service.join(db.session, alice, "", NOW)
    old = a.join_code
    class_service.new_code(db.session, a)
    assert class_service.find_by_code(db.session, old) is None


def test_bad_input_is_refused(app, deck):
    teacher = make_user("teacher", "instructor")
    for data in (class_service.ClassInput(" "), class_service.ClassInput("x" * 201),
                 class_service.ClassInput("ok", daily_minutes=0), class_service.ClassInput("ok", (999,))):
        with pytest.raises(class_service.ClassError):
            class_service.create_class(db.session, teacher, data, NOW)


def test_exam_datetime_is_the_instructors_local_time_in_utc():
    at = class_service.exam_datetime(date(2026, 7, 1), time(9, 0), "Europe/Berlin")
    assert at == datetime(2026, 7, 1, 7, 0, tzinfo=timezone.utc)
    assert class_service.exam_datetime(None, None, "UTC") is None


def test_exam_class_for_picks_the_nearest_exam_ahead(app, deck):
    teacher, alice = make_user("teacher", "instructor"), make_user("alice")
    later = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "later", (deck.id,), exam_at=datetime(2026, 5, 1, 9, tzinfo=timezone.utc)), NOW)
    sooner = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "sooner", (deck.id,), exam_at=datetime(2026, 4, 1, 9, tzinfo=timezone.utc)), NOW)
    past = class_service.create_class(db.session, teacher, class_service.ClassInput(
        "past", (deck.id,), exam_at=datetime(2026, 1, 1, 9, tzinfo=timezone.utc)), NOW)
    for klass in (later, past):
        class_service.add_member(db.session, klass, alice, NOW)
    assert class_service.exam_class_for(db.session, alice.id, deck.id, NOW).id == later.id
    class_service.add_member(db.session, sooner, alice, NOW)
    assert class_service.exam_class_for(db.session, alice.id, deck.id, NOW).id == sooner.id
    assert class_service.exam_class_for(db.session, alice.id, deck.id + 1, NOW) is None


def test_migration_puts_every_learner_of_an_old_installation_in_one_default_class(empty_app):
    upgrade(revision="0005")
    t = datetime(2026, 1, 5, 9, 0)
    with db.engine.begin() as conn:
        for uid, name, role in ((1, "teach", "instructor"), (2, "ann", "learner"), (3, "ben", "learner")):
            conn.execute(sa.text("INSERT INTO users (id, username, password_hash, role, timezone, created_at) "
                                 "VALUES (:id, :n, 'x', :r, 'UTC', :t)"), {"id": uid, "n": name, "r": role, "t": t})
        conn.execute(sa.text("INSERT INTO decks (id, slug, name, description, desired_retention, new_per_day, "
                             "reviews_per_day, learning_steps, relearning_steps, created_at, status) VALUES "
                             "(1, 'd', 'Deck', '', 0.9, 20, 200, '1m 10m', '10m', :t, 'published')"), {"t": t})
    upgrade()
    with db.engine.connect() as conn:
        classes = conn.execute(sa.text("SELECT id, name, instructor_id, is_default FROM classes")).all()
        assert len(classes) == 1 and classes[0][1:] == ("Everyone", 1, True)
        members = conn.execute(sa.text("SELECT user_id FROM class_members ORDER BY user_id")).scalars().all()
        assert members == [2, 3]
        assert conn.execute(sa.text("SELECT deck_id FROM class_decks")).scalars().all() == [1]


def test_seed_demo_learners_join_the_default_class(app, deck):
    from studyapp.services import demo

    teacher = make_user("teacher", "instructor")
    klass = class_service.ensure_default_class(db.session, teacher, [], NOW)
    report = demo.seed_demo(db.session, deck, 3, 5, NOW, fuzz=False)
    assert len(class_service.member_ids(db.session, klass.id)) == report.learners == 3
