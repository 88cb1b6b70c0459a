"""One card as one learner knows it: their answers to it and its predicted recall over the coming weeks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import stats
from ..domain.scheduler import STATE_NAMES, Rating
from ..models import Card, CardState, ReviewLog, User
from . import fitting, study

CURVE_DAYS = 28


@dataclass(frozen=True)
class HistoryRow:
    reviewed_at: datetime
    rating: int
    source: str
    state_before: int
    state_after: int
    interval_days: float | None
    duration_ms: int | None

    @property
    def rating_label(self) -> str:
        return Rating(self.rating).label

    @property
    def before_label(self) -> str:
        return STATE_NAMES.get(self.state_before, "?")

    @property
    def after_label(self) -> str:
        return STATE_NAMES.get(self.state_after, "?")


@dataclass(frozen=True)
class CardHistory:
    card: Card
    state: CardState | None
    rows: list[HistoryRow]
    recall_now: float
    curve: list[tuple[int, float]]  # (day from now, predicted recall): the page draws it

    @property
    def leech(self) -> bool:
        return self.state is not None and stats.is_leech(self.state.lapses)


def _interval(after: dict | None, reviewed_at: datetime) -> float | None:
    if not after or not after.get("due"):
        return None
    due = datetime.fromisoformat(after["due"])
    return (due - reviewed_at).total_seconds() / 86400


def card_history(session: Session, user: User, card: Card, now: datetime, days: int = CURVE_DAYS) -> CardHistory:
    """Only this learner's answers are read: `user` is always the one whose history is shown."""
    state = session.scalar(select(CardState).where(CardState.user_id == user.id, CardState.card_id == card.id))
    logs = session.execute(
        select(ReviewLog.reviewed_at, ReviewLog.rating, ReviewLog.source, ReviewLog.state_before,
               ReviewLog.state_after, ReviewLog.after, ReviewLog.duration_ms)
        .where(ReviewLog.user_id == user.id, ReviewLog.card_id == card.id)
        .order_by(ReviewLog.reviewed_at, ReviewLog.id)
    ).all()
    rows = [HistoryRow(at, rating, source, before, after_state, _interval(after, at), duration)
            for at, rating, source, before, after_state, after, duration in logs]
    settings = study.settings_for(card.deck, fitting.parameters_for(session, user))
    memory = study.memory_of(state)
    curve = stats.recall_curve(memory, now, settings, days)
    return CardHistory(card=card, state=state, rows=rows, recall_now=curve[0][1], curve=curve)
