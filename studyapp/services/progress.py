"""One learner's progress: today, streak and calendar, retention, forecast, cards, mastery, quizzes.

Counting happens in SQL (GROUP BY, COUNT, SUM(CASE ...)); Python only folds small results: the
per-15-minute buckets of the review calendar, and one row per card the learner has seen (for
predicted recall). Every function takes `now`; nothing reads the clock.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from ..domain import progress_math as pm
from ..domain import stats
from ..domain.days import ROLLOVER_HOUR, day_bounds, study_day
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..domain.scheduler import Rating
from ..models import Card, CardState, Deck, Quiz, QuizAttempt, ReviewLog, SchedulerFit, Section, User
from . import fitting, study
from .decks import learner_visible
from .progress_sql import bucket_of

RETENTION_WINDOWS = (7, 30, 365)
HEATMAP_DAYS = 365
FORECAST_DAYS = 30
WEAKEST = 10
NO_SECTION = "Other cards"


# --------------------------------------------------------------------------- today


@dataclass(frozen=True)
class TodayRow:
    deck: Deck
    done: int
    counts: study.DeckCounts

    @property
    def due(self) -> int:
        return self.counts.learning + self.counts.review


def today(session: Session, user: User, now: datetime, rollover_hour: int = ROLLOVER_HOUR) -> list[TodayRow]:
    """Per deck: answers given today, cards due today (learning and review), new cards left."""
    decks = session.scalars(learner_visible(select(Deck), user).order_by(Deck.name)).all()
    rows = []
    for deck in decks:
        counts = study.deck_counts(session, user, deck, now, rollover_hour)
        rows.append(TodayRow(deck, counts.done, counts))
    return rows


# --------------------------------------------------------------------------- calendar and streak


def counts_by_day(session: Session, user: User, now: datetime, days: int | None = HEATMAP_DAYS,
                  rollover_hour: int = ROLLOVER_HOUR) -> dict[date, int]:
    """Answers per study day (starting at `rollover_hour` in the learner's zone) over the last `days` days
    (None: all).

    SQL counts per 15-minute UTC bucket; each bucket belongs to exactly one study day."""
    bucket = bucket_of(ReviewLog.reviewed_at)
    q = (select(bucket, func.count())
         .where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at < now + timedelta(days=1)))
    if days is not None:
        start, _ = day_bounds(now, user.timezone, rollover_hour)
        q = q.where(ReviewLog.reviewed_at >= start - timedelta(days=days))
    rows = session.execute(q.group_by(bucket)).all()
    return pm.counts_by_day_from_buckets(rows, user.timezone, rollover_hour)


@dataclass(frozen=True)
class Activity:
    today: date
    counts: dict[date, int]
    streak: int
    weeks: list  # stats.heatmap: weeks of HeatCell (the page draws them)

    @property
    def today_count(self) -> int:
        return self.counts.get(self.today, 0)

    @property
    def window(self) -> dict[date, int]:
        first = self.today - timedelta(days=HEATMAP_DAYS - 1)
        return {d: n for d, n in self.counts.items() if first <= d <= self.today}

    @property
    def total(self) -> int:
        return sum(self.window.values())

    @property
    def active_days(self) -> int:
        return sum(1 for n in self.window.values() if n)

    @property
    def busiest(self) -> tuple[date, int] | None:
        window = self.window
        return max(window.items(), key=lambda item: (item[1], item[0])) if window else None

    @property
    def by_month(self) -> list[tuple[date, int, int]]:
        """(first of month, answers, study days) for the months of the window, oldest first."""
        months: dict[date, list[int]] = defaultdict(lambda: [0, 0])
        for day, n in self.window.items():
            slot = months[day.replace(day=1)]
            slot[0] += n
            slot[1] += 1 if n else 0
        return [(month, n, d) for month, (n, d) in sorted(months.items())]


def activity(session: Session, user: User, now: datetime, rollover_hour: int = ROLLOVER_HOUR) -> Activity:
    counts = counts_by_day(session, user, now, HEATMAP_DAYS, rollover_hour)
    day = study_day(now, user.timezone, rollover_hour)
    streak = stats.streak(set(counts), day)
    if streak >= HEATMAP_DAYS - 1:  # the streak may go back further than the calendar
        streak = stats.streak(set(counts_by_day(session, user, now, None, rollover_hour)), day)
    return Activity(today=day, counts=counts, streak=streak, weeks=stats.heatmap(counts, day, HEATMAP_DAYS))


# --------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class Retention:
    days: int
    passed: int
    total: int

    @property
    def share(self) -> float | None:
        return pm.share(self.passed, self.total)


def retention(session: Session, user: User, now: datetime, windows=RETENTION_WINDOWS) -> list[Retention]:
    """True retention: of the answers to cards in review state in the last N days, the share not Again."""
    starts = {days: now - timedelta(days=days) for days in windows}
    columns = []
    for start in starts.values():
        inside = ReviewLog.reviewed_at >= start
        columns.append(func.coalesce(func.sum(case((inside, 1), else_=0)), 0))
        columns.append(func.coalesce(func.sum(case((inside & (ReviewLog.rating > Rating.AGAIN), 1), else_=0)), 0))
    row = session.execute(
        select(*columns).where(ReviewLog.user_id == user.id, ReviewLog.reviewed_at >= min(starts.values()),
                               ReviewLog.reviewed_at <= now, ReviewLog.state_before == State.REVIEW)
    ).one()
    return [Retention(days, int(row[2 * i + 1]), int(row[2 * i])) for i, days in enumerate(starts)]


# --------------------------------------------------------------------------- forecast


@dataclass(frozen=True)
class Forecast:
    days: list[tuple[date, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.days)


def forecast(session: Session, user: User, now: datetime, days: int = FORECAST_DAYS,
             rollover_hour: int = ROLLOVER_HOUR) -> Forecast:
    """Cards falling due on each of the next `days` study days (overdue ones count today).
    Suspended and retired cards are left out."""
    dues = session.scalars(
        select(CardState.due).join(Card, Card.id == CardState.card_id)
        .where(CardState.user_id == user.id, CardState.suspended.is_(False),
               Card.status == CardStatus.ACTIVE)
    ).all()
    series = stats.forecast([study_day(due, user.timezone, rollover_hour) for due in dues],
                            study_day(now, user.timezone, rollover_hour), days)
    return Forecast(series)


# --------------------------------------------------------------------------- cards and mastery


@dataclass(frozen=True)
class SeenCard:
    card_id: int
    deck_id: int
    section_id: int | None
    status: CardStatus
    state: State
    interval: float | None
    reps: int
    lapses: int
    suspended: bool
    recall: float

    @property
    def leech(self) -> bool:
        return stats.is_leech(self.lapses)

    @property
    def learning(self) -> bool:
        """Still in (re)learning steps: answered minutes ago, so whole-day elapsed time says nothing yet and the
        model's "recall now" would read 100% even for a card just failed. The pages show "learning" instead."""
        return self.state in (State.LEARNING, State.RELEARNING)

    @property
    def shown_recall(self) -> float | None:
        """The recall a page may show: None while the card is in learning steps."""
        return None if self.learning else self.recall


@dataclass(frozen=True)
class SectionMastery:
    deck: str
    title: str
    cards: int
    seen: int
    mastery: float

    @property
    def level(self) -> int:
        return pm.level(self.mastery)


@dataclass
class CardOverview:
    buckets: stats.CardBuckets
    suspended: int
    sections: list[SectionMastery]
    weakest: list[tuple[SeenCard, Card]] = field(default_factory=list)
    suspended_cards: list[tuple[SeenCard, Card]] = field(default_factory=list)
    leeches: int = 0


def decay_for(session: Session, user: User) -> float:
    return pm.decay_of(fitting.parameters_for(session, user))


def seen_cards(session: Session, user: User, now: datetime, decay: float) -> list[SeenCard]:
    """One row per card the learner has answered, with its predicted recall now."""
    rows = session.execute(
        select(CardState.card_id, Card.deck_id, Card.section_id, Card.status, CardState.state, CardState.due,
               CardState.last_review, CardState.stability, CardState.reps, CardState.lapses, CardState.suspended)
        .join(Card, Card.id == CardState.card_id).where(CardState.user_id == user.id)
    ).all()
    out = []
    for card_id, deck_id, section_id, status, state, due, last, stability, reps, lapses, suspended in rows:
        interval = (due - last) / timedelta(days=1) if last is not None else None
        out.append(SeenCard(card_id, deck_id, section_id, CardStatus(status), State(state), interval, reps, lapses,
                            bool(suspended),
                            pm.recall_at(now, last, stability, decay)))
    return out


def active_cards_by_section(session: Session) -> list[tuple[Section | None, Deck, int]]:
    """(section, deck, number of active cards) for every section with active cards, in deck order."""
    rows = session.execute(
        select(Card.deck_id, Card.section_id, func.count()).where(Card.status == CardStatus.ACTIVE)
        .group_by(Card.deck_id, Card.section_id)
    ).all()
    decks = {d.id: d for d in session.scalars(select(Deck))}
    sections = {s.id: s for s in session.scalars(select(Section))}
    out = [(sections.get(section_id), decks[deck_id], n) for deck_id, section_id, n in rows]
    out.sort(key=lambda item: (item[1].name, item[0] is None, item[0].position if item[0] else 0))
    return out


def section_label(section: Section | None) -> str:
    return section.title if section is not None else NO_SECTION


def card_overview(session: Session, user: User, now: datetime, weakest: int = WEAKEST) -> CardOverview:
    cards = seen_cards(session, user, now, decay_for(session, user))
    active = [c for c in cards if c.status == CardStatus.ACTIVE]
    per_section = active_cards_by_section(session)
    unseen = sum(n for _, _, n in per_section) - len(active)
    buckets = stats.card_buckets([(c.state, c.interval, c.status != CardStatus.ACTIVE) for c in cards]
                                 + [(State.NEW, None, False)] * max(0, unseen))
    recall_by_section: dict[tuple[int, int | None], list[float]] = defaultdict(list)
    for c in active:
        recall_by_section[(c.deck_id, c.section_id)].append(c.recall)
    sections = []
    for section, deck, n in per_section:
        values = recall_by_section.get((deck.id, section.id if section else None), [])
        sections.append(SectionMastery(deck.name, section_label(section), n, len(values), stats.mastery(values, n)))
    # Cards forgotten in review and now relearning first, then the lowest predicted recall (a new card in its
    # learning steps has no prediction worth ranking on: it comes after, and the page shows "learning").
    ranked = sorted(active, key=lambda c: (c.state != State.RELEARNING, c.learning, c.recall, -c.lapses, c.card_id))
    chosen = ranked[:weakest] + [c for c in ranked[weakest:] if c.leech]
    suspended = [c for c in active if c.suspended]
    loaded = _cards(session, {c.card_id for c in chosen} | {c.card_id for c in suspended})
    return CardOverview(
        buckets=buckets, suspended=len(suspended), sections=sections,
        weakest=[(c, loaded[c.card_id]) for c in chosen],
        suspended_cards=[(c, loaded[c.card_id]) for c in sorted(suspended, key=lambda c: c.card_id)],
        leeches=sum(1 for c in active if c.leech),
    )


def _cards(session: Session, ids: set[int]) -> dict[int, Card]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Card).where(Card.id.in_(ids)))}


def overall_mastery(sections: list[SectionMastery]) -> float:
    total = sum(s.cards for s in sections)
    return sum(s.mastery * s.cards for s in sections) / total if total else 0.0


# --------------------------------------------------------------------------- quizzes and schedule


@dataclass(frozen=True)
class QuizRow:
    title: str
    started_at: datetime
    finished_at: datetime | None
    score: int
    total: int

    @property
    def share(self) -> float | None:
        return pm.share(self.score, self.total)


def quiz_history(session: Session, user: User, limit: int = 20) -> list[QuizRow]:
    rows = session.execute(
        select(Quiz.title, QuizAttempt.started_at, QuizAttempt.finished_at, QuizAttempt.score, QuizAttempt.total)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id).where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()).limit(limit)
    ).all()
    return [QuizRow(title or "Quiz", started, finished, score, total)
            for title, started, finished, score, total in rows]


@dataclass(frozen=True)
class Schedule:
    fit: SchedulerFit | None
    own: bool

    @property
    def personalised(self) -> bool:
        return self.fit is not None

    @property
    def improvement(self) -> float | None:
        return pm.improvement(self.fit.logloss_default, self.fit.logloss_fitted) if self.fit else None


def schedule(session: Session, user: User) -> Schedule:
    """Which FSRS parameters the learner's schedule uses: their own accepted fit, the class's, or defaults."""
    fit = fitting.current_fit(session, user)
    return Schedule(fit, fit is not None and fit.user_id == user.id)


# --------------------------------------------------------------------------- suspending


def set_suspended(session: Session, user: User, card_id: int, suspended: bool) -> bool:
    """Suspend (or unsuspend) one of the learner's cards; False when they have never studied it."""
    result = session.execute(
        update(CardState).where(CardState.user_id == user.id, CardState.card_id == card_id)
        .values(suspended=suspended).execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount > 0


# --------------------------------------------------------------------------- the whole page


@dataclass
class Report:
    user: User
    today: list[TodayRow]
    activity: Activity
    retention: list[Retention]
    forecast: Forecast
    cards: CardOverview
    quizzes: list[QuizRow]
    schedule: Schedule

    @property
    def mastery(self) -> float:
        return overall_mastery(self.cards.sections)


def report(session: Session, user: User, now: datetime, rollover_hour: int = ROLLOVER_HOUR) -> Report:
    """The whole page; study days start at `rollover_hour` in the learner's zone (DAY_ROLLOVER_HOUR)."""
    return Report(user=user, today=today(session, user, now, rollover_hour),
                  activity=activity(session, user, now, rollover_hour), retention=retention(session, user, now),
                  forecast=forecast(session, user, now, FORECAST_DAYS, rollover_hour),
                  cards=card_overview(session, user, now), quizzes=quiz_history(session, user),
                  schedule=schedule(session, user))
