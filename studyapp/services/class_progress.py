"""The class at a glance, for instructors: mastery per learner and section, activity, cards and quiz items.

Everything is aggregated in SQL: per learner (correlated subqueries on the (user_id, reviewed_at)
index), per learner and section (predicted recall summed in SQL over card_states, one row per
learner-card), per card (GROUP BY over review_logs and card_states) and per quiz question.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from ..domain import progress_math as pm
from ..domain import stats
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..domain.scheduler import Rating
from ..models import Card, CardState, ClassMember, QuizAnswer, QuizAttempt, ReviewLog, SchedulerFit, User
from .progress import active_cards_by_section, section_label
from .progress_sql import ZERO, recall_expr

WINDOW_DAYS = 30
STRUGGLES = 10


@dataclass(frozen=True)
class Column:
    key: tuple[int, int | None]  # (deck id, section id)
    deck: str
    title: str
    cards: int


@dataclass
class LearnerRow:
    user_id: int
    username: str
    timezone: str
    last_activity: datetime | None
    reviews: int  # answers in the window
    review_answers: int  # answers to cards in review state in the window
    passed: int
    mastery: dict[tuple[int, int | None], float] = field(default_factory=dict)
    overall: float = 0.0

    @property
    def retention(self) -> float | None:
        return pm.share(self.passed, self.review_answers)


@dataclass
class CardRow:
    card: Card
    learners: int = 0  # learners who have answered it
    recalled_by: int = 0  # of them, those past the learning steps: the only ones the model predicts recall for
    recall_sum: float = 0.0  # their predicted recall now, summed
    answers: int = 0
    again: int = 0  # answers that were Again, in any state
    rating_sum: int = 0
    review_answers: int = 0
    lapses: int = 0
    quiz_answers: int = 0
    quiz_correct: int = 0

    @property
    def mean_recall(self) -> float | None:
        """Mean predicted recall now among the learners past the card's learning steps; None when nobody is.

        A learner still in the steps (a card failed minutes ago, or met today) has no prediction yet: counting
        them would read 100% (elapsed time is in whole days) and call a card failed twice this morning easy."""
        return self.recall_sum / self.recalled_by if self.recalled_by else None

    @property
    def still_learning(self) -> int:
        return self.learners - self.recalled_by

    @property
    def again_share(self) -> float | None:
        return pm.share(self.again, self.answers)

    @property
    def lapse_rate(self) -> float | None:
        """Share of answers to the card in review state that were Again (lapses)."""
        return stats.lapse_rate(self.lapses, self.review_answers)

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.answers if self.answers else None

    @property
    def facility(self) -> float | None:
        return pm.share(self.quiz_correct, self.quiz_answers)

    @property
    def struggle(self) -> float:
        """How hard the class finds it, higher is harder: the chance of not recalling it now (or, while nobody is
        past the learning steps, the share of answers that were Again) plus the share forgotten in review."""
        missing = 1 - self.mean_recall if self.mean_recall is not None else (self.again_share or 0.0)
        return missing + (self.lapse_rate or 0.0)


@dataclass(frozen=True)
class QuestionRow:
    card: Card
    question_type: str
    answers: int
    facility: float | None
    discrimination: float | None


@dataclass
class ClassOverview:
    columns: list[Column]
    learners: list[LearnerRow]
    cards: list[CardRow]
    questions: list[QuestionRow]
    window_days: int = WINDOW_DAYS

    @property
    def struggles(self) -> list[CardRow]:
        seen = [row for row in self.cards if row.learners]
        return sorted(seen, key=lambda r: (-r.struggle, r.card.position, r.card.id))[:STRUGGLES]


def decays(session: Session) -> tuple[float, dict[int, float]]:
    """The forgetting-curve decay each learner's schedule uses: the class default and per-learner overrides."""
    latest: dict[int | None, list | None] = {}
    for user_id, parameters in session.execute(
            select(SchedulerFit.user_id, SchedulerFit.parameters).where(SchedulerFit.accepted.is_(True))
            .order_by(SchedulerFit.fitted_at, SchedulerFit.id)):
        latest[user_id] = parameters
    default = pm.decay_of(latest.pop(None, None))
    return default, {uid: pm.decay_of(params) for uid, params in latest.items()
                     if params and pm.decay_of(params) != default}


@dataclass(frozen=True)
class Scope:
    """One class (its members and decks), for the class filter; None everywhere means every learner and deck."""

    class_id: int
    user_ids: frozenset[int]
    deck_ids: frozenset[int]


def class_scope(session: Session, klass) -> Scope:
    """The class filter: this class's members and decks."""
    members = session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == klass.id))
    return Scope(class_id=klass.id, user_ids=frozenset(members), deck_ids=frozenset(d.id for d in klass.decks))


def learner_rows(session: Session, now: datetime, window_days: int = WINDOW_DAYS,
                 scope: Scope | None = None) -> list[LearnerRow]:
    """Every learner with their last answer and their answers in the window, in one statement: for each
    learner an index seek for the last answer and an index range over the window (no full scan)."""
    earlier = aliased(ReviewLog)
    last = select(func.max(earlier.reviewed_at)).where(earlier.user_id == User.id).correlate(User).scalar_subquery()
    window = and_(ReviewLog.user_id == User.id, ReviewLog.reviewed_at >= now - timedelta(days=window_days),
                  ReviewLog.reviewed_at <= now)
    reviewing = ReviewLog.state_before == State.REVIEW
    q = (select(User.id, User.username, User.timezone, last, func.count(ReviewLog.id),
                func.sum(case((reviewing, 1), else_=0)),
                func.sum(case((reviewing & (ReviewLog.rating > Rating.AGAIN), 1), else_=0)))
         .select_from(User).outerjoin(ReviewLog, window).where(User.role == "learner")
         .group_by(User.id, User.username, User.timezone).order_by(func.lower(User.username), User.id))
    if scope is not None:
        q = q.where(User.id.in_(sorted(scope.user_ids)))
    return [LearnerRow(uid, name, tz, at, int(n or 0), int(r or 0), int(p or 0))
            for uid, name, tz, at, n, r, p in session.execute(q)]


def mastery_grid(session: Session, now: datetime, learners: list[LearnerRow], columns: list[Column]) -> None:
    """Fill each learner's mastery per section: mean predicted recall over the section's active cards."""
    default, per_user = decays(session)
    recall = recall_expr(now, default, per_user)
    # "+ 0" keeps SQLite from walking card_states through an index (a random read per row): it scans
    # the table once and looks each card up by primary key.
    user_key = CardState.user_id + ZERO
    rows = session.execute(
        select(user_key, Card.deck_id, Card.section_id, func.sum(recall))
        .join(Card, Card.id == CardState.card_id + ZERO).where(Card.status == CardStatus.ACTIVE)
        .group_by(user_key, Card.deck_id, Card.section_id)
    ).all()
    sums: dict[int, dict] = defaultdict(dict)
    for user_id, deck_id, section_id, total in rows:
        sums[user_id][(deck_id, section_id)] = float(total or 0.0)
    all_cards = sum(c.cards for c in columns)
    for learner in learners:
        mine = sums.get(learner.user_id, {})
        learner.mastery = {c.key: mine.get(c.key, 0.0) / c.cards for c in columns}
        learner.overall = sum(mine.get(c.key, 0.0) for c in columns) / all_cards if all_cards else 0.0


def card_rows(session: Session, now: datetime, scope: Scope | None = None) -> list[CardRow]:
    """Per active card: how many learners studied it and their mean predicted recall (from card_states),
    answers, ratings and lapses (review_logs counted per card, state before and rating)."""
    cards = session.scalars(select(Card).where(Card.status == CardStatus.ACTIVE)
                            .order_by(Card.deck_id, Card.position)).all()
    rows = {card.id: CardRow(card) for card in cards}
    default, per_user = decays(session)
    card_key = CardState.card_id + ZERO  # "+ 0": SQLite scans the table instead of walking an index row by row
    past_learning = CardState.state == State.REVIEW
    states = select(card_key, func.count(), func.sum(case((past_learning, 1), else_=0)),
                    func.sum(case((past_learning, recall_expr(now, default, per_user)), else_=0.0))).group_by(card_key)
    logs = (select(ReviewLog.card_id, ReviewLog.state_before, ReviewLog.rating, func.count())
            .group_by(ReviewLog.card_id, ReviewLog.state_before, ReviewLog.rating))
    if scope is not None:  # one class: its members' answers only
        states = states.where(CardState.user_id.in_(sorted(scope.user_ids)))
        logs = logs.where(ReviewLog.user_id.in_(sorted(scope.user_ids)))
    for card_id, learners, recalled_by, recall_sum in session.execute(states):
        if card_id in rows:
            row = rows[card_id]
            row.learners, row.recalled_by, row.recall_sum = learners, int(recalled_by or 0), float(recall_sum or 0.0)
    for card_id, state_before, rating, n in session.execute(logs):
        row = rows.get(card_id)
        if row is None:
            continue
        row.answers += n
        row.again += n if rating == Rating.AGAIN else 0
        row.rating_sum += rating * n
        if state_before == State.REVIEW:
            row.review_answers += n
            row.lapses += n if rating == Rating.AGAIN else 0
    return list(rows.values())


def question_rows(session: Session, cards: dict[int, CardRow], scope: Scope | None = None) -> list[QuestionRow]:
    """Facility and discrimination per quiz question (card and question type), from finished attempts
    (one class: its members' attempts only).

    Item score x = 1 if answered right; rest-of-test score y = the attempt's score minus x."""
    x = case((QuizAnswer.correct.is_(True), 1), else_=0)
    y = QuizAttempt.score - x
    query = (select(QuizAnswer.card_id, QuizAnswer.question_type, func.count(), func.sum(x), func.sum(y),
                    func.sum(x * y), func.sum(y * y))
             .join(QuizAttempt, QuizAttempt.id == QuizAnswer.attempt_id)
             .where(QuizAttempt.finished_at.is_not(None))
             .group_by(QuizAnswer.card_id, QuizAnswer.question_type))
    if scope is not None:
        query = query.where(QuizAttempt.user_id.in_(sorted(scope.user_ids)))
    rows = session.execute(query).all()
    out = []
    for card_id, qtype, n, sx, sy, sxy, syy in rows:
        row = cards.get(card_id)
        if row is None:
            continue
        sx, sy, sxy, syy = int(sx or 0), int(sy or 0), int(sxy or 0), int(syy or 0)
        row.quiz_answers += n
        row.quiz_correct += sx
        out.append(QuestionRow(row.card, qtype, n, pm.share(sx, n),
                               pm.discrimination_from_sums(n, sx, sy, sxy, sx, syy)))  # x*x == x
    out.sort(key=lambda q: (q.card.deck_id, q.card.position, q.question_type))
    return out


def columns(session: Session, scope: Scope | None = None) -> list[Column]:
    return [Column((deck.id, section.id if section else None), deck.name, section_label(section), n)
            for section, deck, n in active_cards_by_section(session)
            if scope is None or deck.id in scope.deck_ids]


def overview(session: Session, now: datetime, scope: Scope | None = None) -> ClassOverview:
    cols = columns(session, scope)
    learners = learner_rows(session, now, scope=scope)
    mastery_grid(session, now, learners, cols)
    cards = card_rows(session, now, scope)
    if scope is not None:
        cards = [row for row in cards if row.card.deck_id in scope.deck_ids]
    questions = question_rows(session, {row.card.id: row for row in cards}, scope)
    return ClassOverview(columns=cols, learners=learners, cards=cards, questions=questions)


def overview_for_export(session: Session, now: datetime, scope: Scope | None = None) -> ClassOverview:
    """The class table only (learners and their mastery), without the per-card statistics."""
    cols = columns(session, scope)
    learners = learner_rows(session, now, scope=scope)
    mastery_grid(session, now, learners, cols)
    return ClassOverview(columns=cols, learners=learners, cards=[], questions=[])


def learner(session: Session, user_id: int) -> User | None:
    user = session.get(User, user_id)
    return user if user is not None and user.role == "learner" else None
