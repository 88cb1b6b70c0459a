"""`flask optimize-scheduler`: fit a learner's own parameters, keep them only when they predict better."""
import math
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select

from studyapp.domain import scheduler
from studyapp.extensions import db
from studyapp.models import Card, Deck, ReviewLog, SchedulerFit
from studyapp.services import fitting, study

from support import make_user

START = datetime(2025, 6, 1, 9, 0, tzinfo=timezone.utc)


def make_cards(n: int) -> Deck:
    deck = Deck(slug="fit", name="Fit", created_at=START)
    db.session.add(deck)
    db.session.flush()
    db.session.execute(insert(Card), [
        {"deck_id": deck.id, "key": f"k{i}", "note_key": f"k{i}", "prompt": f"P{i}", "answer": "A",
         "fact_key": f"k{i}", "position": i, "alternatives": [], "distractors": [], "created_at": START,
         "updated_at": START} for i in range(n)])
    db.session.commit()
    return deck


def simulated_log(user, cards, days=200, seed=3):
    """Exponential forgetting with a short first half-life: a memory unlike FSRS's defaults."""
    rng = random.Random(seed)
    rows = []
    for card in cards:
        day = rng.randrange(0, days // 2)
        at = START + timedelta(days=day)
        rows += [(card.id, at, 3), (card.id, at + timedelta(minutes=10), 3)]
        half_life, interval = 1.5 * math.exp(rng.gauss(0, 0.3)), 1
        while (day := day + interval) < days:
            passed = rng.random() < 2 ** (-interval / half_life)
            when = START + timedelta(days=day, minutes=rng.randrange(0, 90))
            rows.append((card.id, when, 3 if passed else 1))
            if passed:
                half_life *= 2.4
                interval = max(1, round(interval * 2.3))
            else:
                half_life, interval = max(0.5, half_life * 0.5), 1
                rows.append((card.id, when + timedelta(minutes=10), 3))
    db.session.execute(insert(ReviewLog), [
        {"user_id": user.id, "card_id": card_id, "rating": rating, "reviewed_at": at, "source": "study",
         "shown_version": i, "state_before": 2, "state_after": 2, "after": {}}
        for i, (card_id, at, rating) in enumerate(rows)])
    db.session.commit()
    return len(rows)


def test_fit_is_kept_when_it_predicts_better_and_then_used(app, runner):
    learner = make_user("long-history")
    deck = make_cards(300)
    cards = db.session.scalars(select(Card).where(Card.deck_id == deck.id)).all()
    simulated_log(learner, cards)
    result = runner.invoke(args=["optimize-scheduler", "--learner", "long-history"])
    assert result.exit_code == 0, result.output
    assert "kept" in result.output
    fit = db.session.scalar(select(SchedulerFit).where(SchedulerFit.user_id == learner.id))
    assert fit.accepted and fit.logloss_fitted < fit.logloss_default and len(fit.parameters) == 21
    params = fitting.parameters_for(db.session, learner)
    assert params == tuple(fit.parameters)
    # The schedule then uses them: the same memory gets different intervals than with the defaults.
    memory = scheduler.review(None, 3, START)
    memory = scheduler.review(memory, 3, memory.due)
    default = scheduler.next_states(memory, memory.due, study.settings_for(deck))[3].interval
    personal = scheduler.next_states(memory, memory.due, study.settings_for(deck, params))[3].interval
    assert default != personal


def test_short_history_is_not_fitted_and_defaults_stay(app, runner):
    learner = make_user("newcomer")
    deck = make_cards(5)
    simulated_log(learner, db.session.scalars(select(Card).where(Card.deck_id == deck.id)).all(), days=10)
    result = runner.invoke(args=["optimize-scheduler", "--learner", "newcomer"])
    assert result.exit_code == 0 and "not used" in result.output
    assert fitting.parameters_for(db.session, learner) is None
    assert runner.invoke(args=["optimize-scheduler", "--learner", "nobody"]).exit_code != 0
