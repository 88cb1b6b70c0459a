"""The study loop: what to show next, recording an answer exactly once, undo."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..domain import scheduler
from ..domain.days import day_bounds
from ..domain.scheduler import NEW, Memory, Rating
from ..models import Card, CardState, Deck, ReviewLog, User

LEARN_AHEAD = timedelta(minutes=20)  # as Anki: show a learning card early rather than end the session
MAX_DURATION_MS = 10 * 60 * 1000


class StaleAnswer(Exception):
    """The answer was for a showing of the card that has already been answered (or undone)."""


def settings_for(deck: Deck, parameters: tuple[float, ...] | None = None) -> scheduler.Settings:
    return scheduler.Settings(
        desired_retention=deck.desired_retention,
        learning_steps=scheduler.parse_steps(deck.learning_steps),
        relearning_steps=scheduler.parse_steps(deck.relearning_steps),
        parameters=parameters,
    )


def memory_of(state: CardState | None) -> Memory | None:
    if state is None:
        return None
    return Memory(state=state.state, step=state.step, stability=state.stability, difficulty=state.difficulty,
                  due=state.due, last_review=state.last_review, reps=state.reps, lapses=state.lapses)


def fuzz_seed(user_id: int, card_id: int, reps: int, enabled: bool = True) -> str | None:
    return f"{user_id}:{card_id}:{reps}" if enabled else None


@dataclass(frozen=True)
class DayCounts:
    new_done: int
    reviews_done: int
    answered: int
    facts_seen: frozenset[str]


@dataclass(frozen=True)
class DeckCounts:
    new: int
    learning: int
    review: int

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


def _day_counts(session: Session, user: User, deck: Deck, start: datetime) -> DayCounts:
    rows = session.execute(
        select(ReviewLog.state_before, Card.fact_key)
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id == user.id, Card.deck_id == deck.id, ReviewLog.reviewed_at >= start)
    ).all()
    return DayCounts(
        new_done=sum(1 for s, _ in rows if s == NEW),
        reviews_done=sum(1 for s, _ in rows if s == 2),
        answered=len(rows),
        facts_seen=frozenset(f for _, f in rows),
    )


def _active_cards(deck: Deck):
    return and_(Card.deck_id == deck.id, Card.status == "active")


def _learning_due(session, user, deck, until, limit=None):
    q = (select(Card, CardState).join(CardState, CardState.card_id == Card.id)
         .where(CardState.user_id == user.id, CardState.state.in_((1, 3)), CardState.due <= until,
                CardState.suspended.is_(False), _active_cards(deck))
         .order_by(CardState.due, Card.position))
    return session.execute(q.limit(limit) if limit else q).all()


def _reviews_due(session, user, deck, until, exclude_facts, limit):
    q = (select(Card, CardState).join(CardState, CardState.card_id == Card.id)
         .where(CardState.user_id == user.id, CardState.state == 2, CardState.due < until,
                CardState.suspended.is_(False), _active_cards(deck))
         .order_by(CardState.due, Card.position))
    if exclude_facts:
        q = q.where(Card.fact_key.not_in(exclude_facts))
    return session.execute(q.limit(limit)).all()


def _new_cards(session, user, deck, exclude_facts, limit):
    seen = select(CardState.card_id).where(CardState.user_id == user.id)
    q = select(Card).where(_active_cards(deck), Card.id.not_in(seen)).order_by(Card.position)
    if exclude_facts:
        q = q.where(Card.fact_key.not_in(exclude_facts))
    # Fetch a few extra so that two new cards of one fact can be filtered to one.
    cards, facts = [], set(exclude_facts)
    for card in session.scalars(q.limit(limit * 3 if limit else 0)):
        if card.fact_key not in facts:
            cards.append(card)
            facts.add(card.fact_key)
        if len(cards) >= limit:
            break
    return cards


def limits(deck: Deck, day: DayCounts) -> tuple[int, int]:
    return max(0, deck.new_per_day - day.new_done), max(0, deck.reviews_per_day - day.reviews_done)


def next_showing(session: Session, user: User, deck: Deck, now: datetime) -> Showing | None:
    """Learning cards due now, then reviews due today, then new cards up to the daily limit."""
    start, end = day_bounds(now, user.timezone)
    day = _day_counts(session, user, deck, start)
    new_left, reviews_left = limits(deck, day)
    rows = _learning_due(session, user, deck, now, limit=1)
    if rows:
        return _showing(*rows[0], "learning")
    if reviews_left:
        rows = _reviews_due(session, user, deck, end, day.facts_seen, 1)
        if rows:
            return _showing(*rows[0], "review")
    if new_left:
        cards = _new_cards(session, user, deck, day.facts_seen, 1)
        if cards:
            return Showing(cards[0], None, 0, "new")
    rows = _learning_due(session, user, deck, now + LEARN_AHEAD, limit=1)
    if rows:
        return _showing(*rows[0], "learning")
    return None


def _showing(card: Card, state: CardState, queue: str) -> Showing:
    return Showing(card, state, state.version, queue)


def deck_counts(session: Session, user: User, deck: Deck, now: datetime) -> DeckCounts:
    """What is left today: new (within the limit), learning due today, reviews due (within the limit)."""
    start, end = day_bounds(now, user.timezone)
    day = _day_counts(session, user, deck, start)
    new_left, reviews_left = limits(deck, day)
    base = (select(func.count()).select_from(CardState).join(Card, Card.id == CardState.card_id)
            .where(CardState.user_id == user.id, CardState.suspended.is_(False), _active_cards(deck)))
    learning = session.scalar(base.where(CardState.state.in_((1, 3)), CardState.due < end)) or 0
    review_q = base.where(CardState.state == 2, CardState.due < end)
    if day.facts_seen:
        review_q = review_q.where(Card.fact_key.not_in(day.facts_seen))
    review = min(reviews_left, session.scalar(review_q) or 0)
    new = len(_new_cards(session, user, deck, day.facts_seen, new_left)) if new_left else 0
    return DeckCounts(new=new, learning=learning, review=review)


def answered_today(session: Session, user: User, deck: Deck, now: datetime) -> int:
    start, _ = day_bounds(now, user.timezone)
    return _day_counts(session, user, deck, start).answered


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
    """Schedule the answer and log it, once. Raises StaleAnswer for a repeated or outdated showing."""
    rating = Rating(rating)
    state = session.scalar(
        select(CardState).where(CardState.user_id == user.id, CardState.card_id == card.id).with_for_update()
    )
    current = state.version if state else 0
    if shown_version != current:
        raise StaleAnswer()
    before = memory_of(state)
    after = scheduler.review(before, rating, now, settings,
                             fuzz_seed(user.id, card.id, before.reps if before else 0, fuzz))
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    try:
        with session.begin_nested():
            if state is None:
                state = CardState(user_id=user.id, card_id=card.id, version=current + 1, suspended=False)
                session.add(state)
            else:
                state.version = current + 1
            _apply(state, after)
            log = ReviewLog(
                user_id=user.id, card_id=card.id, rating=int(rating), reviewed_at=now, duration_ms=duration_ms,
                source=source, shown_version=shown_version, state_before=before.state if before else NEW,
                state_after=after.state, before=before.to_dict() if before else None, after=after.to_dict(),
            )
            session.add(log)
            session.flush()
    except (IntegrityError, StaleDataError) as exc:
        raise StaleAnswer() from exc
    return log


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


def day_summary(session: Session, user: User, deck: Deck, now: datetime) -> Summary:
    start, _ = day_bounds(now, user.timezone)
    reviewed, correct = session.execute(
        select(func.count(), func.coalesce(func.sum(case((ReviewLog.rating > 1, 1), else_=0)), 0))
        .join(Card, Card.id == ReviewLog.card_id)
        .where(ReviewLog.user_id == user.id, Card.deck_id == deck.id, ReviewLog.reviewed_at >= start)
    ).one()
    next_due = session.scalar(
        select(func.min(CardState.due)).join(Card, Card.id == CardState.card_id)
        .where(CardState.user_id == user.id, CardState.suspended.is_(False), _active_cards(deck))
    )
    return Summary(reviewed=reviewed, correct=int(correct), next_due=next_due)

