"""Accounts, decks, cards, and each learner's memory of each card."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import expression

from ..domain.notes import AnswerKind, CardKind, CardStatus, CardType, DeckStatus
from ..extensions import db
from .types import UTCDateTime, utcnow

ROLES = ("learner", "instructor")
CARD_KINDS = tuple(CardKind)
CARD_TYPES = tuple(CardType)
CARD_STATUSES = tuple(CardStatus)
SOURCES = ("study", "quiz")


def one_of(column: str, values) -> CheckConstraint:
    """CHECK (column IN (...)): a code the database itself refuses when it is not a known one."""
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"ck_{column}_known")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="learner")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by a reset (instructor or `flask reset-password`): the next login must choose a new password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=expression.false())

    # The token of the login this object was loaded for (studyapp.services.sessions). Flask-Login keeps it in
    # the session cookie in place of the user id, so deleting the login's row ends that cookie's life.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"

    def __repr__(self) -> str:
        return f"<User {self.username} ({self.role})>"


class Deck(db.Model):
    __tablename__ = "decks"
    __table_args__ = (one_of("status", tuple(DeckStatus)),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    new_per_day: Mapped[int] = mapped_column(Integer, default=20)
    reviews_per_day: Mapped[int] = mapped_column(Integer, default=200)
    learning_steps: Mapped[str] = mapped_column(String(100), default="1m 10m")
    relearning_steps: Mapped[str] = mapped_column(String(100), default="10m")
    source_path: Mapped[str | None] = mapped_column(String(500))
    # A draft deck (a generated one before its instructor publishes it) is not shown to learners.
    status: Mapped[str] = mapped_column(String(16), default=DeckStatus.PUBLISHED,
                                        server_default=DeckStatus.PUBLISHED.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_draft(self) -> bool:
        return self.status == DeckStatus.DRAFT

    sections: Mapped[list[Section]] = relationship(
        back_populates="deck", order_by="Section.position", cascade="all, delete-orphan"
    )


class Section(db.Model):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("deck_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    guide: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    deck: Mapped[Deck] = relationship(back_populates="sections")


class Card(db.Model):
    """One thing to remember. A cloze note with n deletions gives n cards sharing `note_key`."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("deck_id", "key"),
        Index("ix_cards_deck_status_position", "deck_id", "status", "position"),
        one_of("kind", CARD_KINDS),
        one_of("type", CARD_TYPES),
        one_of("status", CARD_STATUSES),
        CheckConstraint("category IS NULL OR category IN ({})".format(", ".join(f"'{k}'" for k in AnswerKind)),
                        name="ck_category_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))          # stable id from the deck file
    note_key: Mapped[str] = mapped_column(String(100))     # the deck-file entry it came from
    cloze_ord: Mapped[int | None] = mapped_column(Integer)  # n of {{cn::...}}, None for basic cards
    kind: Mapped[str] = mapped_column(String(16), default="fact")
    type: Mapped[str] = mapped_column(String(16), default="basic")
    prompt: Mapped[str] = mapped_column(Text)               # for cloze: the whole text with its deletions
    answer: Mapped[str] = mapped_column(Text)               # for cloze: the text of deletion n
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    explanation: Mapped[str] = mapped_column(Text, default="")
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    tags: Mapped[str] = mapped_column(Text, default="")     # " tag1 tag2 " (padded, for LIKE '% tag %')
    paragraph: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(32))
    distractors: Mapped[list] = mapped_column(JSON, default=list)
    speaker: Mapped[str | None] = mapped_column(String(120))
    claim: Mapped[str | None] = mapped_column(Text)          # what `speaker` says, in their voice (who-said)
    statement: Mapped[str | None] = mapped_column(Text)      # the fact as a plain true sentence (true/false)
    context: Mapped[str | None] = mapped_column(String(200))  # shown above the front: what the card is about
    fact_key: Mapped[str] = mapped_column(String(100))     # siblings: not shown on the same day
    status: Mapped[str] = mapped_column(String(16), default="active")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    deck: Mapped[Deck] = relationship()
    section: Mapped[Section | None] = relationship()

    @property
    def tag_list(self) -> list[str]:
        return self.tags.split()


class CardState(db.Model):
    """A learner's FSRS memory state for one card. No row means the card is new to them."""

    __tablename__ = "card_states"
    __table_args__ = (
        UniqueConstraint("user_id", "card_id"),
        # "What is due for this learner": the study queue asks by state, then in due order.
        Index("ix_card_states_user_state_due", "user_id", "state", "due"),
        CheckConstraint("state IN (1, 2, 3)", name="ck_state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    state: Mapped[int] = mapped_column(Integer)             # 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by every answer; an answer names the version it was shown, so a repeat is refused.
    version: Mapped[int] = mapped_column(Integer, default=0)

    card: Mapped[Card] = relationship()

    # Optimistic locking: every UPDATE says WHERE version = <the version read>, so two answers to
    # one showing cannot both land; the services set the new version themselves.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}


class ReviewLog(db.Model):
    """Every answer, from study or quiz. `shown_version` makes a repeated submission impossible."""

    __tablename__ = "review_logs"
    __table_args__ = (
        UniqueConstraint("user_id", "card_id", "shown_version", name="uq_review_logs_showing"),
        # Covering indexes: today's answers and retention windows per learner; lapse rate and average
        # rating per card (the progress pages) are read from the index alone.
        Index("ix_review_logs_user_time_outcome", "user_id", "reviewed_at", "state_before", "rating"),
        Index("ix_review_logs_card_outcome", "card_id", "state_before", "rating"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="ck_rating_known"),
        one_of("source", SOURCES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)            # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16), default="study")
    shown_version: Mapped[int] = mapped_column(Integer)
    state_before: Mapped[int] = mapped_column(Integer)      # 0 new, 1 learning, 2 review, 3 relearning
    state_after: Mapped[int] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON)       # full memory state before (None: new)
    after: Mapped[dict] = mapped_column(JSON)

    card: Mapped[Card] = relationship()
