"""`flask seed-demo`: fill the database with a simulated class (learners, review logs, card states, quizzes).

The histories come from `demo_simulation` (the real scheduler, a simple memory model); this module
writes them with bulk inserts in chunks (`session.execute(insert(Model), [dicts])`), so a class of
500 learners over 60 days takes seconds. Demo learners are `demo-learner-0001` ... and share one
password (hashed once). Nothing is committed here: the command commits once at the end.
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import JSON, Text, bindparam, cast, delete, func, insert, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from ..domain.quizgen import QUESTION_TYPES
from ..models import Card, CardState, Deck, Quiz, QuizAnswer, QuizAttempt, ReviewLog, User
from . import study
from .demo_simulation import SimCard, SimConfig, SimQuiz, SimResult, card_difficulty, learner_zone, simulate

PREFIX = "demo-learner-"
PASSWORD = "demo-learner-pass"
QUIZ_TITLES = ("Demo class quiz A", "Demo class quiz B")
QUIZ_LENGTH = 10
CHUNK = 5000  # rows per INSERT batch
LEARNERS_PER_TASK = 25


class DemoExists(Exception):
    """Demo learners are already in the database (use replace=True to seed afresh)."""


@dataclass
class DemoReport:
    learners: int = 0
    answers: int = 0
    card_states: int = 0
    attempts: int = 0
    removed: int = 0


def username(index: int) -> str:
    return f"{PREFIX}{index + 1:04d}"


def _demo_users():
    return User.username.like(f"{PREFIX}%")


def count_demo_learners(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(_demo_users())) or 0


def remove_demo_learners(session: Session) -> int:
    """Delete the demo learners with everything they did (states, logs and attempts go by cascade)."""
    ids = list(session.scalars(select(User.id).where(_demo_users())))
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        attempt_ids = select(QuizAttempt.id).where(QuizAttempt.user_id.in_(part))
        session.execute(delete(QuizAnswer).where(QuizAnswer.attempt_id.in_(attempt_ids)))
        session.execute(delete(QuizAttempt).where(QuizAttempt.user_id.in_(part)))
        session.execute(delete(ReviewLog).where(ReviewLog.user_id.in_(part)))
        session.execute(delete(CardState).where(CardState.user_id.in_(part)))
        session.execute(delete(User).where(User.id.in_(part)))
    session.flush()
    return len(ids)


def demo_class(session: Session, deck: Deck, now: datetime):
    """The class the demo learners join and the demo quizzes are published for: the default class (made by
    `flask setup`, or here when there is none), with the demo deck in it."""
    from .classes import default_class, ensure_default_class

    klass = default_class(session) or ensure_default_class(session, None, [], now)
    if deck not in klass.decks:
        klass.decks.append(deck)
        session.flush()
    return klass


def demo_quizzes(session: Session, deck: Deck, seed: int, now: datetime, days: int,
                 class_id: int | None = None) -> list[SimQuiz]:
    """The published class quizzes the demo learners take (made once, kept across --replace), published for the
    demo class `class_id` (not for every learner)."""
    from . import quiz as quiz_service

    out = []
    for n, title in enumerate(QUIZ_TITLES):
        quiz = session.scalar(select(Quiz).where(Quiz.deck_id == deck.id, Quiz.title == title))
        if quiz is None:
            quiz = Quiz(deck_id=deck.id, title=title, seed=seed * 10 + n, length=QUIZ_LENGTH,
                        types=list(QUESTION_TYPES), published=True, created_by=None, class_id=class_id,
                        created_at=now - timedelta(days=days))
            session.add(quiz)
            session.flush()
        elif quiz.published and quiz.class_id is None and class_id is not None:  # seeded before: every learner
            quiz.class_id = class_id
            session.flush()
        reference = session.scalar(select(QuizAttempt.questions).where(
            QuizAttempt.quiz_id == quiz.id, QuizAttempt.retry_of.is_(None)).order_by(QuizAttempt.id).limit(1))
        questions = reference or quiz_service.build_questions(session, deck, None, quiz.seed, quiz.length,
                                                              quiz.types)
        if questions:
            out.append(SimQuiz(quiz.id, list(questions)))
    return out


# Review logs arrive with their memory states already serialised (in the simulating processes). On
# SQLite they go straight to the driver (below); elsewhere the JSON text is cast to the column's JSON.
INSERT_LOGS = insert(ReviewLog.__table__).values(before=cast(bindparam("before_json", type_=Text), JSON),
                                                 after=cast(bindparam("after_json", type_=Text), JSON))


_SQLITE_LOGS = ('INSERT INTO review_logs (user_id, card_id, rating, reviewed_at, duration_ms, source, shown_version, '
                'state_before, state_after, "before", "after") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a UTCDateTime in SQLite (naive UTC)


def _insert_logs(session: Session, rows: list[dict]) -> None:
    """Review logs are most of the rows: on SQLite they go straight to the driver's executemany, with
    values already in the stored form (SQLAlchemy's per-row processing would double the time)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        _insert(session, INSERT_LOGS, rows)
        return
    for start in range(0, len(rows), CHUNK):
        connection.exec_driver_sql(_SQLITE_LOGS, [
            (r["user_id"], r["card_id"], r["rating"], r["reviewed_at"].astimezone(timezone.utc).strftime(SQLITE_TIME),
             r["duration_ms"], r["source"], r["shown_version"], r["state_before"], r["state_after"],
             r["before_json"], r["after_json"]) for r in rows[start:start + CHUNK]])


def _insert(session: Session, statement, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, rows[start:start + CHUNK])


def _insert_users(session: Session, learners: int, now: datetime, days: int, seed: int) -> list[tuple[int, int, str]]:
    password_hash = generate_password_hash(PASSWORD)
    created = now - timedelta(days=days + 1)
    rows = [{"username": username(i), "password_hash": password_hash, "role": "learner",
             "timezone": learner_zone(seed, i), "created_at": created} for i in range(learners)]
    out = []
    for start in range(0, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        ids = session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), part).all()
        out.extend((user_id, start + i, part[i]["timezone"]) for i, user_id in enumerate(ids))
    return out


class _Writer:
    """Buffers simulated rows and writes them in chunks."""

    def __init__(self, session: Session):
        self.session, self.logs, self.states, self.attempts = session, [], [], []
        self.report = DemoReport()

    def add(self, result: SimResult) -> None:
        self.logs.extend(result.logs)
        self.states.extend(result.states)
        self.attempts.extend(result.attempts)
        self.report.learners += 1
        self.report.answers += len(result.logs)
        self.report.card_states += len(result.states)
        if len(self.logs) >= CHUNK * 4:
            self.flush()

    def flush(self) -> None:
        _insert_logs(self.session, self.logs)
        _insert(self.session, insert(CardState), self.states)
        if self.attempts:
            heads = [{k: v for k, v in a.items() if k != "answers"} for a in self.attempts]
            ids = self.session.scalars(insert(QuizAttempt).returning(QuizAttempt.id, sort_by_parameter_order=True),
                                       heads).all()
            answers = [dict(answer, attempt_id=attempt_id, review_log_id=None)
                       for attempt_id, attempt in zip(ids, self.attempts) for answer in attempt["answers"]]
            _insert(self.session, insert(QuizAnswer), answers)
            self.report.attempts += len(ids)
        self.logs, self.states, self.attempts = [], [], []


def _simulate_batch(args) -> list[SimResult]:
    learners, cards, quizzes, config = args
    return [simulate(user_id, index, tz, cards, quizzes, config) for user_id, index, tz in learners]


def _run(batches: list, jobs: int):
    """Simulate the batches in order, in `jobs` processes; at most 2 per process are in flight, so a
    large class never piles up in memory while the rows are written."""
    if jobs == 1:
        yield from map(_simulate_batch, batches)
        return
    # spawn, not fork: the workers start clean, without this process's database connection.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.submit(_simulate_batch, batch))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def seed_demo(session: Session, deck: Deck, learners: int, days: int, now: datetime, *, seed: int = 2026,
              replace: bool = False, fuzz: bool = True, jobs: int = 1,
              on_progress: Callable[[int], None] | None = None) -> DemoReport:
    """Create `learners` demo learners with `days` days of simulated study of `deck` ending at `now`.
    `on_progress(n)` is called as each batch of n learners is simulated and written (a progress bar).

    Raises DemoExists when demo learners exist and `replace` is false; ValueError for bad sizes."""
    if learners < 1 or days < 1:
        raise ValueError("learners and days must be at least 1")
    removed = 0
    if count_demo_learners(session):
        if not replace:
            raise DemoExists(f"{count_demo_learners(session)} demo learners already exist")
        removed = remove_demo_learners(session)
    cards = [SimCard(card_id, fact, card_difficulty(seed, card_id)) for card_id, fact in session.execute(
        select(Card.id, Card.fact_key).where(Card.deck_id == deck.id, Card.status == "active")
        .order_by(Card.position, Card.id))]
    if not cards:
        raise ValueError(f"the deck '{deck.slug}' has no active cards")
    klass = demo_class(session, deck, now)
    quizzes = demo_quizzes(session, deck, seed, now, days, klass.id)
    config = SimConfig(days=days, now=now, settings=study.settings_for(deck), new_per_day=deck.new_per_day,
                       reviews_per_day=deck.reviews_per_day, seed=seed, fuzz=fuzz)
    people = _insert_users(session, learners, now, days, seed)
    batches = [(people[i:i + LEARNERS_PER_TASK], cards, quizzes, config)
               for i in range(0, len(people), LEARNERS_PER_TASK)]
    writer = _Writer(session)
    for results in _run(batches, max(1, min(jobs, os.cpu_count() or 1, len(batches)))):
        for result in results:
            writer.add(result)
        if on_progress is not None:
            on_progress(len(results))
    writer.flush()
    session.flush()
    _join_class(session, klass, [user_id for user_id, *_ in people], now)
    writer.report.removed = removed
    return writer.report


def _join_class(session: Session, klass, user_ids: list[int], now: datetime) -> None:
    """The demo learners join the demo class (`demo_class`), so the class pages show them."""
    from ..models import ClassMember

    if user_ids:
        _insert(session, insert(ClassMember), [{"class_id": klass.id, "user_id": uid, "joined_at": now}
                                              for uid in user_ids])
