"""Classes: create and edit (instructors, their own only), join by code, membership, the default class.

Services flush and never commit (the request or CLI command commits once).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from time import monotonic

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.days import zone
from ..domain.notes import DeckStatus
from ..models import Class, ClassMember, Deck, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
CODE_LENGTH = 8
DEFAULT_NAME = "Everyone"
MAX_ID = 2**31 - 1


class ClassError(ValueError):
    """A request about a class that cannot be carried out; the message says why, for the user."""


def _changed() -> None:
    """A class, its exam or its members changed: the study loop's list of learners with an exam is re-read."""
    forget_exam_users()


EXAM_USERS_TTL = 60.0  # seconds a process trusts its list of learners with an exam ahead
_exam_users: dict = {}  # engine -> (monotonic time read, frozenset of user ids)


def forget_exam_users() -> None:
    """Drop this process's list (a class, its exam or its members changed here; other processes re-read theirs
    within EXAM_USERS_TTL)."""
    _exam_users.clear()


def may_have_exam(session: Session, user_id: int, now: datetime) -> bool:
    """Whether the learner is in a class with an exam ahead, from a list each process re-reads at most once a
    minute (one query for every learner), so the study answer path asks nothing more for the many learners
    without an exam. A learner who joins elsewhere is planned for within a minute."""
    engine = session.get_bind()
    key = (id(engine), str(engine.url))
    found = _exam_users.get(key)
    if found is None or monotonic() - found[0] > EXAM_USERS_TTL:
        if len(_exam_users) > 8:  # engines come and go (tests, forks): keep the list small
            _exam_users.clear()
        ids = frozenset(session.scalars(
            select(ClassMember.user_id).join(Class, Class.id == ClassMember.class_id)
            .where(Class.exam_at.is_not(None), Class.exam_at > now).distinct()))
        found = _exam_users[key] = (monotonic(), ids)
    return user_id in found[1]


def new_join_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(Class.id).where(Class.join_code == code)) is None:
            return code


def normalise_code(text: str) -> str:
    """What a learner typed, as a code: upper case, spaces and dashes dropped."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:32]


def exam_datetime(day: date | None, at: time | None, tz_name: str) -> datetime | None:
    """The exam's date and time (in the instructor's zone; 09:00 when no time is given) as UTC."""
    if day is None:
        return None
    local = datetime.combine(day, at or time(9, 0), tzinfo=zone(tz_name))
    return local.astimezone(timezone.utc)


@dataclass(frozen=True)
class ClassInput:
    name: str
    deck_ids: tuple[int, ...] = ()
    exam_at: datetime | None = None
    daily_minutes: int | None = None


def _decks(session: Session, deck_ids) -> list[Deck]:
    ids = sorted(set(int(i) for i in deck_ids))
    decks = list(session.scalars(select(Deck).where(Deck.id.in_(ids)))) if ids else []
    missing = set(ids) - {d.id for d in decks}
    if missing:
        raise ClassError(f"no deck with id {', '.join(str(i) for i in sorted(missing))}")
    return decks


def _check(data: ClassInput) -> str:
    name = (data.name or "").strip()
    if not name:
        raise ClassError("Name the class.")
    if len(name) > 200:
        raise ClassError("Use at most 200 characters for the name.")
    if data.daily_minutes is not None and not 1 <= data.daily_minutes <= 600:
        raise ClassError("The daily study budget is from 1 to 600 minutes.")
    return name


def create_class(session: Session, instructor: User | None, data: ClassInput, now: datetime,
                 is_default: bool = False) -> Class:
    name = _check(data)
    klass = Class(name=name, instructor_id=instructor.id if instructor else None, exam_at=data.exam_at,
                  daily_minutes=data.daily_minutes, join_code=new_join_code(session), is_default=is_default,
                  created_at=now)
    klass.decks = _decks(session, data.deck_ids)
    session.add(klass)
    session.flush()
    _changed()
    return klass


def update_class(session: Session, klass: Class, data: ClassInput) -> Class:
    klass.name = _check(data)
    klass.exam_at = data.exam_at
    klass.daily_minutes = data.daily_minutes
    klass.decks = _decks(session, data.deck_ids)
    session.flush()
    _changed()
    return klass


def new_code(session: Session, klass: Class) -> str:
    """A fresh join code (the old one and its link stop working)."""
    klass.join_code = new_join_code(session)
    session.flush()
    return klass.join_code


def manageable(user: User) -> object:
    """The SQL condition for the classes `user` (an instructor) manages: their own, and a default class
    without an owner."""
    return or_(Class.instructor_id == user.id, Class.instructor_id.is_(None))


def classes_of_instructor(session: Session, user: User) -> list[Class]:
    return list(session.scalars(select(Class).where(manageable(user)).order_by(Class.name, Class.id)))


def class_for_instructor(session: Session, user: User, class_id: int) -> Class | None:
    """The class if `user` manages it; None otherwise (the page answers 404: another's class is not revealed)."""
    if not 0 < class_id <= MAX_ID:  # a number no id column holds (PostgreSQL INTEGER): no such class
        return None
    klass = session.get(Class, class_id)
    if klass is None or not user.is_instructor:
        return None
    if klass.instructor_id is not None and klass.instructor_id != user.id:
        return None
    return klass


def classes_of_learner(session: Session, user: User) -> list[Class]:
    return list(session.scalars(select(Class).join(ClassMember, ClassMember.class_id == Class.id)
                                .where(ClassMember.user_id == user.id).order_by(Class.name, Class.id)))


def find_by_code(session: Session, code: str) -> Class | None:
    code = normalise_code(code)
    return session.scalar(select(Class).where(Class.join_code == code)) if code else None


def join(session: Session, user: User, code: str, now: datetime) -> tuple[Class, bool]:
    """Join the class with this code; returns (class, joined now). Raises ClassError for an unknown code."""
    klass = find_by_code(session, code)
    if klass is None:
        raise ClassError("No class has that code. Check it with your instructor.")
    return klass, add_member(session, klass, user, now)


def add_member(session: Session, klass: Class, user: User, now: datetime) -> bool:
    """Put `user` in the class; False if they were already in it."""
    if session.scalar(select(ClassMember.id).where(ClassMember.class_id == klass.id,
                                                   ClassMember.user_id == user.id)) is not None:
        return False
    session.add(ClassMember(class_id=klass.id, user_id=user.id, joined_at=now))
    session.flush()
    _changed()
    return True


def remove_member(session: Session, klass: Class, user_id: int) -> bool:
    member = session.scalar(select(ClassMember).where(ClassMember.class_id == klass.id,
                                                      ClassMember.user_id == user_id))
    if member is None:
        return False
    session.delete(member)
    session.flush()
    _changed()
    return True


def delete_class(session: Session, klass: Class) -> int:
    """Delete a class. Its published quizzes are unpublished first (and keep no class): a published quiz with
    no class is shown to every learner, so they must not fall back to that (quizzes.class_id is ON DELETE
    RESTRICT, so a delete that skips this step fails rather than publishing them). Returns how many quizzes
    were unpublished."""
    from sqlalchemy import update

    from ..models import Quiz

    unpublished = session.execute(update(Quiz).where(Quiz.class_id == klass.id).values(published=False, class_id=None),
                                  execution_options={"synchronize_session": "fetch"}).rowcount
    session.delete(klass)
    session.flush()
    _changed()
    return unpublished or 0


def members_with_users(session: Session, class_id: int) -> list[tuple[ClassMember, User]]:
    """The class's members and their accounts in one query, by username."""
    return [tuple(row) for row in session.execute(
        select(ClassMember, User).join(User, User.id == ClassMember.user_id)
        .where(ClassMember.class_id == class_id).order_by(func.lower(User.username), User.id))]


def member_ids(session: Session, class_id: int) -> list[int]:
    return list(session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == class_id)))


def deck_ids(session: Session, klass: Class) -> list[int]:
    return [deck.id for deck in klass.decks]


def default_class(session: Session) -> Class | None:
    return session.scalar(select(Class).where(Class.is_default.is_(True)).order_by(Class.id).limit(1))


def ensure_default_class(session: Session, instructor: User | None, learners: list[User], now: datetime) -> Class:
    """The default class (made once) with every published deck and these learners in it (`flask setup`)."""
    klass = default_class(session)
    if klass is None:
        decks = session.scalars(select(Deck.id).where(Deck.status == DeckStatus.PUBLISHED)).all()
        klass = create_class(session, instructor, ClassInput(DEFAULT_NAME, tuple(decks)), now, is_default=True)
    else:
        have = {deck.id for deck in klass.decks}
        for deck in session.scalars(select(Deck).where(Deck.status == DeckStatus.PUBLISHED)):
            if deck.id not in have:
                klass.decks.append(deck)
        if klass.instructor_id is None and instructor is not None:
            klass.instructor_id = instructor.id
    for learner in learners:
        add_member(session, klass, learner, now)
    session.flush()
    return klass


def exam_class_for(session: Session, user_id: int, deck_id: int, now: datetime) -> Class | None:
    """The learner's class that has this deck and the nearest exam still ahead (None if none)."""
    from ..models import class_decks

    return session.scalar(
        select(Class).join(ClassMember, ClassMember.class_id == Class.id)
        .join(class_decks, class_decks.c.class_id == Class.id)
        .where(ClassMember.user_id == user_id, class_decks.c.deck_id == deck_id, Class.exam_at.is_not(None),
               Class.exam_at > now)
        .order_by(Class.exam_at, Class.id).limit(1))

