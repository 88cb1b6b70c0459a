"""The study loop's history side: taking an answer back (undo) and the day's summary."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from ..domain.days import ROLLOVER_HOUR, day_bounds
from ..domain.notes import CardStatus
from ..domain.scheduler import Memory, Rating
from ..models import Card, CardState, Deck, ReviewLog, User


def _apply(state: CardState, memory: Memory) -> None:
    state.state, state.step = memory.state, memory.step
    state.stability, state.difficulty = memory.stability, memory.difficulty
    state.due, state.last_review = memory.due, memory.last_review
    state.reps, state.lapses = memory.reps, memory.lapses


def undo_last(session: Session, user: User, deck: Deck | None = None) -> ReviewLog | None:
    """Take back the learner's last study answer (in `deck`, if given)."""
    q = select(ReviewLog.id).where(ReviewLog.user_id == user.id, ReviewLog.source == "study")
    if deck is not None:
        q = q.join(Card, Card.id == ReviewLog.card_id).where(Card.deck_id == deck.id)
    review_id = session.scalar(q.order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc()).limit(1))
    return undo_review(session, user, deck, review_id) if review_id is not None else None


def undo_review(session: Session, user: User, deck: Deck | None, review_id: int) -> ReviewLog | None:
    """Take back one study answer, named by its review id: the card's state is restored exactly and the
    log row removed. None when there is nothing to take back: not this learner's study answer (in
    `deck`), already undone (a second submission of the same form), or the card answered since."""
    q = select(ReviewLog).where(ReviewLog.id == review_id, ReviewLog.user_id == user.id, ReviewLog.source == "study")
    if deck is not None:
        q = q.join(Card, Card.id == ReviewLog.card_id).where(Card.deck_id == deck.id)
    log = session.scalar(q)
    if log is None:
        return None
    state = session.scalar(select(CardState).where(CardState.user_id == user.id,
                                                   CardState.card_id == log.card_id).with_for_update())
    if state is None or state.version != log.shown_version + 1:
        return None  # the card was answered again since (e.g. in a quiz): nothing safe to undo
    if log.before is None:
        session.delete(state)
    else:
        _apply(state, Memory.from_dict(log.before))
        state.version = log.shown_version
    session.execute(delete(ReviewLog).where(ReviewLog.id == log.id))
    session.flush()
    return log


@dataclass(frozen=True)
class Summary:
    reviewed: int
    correct: int
    next_due: datetime | None

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.reviewed if self.reviewed else None


def day_summary(session: Session, user: User, deck: Deck, now: datetime,
                rollover_hour: int = ROLLOVER_HOUR) -> Summary:
    start, _ = day_bounds(now, user.timezone, rollover_hour)
    reviewed, correct = session.execute(
        select(func.count(), func.coalesce(func.sum(case((ReviewLog.rating > Rating.AGAIN, 1), else_=0)), 0))
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id == user.id, Card.deck_id == deck.id, ReviewLog.reviewed_at >= start)
    ).one()
    next_due = session.scalar(
        select(func.min(CardState.due)).join(Card, Card.id == CardState.card_id)
        .where(CardState.user_id == user.id, CardState.suspended.is_(False), Card.deck_id == deck.id,
                Card.status == CardStatus.ACTIVE)
    )
    return Summary(reviewed=reviewed, correct=int(correct), next_due=next_due)

