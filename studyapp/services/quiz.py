"""Quizzes: a quiz is a recipe (deck or section, seed, length, types); an attempt freezes its questions.

Every answer is graded (`quizgen.grade`), stored once as a QuizAnswer and fed to the learner's
schedule through `study.record_answer` with `source="quiz"` and the rating from
`quizgen.rating_for` (docs/quizzes.md). Plain functions over a session: they flush, never commit.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, fields, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..domain import quizgen, scheduler
from ..domain.days import day_bounds
from ..domain.notes import AnswerKind, CardKind, CardType, Note, NoteCard
from ..domain.quizgen import QUESTION_TYPES, Question, QuizBuild, QuizCard, build_quiz, grade, rating_for
from ..models import Card, CardState, Class, ClassMember, Deck, Quiz, QuizAnswer, QuizAttempt, ReviewLog, Section, User
from . import study
from .classes import class_for_instructor, manageable
from .decks import learner_visible, visible_to

LENGTHS = (10, 20, None)  # None: every card
SEED_LIMIT = 2**31 - 1
_QUESTION_FIELDS = {f.name for f in fields(Question)}


class NoQuestions(ValueError):
    """The deck (or section) has no card that any chosen question type can be made from."""


class AlreadyAnswered(Exception):
    """This question of the attempt has an answer already; the first one is kept."""


# --- questions ----------------------------------------------------------------------------

def note_card(card: Card) -> NoteCard:
    """The note card a Card row is (the row's columns are the note's fields)."""
    cloze = card.type == CardType.CLOZE
    note = Note(note_key=card.note_key, type=CardType(card.type), kind=CardKind(card.kind), prompt=card.prompt,
                answer="" if cloze else card.answer, explanation=card.explanation or "",
                section=card.section.slug if card.section else None, tags=tuple(card.tag_list),
                category=AnswerKind(card.category) if card.category else None,
                alternatives=tuple(card.alternatives or ()), distractors=tuple(card.distractors or ()),
                speaker=card.speaker, claim=card.claim, statement=card.statement, fact_key=card.fact_key,
                context=card.context)
    return NoteCard(note, (card.cloze_ord or 1) if cloze else None)


def quiz_card(card: Card) -> QuizCard:
    """The pure view of a card that the quiz generator works on; `id` is the card's stable key."""
    return replace(quizgen.quiz_card(note_card(card)), id=card.key)


def active_cards(session: Session, deck: Deck, section: Section | None = None) -> list[Card]:
    """The deck's (or section's) active cards in a fixed order, so a seed always sees the same list."""
    query = select(Card).where(Card.deck_id == deck.id, Card.status == "active")
    if section is not None:
        query = query.where(Card.section_id == section.id)
    return list(session.scalars(query.order_by(Card.position, Card.id)))


def plan_questions(session: Session, deck: Deck, section: Section | None, seed: int, length: int | None,
                   types) -> QuizBuild:
    """The quiz a seed makes over the deck's (or section's) active cards; questions as `Question`s."""
    cards = active_cards(session, deck, section)
    chosen = set(types) if types else None
    return build_quiz([quiz_card(card) for card in cards], rng=random.Random(seed), count=length, types=chosen)


def build_questions(session: Session, deck: Deck, section: Section | None, seed: int,
                    length: int | None, types) -> list[dict]:
    """The questions for a seed, as JSON-ready dicts: `Question.to_dict()` plus `card_db_id`.

    `card_id` is the card's stable key (as in the deck file); `card_db_id` its row id.
    """
    return frozen_questions(session, deck, section, plan_questions(session, deck, section, seed, length, types))


def frozen_questions(session: Session, deck: Deck, section: Section | None, build: QuizBuild) -> list[dict]:
    by_key = {card.key: card.id for card in active_cards(session, deck, section)}
    return [dict(question.to_dict(), card_db_id=by_key[question.card_id]) for question in build.questions]


def question_of(data: dict) -> Question:
    """A frozen question dict back as a `Question` (for grading)."""
    values = {k: v for k, v in data.items() if k in _QUESTION_FIELDS}
    values["accepted"] = tuple(values.get("accepted") or ())
    values["tags"] = tuple(values.get("tags") or ())
    return Question(**values)


def default_title(deck: Deck, section: Section | None) -> str:
    return f"{deck.name} · {section.title}" if section else deck.name


# --- quizzes and attempts -----------------------------------------------------------------

def create_quiz(session: Session, user: User, deck: Deck, now: datetime, *, section: Section | None = None,
                length: int | None = 10, types=None, published: bool = False, title: str = "",
                seed: int | None = None, notices: list[str] | None = None, klass: Class | None = None) -> Quiz:
    """A quiz recipe with a fresh random seed. Raises NoQuestions (saying how many questions of each
    chosen type the cards can make) when nothing could be asked; when fewer questions than `length`
    can be made, the quiz is shorter and `notices` (if given) receives the message saying so.

    A published quiz is for `klass` (its members see it); published without a class, for every learner.
    The caller checks that `user` may publish for that class (`classes.class_for_instructor`)."""
    if section is not None and section.deck_id != deck.id:
        raise ValueError("the section belongs to another deck")
    types = [t for t in QUESTION_TYPES if not types or t in set(types)]
    seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    build = plan_questions(session, deck, section, seed, length, types)
    if not build.questions:
        raise NoQuestions(build.message or "No questions could be made from these cards.")
    if build.message and notices is not None:
        notices.append(build.message)
    quiz = Quiz(deck_id=deck.id, section_id=section.id if section else None, seed=seed, length=length,
                types=types, published=published, title=(title or "").strip() or default_title(deck, section),
                class_id=klass.id if published and klass is not None else None, created_by=user.id, created_at=now)
    session.add(quiz)
    session.flush()
    return quiz


def _reference_questions(session: Session, quiz: Quiz) -> list[dict] | None:
    """A published quiz's questions as its first full attempt froze them (None before anyone started)."""
    first = session.scalar(select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id, QuizAttempt.retry_of.is_(None))
                           .order_by(QuizAttempt.id).limit(1))
    return list(first.questions) if first is not None else None


def start_attempt(session: Session, user: User, quiz: Quiz, now: datetime) -> QuizAttempt:
    """A new attempt with its questions frozen. A published quiz gives everyone the same questions in the
    same order: regenerated from the stored seed over the same card list, or, once someone has started
    it, copied from that first attempt (so editing the deck later cannot split the class)."""
    questions = _reference_questions(session, quiz) if quiz.published else None
    if questions is None:
        questions = build_questions(session, quiz.deck, quiz.section, quiz.seed, quiz.length, quiz.types)
    if not questions:
        raise NoQuestions("This quiz has no questions any more (its cards were retired).")
    attempt = QuizAttempt(quiz_id=quiz.id, user_id=user.id, questions=questions, started_at=now,
                          score=0, total=len(questions))
    session.add(attempt)
    session.flush()
    return attempt


def paper_questions(session: Session, quiz: Quiz) -> list[dict]:
    """The questions a printed copy of the quiz shows: a published quiz's reference questions (the first
    attempt's), else the ones its seed makes from the cards as they are now (what the next attempt gets)."""
    questions = _reference_questions(session, quiz) if quiz.published else None
    return questions if questions is not None else build_questions(session, quiz.deck, quiz.section, quiz.seed,
                                                                   quiz.length, quiz.types)


def retry_missed(session: Session, user: User, attempt: QuizAttempt, now: datetime) -> QuizAttempt | None:
    """A new attempt with only the questions missed (wrong or near) in `attempt`, copied in order."""
    if attempt.user_id != user.id:
        raise PermissionError("not your attempt")
    missed = [attempt.questions[a.position - 1] for a in attempt.answers if not a.correct]
    if not missed:
        return None
    retry = QuizAttempt(quiz_id=attempt.quiz_id, user_id=user.id, questions=missed, retry_of=attempt.id,
                        started_at=now, score=0, total=len(missed))
    session.add(retry)
    session.flush()
    return retry


def answer_for(attempt: QuizAttempt, position: int) -> QuizAnswer | None:
    return next((a for a in attempt.answers if a.position == position), None)


def next_position(attempt: QuizAttempt) -> int | None:
    """The first unanswered question (1-based), or None when all are answered."""
    answered = {a.position for a in attempt.answers}
    return next((n for n in range(1, len(attempt.questions) + 1) if n not in answered), None)


def current_version(session: Session, user: User, card: Card) -> int:
    """The version an answer to this card must name now: the card state's, or 0 for a card never seen."""
    version = session.scalar(select(CardState.version).where(CardState.user_id == user.id,
                                                             CardState.card_id == card.id))
    return version or 0


def new_cards_left(session: Session, user: User, deck: Deck, now: datetime) -> int:
    """How many more never-studied cards of the deck may enter the learner's schedule today: the deck's
    new-card limit less the new cards already introduced today, by study or by quiz."""
    start, _ = day_bounds(now, user.timezone)
    return study.limits(deck, study._day_counts(session, user, deck, start))[0]


def answer_question(session: Session, user: User, attempt: QuizAttempt, position: int, given: str,
                    now: datetime, *, settings: scheduler.Settings, fuzz: bool = True,
                    duration_ms: int | None = None) -> QuizAnswer:
    """Grade, store and schedule one answer. Raises AlreadyAnswered for a second answer to the same
    question, study.StaleAnswer when the card was answered elsewhere at that very moment; after either
    the caller rolls back.

    A card the learner has never studied enters the schedule only while today's new-card allowance of
    its deck has room (docs/quizzes.md); past it, the answer is graded and kept but the schedule is left
    alone (`review_log_id` stays empty) and the card stays new."""
    if attempt.user_id != user.id:
        raise PermissionError("not your attempt")
    if not 1 <= position <= len(attempt.questions):
        raise IndexError(position)
    if answer_for(attempt, position) is not None:
        raise AlreadyAnswered()
    data = attempt.questions[position - 1]
    question = question_of(data)
    given = (given or "").strip()
    correct, verdict = grade(question, given)
    rating = rating_for(question.type, verdict)
    card = session.get(Card, data["card_db_id"])
    if card is None:
        raise LookupError("the card of this question is gone")
    version = current_version(session, user, card)
    log = None
    if version or new_cards_left(session, user, card.deck, now) > 0:
        log = study.record_answer(session, user, card, rating, version, now, settings=settings,
                                  duration_ms=duration_ms, source="quiz", fuzz=fuzz)
    answer = QuizAnswer(position=position, card_id=card.id, question_type=question.type, given=given,
                        correct=correct, verdict=verdict, rating=rating, answered_at=now,
                        review_log_id=log.id if log is not None else None)
    attempt.answers.append(answer)
    try:
        session.flush()
    except IntegrityError as exc:  # the unique (attempt, position): a concurrent twin won
        raise AlreadyAnswered() from exc
    attempt.score = sum(1 for a in attempt.answers if a.correct)
    if next_position(attempt) is None and attempt.finished_at is None:
        attempt.finished_at = now
    session.flush()
    return answer


@dataclass(frozen=True)
class ScheduleEffect:
    """What an attempt's answers did to the learner's schedule."""

    updated: int      # answers that went into the schedule (a review log each)
    held_back: int    # answers to never-studied cards left out (the day's new-card limit was reached)

    @property
    def message(self) -> str:
        text = (f"{self.updated} {'answer' if self.updated == 1 else 'answers'} updated your review schedule")
        if self.held_back:
            cards = "card" if self.held_back == 1 else "cards"
            text += (f"; {self.held_back} {cards} you have not studied yet {'was' if self.held_back == 1 else 'were'}"
                     f" not added to it (today's new-card limit). {'It stays' if self.held_back == 1 else 'They stay'}"
                     " new and will come up in study on a later day")
        return text + "."


def held_back(session: Session, attempt: QuizAttempt) -> set[int]:
    """Positions of the attempt's answers that did not go into the schedule (no quiz review log for that
    card at that moment; answers linked to their log are in it)."""
    unlinked = [a for a in attempt.answers if a.review_log_id is None]
    if not unlinked:
        return set()
    logged = {tuple(row) for row in session.execute(select(ReviewLog.card_id, ReviewLog.reviewed_at).where(
        ReviewLog.user_id == attempt.user_id, ReviewLog.source == "quiz",
        ReviewLog.card_id.in_({a.card_id for a in unlinked})))}
    return {a.position for a in unlinked if (a.card_id, a.answered_at) not in logged}


def schedule_effect(session: Session, attempt: QuizAttempt) -> ScheduleEffect:
    held = len(held_back(session, attempt))
    return ScheduleEffect(updated=len(attempt.answers) - held, held_back=held)


# --- lists --------------------------------------------------------------------------------

def visible_quiz(session: Session, user: User, quiz_id: int) -> Quiz | None:
    """A quiz this user may open: one they made, or a published one for them (docs/quizzes.md): for every
    learner, or for a class they are in or (instructors) manage. Another class's quiz is not revealed."""
    quiz = session.get(Quiz, quiz_id)
    if quiz is None or not visible_to(user, quiz.deck):
        return None  # a quiz on a draft deck is for instructors only
    if quiz.created_by == user.id:
        return quiz
    if not quiz.published:
        return None
    if quiz.class_id is None or quiz.class_id in class_ids_for(session, user):
        return quiz
    return None


def class_ids_for(session: Session, user: User) -> set[int]:
    """The classes whose published quizzes `user` sees: the ones they are in and, for an instructor, the ones
    they manage."""
    ids = set(session.scalars(select(ClassMember.class_id).where(ClassMember.user_id == user.id)))
    if user.is_instructor:
        ids.update(session.scalars(select(Class.id).where(manageable(user))))
    return ids


def may_manage(session: Session, user: User, quiz: Quiz) -> bool:
    """Whether `user` sees the quiz's results: its author, or an instructor managing the class it is for."""
    if quiz.created_by == user.id:
        return True
    return quiz.class_id is not None and class_for_instructor(session, user, quiz.class_id) is not None


def own_attempt(session: Session, user: User, attempt_id: int) -> QuizAttempt | None:
    attempt = session.get(QuizAttempt, attempt_id)
    return attempt if attempt is not None and attempt.user_id == user.id else None


def history(session: Session, user: User, limit: int = 50) -> list[QuizAttempt]:
    return list(session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user.id)
                                .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()).limit(limit)))


@dataclass(frozen=True)
class PublishedRow:
    quiz: Quiz
    best: QuizAttempt | None  # the user's best finished full attempt
    attempts: int

    @property
    def best_percent(self) -> int | None:
        return percent(self.best.score, self.best.total) if self.best else None


def percent(score: int, total: int) -> int:
    return round(100 * score / total) if total else 0


def published_quizzes(session: Session, user: User) -> list[PublishedRow]:
    """The published quizzes `user` sees (for every learner, or for one of their classes), newest first."""
    listed = learner_visible(select(Quiz).join(Deck, Deck.id == Quiz.deck_id), user)  # not on draft decks
    classes = sorted(class_ids_for(session, user))
    for_user = Quiz.class_id.is_(None) | Quiz.class_id.in_(classes) if classes else Quiz.class_id.is_(None)
    quizzes = session.scalars(listed.where(Quiz.published.is_(True), for_user)
                              .order_by(Quiz.created_at.desc(), Quiz.id.desc())).all()
    if not quizzes:
        return []
    attempts = session.scalars(select(QuizAttempt).where(
        QuizAttempt.user_id == user.id, QuizAttempt.retry_of.is_(None),
        QuizAttempt.quiz_id.in_([q.id for q in quizzes]))).all()
    rows = []
    for quiz in quizzes:
        mine = [a for a in attempts if a.quiz_id == quiz.id]
        finished = [a for a in mine if a.finished_at is not None]
        best = max(finished, key=lambda a: (a.score / a.total if a.total else 0, -a.id), default=None)
        rows.append(PublishedRow(quiz, best, len(mine)))
    return rows
