"""The study loop's values (today's counts, the queue's row, the next card, an answer planned or stored) and
the pure choice of the next card once an answer is stored. No database: services/study.py reads and writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..domain import scheduler
from ..domain.notes import CardState as State
from ..domain.scheduler import Memory, Rating

LEARN_AHEAD = timedelta(minutes=20)  # as Anki: show a learning card early rather than end the session


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
class Queue:
    """One row of the queue statement: today's counts and the next candidates (ids picked in SQL)."""

    answered: int
    new_done: int
    reviews_done: int
    last_review_id: int | None  # the learner's last study answer in this deck today (what Undo takes back)
    learn_id: int | None        # the first learning card due within LEARN_AHEAD, and its due time
    learn_due: datetime | None
    review_id: int | None
    new_id: int | None
    learning: int
    review: int
    new: int
    fit_id: int | None

    @classmethod
    def of(cls, row) -> Queue:
        return cls(int(row.answered), int(row.new_done), int(row.reviews_done), row.last_review_id, row.learn_id,
                   row.learn_due, row.review_id, row.new_id, int(row.learning), int(row.review), int(row.new),
                   row.fit_id)


@dataclass(frozen=True)
class Answer:
    """The answer being stored, as the queue must count it."""

    card_id: int
    before: Memory | None
    after: Memory


def pick_next(q: Queue, new_per_day: int, reviews_per_day: int, now: datetime, end: datetime,
              answered: Answer | None) -> tuple[tuple[int, str] | None, DeckCounts]:
    """Which card comes next, and what is left today, once `answered` (if any) is stored. Pure.

    Learning cards due now, then reviews due today (within the daily limit), then new cards (within the
    limit); then a learning card due within LEARN_AHEAD, the answered card among them, rather than
    ending the session early (as Anki)."""
    new_done, reviews_done, done = q.new_done, q.reviews_done, q.answered
    own = None
    if answered is not None:
        done += 1
        new_done += answered.before is None
        reviews_done += answered.before is not None and answered.before.state == State.REVIEW
        if answered.after.state in (State.LEARNING, State.RELEARNING) and answered.after.due <= now + LEARN_AHEAD:
            own = answered
    new_left, reviews_left = max(0, new_per_day - new_done), max(0, reviews_per_day - reviews_done)
    learning = q.learning + (own is not None and own.after.due < end)
    counts = DeckCounts(new=min(new_left, q.new), learning=learning, review=min(reviews_left, q.review), done=done)
    if q.learn_id is not None and q.learn_due <= now:
        return (q.learn_id, "learning"), counts
    if reviews_left and q.review_id is not None:
        return (q.review_id, "review"), counts
    if new_left and q.new_id is not None:
        return (q.new_id, "new"), counts
    if q.learn_id is not None and (own is None or q.learn_due <= own.after.due):
        return (q.learn_id, "learning"), counts
    if own is not None:
        return (own.card_id, "learning"), counts
    return None, counts


@dataclass(frozen=True)
class SectionRef:
    title: str
    slug: str


@dataclass(frozen=True)
class NextCard:
    """A card to show, as plain values (what the study page and its JSON need), and the version an
    answer to it must name."""

    id: int
    key: str
    kind: str
    type: str
    prompt: str
    answer: str
    cloze_ord: int | None
    explanation: str
    section: SectionRef | None
    queue: str
    version: int
    memory: Memory | None
    context: str | None = None   # the card's context line, shown above its front


@dataclass(frozen=True)
class Answered:
    review_id: int
    version: int  # the card's version once answered
    next: NextCard | None
    counts: DeckCounts | None
    settings: scheduler.Settings


@dataclass(frozen=True)
class Planned:
    """A study answer read and scheduled but not yet written (`plan_answer`), and what comes after it."""

    user_id: int
    card_id: int
    rating: Rating
    now: datetime
    duration_ms: int | None
    state_id: int | None
    version: int  # the version shown (and read): the write is refused unless it still is
    before: Memory | None
    after: Memory
    next: NextCard | None
    counts: DeckCounts | None
    settings: scheduler.Settings
