"""The Alembic migrations build the schema the models describe, and upgrade old databases with their data."""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from studyapp.extensions import db


def test_migrations_match_the_models(empty_app):
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, db.metadata)
    assert diffs == [], f"models and migrations disagree; run `flask db migrate`: {diffs}"


def test_upgrade_from_the_first_migration_keeps_data(empty_app):
    upgrade(revision="0001")
    now = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc).replace(tzinfo=None)
    with db.engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO users (id, username, password_hash, role, timezone, created_at) "
                             "VALUES (1, 'old', 'x', 'learner', 'UTC', :t)"), {"t": now})
        conn.execute(sa.text("INSERT INTO decks (id, slug, name, description, desired_retention, new_per_day, "
                             "reviews_per_day, learning_steps, relearning_steps, created_at) VALUES "
                             "(1, 'd', 'Deck', '', 0.9, 20, 200, '1m 10m', '10m', :t)"), {"t": now})
        conn.execute(sa.text("INSERT INTO cards (id, deck_id, key, note_key, kind, type, prompt, answer, alternatives, "
                             "explanation, tags, fact_key, status, position, distractors, created_at, updated_at) "
                             "VALUES (1, 1, 'k', 'k', 'fact', 'basic', 'P', 'A', '[]', 'E', '', 'k', 'active', 0, "
                             "'[]', :t, :t)"), {"t": now})
        conn.execute(sa.text("INSERT INTO review_logs (id, user_id, card_id, rating, reviewed_at, source, "
                             "shown_version, state_before, state_after, after) VALUES "
                             "(1, 1, 1, 3, :t, 'study', 0, 0, 1, '{}')"), {"t": now})
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT username FROM users")).scalar_one() == "old"
        assert conn.execute(sa.text("SELECT rating FROM review_logs")).scalar_one() == 3
        assert conn.execute(sa.text("SELECT prompt FROM cards")).scalar_one() == "P"
        heads = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(empty_app.extensions["migrate"].migrate.get_config())
    assert heads == [script.get_current_head()]


def test_downgrade_to_the_first_migration_works(empty_app):
    upgrade()
    downgrade(revision="0001")
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one() == "0001"
