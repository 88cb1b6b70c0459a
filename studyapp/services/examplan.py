"""The exam plan for the study loop and the progress pages: which exam a learner's deck plans toward, the due date
an answer gets under that plan (load-balanced over the learner's own due cards), today's study budget, and
predicted exam-day recall for learners and classes. The planning itself is pure (`domain.examplan`).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain import examplan
from ..domain import progress_math as pm
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..domain.scheduler import Memory
from ..models import Card, CardState, Class, ClassMember, ReviewLog, User
from . import classes as class_service
from . import fitting

DEFAULT_SECONDS_PER_CARD = 10.0
AT_RISK = 0.80  # a learner whose predicted exam-day recall is below this is listed as at risk


@dataclass(frozen=True)
class ExamPolicy:
    """What the study loop needs to plan one learner's deck toward an exam."""

    class_id: int
    class_name: str
    exam_at: datetime
    daily_minutes: int | None
    model: examplan.FsrsModel
    policy: examplan.Policy = examplan.Policy()


_UNSET = object()
EXAM_USERS_TTL = 60.0  # seconds a process trusts its list of learners with an exam ahead
_exam_users: dict = {}  # engine -> (monotonic time read, frozenset of user ids)


def forget_exam_users() -> None:
    """Drop this process's list (a class, its exam or its members changed here; other processes re-read theirs
    within EXAM_USERS_TTL)."""
    _exam_users.clear()


def may_have_exam(session: Session, user_id: int, now: datetime) -> bool:
    """Whether the learner is in a class with an exam ahead, from a list each process re-reads at most once a
    minute (one query for every learner), so the study answer path asks nothing more for the many learners
    without an exam. A learner who joins elsewhere is planned for within a minute."""
    engine = session.get_bind()
    key = (id(engine), str(engine.url))
    found = _exam_users.get(key)
    if found is None or time.monotonic() - found[0] > EXAM_USERS_TTL:
        if len(_exam_users) > 8:  # engines come and go (tests, forks): keep the list small
            _exam_users.clear()
        ids = frozenset(session.scalars(
            select(ClassMember.user_id).join(Class, Class.id == ClassMember.class_id)
            .where(Class.exam_at.is_not(None), Class.exam_at > now).distinct()))
        found = _exam_users[key] = (time.monotonic(), ids)
    return user_id in found[1]


def exam_policy(session: Session, user_id: int, deck_id: int, now: datetime,
                parameters: tuple[float, ...] | None | object = _UNSET) -> ExamPolicy | None:
    """The exam plan for this learner's deck: their class with this deck whose exam is the nearest ahead, with
    their fitted FSRS parameters where they have them (pass `parameters` when the caller has them already);
    None when no exam is ahead (normal scheduling). One query when there is no exam."""
    klass = class_service.exam_class_for(session, user_id, deck_id, now)
    if klass is None:
        return None
    if parameters is _UNSET:
        parameters = fitting.parameters_of_fit(session, session.scalar(select(fitting.current_fit_id(user_id))))
    return ExamPolicy(klass.id, klass.name, klass.exam_at, klass.daily_minutes, examplan.fsrs_model(parameters))


def due_load(session: Session, user_id: int, now: datetime, days: int) -> dict[int, int]:
    """The learner's cards due on each of the next `days` days (0 = today's remaining 24 hours)."""
    rows = session.scalars(select(CardState.due).where(CardState.user_id == user_id, CardState.suspended.is_(False),
                                                      CardState.due >= now, CardState.due < now + timedelta(days=days)))
    load: dict[int, int] = defaultdict(int)
    for due in rows:
        load[int((due - now) / timedelta(days=1))] += 1
    return dict(load)


def apply_exam_plan(session: Session, user_id: int, deck_id: int, memory: Memory, now: datetime,
                    parameters: tuple[float, ...] | None) -> Memory:
    """The study answer path's hook: the memory an answer leaves, with its due date planned toward the learner's
    exam when they have one (cards in review only: learning steps stay as they are). No query at all for a
    card still in its learning steps, one for a learner without an exam ahead."""
    if memory.state != State.REVIEW or not may_have_exam(session, user_id, now):
        return memory
    policy = exam_policy(session, user_id, deck_id, now, parameters)
    if policy is None:
        return memory
    due = planned_due(session, user_id, deck_id, memory, now, policy)
    return memory if due == memory.due else replace(memory, due=due)


def planned_due(session: Session, user_id: int, deck_id: int, memory: Memory, now: datetime,
                policy: ExamPolicy | None = None) -> datetime:
    """The due date of a card just answered at `now` (its new `memory`): planned toward the learner's exam when
    they have one and the card is in review; otherwise the scheduler's own."""
    if memory.state != State.REVIEW or memory.stability is None or memory.difficulty is None:
        return memory.due
    policy = policy or exam_policy(session, user_id, deck_id, now)
    if policy is None:
        return memory.due
    horizon = max(1, int((policy.exam_at - now) / timedelta(days=1)) + 1)
    due, _plan = examplan.adjust_due(policy.model, (memory.stability, memory.difficulty), now, memory.due,
                                     policy.exam_at, policy.policy, due_load(session, user_id, now, horizon))
    return due


def seconds_today(session: Session, user_id: int, start: datetime) -> tuple[float, float]:
    """(seconds studied since `start`, the learner's mean seconds per answer; 10 s without timings)."""
    spent = session.scalar(select(func.coalesce(func.sum(ReviewLog.duration_ms), 0))
                           .where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= start)) or 0
    mean = session.scalar(select(func.avg(ReviewLog.duration_ms)).where(ReviewLog.user_id == user_id,
                                                                         ReviewLog.duration_ms.is_not(None)))
    return spent / 1000, (float(mean) / 1000 if mean else DEFAULT_SECONDS_PER_CARD)


def cards_left_in_budget(session: Session, user_id: int, deck_id: int, start: datetime, now: datetime,
                         policy: ExamPolicy | None = None) -> int | None:
    """How many more answers today's class study budget allows (None: no budget applies)."""
    policy = policy or exam_policy(session, user_id, deck_id, now)
    if policy is None or policy.daily_minutes is None:
        return None
    spent, per_card = seconds_today(session, user_id, start)
    return examplan.cards_in_budget(policy.daily_minutes, spent, per_card)


# --------------------------------------------------------------------------- predictions


@dataclass(frozen=True)
class SectionForecast:
    title: str
    cards: int
    today: float  # mean predicted recall now (unseen cards count 0)
    exam: float  # mean predicted recall at the exam with no further review


@dataclass(frozen=True)
class Forecast:
    class_name: str
    exam_at: datetime
    today: float
    exam: float
    sections: list[SectionForecast]
    calibration: list[examplan.CalibrationBin]


def _recall(model: examplan.FsrsModel, at: datetime, last: datetime | None, stability: float | None) -> float:
    if last is None or stability is None:
        return 0.0
    return model.recall(pm.elapsed_days(at, last), (stability, None))


def learner_forecast(session: Session, user: User, now: datetime) -> list[Forecast]:
    """For each of the learner's classes with an exam ahead: predicted recall today and on the exam day, overall
    and per section of the class's decks, and the calibration of their past predictions."""
    out = []
    parameters = fitting.parameters_for(session, user)
    model = examplan.fsrs_model(parameters)
    for klass in class_service.classes_of_learner(session, user):
        if klass.exam_at is None or klass.exam_at <= now or not klass.decks:
            continue
        deck_ids = [d.id for d in klass.decks]
        cards = session.execute(
            select(Card.id, Card.section_id, CardState.last_review, CardState.stability)
            .outerjoin(CardState, (CardState.card_id == Card.id) & (CardState.user_id == user.id))
            .where(Card.deck_id.in_(deck_ids), Card.status == CardStatus.ACTIVE)).all()
        sections = {s.id: s.title for d in klass.decks for s in d.sections}
        by_section: dict = defaultdict(lambda: [0, 0.0, 0.0])
        for _card_id, section_id, last, stability in cards:
            row = by_section[section_id]
            row[0] += 1
            row[1] += _recall(model, now, last, stability)
            row[2] += _recall(model, klass.exam_at, last, stability)
        n = sum(r[0] for r in by_section.values())
        rows = [SectionForecast(sections.get(sid, "Other cards"), c, t / c, e / c) for sid, (c, t, e) in by_section.items()]
        rows.sort(key=lambda r: r.exam)
        out.append(Forecast(klass.name, klass.exam_at, sum(r[1] for r in by_section.values()) / n if n else 0.0,
                            sum(r[2] for r in by_section.values()) / n if n else 0.0, rows,
                            review_calibration(session, [user.id], model)))
    return out


def review_calibration(session: Session, user_ids: list[int], model: examplan.FsrsModel,
                       limit: int = 2000) -> list[examplan.CalibrationBin]:
    """Past predictions against what happened: for each answer to a card in review, the recall predicted from the
    memory before it (stability, days since the last review) and whether it was recalled (not Again)."""
    rows = session.execute(
        select(ReviewLog.before, ReviewLog.reviewed_at, ReviewLog.rating)
        .where(ReviewLog.user_id.in_(user_ids), ReviewLog.state_before == State.REVIEW)
        .order_by(ReviewLog.id.desc()).limit(limit)).all()
    pairs = []
    for before, at, rating in rows:
        if not before or before.get("stability") is None or not before.get("last_review"):
            continue
        last = datetime.fromisoformat(before["last_review"])
        pairs.append((model.recall(pm.elapsed_days(at, last), (before["stability"], None)), rating > 1))
    return examplan.calibration(pairs)


def exam_forecast_for_template(user) -> list[Forecast]:
    """The learner's forecasts, for templates/progress/_exam.html (a template global)."""
    from ..clock import now as clock_now
    from ..extensions import db

    if not getattr(user, "is_authenticated", False):
        return []
    return learner_forecast(db.session, user, clock_now())


@dataclass(frozen=True)
class LearnerExam:
    user_id: int
    username: str
    exam: float
    sections: dict


def class_forecast(session: Session, klass, now: datetime) -> tuple[list, list[LearnerExam]]:
    """Predicted exam-day recall of a class per learner and section (summed in SQL at the exam time), learners
    lowest first. Returns (columns, rows)."""
    from . import class_progress

    if klass.exam_at is None:
        return [], []
    scope = class_service.progress_scope(session, klass)
    columns = class_progress.columns(session, scope)
    learners = class_progress.learner_rows(session, now, scope=scope)
    class_progress.mastery_grid(session, max(now, klass.exam_at), learners, columns)
    rows = [LearnerExam(r.user_id, r.username, r.overall, dict(r.mastery)) for r in learners]
    rows.sort(key=lambda r: (r.exam, r.username))
    return columns, rows


def members_of(session: Session, class_id: int) -> list[int]:
    return list(session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == class_id)))


# --------------------------------------------------------------------------- study ahead


AHEAD_DAYS = 3
AHEAD_LIMIT = 20


def study_ahead(session: Session, user: User, deck_id: int, now: datetime, end_of_day: datetime,
                days: int = AHEAD_DAYS, limit: int = AHEAD_LIMIT) -> int:
    """Custom study when the day is done: bring up to `limit` of the learner's review cards of this deck that fall
    due in the next `days` days forward to now, so today's queue shows them. Returns how many.

    The scheduler accounts for it by itself: the answer is scheduled from the real elapsed time, so an early
    success grows the stability less (FSRS's retrievability term), as Anki's "review ahead" does."""
    ids = session.scalars(
        select(CardState.id).join(Card, Card.id == CardState.card_id)
        .where(CardState.user_id == user.id, Card.deck_id == deck_id, Card.status == CardStatus.ACTIVE,
               CardState.suspended.is_(False), CardState.state == State.REVIEW, CardState.due >= end_of_day,
               CardState.due < end_of_day + timedelta(days=days))
        .order_by(CardState.due, CardState.id).limit(limit)).all()
    if not ids:
        return 0
    from sqlalchemy import update

    session.execute(update(CardState).where(CardState.id.in_(ids)).values(due=now),
                    execution_options={"synchronize_session": False})
    session.flush()
    return len(ids)


def limits_in_budget(session: Session, user_id: int, deck_id: int, now: datetime, start: datetime,
                     new_per_day: int, reviews_per_day: int, new_done: int, reviews_done: int,
                     parameters: tuple[float, ...] | None = None) -> tuple[int, int]:
    """The deck's daily limits (totals for the day), cut so that no more answers are queued today than the
    learner's class study budget allows. Unchanged (and no query) for learners without an exam class."""
    if not may_have_exam(session, user_id, now):
        return new_per_day, reviews_per_day
    policy = exam_policy(session, user_id, deck_id, now, parameters)
    left = cards_left_in_budget(session, user_id, deck_id, start, now, policy) if policy else None
    if left is None:
        return new_per_day, reviews_per_day
    return min(new_per_day, new_done + left), min(reviews_per_day, reviews_done + left)
