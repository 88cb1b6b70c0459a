"""Quizzes: a quiz is a recipe (deck, section, seed, length, types); an attempt freezes its questions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .classes import Class
from .core import Card, Deck, Section, User
from .types import UTCDateTime, utcnow


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200), default="")
    seed: Mapped[int] = mapped_column(Integer)
    length: Mapped[int | None] = mapped_column(Integer)          # None: every card
    types: Mapped[list] = mapped_column(JSON, default=list)      # question types to include
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # a fixed quiz for a class
    # the class it is published for; None on a published quiz: every learner (docs/quizzes.md). RESTRICT: a class
    # with quizzes cannot be deleted behind their back (SET NULL would show them to every learner);
    # services.classes.delete_class unpublishes them first.
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="RESTRICT"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deck: Mapped[Deck] = relationship()
    section: Mapped[Section | None] = relationship()
    author: Mapped[User | None] = relationship()
    klass: Mapped[Class | None] = relationship()


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_user", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    questions: Mapped[list] = mapped_column(JSON)                # the generated questions, frozen
    retry_of: Mapped[int | None] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    score: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list[QuizAnswer]] = relationship(back_populates="attempt", order_by="QuizAnswer.position",
                                                     cascade="all, delete-orphan")


class QuizAnswer(db.Model):
    """One answer to one question of an attempt; (attempt, position) is unique, so never recorded twice."""

    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "position"), Index("ix_quiz_answers_card", "card_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    question_type: Mapped[str] = mapped_column(String(32))
    given: Mapped[str] = mapped_column(Text, default="")
    correct: Mapped[bool] = mapped_column(Boolean)
    verdict: Mapped[str] = mapped_column(String(16))             # correct, near, wrong
    rating: Mapped[int] = mapped_column(Integer)                 # the FSRS rating it fed the schedule
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    review_log_id: Mapped[int | None] = mapped_column(ForeignKey("review_logs.id", ondelete="SET NULL"))

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    card: Mapped[Card] = relationship()
