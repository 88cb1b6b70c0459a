"""Instructor authoring: the card editor's notes, the card list, revisions.

A note is what an instructor writes: a basic note is one card (key = note key), a cloze note with
deletions c1..cn is n cards (`<note>.c<n>`). Saving goes through `notesync.sync_notes`, the one card
writer: the same Card rows are updated in place (every learner's CardState and ReviewLog stay), cards
are added for new deletion numbers and retired for removed ones, each change leaves a CardRevision.
Decks are created in `services.decks`; sections in `notesync.ensure_sections`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.notes import FieldProblem, Note, note_to_dict, validate_note
from ..domain.notesync import new_note_key as _new_key
from ..models import Card, CardRevision, Deck, Section
from . import notesync
from .notesync import NoteTypeChange, SyncReport

PER_PAGE = 25

__all__ = ["NoteTypeChange", "SyncReport"]


def sections_of(session: Session, deck: Deck) -> list[Section]:
    return list(session.scalars(select(Section).where(Section.deck_id == deck.id).order_by(Section.position)))


def tags_of(session: Session, deck: Deck) -> list[str]:
    found: set[str] = set()
    for tags in session.scalars(select(Card.tags).where(Card.deck_id == deck.id).distinct()):
        found.update((tags or "").split())
    return sorted(found)


def new_note_key(session: Session, deck: Deck, prompt: str, suffix=None) -> str:
    """A slug from the prompt plus a short random suffix, unused in the deck (also as `<key>.cN`)."""
    return _new_key(prompt, notesync.taken_keys(session, deck), suffix)


# -- notes ----------------------------------------------------------------------------------------
def note_cards(session: Session, deck_id: int, note_key: str) -> list[Card]:
    return list(session.scalars(select(Card).where(Card.deck_id == deck_id, Card.note_key == note_key)
                                .order_by(Card.cloze_ord, Card.id)))


def note_of(session: Session, card: Card) -> Note:
    """The note a card belongs to, as its active cards hold it (all retired: as last written).

    A cloze card retired because its deletion left the text keeps the old text, so the card changed
    last (by its latest revision) is the one read.
    """
    cards = note_cards(session, card.deck_id, card.note_key)
    last = dict(session.execute(select(CardRevision.card_id, func.max(CardRevision.id))
                                .where(CardRevision.card_id.in_([c.id for c in cards]))
                                .group_by(CardRevision.card_id)).all())
    current = max(cards, key=lambda c: (c.status == "active", last.get(c.id, 0), c.updated_at, c.id))
    return notesync.note_from_card(current, current.section.slug if current.section else None)


def check_note(raw: Mapping[str, object], *, sections: set[str] | None = None,
               base: Note | None = None) -> tuple[Note | None, list[FieldProblem]]:
    """The one validator over `raw` laid on `base` (the note as it is, for an edit): fields not given stay."""
    merged = {**(note_to_dict(base) if base is not None else {}), **raw}
    return validate_note(merged, sections=sections)


def save_note(session: Session, deck: Deck, user_id: int | None, note: Note, now: datetime,
              action: str = "create") -> SyncReport:
    """Create or update one (validated) note through the one card writer; flushes, never commits.

    Raises NoteTypeChange when the note exists with the other type.
    """
    return notesync.sync_notes(session, deck, [note], now=now, user_id=user_id, action=action)


def set_note_status(session: Session, card: Card, user_id: int | None, status: str, now: datetime) -> list[str]:
    """Retire or restore a card's whole note (a cloze deletion no longer in the text stays retired).

    Returns the keys of the cards whose status changed.
    """
    deck = card.deck
    note = note_of(session, card)
    if status == "retired":
        return notesync.sync_notes(session, deck, [note], now=now, user_id=user_id, action="retire").retired
    return notesync.sync_notes(session, deck, [note], now=now, user_id=user_id, action="restore").restored


def revisions_for(session: Session, card: Card, limit: int = 100) -> list[CardRevision]:
    return list(session.scalars(select(CardRevision).where(CardRevision.card_id == card.id)
                                .order_by(CardRevision.at.desc(), CardRevision.id.desc()).limit(limit)))


# -- the card list --------------------------------------------------------------------------------
@dataclass
class CardFilter:
    q: str = ""
    tag: str = ""
    section: str = ""       # a section slug, "-" for cards without one
    kind: str = ""
    type: str = ""
    status: str = "active"  # "active", "retired" or "" for both


@dataclass
class CardPage:
    cards: list[Card]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_cards(session: Session, deck: Deck, filters: CardFilter, page: int = 1, per_page: int = PER_PAGE) -> CardPage:
    """One page of the deck's cards, filtered and paginated in SQL."""
    query = select(Card).where(Card.deck_id == deck.id)
    if filters.q.strip():
        like = _like(filters.q.strip())
        query = query.where(or_(Card.prompt.ilike(like, escape="\\"), Card.answer.ilike(like, escape="\\"),
                                Card.explanation.ilike(like, escape="\\"), Card.key.ilike(like, escape="\\")))
    if filters.tag.strip():
        query = query.where(Card.tags.contains(f" {filters.tag.strip()} ", autoescape=True))
    if filters.section == "-":
        query = query.where(Card.section_id.is_(None))
    elif filters.section:
        query = query.where(Card.section_id == select(Section.id).where(
            Section.deck_id == deck.id, Section.slug == filters.section).scalar_subquery())
    for name in ("kind", "type", "status"):
        value = getattr(filters, name)
        if value:
            query = query.where(getattr(Card, name) == value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    cards = list(session.scalars(query.order_by(Card.position, Card.id).limit(per_page).offset((page - 1) * per_page)))
    return CardPage(cards, total, page, per_page)
