"""What instructors change: every card revision, and uploads parked between their preview and confirm."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import Card, User
from .types import UTCDateTime, utcnow

REVISION_ACTIONS = ("create", "edit", "retire", "restore", "import")


class CardRevision(db.Model):
    """One change to one card: who, when, and each field changed as {field: [old, new]}."""

    __tablename__ = "card_revisions"
    __table_args__ = (Index("ix_card_revisions_card_at", "card_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(16), default="edit")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(String(300), default="")

    card: Mapped[Card] = relationship()
    user: Mapped[User | None] = relationship()


class PendingImport(db.Model):
    """A parsed upload waiting for the instructor's confirmation (the browser only holds its token)."""

    __tablename__ = "pending_imports"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
