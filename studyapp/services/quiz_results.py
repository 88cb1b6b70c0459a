"""Results of published quizzes, per class: what the instructor sees on a quiz's page and in the class CSV.

A quiz published for a class counts its members' attempts only (someone who left the class, or an
instructor trying it, is not in its results); a quiz published for every learner counts every learner who
took it. Best score: the best finished full attempt (retries are practice, not a score).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ClassMember, Quiz, QuizAttempt, User


@dataclass(frozen=True)
class ResultRow:
    user_id: int
    username: str
    attempts: int  # full attempts started (not retries)
    best_score: int | None  # of the best finished full attempt; None: none finished
    best_total: int | None

    @property
    def best_percent(self) -> int | None:
        if self.best_score is None:
            return None
        return round(100 * self.best_score / self.best_total) if self.best_total else 0


def _best(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    finished = [a for a in attempts if a.finished_at is not None]
    return max(finished, key=lambda a: (a.score / a.total if a.total else 0, -a.id), default=None)


def quiz_results(session: Session, quiz: Quiz) -> list[ResultRow]:
    """One row per learner the quiz is for: the class's members (also those who have not taken it), or, for a
    quiz published for every learner, those who took it; by username."""
    if quiz.class_id is not None:
        people = session.execute(select(User.id, User.username).join(ClassMember, ClassMember.user_id == User.id)
                                 .where(ClassMember.class_id == quiz.class_id)).all()
    else:
        people = session.execute(select(User.id, User.username).where(User.id.in_(
            select(QuizAttempt.user_id).where(QuizAttempt.quiz_id == quiz.id)), User.role == "learner")).all()
    ids = [uid for uid, _ in people]
    attempts = session.scalars(select(QuizAttempt).where(
        QuizAttempt.quiz_id == quiz.id, QuizAttempt.retry_of.is_(None), QuizAttempt.user_id.in_(ids))).all() if ids else []
    rows = []
    for uid, name in sorted(people, key=lambda p: (p[1].lower(), p[0])):
        mine = [a for a in attempts if a.user_id == uid]
        best = _best(mine)
        rows.append(ResultRow(uid, name, len(mine), best.score if best else None, best.total if best else None))
    return rows


def class_quizzes(session: Session, class_id: int) -> list[Quiz]:
    """The quizzes published for this class, oldest first (the CSV's column order)."""
    return list(session.scalars(select(Quiz).where(Quiz.class_id == class_id, Quiz.published.is_(True))
                                .order_by(Quiz.created_at, Quiz.id)))


def best_percents(session: Session, quizzes: list[Quiz], user_ids) -> dict[tuple[int, int], float]:
    """(user id, quiz id) -> the best finished full attempt's score in percent, in one statement."""
    if not quizzes or not user_ids:
        return {}
    share = func.max(100.0 * QuizAttempt.score / func.nullif(QuizAttempt.total, 0))
    rows = session.execute(
        select(QuizAttempt.user_id, QuizAttempt.quiz_id, share)
        .where(QuizAttempt.quiz_id.in_([q.id for q in quizzes]), QuizAttempt.user_id.in_(sorted(user_ids)),
               QuizAttempt.retry_of.is_(None), QuizAttempt.finished_at.is_not(None))
        .group_by(QuizAttempt.user_id, QuizAttempt.quiz_id))
    return {(uid, qid): float(value) for uid, qid, value in rows if value is not None}
