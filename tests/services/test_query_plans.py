"""The study queue's queries use their indexes: the statements next_showing, deck_counts and the answer
path (answer_card) really run are captured and put through EXPLAIN QUERY PLAN (SQLite)."""
import pytest
from sqlalchemy import event

from studyapp.domain.scheduler import Rating
from studyapp.extensions import db
from studyapp.services import study

from support import NOW


@pytest.fixture
def captured(app, deck, learner):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    for _ in range(3):  # some learning and review states to look for
        showing = study.next_showing(db.session, learner, deck, NOW)
        study.record_answer(db.session, learner, showing.card, Rating.EASY, showing.version, NOW,
                            settings=study.settings_for(deck))
    db.session.commit()
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):  # the queue reads start WITH its row sets
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        study.next_showing(db.session, learner, deck, NOW)
        study.deck_counts(db.session, learner, deck, NOW)
        shown = study.next_showing(db.session, learner, deck, NOW)  # the answer path's two reads
        study.answer_card(db.session, learner.id, learner.timezone, deck.id, shown.card.id, Rating.GOOD,
                          shown.version, NOW, before_write=db.session.rollback)
        db.session.rollback()
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    raw = db.session.connection().connection.driver_connection
    return [(sql, "\n".join(row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params)))
            for sql, params in statements]


def plans_for(captured, fragment):
    found = [plan for sql, plan in captured if fragment in " ".join(sql.split())]
    assert found, f"no statement containing {fragment!r} ran"
    return found


def test_due_card_queries_search_the_learner_state_due_index(captured):
    for plan in plans_for(captured, "card_states.state IN"):
        assert "ix_card_states_user_state_due" in plan, plan
        assert "SCAN card_states" not in plan, plan


def test_todays_answers_are_found_by_the_user_time_index(captured):
    for plan in plans_for(captured, "FROM review_logs JOIN cards"):
        assert "ix_review_logs_user_time_outcome" in plan, plan


def test_the_answer_path_reads_are_captured(captured):
    assert plans_for(captured, "AS card_status") and plans_for(captured, "sections.title")


def test_new_cards_walk_the_deck_status_index(captured):
    for plan in plans_for(captured, "cards.id NOT IN"):
        assert "ix_cards_deck_status_position" in plan and "SCAN cards" not in plan, plan
