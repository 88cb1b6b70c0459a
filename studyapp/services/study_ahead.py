"""Custom study: more new cards today ("Increase today's new card limit", as Anki's custom study).

A learner whose day is done (or at any time) may take N more new cards of a deck today. The grant is stored per
learner, deck and study day (`ExtraNewCards`) as the day's new-card limit it makes: the new cards the learner
had left when asking, plus N. The study queue (`services.examplan._limits`, which both the study page and the
answer path call) raises the day's new-card limit to it, so today's new count includes the extra cards and
the exam plan, the day summary and the progress pages count them like any new card. A class study budget does
not cut the extra cards (the learner asked for them); the page says when they go past it.

The answer path asks nothing more for the many learners without a grant: each process keeps the list of
learners with a grant made in the last two days, re-read at most once a minute and whenever this process grants
one. So that the learner's next page, served by another worker or app server, sees the grant at once, the grant
also marks the learner's session cookie (`HINT_KEY`, set by the route); the study pages pass it on with
`remember_extra`. Only another device of the same learner waits up to a minute.

Services flush and never commit (the request commits once).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import ExtraNewCards

MAX_PER_REQUEST = 50  # one form at most
MAX_PER_DAY = 100  # extra new cards a learner may take in one deck on one day: many new cards today means
# many reviews in the coming days
HINT_KEY = "extra_new_until"  # in the learner's session cookie: a POSIX time until which they may have a grant
EXTRA_USERS_TTL = 60.0  # seconds a process trusts its list of learners with a grant
RECENT = timedelta(days=2)  # a study day lasts 24 hours (25 across a clock change): older grants are over
_extra_users: WeakKeyDictionary = WeakKeyDictionary()  # engine -> (monotonic time read, frozenset of user ids);
# weak: an engine that goes (tests, forks) takes its list with it, and a new engine never finds an old one's


class AheadError(ValueError):
    """A request for extra new cards that cannot be granted; the message says why, for the learner."""


@dataclass(frozen=True)
class Grant:
    added: int  # new cards added to today's limit by this request
    extra_today: int  # extra new cards taken today in this deck, this request included
    new_limit: int  # the day's new-card limit in this deck now


def forget_extra_users() -> None:
    """Drop this process's list of learners with a grant (re-read on the next check)."""
    _extra_users.clear()


def remember_extra(session: Session, user_id: int) -> None:
    """This process learns, from the learner's session cookie, that they took extra new cards (perhaps through
    another worker): add them to the list without waiting for its re-read."""
    found = _extra_users.get(session.get_bind())
    if found is not None and user_id not in found[1]:
        _extra_users[session.get_bind()] = (found[0], found[1] | {user_id})


def may_have_extra(session: Session, user_id: int, now: datetime) -> bool:
    """Whether the learner took extra new cards recently, from a list each process re-reads at most once a
    minute (one query for every learner)."""
    engine = session.get_bind()
    found = _extra_users.get(engine)
    if found is None or monotonic() - found[0] > EXTRA_USERS_TTL:
        ids = frozenset(session.scalars(select(ExtraNewCards.user_id)
                                        .where(ExtraNewCards.day_start > now - RECENT).distinct()))
        found = _extra_users[engine] = (monotonic(), ids)
    return user_id in found[1]


def _row(session: Session, user_id: int, deck_id: int, start: datetime) -> ExtraNewCards | None:
    return session.scalar(select(ExtraNewCards).where(ExtraNewCards.user_id == user_id,
                                                      ExtraNewCards.deck_id == deck_id,
                                                      ExtraNewCards.day_start == start))


def extra_new_limit(session: Session, user_id: int, deck_id: int, start: datetime, now: datetime) -> int | None:
    """The day's new-card limit the learner's extra new cards make for this deck and the study day that began
    at `start` (None: no grant; no query for a learner without a recent grant)."""
    if not may_have_extra(session, user_id, now):
        return None
    return session.scalar(select(ExtraNewCards.new_limit).where(
        ExtraNewCards.user_id == user_id, ExtraNewCards.deck_id == deck_id, ExtraNewCards.day_start == start))


def extra_today(session: Session, user_id: int, deck_id: int, start: datetime, now: datetime) -> int:
    """Extra new cards taken today in this deck (0: none)."""
    if not may_have_extra(session, user_id, now):
        return 0
    row = _row(session, user_id, deck_id, start)
    return row.count if row is not None else 0


def add_new_cards(session: Session, user_id: int, deck_id: int, n: int, *, start: datetime, now: datetime,
                  new_done: int, new_left: int, unseen: int) -> Grant:
    """Raise today's new-card limit of this deck by up to `n` for the learner: to the new cards answered today
    (`new_done`) plus those still left within today's limit (`new_left`) plus n, but never past the unseen
    cards (`unseen`, one per fact) nor MAX_PER_DAY extra cards in a day. AheadError when nothing can be added."""
    if not 1 <= n <= MAX_PER_REQUEST:
        raise AheadError(f"Choose between 1 and {MAX_PER_REQUEST} extra new cards.")
    row = _row(session, user_id, deck_id, start)
    taken = row.count if row is not None else 0
    room = min(n, MAX_PER_DAY - taken, unseen - new_left)
    if unseen - new_left <= 0:
        raise AheadError("No more new cards to add: every card not yet seen in this deck is already in today's "
                         "queue." if unseen else "No more new cards to add: you have seen every card of this deck.")
    if room <= 0:
        raise AheadError(f"You have already taken {taken} extra new cards in this deck today, the most for one "
                         "day: the reviews they bring in the next days need room too.")
    limit = new_done + new_left + room
    if row is None:
        try:
            with session.begin_nested():
                row = ExtraNewCards(user_id=user_id, deck_id=deck_id, day_start=start, count=room, new_limit=limit,
                                    updated_at=now)
                session.add(row)
        except IntegrityError:  # another request made today's row first: add to it
            row = _row(session, user_id, deck_id, start)
            if row is None:
                raise
            row.count, row.new_limit, row.updated_at = row.count + room, max(row.new_limit, limit), now
    else:
        row.count, row.new_limit, row.updated_at = taken + room, limit, now
    session.flush()
    forget_extra_users()
    return Grant(added=room, extra_today=row.count, new_limit=row.new_limit)
