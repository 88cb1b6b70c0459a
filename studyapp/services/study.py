"""The study loop: what to show next, recording an answer exactly once, undo."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, case, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain import scheduler
from ..domain.days import ROLLOVER_HOUR, day_bounds
from ..domain.notes import CardState as State
from ..domain.notes import CardStatus, DeckStatus
from ..domain.scheduler import Memory, Rating
from ..models import Card, CardState, Deck, ReviewLog, User
from . import examplan, fitting
from . import study_sql as sql
from .study_history import Summary, day_summary, undo_last, undo_review  # noqa: F401  (the study API)
from .study_queue import (  # noqa: F401
    LEARN_AHEAD,
    Answer,
    Answered,
    DayCounts,
    DeckCounts,
    NextCard,
    Planned,
    Queue,
    SectionRef,
    pick_next,
)

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
class Showing:
    """The card to show next, with the version an answer to it must name."""

    card: Card
    state: CardState | None
    version: int
    queue: str  # "learning", "review" or "new"

    @property
    def memory(self) -> Memory | None:
        return memory_of(self.state)


_P = {name: bindparam(name) for name in ("user_id", "deck_id", "start")}
_DAY_COUNTS = (
    select(func.count(), func.coalesce(func.sum(case((ReviewLog.state_before == State.NEW, 1), else_=0)), 0),
           func.coalesce(func.sum(case((ReviewLog.state_before == State.REVIEW, 1), else_=0)), 0))
    .join(Card, Card.id == ReviewLog.card_id)
    .where(ReviewLog.user_id == _P["user_id"], ReviewLog.reviewed_at >= _P["start"], Card.deck_id == _P["deck_id"])
)
_STATE_FOR_UPDATE = (select(CardState).where(CardState.user_id == bindparam("user_id"),
                                            CardState.card_id == bindparam("card_id")).with_for_update())


def _day_counts(session: Session, user: User, deck: Deck, start: datetime) -> DayCounts:
    answered, new_done, reviews_done = session.execute(
        _DAY_COUNTS, {"user_id": user.id, "deck_id": deck.id, "start": start}).one()
    return DayCounts(new_done=int(new_done), reviews_done=int(reviews_done), answered=int(answered))


def limits(deck: Deck, day: DayCounts) -> tuple[int, int]:
    return max(0, deck.new_per_day - day.new_done), max(0, deck.reviews_per_day - day.reviews_done)


def _read(session: Session, statement, params: dict, connection=None):
    connection = connection if connection is not None else session.connection()
    return connection.execute(sql.prepared(statement, connection.dialect), params)


def _queue_params(user_id: int, tz_name: str, deck_id: int, now: datetime, rollover_hour: int, **extra) -> dict:
    start, end = day_bounds(now, tz_name, rollover_hour)
    return {"user_id": user_id, "deck_id": deck_id, "start": start, "end": end, "until": now + LEARN_AHEAD, **extra}


def next_showing(session: Session, user: User, deck: Deck, now: datetime,
                 rollover_hour: int = ROLLOVER_HOUR) -> Showing | None:
    """Learning cards due now, then reviews due today, then new cards up to the daily limit; a learning
    card due within LEARN_AHEAD comes early rather than ending the session (see `pick_next`). The day
    starts at `rollover_hour` in the learner's zone. The card is an ORM object (for services and tests);
    the study pages use `queue` and `load_card`."""
    picked, _counts, _queue = queue(session, user.id, user.timezone, deck, now, rollover_hour)
    if picked is None:
        return None
    card_id, kind = picked
    state = session.scalar(select(CardState).where(CardState.user_id == user.id, CardState.card_id == card_id))
    return Showing(session.get(Card, card_id), state, state.version if state else 0, kind)


def deck_counts(session: Session, user: User, deck: Deck, now: datetime,
                rollover_hour: int = ROLLOVER_HOUR) -> DeckCounts:
    """What is left today: new (within the limit; one per fact), learning due today, reviews due (within
    the limit). Counted in SQL, in the same statement as the queue's next cards."""
    return queue(session, user.id, user.timezone, deck, now, rollover_hour)[1]


def queue(session: Session, user_id: int, tz_name: str, deck: Deck, now: datetime,
          rollover_hour: int = ROLLOVER_HOUR) -> tuple[tuple[int, str] | None, DeckCounts, Queue]:
    """The next card (id, queue name) and today's counts, in one statement."""
    params = _queue_params(user_id, tz_name, deck.id, now, rollover_hour)
    snapshot = Queue.of(_read(session, sql.QUEUE_ROW, params).one())
    limits, snapshot = examplan.in_budget(session, user_id, deck.id, now, params, deck.new_per_day,  # exam plan: budget,
                                          deck.reviews_per_day, snapshot)  # weakest reviews first when it cuts them
    picked, counts = pick_next(snapshot, *limits, now, params["end"], None)
    return picked, counts, snapshot


def _memory_of_row(row) -> Memory | None:
    if row.state_id is None:
        return None
    return Memory(state=State(row.state), step=row.step, stability=row.stability, difficulty=row.difficulty,
                  due=row.due, last_review=row.last_review, reps=row.reps, lapses=row.lapses)


def load_card(session: Session, user_id: int, picked: tuple[int, str], answered: Answer | None = None,
              answered_version: int = 0, connection=None) -> NextCard:
    card_id, kind = picked
    row = _read(session, sql.CARD_ROW, {"user_id": user_id, "card_id": card_id}, connection).one()
    memory, version = _memory_of_row(row), row.version or 0
    if answered is not None and answered.card_id == card_id:  # the answered card again: as it is being stored
        memory, version = answered.after, answered_version
    section = SectionRef(row.section_title, row.section_slug) if row.section_slug is not None else None
    return NextCard(row.id, row.key, row.kind, row.type, row.prompt, row.answer, row.cloze_ord, row.explanation,
                    section, kind, version, memory, row.context)


class NotStudyable(LookupError):
    """The card is not in this deck, or the learner may not see the deck (a draft): answer 404."""


class CardRetired(Exception):
    """The card was retired (or suspended) since it was shown: answer 409 with this message."""


def next_state(before: Memory | None, rating: Rating, now: datetime, settings: scheduler.Settings,
               seed: str | None) -> Memory:
    """The memory an answer leaves: the one place the study answer path schedules."""
    return scheduler.review(before, rating, now, settings, seed)


def answer_card(session: Session, user_id: int, tz_name: str, deck_id: int, card_id: int, rating: Rating | int,
                shown_version: int, now: datetime, *, before_write: Callable[[], None] | None = None,
                **options) -> Answered:
    """Study answer and next card: `plan_answer` (the reads), then `before_write()` (the boundary's chance to
    start the write transaction: on SQLite BEGIN IMMEDIATE), then `store_answer` (the write).
    Raises NotStudyable (404), CardRetired (409), StaleAnswer (409: answered already); then roll back."""
    planned = plan_answer(session, user_id, tz_name, deck_id, card_id, rating, shown_version, now, **options)
    if before_write is not None:
        before_write()
    return store_answer(session, planned)


def plan_answer(session: Session, user_id: int, tz_name: str, deck_id: int, card_id: int, rating: Rating | int,
                shown_version: int, now: datetime, *, may_see_drafts: bool = False,
                rollover_hour: int = ROLLOVER_HOUR, fuzz: bool = True, duration_ms: int | None = None,
                want_next: bool = True) -> Planned:
    """Everything of a study answer but the write, in two reads: one statement for the card, its state,
    settings and the queue as it will be; one for the next card. The view renders the next card before
    it starts the write transaction, which then lasts only as long as the write itself."""
    rating = Rating(rating)
    params = _queue_params(user_id, tz_name, deck_id, now, rollover_hour, card_id=card_id)
    connection = session.connection()  # once: each call walks the session's transaction machinery
    row = _read(session, sql.ANSWER_ROW, params, connection).first()
    if row is None or row.deck_id != deck_id or (row.deck_status == DeckStatus.DRAFT and not may_see_drafts):
        raise NotStudyable()
    if row.card_status != CardStatus.ACTIVE:
        raise CardRetired("This card was retired by your instructor since it was shown; it is no longer "
                          "studied. Your answer was not recorded.")
    if row.suspended:
        raise CardRetired("This card is suspended (see Progress), so it is not studied until you unsuspend it. "
                          "Your answer was not recorded.")
    current = row.version or 0
    if shown_version != current:
        raise StaleAnswer()
    settings = _settings(row.desired_retention, row.learning_steps, row.relearning_steps,
                         fitting.parameters_of_fit(session, row.fit_id))
    before = _memory_of_row(row)
    after = next_state(before, rating, now, settings, fuzz_seed(user_id, card_id, before.reps if before else 0, fuzz))
    after = examplan.apply_exam_plan(session, user_id, deck_id, after, now, settings.parameters)  # exam plan: due date
    upcoming = counts = None
    if want_next:
        answer, q = Answer(card_id, before, after), Queue.of(row)
        limits, q = examplan.in_budget(session, user_id, deck_id, now, params, row.new_per_day, row.reviews_per_day,  # exam plan:
                                       q, settings.parameters, skip_card=card_id)  # budget, weakest reviews first
        picked, counts = pick_next(q, *limits, now, params["end"], answer)
        upcoming = load_card(session, user_id, picked, answer, current + 1, connection) if picked else None
    return Planned(user_id, card_id, rating, now, duration_ms, row.state_id, current, before, after, upcoming, counts,
                   settings)


def store_answer(session: Session, p: Planned) -> Answered:
    """The write of a planned answer: compare-and-set of the state, and the log row. StaleAnswer when the
    card was answered since it was read."""
    review_id = _write(session, p.user_id, p.card_id, p.state_id, p.version, p.rating, p.before, p.after, p.now,
                       p.duration_ms, "study")
    return Answered(review_id, p.version + 1, p.next, p.counts, p.settings)


def _write(session: Session, user_id: int, card_id: int, state_id: int | None, current: int, rating: Rating,
           before: Memory | None, after: Memory, now: datetime, duration_ms: int | None, source: str) -> int:
    if duration_ms is not None:
        duration_ms = max(0, min(int(duration_ms), MAX_DURATION_MS))
    values = _memory_values(after)
    connection = session.connection()  # the write transaction's (on SQLite: BEGIN IMMEDIATE)
    try:
        if state_id is None:
            # Two first answers racing for one card: the unique (user, card) row lets only one in.
            connection.execute(sql.prepared(sql.INSERT_STATE, connection.dialect),
                               {"user_id": user_id, "card_id": card_id, "version": 1, "suspended": False, **values})
        else:
            # Compare-and-set on the version: a concurrent answer to this showing updates nothing.
            updated = connection.execute(sql.prepared(sql.UPDATE_STATE, connection.dialect),
                                         {"sid": state_id, "expected": current, "new_version": current + 1,
                                          **{f"v_{k}": v for k, v in values.items()}})
            if updated.rowcount != 1:
                raise StaleAnswer()
        return connection.execute(sql.prepared(sql.INSERT_LOG, connection.dialect), {
            "user_id": user_id, "card_id": card_id, "rating": int(rating), "reviewed_at": now,
            "duration_ms": duration_ms, "source": source, "shown_version": current,
            "state_before": before.state if before else State.NEW, "state_after": after.state,
            "before": before.to_dict() if before else None, "after": after.to_dict()}).scalar_one()
    except IntegrityError as exc:
        raise StaleAnswer() from exc


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
    after = examplan.apply_exam_plan(session, user.id, card.deck_id, scheduler.review(  # exam plan: quiz answers too
        before, rating, now, settings, fuzz_seed(user.id, card.id, before.reps if before else 0, fuzz)), now, settings.parameters)
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
                sql.UPDATE_STATE, {"sid": state.id, "expected": current, "new_version": current + 1,
                                   **{f"v_{k}": v for k, v in values.items()}})
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
