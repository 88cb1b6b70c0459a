"""The study loop: what to show next, recording an answer exactly once, undo."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import and_, bindparam, case, delete, distinct, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ..domain import scheduler
from ..domain.days import ROLLOVER_HOUR, day_bounds
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus
from ..domain.scheduler import Memory, Rating
from ..models import Card, CardState, Deck, ReviewLog, User

LEARN_AHEAD = timedelta(minutes=20)  # as Anki: show a learning card early rather than end the session
MAX_DURATION_MS = 10 * 60 * 1000


class StaleAnswer(Exception):
    """The answer was for a showing of the card that has already been answered (or undone)."""


def settings_for(deck: Deck, parameters: tuple[float, ...] | None = None) -> scheduler.Settings:
    return _settings(deck.desired_retention, deck.learning_steps, deck.relearning_steps,
                     tuple(parameters) if parameters is not None else None)


@lru_cache(maxsize=512)
def _settings(retention: float, learning: str, relearning: str, parameters) -> scheduler.Settings:
    return scheduler.Settings(desired_retention=retention, learning_steps=scheduler.parse_steps(learning),
                              relearning_steps=scheduler.parse_steps(relearning), parameters=parameters)


def memory_of(state: CardState | None) -> Memory | None:
    if state is None:
        return None
    return Memory(state=State(state.state), step=state.step, stability=state.stability, difficulty=state.difficulty,
                  due=state.due, last_review=state.last_review, reps=state.reps, lapses=state.lapses)


def fuzz_seed(user_id: int, card_id: int, reps: int, enabled: bool = True) -> str | None:
    return f"{user_id}:{card_id}:{reps}" if enabled else None


@dataclass(frozen=True)
class DayCounts:
    new_done: int
    reviews_done: int
    answered: int


@dataclass(frozen=True)
class DeckCounts:
    new: int
    learning: int
    review: int
    done: int = 0  # answered today in this deck

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass(frozen=True)
class Showing:
    """The card to show next, with the version an answer to it must name."""

    card: Card
    state: CardState | None
    version: int
    queue: str  # "learning", "review" or "new"

    @property
    def memory(self) -> Memory | None:
        return memory_of(self.state)


# The queue's statements are built once, with bound parameters: building SQLAlchemy expressions costs
# far more than SQLite takes to run them, and the study loop runs them on every answer.
_P = {name: bindparam(name) for name in ("user_id", "deck_id", "start", "until", "end")}
_SeenCard = aliased(Card, name="seen_card")
_ACTIVE = and_(Card.deck_id == _P["deck_id"], Card.status == CardStatus.ACTIVE)
_LEARNING = (State.LEARNING, State.RELEARNING)

_DAY_COUNTS = (
    select(func.count(), func.coalesce(func.sum(case((ReviewLog.state_before == State.NEW, 1), else_=0)), 0),
           func.coalesce(func.sum(case((ReviewLog.state_before == State.REVIEW, 1), else_=0)), 0))
    .join(Card, Card.id == ReviewLog.card_id)
    .where(ReviewLog.user_id == _P["user_id"], ReviewLog.reviewed_at >= _P["start"], Card.deck_id == _P["deck_id"])
)
# The facts this learner answered today in this deck: their siblings wait for tomorrow.
_FACTS_TODAY = (
    select(_SeenCard.fact_key).join(ReviewLog, ReviewLog.card_id == _SeenCard.id)
    .where(ReviewLog.user_id == _P["user_id"], ReviewLog.reviewed_at >= _P["start"],
           _SeenCard.deck_id == _P["deck_id"])
)
_STATE_IN_DECK = (
    select(CardState.id).join(Card, Card.id == CardState.card_id)
    .where(CardState.user_id == _P["user_id"], CardState.suspended.is_(False), _ACTIVE)
    .order_by(CardState.due, Card.position).limit(1)
)
_NEXT_LEARNING = _STATE_IN_DECK.where(CardState.state.in_(_LEARNING), CardState.due <= _P["until"])
_NEXT_REVIEW = _STATE_IN_DECK.where(CardState.state == State.REVIEW, CardState.due < _P["end"],
                                    Card.fact_key.not_in(_FACTS_TODAY))
_UNSEEN = and_(_ACTIVE, Card.id.not_in(select(CardState.card_id).where(CardState.user_id == _P["user_id"])),
               Card.fact_key.not_in(_FACTS_TODAY))
_NEXT_NEW = select(Card.id).where(_UNSEEN).order_by(Card.position).limit(1)

_COUNT_IN_DECK = (
    select(func.count()).select_from(CardState).join(Card, Card.id == CardState.card_id)
    .where(CardState.user_id == _P["user_id"], CardState.suspended.is_(False), _ACTIVE)
)
_COUNT_LEARNING = _COUNT_IN_DECK.where(CardState.state.in_(_LEARNING), CardState.due < _P["end"])
_COUNT_REVIEW = _COUNT_IN_DECK.where(CardState.state == State.REVIEW, CardState.due < _P["end"],
                                     Card.fact_key.not_in(_FACTS_TODAY))
_COUNT_NEW = select(func.count(distinct(Card.fact_key))).where(_UNSEEN)  # one new card per fact a day


_STATE_FOR_UPDATE = (select(CardState).where(CardState.user_id == bindparam("user_id"),
                                            CardState.card_id == bindparam("card_id")).with_for_update())


_MEMORY_FIELDS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_UPDATE_STATE = (
    update(CardState).where(CardState.id == bindparam("sid"), CardState.version == bindparam("expected"))
    .values(version=bindparam("new_version"), **{f: bindparam(f"v_{f}") for f in _MEMORY_FIELDS})
)


def _day_counts(session: Session, user: User, deck: Deck, start: datetime) -> DayCounts:
    answered, new_done, reviews_done = session.execute(
        _DAY_COUNTS, {"user_id": user.id, "deck_id": deck.id, "start": start}).one()
    return DayCounts(new_done=int(new_done), reviews_done=int(reviews_done), answered=int(answered))


def limits(deck: Deck, day: DayCounts) -> tuple[int, int]:
    return max(0, deck.new_per_day - day.new_done), max(0, deck.reviews_per_day - day.reviews_done)


def next_showing(session: Session, user: User, deck: Deck, now: datetime,
                 rollover_hour: int = ROLLOVER_HOUR) -> Showing | None:
    """Learning cards due now, then reviews due today, then new cards up to the daily limit; a learning
    card due within LEARN_AHEAD comes early rather than ending the session. Ids are picked in SQL and
    only the chosen card is loaded. The day starts at `rollover_hour` in the learner's zone."""
    start, end = day_bounds(now, user.timezone, rollover_hour)
    params = {"user_id": user.id, "deck_id": deck.id, "start": start, "end": end, "until": now + LEARN_AHEAD}
    new_left, reviews_left = limits(deck, _day_counts(session, user, deck, start))
    learning_id = session.scalar(_NEXT_LEARNING, params)
    learning = session.get(CardState, learning_id) if learning_id else None
    if learning is not None and learning.due <= now:
        return _showing(learning, "learning")
    if reviews_left:
        review_id = session.scalar(_NEXT_REVIEW, params)
        if review_id:
            return _showing(session.get(CardState, review_id), "review")
    if new_left:
        card_id = session.scalar(_NEXT_NEW, params)
        if card_id:
            return Showing(session.get(Card, card_id), None, 0, "new")
    if learning is not None:
        return _showing(learning, "learning")
    return None


def _showing(state: CardState, queue: str) -> Showing:
    return Showing(state.card, state, state.version, queue)


def deck_counts(session: Session, user: User, deck: Deck, now: datetime,
                rollover_hour: int = ROLLOVER_HOUR) -> DeckCounts:
    """What is left today: new (within the limit; one per fact), learning due today, reviews due (within
    the limit). Counted in SQL."""
    start, end = day_bounds(now, user.timezone, rollover_hour)
    params = {"user_id": user.id, "deck_id": deck.id, "start": start, "end": end}
    day = _day_counts(session, user, deck, start)
    new_left, reviews_left = limits(deck, day)
    learning = session.scalar(_COUNT_LEARNING, params) or 0
    review = session.scalar(_COUNT_REVIEW, params) or 0 if reviews_left else 0
    new = session.scalar(_COUNT_NEW, params) or 0 if new_left else 0
    return DeckCounts(new=min(new_left, new), learning=learning, review=min(reviews_left, review),
                      done=day.answered)


def record_answer(
    session: Session,
    user: User,
    card: Card,
    rating: Rating | int,
    shown_version: int,
    now: datetime,
    *,
    settings: scheduler.Settings,
    duration_ms: int | None = None,
    source: str = "study",
    fuzz: bool = True,
) -> ReviewLog:
    """Schedule the answer and log it, once. Raises StaleAnswer for a repeated or outdated showing;
    the caller must then roll back."""
    rating = Rating(rating)
    state = session.scalar(_STATE_FOR_UPDATE, {"user_id": user.id, "card_id": card.id})
    current = state.version if state else 0
    if shown_version != current:
        raise StaleAnswer()
    before = memory_of(state)
    after = scheduler.review(before, rating, now, settings,
                             fuzz_seed(user.id, card.id, before.reps if before else 0, fuzz))
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    values = _memory_values(after)
    try:
        if state is None:
            # Two first answers racing for one card: the unique (user, card) row lets only one in.
            session.execute(insert(CardState), [{"user_id": user.id, "card_id": card.id, "version": 1,
                                                 "suspended": False, **values}])
        else:
            # Compare-and-set on the version: a concurrent answer to this showing updates nothing.
            updated = session.execute(
                _UPDATE_STATE, {"sid": state.id, "expected": current, "new_version": current + 1,
                                **{f"v_{k}": v for k, v in values.items()}},
                execution_options={"synchronize_session": False})
            if updated.rowcount != 1:
                raise StaleAnswer()
            session.expire(state)
        log = session.scalars(insert(ReviewLog).returning(ReviewLog), [{
            "user_id": user.id, "card_id": card.id, "rating": int(rating), "reviewed_at": now,
            "duration_ms": duration_ms, "source": source, "shown_version": shown_version,
            "state_before": before.state if before else State.NEW, "state_after": after.state,
            "before": before.to_dict() if before else None, "after": after.to_dict()}]).one()
    except IntegrityError as exc:
        raise StaleAnswer() from exc
    return log


def _memory_values(memory: Memory) -> dict:
    return {"state": memory.state, "step": memory.step, "stability": memory.stability,
            "difficulty": memory.difficulty, "due": memory.due, "last_review": memory.last_review,
            "reps": memory.reps, "lapses": memory.lapses}


def _apply(state: CardState, memory: Memory) -> None:
    state.state, state.step = memory.state, memory.step
    state.stability, state.difficulty = memory.stability, memory.difficulty
    state.due, state.last_review = memory.due, memory.last_review
    state.reps, state.lapses = memory.reps, memory.lapses


def undo_last(session: Session, user: User, deck: Deck | None = None) -> ReviewLog | None:
    """Take back the learner's last study answer: the card's state is restored exactly, the log row removed."""
    q = select(ReviewLog).where(ReviewLog.user_id == user.id, ReviewLog.source == "study")
    if deck is not None:
        q = q.join(Card, Card.id == ReviewLog.card_id).where(Card.deck_id == deck.id)
    log = session.scalar(q.order_by(ReviewLog.reviewed_at.desc(), ReviewLog.id.desc()).limit(1))
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

