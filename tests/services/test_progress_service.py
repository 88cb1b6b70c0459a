"""The learner's and the class's statistics on small fixed histories, checked against values worked out by hand."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from studyapp.domain import progress_math as pm
from studyapp.domain import stats
from studyapp.domain.notes import CardState as State
from studyapp.domain.notes import CardStatus
from studyapp.domain.scheduler import Memory, Rating, Settings, retrievability
from studyapp.extensions import db
from studyapp.models import Card, CardState, ReviewLog, SchedulerFit
from studyapp.services import class_progress, progress
from studyapp.services.progress_card import card_history

from support import NOW, make_user

UTC = timezone.utc


class History:
    """Writes review logs and card states directly, so each test states its history exactly."""

    def __init__(self):
        self.versions = {}

    def log(self, user, card, at, rating=Rating.GOOD, state_before=State.REVIEW, source="study"):
        key = (user.id, card.id)
        version = self.versions.get(key, 0)
        self.versions[key] = version + 1
        db.session.add(ReviewLog(user_id=user.id, card_id=card.id, rating=rating, reviewed_at=at, source=source,
                                 shown_version=version, state_before=state_before,
                                 state_after=State.REVIEW if rating > Rating.AGAIN else State.RELEARNING, before=None,
                                 after={"due": (at + timedelta(days=3)).isoformat()}))
        db.session.flush()

    def state(self, user, card, *, due, stability=5.0, last_review=None, state=State.REVIEW, lapses=0, suspended=False):
        db.session.add(CardState(user_id=user.id, card_id=card.id, state=state, step=None, stability=stability,
                                 difficulty=5.0, due=due, last_review=last_review or due - timedelta(days=5),
                                 reps=lapses + 1, lapses=lapses, suspended=suspended, version=1))
        db.session.flush()


@pytest.fixture
def history(app):
    return History()


@pytest.fixture
def cards(deck):
    return db.session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == CardStatus.ACTIVE)
                              .order_by(Card.position)).all()


# --------------------------------------------------------------------------- retention


def test_retention_windows_count_only_review_state_answers_in_each_window(learner, other_learner, cards, history):
    c = cards[0]
    history.log(learner, c, NOW - timedelta(days=1), rating=Rating.GOOD)             # 7, 30, 365: pass
    history.log(learner, c, NOW - timedelta(days=2), rating=Rating.AGAIN)             # 7, 30, 365: lapse
    history.log(learner, c, NOW - timedelta(days=10), rating=Rating.HARD)            # 30, 365: pass (Hard is a pass)
    history.log(learner, c, NOW - timedelta(days=10), rating=Rating.AGAIN,
                state_before=State.LEARNING)  # learning: never counted
    history.log(learner, c, NOW - timedelta(days=100), rating=Rating.AGAIN)           # 365: lapse
    history.log(learner, c, NOW - timedelta(days=400), rating=Rating.GOOD)           # outside every window
    history.log(other_learner, c, NOW - timedelta(days=1), rating=Rating.AGAIN)       # someone else's
    by_days = {r.days: r for r in progress.retention(db.session, learner, NOW)}
    assert (by_days[7].passed, by_days[7].total, by_days[7].share) == (1, 2, 0.5)
    assert (by_days[30].passed, by_days[30].total) == (2, 3)
    assert (by_days[365].passed, by_days[365].total, by_days[365].share) == (2, 4, 0.5)
    # the same rule as the pure function, on the same answers
    answers = [(2, 3), (2, 1), (2, 2), (1, 1)]
    assert stats.true_retention(answers) == pytest.approx(by_days[30].share)


def test_retention_without_review_answers_is_unknown_not_zero(learner):
    assert all(r.share is None and r.total == 0 for r in progress.retention(db.session, learner, NOW))


# --------------------------------------------------------------------------- days, streak, calendar


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def rollover_history(cards, history):
    """The same three instants, for a learner in New York (UTC-5 in early March 2026) and one in UTC."""
    new_york = make_user("nyc", tz="America/New_York")
    utc = make_user("utc", tz="UTC")
    for user in (new_york, utc):
        history.log(user, cards[0], at("2026-03-02T08:30"))  # NY 03:30 Mar 2 -> study day Mar 1; UTC: Mar 2
        history.log(user, cards[1], at("2026-02-28T10:00"))  # NY 05:00 Feb 28 -> Feb 28; UTC: Feb 28
        history.log(user, cards[2], at("2026-02-28T08:00"))  # NY 03:00 Feb 28 -> Feb 27; UTC: Feb 28
    return new_york, utc


def test_study_days_follow_the_4am_rollover_in_the_learners_zone(rollover_history):
    new_york, utc = rollover_history
    assert progress.counts_by_day(db.session, new_york, NOW) == {
        date(2026, 3, 1): 1, date(2026, 2, 28): 1, date(2026, 2, 27): 1}
    assert progress.counts_by_day(db.session, utc, NOW) == {date(2026, 3, 2): 1, date(2026, 2, 28): 2}


def test_streak_across_the_rollover_and_time_zones(rollover_history, cards, history):
    new_york, utc = rollover_history
    # NOW is 07:00 on Mar 2 in New York: today not studied yet, the streak Feb 27 - Mar 1 is alive.
    ny = progress.activity(db.session, new_york, NOW)
    assert ny.today == date(2026, 3, 2) and ny.streak == 3 and ny.today_count == 0
    # In UTC the same answers fall on Feb 28 and Mar 2: Mar 1 is missing, so the streak is today alone.
    u = progress.activity(db.session, utc, NOW)
    assert u.streak == 1 and u.today_count == 1
    history.log(new_york, cards[3], NOW)
    ny = progress.activity(db.session, new_york, NOW)
    assert ny.streak == 4 and ny.today_count == 1
    today_cell = next(cell for week in ny.weeks for cell in week if cell and cell.day == NOW.date())
    assert today_cell.count == 1  # today's heatmap cell (the page draws the weeks)


def test_half_hour_zone_splits_days_at_its_own_4am(cards, history):
    kolkata = make_user("kol", tz="Asia/Kolkata")  # UTC+5:30
    history.log(kolkata, cards[0], at("2026-03-01T22:15"))  # 03:45 Mar 2 local -> study day Mar 1
    history.log(kolkata, cards[1], at("2026-03-01T22:45"))  # 04:15 Mar 2 local -> study day Mar 2
    assert progress.counts_by_day(db.session, kolkata, NOW) == {date(2026, 3, 1): 1, date(2026, 3, 2): 1}
    # DAY_ROLLOVER_HOUR = 0: the study day is the calendar day, so both answers fall on Mar 2.
    assert progress.counts_by_day(db.session, kolkata, NOW, rollover_hour=0) == {date(2026, 3, 2): 2}


def test_a_streak_longer_than_the_calendar_is_counted_in_full(learner, cards, history):
    for day in range(400):
        history.log(learner, cards[0], NOW - timedelta(days=day))
    activity = progress.activity(db.session, learner, NOW)
    assert activity.streak == 400
    assert activity.total == 365 and activity.active_days == 365


# --------------------------------------------------------------------------- forecast


def test_forecast_counts_overdue_today_and_leaves_out_suspended_retired_and_later(learner, cards, history):
    history.state(learner, cards[0], due=NOW - timedelta(days=2))   # overdue: today
    history.state(learner, cards[1], due=NOW + timedelta(hours=1))  # later today (the day ends at 04:00)
    history.state(learner, cards[2], due=NOW + timedelta(days=1))   # tomorrow
    history.state(learner, cards[3], due=NOW + timedelta(days=29))  # the last day shown
    history.state(learner, cards[4], due=NOW + timedelta(days=31))  # after the window
    history.state(learner, cards[5], due=NOW, suspended=True)
    cards[6].status = CardStatus.RETIRED
    history.state(learner, cards[6], due=NOW)
    result = progress.forecast(db.session, learner, NOW)
    counts = [n for _, n in result.days]
    assert len(counts) == 30 and result.days[0][0] == NOW.date()
    assert counts[0] == 2 and counts[1] == 1 and counts[29] == 1 and sum(counts) == 4


# --------------------------------------------------------------------------- cards and mastery


def test_mastery_per_section_averages_predicted_recall_with_unseen_cards_as_zero(learner, cards, history):
    section_id = cards[0].section_id
    same = [c for c in cards if c.section_id == section_id]
    # stability 10, reviewed 10 days ago: R = 0.9 exactly (FSRS's definition of stability)
    history.state(learner, same[0], due=NOW + timedelta(days=3), stability=10.0, last_review=NOW - timedelta(days=10))
    history.state(learner, same[1], due=NOW + timedelta(days=3), stability=5.0, last_review=NOW)  # R = 1
    overview = progress.card_overview(db.session, learner, NOW)
    row = next(s for s in overview.sections if s.title == same[0].section.title)
    assert row.cards == len(same) and row.seen == 2
    assert row.mastery == pytest.approx((0.9 + 1.0) / len(same))
    assert all(s.mastery == 0 for s in overview.sections if s.title != row.title)
    # the class grid computes the same number in SQL
    klass = class_progress.overview(db.session, NOW)
    mine = next(r for r in klass.learners if r.user_id == learner.id)
    key = (same[0].deck_id, section_id)
    assert mine.mastery[key] == pytest.approx(row.mastery)
    assert mine.overall == pytest.approx(1.9 / len(cards))


def test_bulk_recall_matches_the_scheduler(learner):
    settings = Settings()
    decay = pm.decay_of(None)
    for stability, hours in [(0.5, 3), (1.3, 30), (10, 240), (10, 250), (42.0, 2000), (300, 24 * 400)]:
        last = NOW - timedelta(hours=hours)
        memory = Memory(state=State.REVIEW, step=None, stability=stability, difficulty=5, due=NOW, last_review=last)
        assert pm.recall_at(NOW, last, stability, decay) == pytest.approx(retrievability(memory, NOW, settings))


def test_card_buckets_and_the_weakest_cards(learner, cards, history):
    history.state(learner, cards[0], due=NOW + timedelta(minutes=10), state=State.LEARNING,
                  last_review=NOW)  # learning
    history.state(learner, cards[1], due=NOW + timedelta(days=5), last_review=NOW)               # young
    history.state(learner, cards[2], due=NOW + timedelta(days=30), last_review=NOW,
                  stability=40.0)                                                              # mature
    history.state(learner, cards[3], due=NOW - timedelta(days=20), stability=2.0, lapses=9,
                  last_review=NOW - timedelta(days=30))                                        # leech, weakest
    history.state(learner, cards[4], due=NOW + timedelta(days=2), suspended=True, last_review=NOW)
    cards[5].status = CardStatus.RETIRED
    history.state(learner, cards[5], due=NOW, last_review=NOW)
    overview = progress.card_overview(db.session, learner, NOW)
    b = overview.buckets
    active = len(cards) - 1
    assert (b.learning, b.young, b.mature, b.retired) == (1, 3, 1, 1)  # intervals 5, 10 and 2 days: young
    assert b.new == active - 5
    assert overview.suspended == 1 and overview.leeches == 1
    weakest, card = overview.weakest[0]
    assert card.id == cards[3].id and weakest.leech and weakest.recall == pytest.approx(pm.recall(30, 2.0, 0.1542))
    assert [c.id for _, c in overview.suspended_cards] == [cards[4].id]
    assert cards[5].id not in [c.id for _, c in overview.weakest]  # retired cards are not listed


def test_suspending_needs_a_studied_card_and_only_touches_the_learners_own(learner, other_learner, cards, history):
    history.state(learner, cards[0], due=NOW)
    history.state(other_learner, cards[0], due=NOW)
    assert not progress.set_suspended(db.session, learner, cards[1].id, True)  # never studied
    assert progress.set_suspended(db.session, learner, cards[0].id, True)
    flags = dict(db.session.execute(select(CardState.user_id, CardState.suspended)
                                    .where(CardState.card_id == cards[0].id)).all())
    assert flags == {learner.id: True, other_learner.id: False}
    assert progress.forecast(db.session, learner, NOW).total == 0
    assert progress.set_suspended(db.session, learner, cards[0].id, False)
    assert progress.forecast(db.session, learner, NOW).total == 1


# --------------------------------------------------------------------------- one card, schedule


def test_card_history_shows_only_the_learners_answers_and_a_28_day_curve(learner, other_learner, cards, history):
    card = cards[0]
    history.log(learner, card, NOW - timedelta(days=3), rating=Rating.AGAIN)
    history.log(learner, card, NOW - timedelta(days=2), rating=Rating.GOOD)
    for day in range(5):
        history.log(other_learner, card, NOW - timedelta(days=day, hours=1))
    history.state(learner, card, due=NOW + timedelta(days=4), stability=4.0, last_review=NOW - timedelta(days=2))
    result = card_history(db.session, learner, card, NOW)
    assert [(r.reviewed_at, r.rating_label) for r in result.rows] == [
        (NOW - timedelta(days=3), "Again"), (NOW - timedelta(days=2), "Good")]
    assert len(result.curve) == 29 and result.curve[0][0] == 0 and result.curve[-1][0] == 28
    assert result.recall_now == pytest.approx(pm.recall(2, 4.0, pm.decay_of(None)))
    values = [r for _, r in result.curve]
    assert values == sorted(values, reverse=True) and values[4] == pytest.approx(pm.recall(6, 4.0, 0.1542))
    nothing = card_history(db.session, learner, cards[1], NOW)
    assert nothing.rows == [] and nothing.state is None and all(r == 0 for _, r in nothing.curve)


def test_schedule_is_personalised_only_with_an_accepted_fit(learner):
    assert not progress.schedule(db.session, learner).personalised
    db.session.add(SchedulerFit(user_id=learner.id, fitted_at=NOW, parameters=None, n_reviews=50,
                                logloss_default=0.5, logloss_fitted=0.6, accepted=False))
    db.session.flush()
    assert not progress.schedule(db.session, learner).personalised
    params = list(__import__("fsrs").scheduler.DEFAULT_PARAMETERS)
    db.session.add(SchedulerFit(user_id=learner.id, fitted_at=NOW, parameters=params, n_reviews=900,
                                logloss_default=0.40, logloss_fitted=0.30, accepted=True))
    db.session.flush()
    sch = progress.schedule(db.session, learner)
    assert sch.personalised and sch.own and sch.improvement == pytest.approx(0.25)


# --------------------------------------------------------------------------- the class


def test_class_rows_count_the_window_and_the_last_answer(learner, other_learner, cards, history):
    history.log(learner, cards[0], NOW - timedelta(days=1), rating=Rating.GOOD)
    history.log(learner, cards[0], NOW - timedelta(days=5), rating=Rating.AGAIN)
    history.log(learner, cards[1], NOW - timedelta(days=6), rating=3, state_before=0)
    history.log(learner, cards[1], NOW - timedelta(days=45), rating=Rating.AGAIN)  # before the 30-day window
    rows = {r.username: r for r in class_progress.learner_rows(db.session, NOW)}
    alice, bob = rows["alice"], rows["bob"]
    assert alice.last_activity == NOW - timedelta(days=1)
    assert (alice.reviews, alice.review_answers, alice.passed, alice.retention) == (3, 2, 1, 0.5)
    assert bob.last_activity is None and bob.reviews == 0 and bob.retention is None


def test_class_card_statistics(learner, other_learner, cards, history):
    card = cards[0]
    history.log(learner, card, NOW - timedelta(days=9), rating=3, state_before=0)
    history.log(learner, card, NOW - timedelta(days=5), rating=Rating.AGAIN)
    history.log(other_learner, card, NOW - timedelta(days=4), rating=4)
    history.log(other_learner, card, NOW - timedelta(days=2), rating=Rating.HARD)
    history.state(learner, card, due=NOW, stability=10.0, last_review=NOW - timedelta(days=10))  # R 0.9
    history.state(other_learner, card, due=NOW, stability=3.0, last_review=NOW)                  # R 1.0
    row = next(r for r in class_progress.card_rows(db.session, NOW) if r.card.id == card.id)
    assert (row.answers, row.review_answers, row.lapses) == (4, 3, 1)
    assert row.lapse_rate == pytest.approx(1 / 3)
    assert row.average_rating == pytest.approx((3 + 1 + 4 + 2) / 4)
    assert row.learners == 2 and row.mean_recall == pytest.approx(0.95)


def test_quiz_facility_and_discrimination_match_moodles_definition(app, deck, cards):
    from studyapp.models import Quiz, QuizAnswer, QuizAttempt

    quiz = Quiz(deck_id=deck.id, title="t", seed=1, length=3, types=["typed"], published=True)
    db.session.add(quiz)
    db.session.flush()
    # four attempts at a 3-question quiz: rows are attempts, columns the questions (1 right, 0 wrong)
    grid = [(1, 1, 1), (1, 0, 1), (0, 0, 1), (0, 1, 0)]
    for n, answers in enumerate(grid):
        user = make_user(f"q{n}")
        attempt = QuizAttempt(quiz_id=quiz.id, user_id=user.id, questions=[], started_at=NOW, finished_at=NOW,
                              score=sum(answers), total=3)
        db.session.add(attempt)
        db.session.flush()
        for position, right in enumerate(answers, start=1):
            db.session.add(QuizAnswer(attempt_id=attempt.id, position=position, card_id=cards[position - 1].id,
                                      question_type="typed", correct=bool(right),
                                      verdict="correct" if right else "wrong",
                                      rating=Rating.GOOD if right else Rating.AGAIN, answered_at=NOW))
    unfinished = QuizAttempt(quiz_id=quiz.id, user_id=user.id, questions=[], started_at=NOW, score=0, total=3)
    db.session.add(unfinished)
    db.session.flush()
    db.session.add(QuizAnswer(attempt_id=unfinished.id, position=1, card_id=cards[0].id, question_type="typed",
                              correct=False, verdict="wrong", rating=Rating.AGAIN, answered_at=NOW))
    db.session.flush()
    overview = class_progress.overview(db.session, NOW)
    by_card = {q.card.id: q for q in overview.questions}
    totals = [sum(a) for a in grid]
    for column in range(3):
        q = by_card[cards[column].id]
        items = [a[column] for a in grid]
        assert q.answers == 4 and q.facility == pytest.approx(sum(items) / 4)
        expected = stats.discrimination_index(items, totals)
        assert (q.discrimination is None) == (expected is None)
        if expected is not None:
            assert q.discrimination == pytest.approx(expected)
    # question 1: items 1,1,0,0 against rest-of-test 2,1,1,1 -> r = 0.577 (by hand)
    assert by_card[cards[0].id].discrimination == pytest.approx(57.735, abs=1e-3)
    card_row = next(r for r in overview.cards if r.card.id == cards[0].id)
    assert card_row.facility == pytest.approx(0.5)
