"""The exam plan for the study loop: which exam a learner's deck plans toward, the due date an answer gets under
that plan (load-balanced over the learner's own due cards), today's study budget, study ahead. The planning itself
is pure (`domain.examplan`); forecasts for the pages are in `exam_forecast`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..domain import examplan
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..domain.scheduler import Memory
from ..models import Card, CardState, Class, ClassMember, ReviewLog, SchedulerFit, User
from . import classes as class_service
from . import fitting
from . import study_ahead as custom_study

DEFAULT_SECONDS_PER_CARD = 10.0


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
    if memory.state != State.REVIEW or not class_service.may_have_exam(session, user_id, now):
        return memory
    policy = exam_policy(session, user_id, deck_id, now, parameters)
    if policy is None:
        return memory
    due = planned_due(session, user_id, deck_id, memory, now, policy)
    return memory if due == memory.due else replace(memory, due=due)


def planned_outcomes(session: Session, user_id: int, deck_id: int, outcomes: dict, now: datetime,
                     parameters: tuple[float, ...] | None) -> dict:
    """The answer buttons' outcomes with the exam plan applied, so that each label says when the card will
    really come back (the date `apply_exam_plan` sets when that button is pressed). Unchanged, and no query,
    for learners without an exam ahead."""
    if not class_service.may_have_exam(session, user_id, now):
        return outcomes
    policy = exam_policy(session, user_id, deck_id, now, parameters)
    if policy is None:
        return outcomes
    out = {}
    for rating, outcome in outcomes.items():
        due = planned_due(session, user_id, deck_id, outcome.memory, now, policy)
        out[rating] = outcome if due == outcome.memory.due else \
            replace(outcome, memory=replace(outcome.memory, due=due), interval=due - now)
    return out


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
    return _limits(session, user_id, deck_id, now, start, new_per_day, reviews_per_day, new_done, reviews_done,
                   parameters)[0]


def _limits(session: Session, user_id: int, deck_id: int, now: datetime, start: datetime, new_per_day: int,
            reviews_per_day: int, new_done: int, reviews_done: int,
            parameters: tuple[float, ...] | None) -> tuple[tuple[int, int], ExamPolicy | None]:
    extra = custom_study.extra_new_limit(session, user_id, deck_id, start, now)  # more new cards today (custom
    # study): a limit the learner asked for, not cut by the class budget; no query without a recent grant
    if not class_service.may_have_exam(session, user_id, now):
        return (max(new_per_day, extra or 0), reviews_per_day), None
    policy = exam_policy(session, user_id, deck_id, now, parameters)
    left = cards_left_in_budget(session, user_id, deck_id, start, now, policy) if policy else None
    if left is None:
        return (max(new_per_day, extra or 0), reviews_per_day), policy
    return (max(min(new_per_day, new_done + left), extra or 0), min(reviews_per_day, reviews_done + left)), policy


def in_budget(session: Session, user_id: int, deck_id: int, now: datetime, params: dict, new_per_day: int,
              reviews_per_day: int, q, parameters: tuple[float, ...] | None = None, skip_card: int | None = None):
    """The study queue's hook: (the day's limits cut to the class study budget, the queue snapshot `q`). When the
    budget leaves room for only some of the reviews due today, `q`'s next review is the weakest one (lowest
    predicted recall now) instead of the first due. `q` is the study loop's Queue (review_id, review,
    reviews_done, new_done); `skip_card`: the card being answered (it and its fact are not next).
    Unchanged, and no query, for learners without an exam class; one more read only when the budget cuts."""
    limits, policy = _limits(session, user_id, deck_id, now, params["start"], new_per_day, reviews_per_day,
                             q.new_done, q.reviews_done, parameters)
    if policy is None or q.review_id is None or \
            not examplan.budget_cuts_reviews(limits[1], reviews_per_day, q.reviews_done, q.review):
        return limits, q
    weakest = weakest_review(session, user_id, deck_id, params, policy.model, now, skip_card)
    return limits, (q if weakest is None or weakest == q.review_id else replace(q, review_id=weakest))


def weakest_review(session: Session, user_id: int, deck_id: int, params: dict, model: examplan.Model, now: datetime,
                   skip_card: int | None = None) -> int | None:
    """Of the learner's reviews of this deck due today (the queue's rules: active, not suspended, no fact
    answered today, not `skip_card` or its fact), the one with the lowest predicted recall now."""
    seen, skipped = aliased(Card), aliased(Card)
    facts_today = (select(seen.fact_key).join(ReviewLog, ReviewLog.card_id == seen.id)
                   .where(ReviewLog.user_id == user_id, ReviewLog.reviewed_at >= params["start"], seen.deck_id == deck_id))
    query = (select(CardState.card_id, CardState.stability, CardState.last_review, CardState.due, Card.position)
             .join(Card, Card.id == CardState.card_id)
             .where(CardState.user_id == user_id, CardState.suspended.is_(False), Card.deck_id == deck_id,
                    Card.status == CardStatus.ACTIVE, CardState.state == State.REVIEW, CardState.due < params["end"],
                    Card.fact_key.not_in(facts_today)))
    if skip_card is not None:
        query = query.where(CardState.card_id != skip_card,
                            Card.fact_key != select(skipped.fact_key).where(skipped.id == skip_card).scalar_subquery())
    return examplan.weakest_first(model, session.execute(query), now)


# --------------------------------------------------------------------------- scheduled refit


REFIT_AFTER = 100  # new reviews since a learner's last fit that make `flask refit-learners` fit them again


def learners_due_for_refit(session: Session, now: datetime, min_new: int = REFIT_AFTER,
                           everyone: bool = False) -> list[tuple[User, int]]:
    """The learners to refit on a schedule (`flask refit-learners`, run by cron; never in a request): those in
    a class with an exam ahead (or every learner, `everyone`) with at least `min_new` reviews since their last
    fit (kept or not), or ever when they were never fitted; with that count, most first. One query."""
    last = (select(SchedulerFit.user_id, func.max(SchedulerFit.fitted_at).label("at"))
            .where(SchedulerFit.user_id.is_not(None)).group_by(SchedulerFit.user_id).subquery())
    new = func.count(ReviewLog.id)
    query = (select(User, new).join(ReviewLog, ReviewLog.user_id == User.id)
             .outerjoin(last, last.c.user_id == User.id)
             .where(User.role == "learner", (last.c.at.is_(None)) | (ReviewLog.reviewed_at > last.c.at))
             .group_by(User.id).having(new >= min_new).order_by(new.desc(), User.id))
    if not everyone:
        exam_users = (select(ClassMember.user_id).join(Class, Class.id == ClassMember.class_id)
                      .where(Class.exam_at.is_not(None), Class.exam_at > now))
        query = query.where(User.id.in_(exam_users))
    return [(user, int(count)) for user, count in session.execute(query)]
