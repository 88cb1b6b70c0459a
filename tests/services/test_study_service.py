from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.domain.deckfile import parse_text
from studyapp.domain.notes import CardStatus
from studyapp.domain.scheduler import Rating
from studyapp.extensions import db
from studyapp.models import Card, CardState, Deck, ReviewLog
from studyapp.services import study
from studyapp.services.decks import load_deck

from support import NOW, make_user

DECK = """
[deck]
id = "t"
name = "Test deck"
new_per_day = {new}
reviews_per_day = {reviews}

[[section]]
id = "s"
title = "S"

""" + "\n".join(f"""
[[card]]
id = "c{i}"
section = "s"
prompt = "Q{i}"
answer = "A{i}"
explanation = "E{i}"
""" for i in range(1, 7)) + """
[[card]]
id = "twin-a"
prompt = "Twin A"
answer = "x"
explanation = "e"
fact = "twin"

[[card]]
id = "twin-b"
prompt = "Twin B"
answer = "x"
explanation = "e"
fact = "twin"
"""


@pytest.fixture
def small_deck(app):
    return make_deck()


def make_deck(new=20, reviews=200):
    spec = parse_text(DECK.format(new=new, reviews=reviews), "t.toml")
    report = load_deck(db.session, spec, NOW)
    db.session.commit()
    return report.deck


def answer(user, deck, now, rating=Rating.GOOD):
    showing = study.next_showing(db.session, user, deck, now)
    assert showing is not None
    study.record_answer(db.session, user, showing.card, rating, showing.version, now,
                        settings=study.settings_for(deck), fuzz=False)
    db.session.commit()
    return showing


def test_new_cards_come_in_deck_order_and_learning_cards_come_back_first(small_deck, learner):
    first = answer(learner, small_deck, NOW, Rating.AGAIN)       # c1 -> learning, due in 1 minute
    assert first.card.key == "c1" and first.queue == "new"
    second = study.next_showing(db.session, learner, small_deck, NOW)
    assert second.card.key == "c2"                               # c1 is not due yet: next new card
    later = study.next_showing(db.session, learner, small_deck, NOW + timedelta(minutes=2))
    assert later.card.key == "c1" and later.queue == "learning"  # due learning card beats new


def test_reviews_due_come_before_new_cards(small_deck, learner):
    answer(learner, small_deck, NOW, Rating.EASY)                # c1 straight to review, due in days
    state = db.session.scalar(select(CardState))
    tomorrow = state.due + timedelta(hours=1)
    showing = study.next_showing(db.session, learner, small_deck, tomorrow)
    assert showing.card.key == "c1" and showing.queue == "review"


def test_new_card_limit_per_day(app, learner):
    deck = make_deck(new=2)
    for _ in range(2):
        answer(learner, deck, NOW, Rating.EASY)
    assert study.next_showing(db.session, learner, deck, NOW) is None
    assert study.deck_counts(db.session, learner, deck, NOW).new == 0
    next_day = NOW + timedelta(days=1)
    assert study.deck_counts(db.session, learner, deck, next_day).new == 2


def test_the_new_card_limit_resets_at_the_rollover_hour(app, learner):
    """The study day starts at the rollover hour (DAY_ROLLOVER_HOUR, passed in by the views)."""
    deck = make_deck(new=1)
    answer(learner, deck, NOW.replace(hour=3, minute=30), Rating.EASY)
    at_half_past_four = NOW.replace(hour=4, minute=30)
    assert study.deck_counts(db.session, learner, deck, at_half_past_four).new == 1     # a new day since 04:00
    assert study.deck_counts(db.session, learner, deck, at_half_past_four, rollover_hour=5).new == 0
    assert study.next_showing(db.session, learner, deck, at_half_past_four, rollover_hour=5) is None
    summary = study.day_summary(db.session, learner, deck, at_half_past_four, rollover_hour=5)
    assert summary.reviewed == 1


def test_review_limit_per_day(app, learner):
    deck = make_deck(new=20, reviews=1)
    for _ in range(3):
        answer(learner, deck, NOW, Rating.EASY)
    states = db.session.scalars(select(CardState)).all()
    much_later = max(s.due for s in states) + timedelta(days=1)
    answer(learner, deck, much_later, Rating.GOOD)
    showing = study.next_showing(db.session, learner, deck, much_later)
    assert showing is None or showing.queue != "review"


def test_siblings_are_not_shown_on_the_same_day(app, learner):
    deck = make_deck()
    keys = []
    while (showing := study.next_showing(db.session, learner, deck, NOW)) is not None:
        keys.append(showing.card.key)
        study.record_answer(db.session, learner, showing.card, Rating.EASY, showing.version, NOW,
                            settings=study.settings_for(deck), fuzz=False)
        db.session.commit()
    assert "twin-a" in keys and "twin-b" not in keys
    next_day = NOW + timedelta(days=1)
    assert study.next_showing(db.session, learner, deck, next_day).card.key == "twin-b"


def test_day_rolls_over_at_four_local(app):
    user = make_user("nyc", tz="America/New_York")
    deck = make_deck(new=1)
    evening = NOW.replace(hour=7, minute=0)            # 02:00 in New York: still "yesterday"
    answer(user, deck, evening, Rating.EASY)
    assert study.next_showing(db.session, user, deck, evening.replace(hour=8, minute=59)) is None
    assert study.next_showing(db.session, user, deck, evening.replace(hour=9, minute=1)) is not None


def test_a_repeated_answer_is_refused_and_logged_once(small_deck, learner):
    showing = study.next_showing(db.session, learner, small_deck, NOW)
    settings = study.settings_for(small_deck)
    study.record_answer(db.session, learner, showing.card, Rating.GOOD, showing.version, NOW, settings=settings)
    db.session.commit()
    with pytest.raises(study.StaleAnswer):
        study.record_answer(db.session, learner, showing.card, Rating.EASY, showing.version, NOW, settings=settings)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1


def test_undo_restores_the_state_exactly(small_deck, learner):
    first = answer(learner, small_deck, NOW, Rating.GOOD)
    state = db.session.scalar(select(CardState).where(CardState.card_id == first.card.id))
    snapshot = (state.state, state.step, state.stability, state.difficulty, state.due, state.last_review,
                state.reps, state.lapses, state.version)
    later = NOW + timedelta(minutes=15)
    answer(learner, small_deck, later, Rating.AGAIN)                 # same card, now due
    assert study.undo_last(db.session, learner, small_deck) is not None
    db.session.commit()
    db.session.expire_all()
    state = db.session.scalar(select(CardState).where(CardState.card_id == first.card.id))
    assert (state.state, state.step, state.stability, state.difficulty, state.due, state.last_review,
            state.reps, state.lapses, state.version) == snapshot
    assert db.session.scalar(select(func.count()).select_from(ReviewLog)) == 1
    # undoing the first answer makes the card new again
    study.undo_last(db.session, learner, small_deck)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CardState)) == 0
    assert study.undo_last(db.session, learner, small_deck) is None


def test_answers_are_per_learner(small_deck, learner, other_learner):
    answer(learner, small_deck, NOW)
    assert study.next_showing(db.session, other_learner, small_deck, NOW).card.key == "c1"
    assert study.deck_counts(db.session, other_learner, small_deck, NOW).new == 7


def test_log_keeps_state_before_and_after_and_utc_times(small_deck, learner):
    answer(learner, small_deck, NOW, Rating.GOOD)
    log = db.session.scalar(select(ReviewLog))
    assert log.state_before == 0 and log.state_after == 1 and log.before is None
    assert log.after["step"] == 1 and log.source == "study"
    assert log.reviewed_at == NOW and log.reviewed_at.tzinfo is not None


def test_reload_after_edit_updates_in_place_keeps_history_and_retires_removed(small_deck, learner):
    answer(learner, small_deck, NOW)
    card = db.session.scalar(select(Card).where(Card.key == "c1"))
    card_id = card.id
    edited = DECK.format(new=20, reviews=200).replace('prompt = "Q1"', 'prompt = "Q1, reworded"')
    edited = edited.replace('[[card]]\nid = "c6"', '[[card]]\nid = "c6-gone"').replace(
        'id = "c6-gone"\nsection = "s"\nprompt = "Q6"', 'id = "c7"\nsection = "s"\nprompt = "Q7"')
    report = load_deck(db.session, parse_text(edited, "t.toml"), NOW)
    db.session.commit()
    assert report.updated == ["c1"] and report.retired == ["c6"] and report.added == ["c7"]
    card = db.session.get(Card, card_id)
    assert card.prompt == "Q1, reworded"
    assert db.session.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.card_id == card_id)) == 1
    retired = db.session.scalar(select(Card).where(Card.key == "c6"))
    assert retired.status == CardStatus.RETIRED
    again = load_deck(db.session, parse_text(edited, "t.toml"), NOW)
    assert again.added == again.updated == again.retired == []
    assert db.session.scalar(select(func.count()).select_from(Deck)) == 1


def test_the_next_card_picked_before_the_write_is_the_one_the_stored_answer_leaves(app, learner):
    """answer_card picks the next card and counts from its one read, before it writes (so the write
    transaction holds only the write). After every answer, the queue read afresh agrees: same card, same
    version, same counts, through learning steps, learn-ahead, siblings, the new-card limit and reviews."""
    deck = make_deck(new=5, reviews=200)
    now = NOW
    shown = study.load_card(db.session, learner.id, study.queue(db.session, learner.id, "UTC", deck, now)[0])
    ratings = [1, 3, 3, 4, 1, 2, 3, 3, 1, 3, 4, 3, 3, 3, 1, 3, 3, 3, 3, 3]
    seen_queues = set()
    for step, rating in enumerate(ratings):
        result = study.answer_card(db.session, learner.id, "UTC", deck.id, shown.id, rating, shown.version, now,
                                   fuzz=False)
        db.session.commit()
        picked, counts, _ = study.queue(db.session, learner.id, "UTC", deck, now)
        assert result.counts == counts, step
        if picked is None:
            assert result.next is None, step
            now += timedelta(minutes=30)  # the session ended early: come back later
            picked = study.queue(db.session, learner.id, "UTC", deck, now)[0]
            if picked is None:
                now += timedelta(days=2)
                picked = study.queue(db.session, learner.id, "UTC", deck, now)[0]
            shown = study.load_card(db.session, learner.id, picked)
            continue
        fresh = study.load_card(db.session, learner.id, picked)
        assert (result.next.id, result.next.queue, result.next.version) == (fresh.id, fresh.queue, fresh.version), step
        assert result.next.memory == fresh.memory, step
        seen_queues.add(fresh.queue)
        shown = fresh
        now += timedelta(seconds=40)
    assert seen_queues == {"new", "learning", "review"}, seen_queues


@pytest.mark.parametrize("answered_before", [False, True], ids=["first answer (INSERT)", "later answer (UPDATE)"])
def test_an_answer_stored_between_the_read_and_the_write_wins_and_the_other_is_refused(small_deck, learner,
                                                                                       answered_before):
    """The study answer reads (plan_answer), renders, then writes (store_answer); its reads may run outside any
    transaction (db_setup.reads_outside_transaction). Whatever another request stores in between, the write's
    compare-and-set (UPDATE ... WHERE version) or the unique (user, card) row refuses the late one: one log
    row, the first answer's state."""
    now = NOW
    if answered_before:
        answer(learner, small_deck, now, Rating.AGAIN)  # c1 in learning, version 1
        now += timedelta(minutes=5)
    shown = study.load_card(db.session, learner.id, study.queue(db.session, learner.id, "UTC", small_deck, now)[0])
    db.session.commit()
    late = study.plan_answer(db.session, learner.id, "UTC", small_deck.id, shown.id, Rating.EASY, shown.version, now,
                             fuzz=False)
    db.session.commit()  # the plan's reads are over; the other tab's answer comes in now
    first = study.answer_card(db.session, learner.id, "UTC", small_deck.id, shown.id, Rating.GOOD, shown.version, now,
                              fuzz=False)
    db.session.commit()
    with pytest.raises(study.StaleAnswer):
        study.store_answer(db.session, late)
    db.session.rollback()
    logs = db.session.scalars(select(ReviewLog).where(ReviewLog.card_id == shown.id)).all()
    assert [log.rating for log in logs] == [Rating.AGAIN] * answered_before + [Rating.GOOD]
    state = db.session.scalar(select(CardState).where(CardState.user_id == learner.id, CardState.card_id == shown.id))
    assert state.version == first.version == shown.version + 1
