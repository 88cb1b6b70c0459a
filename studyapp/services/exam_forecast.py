"""Predicted exam-day recall for the pages: a learner's classes (today and on the exam day, per section), a class
per learner and section (summed in SQL at the exam time), and calibration of past predictions."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import examplan
from ..domain import progress_math as pm
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..models import Card, CardState, ClassMember, ReviewLog, User
from . import class_progress, fitting
from . import classes as class_service

AT_RISK = 0.80  # a learner whose predicted exam-day recall is below this is listed as at risk




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
    if klass.exam_at is None:
        return [], []
    scope = class_progress.class_scope(session, klass)
    columns = class_progress.columns(session, scope)
    learners = class_progress.learner_rows(session, now, scope=scope)
    class_progress.mastery_grid(session, max(now, klass.exam_at), learners, columns)
    rows = [LearnerExam(r.user_id, r.username, r.overall, dict(r.mastery)) for r in learners]
    rows.sort(key=lambda r: (r.exam, r.username))
    return columns, rows


def members_of(session: Session, class_id: int) -> list[int]:
    return list(session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == class_id)))
