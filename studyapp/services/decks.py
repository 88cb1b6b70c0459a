"""Loading deck files into the database: idempotent, updates in place by id, retires what was removed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.deckfile import DeckSpec
from ..domain.notes import NoteCard
from ..models import Card, Deck, Section



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


def pad_tags(tags) -> str:
    tags = [t for t in tags if t]
    return f" {' '.join(tags)} " if tags else ""


def card_values(card: NoteCard, section_ids: dict[str, int]) -> dict:
    note = card.note
    return {
        "note_key": note.note_key, "cloze_ord": card.cloze_ord, "kind": str(note.kind), "type": str(note.type),
        "prompt": note.prompt, "answer": card.answer, "alternatives": list(note.alternatives),
        "explanation": note.explanation, "section_id": section_ids.get(note.section) if note.section else None,
        "tags": pad_tags(note.tags), "paragraph": note.paragraph,
        "category": str(note.category) if note.category else None,
        "distractors": list(note.distractors), "speaker": note.speaker, "fact_key": note.fact,
        "statement": note.statement, "claim": note.claim,
    }


def load_deck(session: Session, spec: DeckSpec, now: datetime) -> LoadReport:
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

    sections = {s.slug: s for s in session.scalars(select(Section).where(Section.deck_id == deck.id))}
    for position, sec in enumerate(spec.sections):
        row = sections.get(sec.slug)
        if row is None:
            row = Section(deck_id=deck.id, slug=sec.slug)
            session.add(row)
            sections[sec.slug] = row
        row.title, row.guide, row.position = sec.title, sec.guide, position
    session.flush()
    section_ids = {slug: row.id for slug, row in sections.items()}

    report = LoadReport(deck)
    existing = {c.key: c for c in session.scalars(select(Card).where(Card.deck_id == deck.id))}
    seen = set()
    for position, spec_card in enumerate(spec.cards()):
        seen.add(spec_card.key)
        values = card_values(spec_card, section_ids)
        values["position"] = position
        row = existing.get(spec_card.key)
        if row is None:
            session.add(Card(deck_id=deck.id, key=spec_card.key, status="active", created_at=now,
                             updated_at=now, **values))
            report.added.append(spec_card.key)
            continue
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if row.status != "active":
            row.status = "active"
            report.restored.append(spec_card.key)
        if changed:
            for k, v in changed.items():
                setattr(row, k, v)
            row.updated_at = now
            if set(changed) != {"position"}:
                report.updated.append(spec_card.key)
            else:
                report.unchanged += 1
        elif spec_card.key not in report.restored:
            report.unchanged += 1
    for key, row in existing.items():
        if key not in seen and row.status == "active":
            row.status = "retired"
            row.updated_at = now
            report.retired.append(key)
    session.flush()
    return report
