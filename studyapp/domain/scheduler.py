"""FSRS scheduling over py-fsrs: pure, no clock, no storage.

A card's memory is a `Memory` value; `None` means the learner has never seen the card. Every
function takes `now` (an aware datetime) and returns new values instead of mutating.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from enum import IntEnum
from functools import lru_cache

import fsrs

from .notes import CardState

NEW = CardState.NEW  # a card never answered (no stored state); py-fsrs starts cards in Learning


class Rating(IntEnum):
    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()


STATE_NAMES = {state: state.name.lower() for state in CardState}


@dataclass(frozen=True)
class Settings:
    desired_retention: float = 0.9
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    maximum_interval_days: int = 36500
    parameters: tuple[float, ...] | None = None  # None: FSRS-6 defaults


@dataclass(frozen=True)
class Memory:
    state: CardState  # LEARNING, REVIEW or RELEARNING (py-fsrs's codes, the same numbers)
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict:
        return {
            "state": int(self.state),
            "step": self.step,
            "stability": self.stability,
            "difficulty": self.difficulty,
            "due": self.due.isoformat(),
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Memory:
        return cls(
            state=CardState(data["state"]),
            step=data["step"],
            stability=data["stability"],
            difficulty=data["difficulty"],
            due=_utc(datetime.fromisoformat(data["due"])),
            last_review=_utc(datetime.fromisoformat(data["last_review"])) if data["last_review"] else None,
            reps=data["reps"],
            lapses=data["lapses"],
        )


@dataclass(frozen=True)
class Outcome:
    rating: Rating
    memory: Memory
    interval: timedelta  # due - now

    @property
    def label(self) -> str:
        return format_interval(self.interval)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return value.astimezone(timezone.utc)


@lru_cache(maxsize=256)
def _scheduler(settings: Settings) -> fsrs.Scheduler:
    kwargs = dict(
        desired_retention=settings.desired_retention,
        learning_steps=settings.learning_steps,
        relearning_steps=settings.relearning_steps,
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=False,  # py-fsrs fuzz draws from the global RNG; ours is deterministic (below)
    )
    if settings.parameters is not None:
        kwargs["parameters"] = settings.parameters
    return fsrs.Scheduler(**kwargs)


def _to_fsrs(memory: Memory | None, now: datetime) -> fsrs.Card:
    if memory is None:
        return fsrs.Card(card_id=1, state=fsrs.State.Learning, step=0, due=now)
    return fsrs.Card(
        card_id=1,
        state=fsrs.State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )


def _fuzz(interval: timedelta, fuzz_seed: str | None, max_days: int) -> timedelta:
    """Spread long intervals by a few percent so cards learnt together do not fall due together.

    Intervals under three days are left alone. The offset is drawn from a hash of `fuzz_seed`,
    so the interval a button shows is exactly the one the answer gets.
    """
    days = interval / timedelta(days=1)
    if fuzz_seed is None or days < 3:
        return interval
    spread = max(1, round(days * 0.05))
    digest = hashlib.blake2b(fuzz_seed.encode(), digest_size=8).digest()
    offset = int.from_bytes(digest, "big") % (2 * spread + 1) - spread
    fuzzed = min(max(1, round(days) + offset), max_days)
    return timedelta(days=fuzzed)


def review(
    memory: Memory | None,
    rating: Rating | int,
    now: datetime,
    settings: Settings = Settings(),
    fuzz_seed: str | None = None,
) -> Memory:
    """The memory after answering `rating` at `now`.

    As in Anki, Easy always gives a longer interval than Good: where FSRS graduates both to the same
    number of days (a learning card on its last step: "1m 10m 1d 1d"), Easy gets Good's interval plus a day.
    """
    now = _utc(now)
    rating = Rating(rating)
    good = _raw_review(memory, Rating.GOOD, now, settings, fuzz_seed) if rating == Rating.EASY else None
    return _memory_after(memory, rating, now, settings, fuzz_seed, good)


def _memory_after(memory: Memory | None, rating: Rating, now: datetime, settings: Settings, fuzz_seed: str | None,
                  good: tuple[fsrs.Card, datetime] | None) -> Memory:
    card, due = good if rating == Rating.GOOD and good is not None else _raw_review(memory, rating, now, settings,
                                                                                    fuzz_seed)
    if rating == Rating.EASY and card.state == fsrs.State.Review and good is not None:
        good_card, good_due = good
        if good_card.state == fsrs.State.Review and due <= good_due:
            due = min(good_due + timedelta(days=1), now + timedelta(days=settings.maximum_interval_days))
    previous_state = memory.state if memory else NEW
    lapsed = rating == Rating.AGAIN and previous_state == CardState.REVIEW
    return Memory(
        state=CardState(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=due,
        last_review=card.last_review,
        reps=(memory.reps if memory else 0) + 1,
        lapses=(memory.lapses if memory else 0) + (1 if lapsed else 0),
    )


def _raw_review(memory: Memory | None, rating: Rating, now: datetime, settings: Settings,
                fuzz_seed: str | None) -> tuple[fsrs.Card, datetime]:
    """py-fsrs's card after `rating`, and its due time with our fuzz applied (review intervals only)."""
    card, _log = _scheduler(settings).review_card(_to_fsrs(memory, now), fsrs.Rating(int(rating)), now)
    due = card.due
    if card.state == fsrs.State.Review:
        due = now + _fuzz(card.due - now, fuzz_seed, settings.maximum_interval_days)
    return card, due


def next_states(
    memory: Memory | None,
    now: datetime,
    settings: Settings = Settings(),
    fuzz_seed: str | None = None,
) -> dict[Rating, Outcome]:
    """All four possible outcomes, for the buttons to show their intervals."""
    now = _utc(now)
    good = _raw_review(memory, Rating.GOOD, now, settings, fuzz_seed)  # once: Good's and Easy's outcomes need it
    out = {}
    for rating in Rating:
        after = _memory_after(memory, rating, now, settings, fuzz_seed, good)
        out[rating] = Outcome(rating, after, after.due - now)
    return out


def retrievability(memory: Memory | None, now: datetime, settings: Settings = Settings()) -> float:
    """Predicted probability of recall at `now` (0 for a card never learnt)."""
    if memory is None or memory.stability is None:
        return 0.0
    return float(_scheduler(settings).get_card_retrievability(_to_fsrs(memory, now), _utc(now)))


def with_due(memory: Memory, due: datetime) -> Memory:
    return replace(memory, due=_utc(due))


def format_interval(delta: timedelta) -> str:
    """A short label like Anki's: 45s, 1m, 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return f"{max(1, round(seconds))}s"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    months = days / 30.4375
    if months < 12:
        return f"{_trim(months)}mo"
    return f"{_trim(days / 365.25)}y"


def _trim(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


_STEP_RE = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_steps(text: str) -> tuple[timedelta, ...]:
    """'1m 10m' -> (1 minute, 10 minutes). Raises ValueError naming the bad step."""
    steps = []
    for token in text.split():
        match = _STEP_RE.match(token.strip().lower())
        if not match:
            raise ValueError(f"'{token}' is not a step; write a number and a unit, like 1m, 10m, 1h or 1d")
        value = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        if value <= 0 or math.isinf(value):
            raise ValueError(f"'{token}' must be longer than zero")
        steps.append(timedelta(seconds=value))
    return tuple(steps)


def format_steps(steps: tuple[timedelta, ...]) -> str:
    out = []
    for step in steps:
        seconds = int(step.total_seconds())
        for unit in ("d", "h", "m"):
            if seconds % _UNIT_SECONDS[unit] == 0:
                out.append(f"{seconds // _UNIT_SECONDS[unit]}{unit}")
                break
        else:
            out.append(f"{seconds}s")
    return " ".join(out)
