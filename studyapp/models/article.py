"""Articles pasted or uploaded into the card generator, and which article a generated card came from."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import Card, User
from .types import UTCDateTime, utcnow


class Article(db.Model):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The generator's candidates, computed once when the article is saved, with the instructor's
    # decisions and edits kept on them (a list of JSON objects; see services/generate.py).
    candidates: Mapped[list | None] = mapped_column(JSON)
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship()


class CardSource(db.Model):
    """A generated card's origin: the article, its paragraph (blank-line block from 1) and sentence.

    Kept beside `cards` rather than on it, so cards from deck files stay as they are.
    """

    __tablename__ = "card_sources"
    __table_args__ = (Index("ix_card_sources_article", "article_id"),)

    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    paragraph: Mapped[int | None] = mapped_column(Integer)
    source_sentence: Mapped[str] = mapped_column(Text, default="")

    card: Mapped[Card] = relationship()
    article: Mapped[Article | None] = relationship()
