"""Decks: creating one, and loading a deck file (idempotent: updates in place by id, retires what was removed).

Cards are written by `services.notesync.sync_notes`, the one card writer, so a deck file's changes
leave revisions like the editor's. Flushes, never commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.deckfile import DeckSpec
from ..domain.notes import DeckStatus
from ..domain.notesync import slugify
from ..models import Deck
from .notesync import ensure_sections, sync_notes

DECK_SETTINGS = ("name", "description", "desired_retention", "new_per_day", "reviews_per_day", "learning_steps",
                 "relearning_steps")


def unique_deck_slug(session: Session, name: str, fallback: str = "deck") -> str:
    base = slugify(name, 56) or fallback
    taken = set(session.scalars(select(Deck.slug).where(Deck.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_deck(session: Session, name: str, description: str, now: datetime, *, fallback_slug: str = "deck",
                **settings) -> Deck:
    """A new deck with a slug made from its name (made unique with -2, -3...)."""
    deck = Deck(slug=unique_deck_slug(session, name, fallback_slug), name=(name or "").strip()[:200],
                description=(description or "").strip(), created_at=now, **settings)
    session.add(deck)
    session.flush()
    return deck


def update_deck(session: Session, deck: Deck, values: dict) -> dict:
    """Set the given settings; returns {field: [old, new]} of what changed."""
    changed = {}
    for name in DECK_SETTINGS:
        if name in values and getattr(deck, name) != values[name]:
            changed[name] = [getattr(deck, name), values[name]]
            setattr(deck, name, values[name])
    session.flush()
    return changed


@dataclass
class LoadReport:
    deck: Deck
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (f"{self.deck.slug}: {len(self.added)} added, {len(self.updated)} updated, "
                f"{len(self.retired)} retired, {len(self.restored)} restored, {self.unchanged} unchanged")


def load_deck(session: Session, spec: DeckSpec, now: datetime, user_id: int | None = None,
              action: str = "import") -> LoadReport:
    """Make the deck `spec.slug` what the file says: settings, sections, cards in file order."""
    deck = session.scalar(select(Deck).where(Deck.slug == spec.slug))
    if deck is None:
        deck = Deck(slug=spec.slug, name=spec.name, created_at=now)
        session.add(deck)
    deck.name = spec.name
    deck.description = spec.description
    deck.desired_retention = spec.desired_retention
    deck.new_per_day = spec.new_per_day
    deck.reviews_per_day = spec.reviews_per_day
    deck.learning_steps = spec.learning_steps
    deck.relearning_steps = spec.relearning_steps
    deck.source_path = spec.source
    session.flush()

    sections = ensure_sections(session, deck, ((s.slug, s.title, s.guide) for s in spec.sections))
    for position, sec in enumerate(spec.sections):
        row = sections[sec.slug]
        row.title, row.guide, row.position = sec.title, sec.guide, position

    result = sync_notes(session, deck, spec.notes, now=now, user_id=user_id, action=action, retire_missing=True,
                        reorder=True, allow_type_change=True,
                        summary=f"imported from {spec.source or 'a deck file'}")
    return LoadReport(deck, added=result.added, updated=result.updated, retired=result.retired,
                      restored=result.restored,
                      unchanged=len(result.unchanged))


# -- who sees a deck: a draft (a generated deck not yet published) is for instructors only -----------
def learner_visible(query, user=None):
    """Restrict a SELECT over Deck to the decks `user` may see: instructors every deck, others published ones."""
    if user is not None and getattr(user, "is_instructor", False):
        return query
    return query.where(Deck.status == DeckStatus.PUBLISHED)


def visible_to(user, deck: Deck) -> bool:
    """Whether `user` may see (study, quiz, open) the deck."""
    return deck.status != DeckStatus.DRAFT or bool(getattr(user, "is_instructor", False))
