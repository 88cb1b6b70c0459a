"""Classes: an instructor's group of learners studying some decks, with an optional exam date and a daily
study budget. Learners join with the class's join code (or its link)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import Deck, User
from .types import UTCDateTime, utcnow

class_decks = Table(
    "class_decks",
    db.metadata,
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True),
    Column("deck_id", ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Class(db.Model):
    """One class. `instructor_id` is None only for the default class that migration 0006 made for an
    installation without an instructor: every instructor may manage that one."""

    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    exam_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the exam's date and time (UTC)
    daily_minutes: Mapped[int | None] = mapped_column(Integer)  # the learners' daily study budget
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    instructor: Mapped[User | None] = relationship()
    decks: Mapped[list[Deck]] = relationship(secondary=class_decks, order_by="Deck.name")
    members: Mapped[list[ClassMember]] = relationship(back_populates="klass", cascade="all, delete-orphan",
                                                      order_by="ClassMember.joined_at")


class ClassMember(db.Model):
    __tablename__ = "class_members"
    __table_args__ = (UniqueConstraint("class_id", "user_id", name="uq_class_members"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    klass: Mapped[Class] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class ExtraNewCards(db.Model):
    """New cards a learner chose to take beyond a deck's daily new-card limit on one study day (custom study:
    "more new cards today"). `day_start` is the start of that study day (UTC); on that day only the queue
    takes `new_limit` as the deck's new-card limit when it is higher (services/study_ahead.py)."""

    __tablename__ = "extra_new_cards"
    __table_args__ = (UniqueConstraint("user_id", "deck_id", "day_start", name="uq_extra_new_cards"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    day_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    count: Mapped[int] = mapped_column(Integer)  # extra new cards taken that day
    new_limit: Mapped[int] = mapped_column(Integer)  # the day's new-card limit they make (new cards answered and
    # left when asked, plus the extra ones)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
