"""Instructor authoring: decks, notes and their cards, with a revision for every change.

A note is what an instructor writes: a basic note is one card (key = note key), a cloze note with
deletions c1..cn is n cards (`<note>.c<n>`). Saving a note updates its cards in place (the same Card
rows, so every learner's CardState and ReviewLog stay), adds cards for new deletion numbers and
retires those whose number disappeared, and records a CardRevision {field: [old, new]} per card.
"""
from __future__ import annotations

import math
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain import cardtext
from ..models import Card, CardRevision, Deck, Section, User

PER_PAGE = 25
KEY_STEM = 40


def slugify(text: str, limit: int = 64) -> str:
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def pad_tags(tags) -> str:
    tags = [t for t in tags if t]
    return f" {' '.join(tags)} " if tags else ""


# -- decks and sections ---------------------------------------------------------------------------
def unique_deck_slug(session: Session, name: str) -> str:
    base = slugify(name, 56) or "deck"
    taken = set(session.scalars(select(Deck.slug).where(Deck.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_deck(session: Session, name: str, description: str, now: datetime, **settings) -> Deck:
    deck = Deck(slug=unique_deck_slug(session, name), name=name.strip(), description=(description or "").strip(),
                created_at=now, **settings)
    session.add(deck)
    session.flush()
    return deck


DECK_SETTINGS = ("name", "description", "desired_retention", "new_per_day", "reviews_per_day", "learning_steps",
                 "relearning_steps")


def update_deck(session: Session, deck: Deck, values: dict) -> dict:
    """Set the given settings; returns {field: [old, new]} of what changed."""
    changed = {}
    for name in DECK_SETTINGS:
        if name in values and getattr(deck, name) != values[name]:
            changed[name] = [getattr(deck, name), values[name]]
            setattr(deck, name, values[name])
    session.flush()
    return changed


def sections_of(session: Session, deck: Deck) -> list[Section]:
    return list(session.scalars(select(Section).where(Section.deck_id == deck.id).order_by(Section.position)))


def tags_of(session: Session, deck: Deck) -> list[str]:
    found: set[str] = set()
    for tags in session.scalars(select(Card.tags).where(Card.deck_id == deck.id).distinct()):
        found.update((tags or "").split())
    return sorted(found)


def ensure_section(session: Session, deck: Deck, slug: str, title: str | None = None) -> Section:
    section = session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == slug))
    if section is None:
        last = session.scalar(select(func.max(Section.position)).where(Section.deck_id == deck.id))
        title = (title or "").strip() or slug.replace("-", " ").capitalize()
        section = Section(deck_id=deck.id, slug=slug, title=title[:200], guide="",
                          position=(last if last is not None else -1) + 1)
        session.add(section)
        session.flush()
    return section


# -- keys -----------------------------------------------------------------------------------------
def new_note_key(session: Session, deck: Deck, prompt: str, suffix=None) -> str:
    """A slug from the prompt plus a short random suffix, unused in the deck (also as `<key>.cN`)."""
    stem = slugify(cardtext.strip_markup(prompt), KEY_STEM) or "card"
    suffix = suffix or (lambda: secrets.token_hex(2))
    for _ in range(50):
        key = f"{stem}-{suffix()}"
        clash = session.scalar(select(Card.id).where(Card.deck_id == deck.id, or_(
            Card.note_key == key, Card.key == key)).limit(1))
        if clash is None:
            return key
    raise RuntimeError("could not find an unused card key")


# -- notes ----------------------------------------------------------------------------------------
@dataclass
class NoteValues:
    """What a note says. `None` for section/paragraph means none; fields left out of `keep` are set."""

    kind: str
    type: str
    prompt: str
    answer: str = ""
    explanation: str = ""
    section: Section | None = None
    tags: list[str] = field(default_factory=list)
    paragraph: int | None = None
    keep: tuple[str, ...] = ()   # fields to leave as they are on existing cards (imports have no paragraph)


@dataclass
class SaveResult:
    note_key: str
    cards: list[Card] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.restored)


class NoteTypeChange(ValueError):
    pass


def note_cards(session: Session, deck_id: int, note_key: str) -> list[Card]:
    return list(session.scalars(select(Card).where(Card.deck_id == deck_id, Card.note_key == note_key)
                                .order_by(Card.cloze_ord, Card.id)))


def _targets(note_key: str, values: NoteValues) -> dict[str, tuple[int | None, str]]:
    if values.type == "basic":
        return {note_key: (None, values.answer)}
    return {f"{note_key}.c{n}": (n, cardtext.cloze_answer(values.prompt, n))
            for n in cardtext.cloze_numbers(values.prompt)}


def _readable(card_field: str, value):
    if card_field == "section_id":
        return value.slug if value is not None else None
    if card_field == "tags":
        return " ".join((value or "").split())
    return value


def _revision(session, card: Card, user: User | None, now: datetime, action: str, changes: dict, summary: str):
    session.add(CardRevision(card_id=card.id, user_id=user.id if user else None, at=now, action=action,
                             changes=changes, summary=summary[:300]))


def save_note(session: Session, deck: Deck, user: User | None, values: NoteValues, now: datetime,
              note_key: str | None = None, action: str | None = None) -> SaveResult:
    """Create the note (no key, or a key not in the deck yet) or update it; flushes, never commits."""
    existing = note_cards(session, deck.id, note_key) if note_key else []
    if existing and existing[0].type != values.type:
        raise NoteTypeChange(f"this note is {existing[0].type}; its type cannot change (retire it and add a new one)")
    note_key = note_key or new_note_key(session, deck, values.prompt)
    result = SaveResult(note_key)
    by_key = {card.key: card for card in existing}
    targets = _targets(note_key, values)
    position = None
    sections = {values.section.id: values.section} if values.section else {}
    for key, (number, answer) in targets.items():
        wanted = {"kind": values.kind, "type": values.type, "prompt": values.prompt, "answer": answer,
                  "explanation": values.explanation, "section_id": values.section.id if values.section else None,
                  "tags": pad_tags(values.tags), "paragraph": values.paragraph}
        card = by_key.get(key)
        if card is None:
            if position is None:
                last = session.scalar(select(func.max(Card.position)).where(Card.deck_id == deck.id))
                position = (last if last is not None else -1) + 1
            card = Card(deck_id=deck.id, key=key, note_key=note_key, cloze_ord=number, alternatives=[],
                        distractors=[], fact_key=note_key, status="active", position=position,
                        created_at=now, updated_at=now, **wanted)
            position += 1
            session.add(card)
            session.flush()
            changes = {k.removesuffix("_id"): [None, _readable(k, sections.get(v) if k == "section_id" else v)]
                       for k, v in wanted.items() if v not in (None, "")}
            _revision(session, card, user, now, action or "create", changes, f"created {key}")
            result.added.append(key)
            result.cards.append(card)
            continue
        changes = {}
        for name, value in wanted.items():
            if name in values.keep or getattr(card, name) == value:
                continue
            old = getattr(card, name)
            if name == "section_id":
                changes["section"] = [_readable(name, card.section),
                                      _readable(name, sections.get(value))]
            else:
                changes[name] = [_readable(name, old), _readable(name, value)]
            setattr(card, name, value)
        if card.status != "active":
            card.status = "active"
            changes["status"] = ["retired", "active"]
            result.restored.append(key)
        if changes:
            card.updated_at = now
            _revision(session, card, user, now, action or ("restore" if set(changes) == {"status"} else "edit"),
                      changes, f"{'; '.join(sorted(changes))} changed")
            if set(changes) != {"status"}:
                result.updated.append(key)
        result.cards.append(card)
    for card in existing:
        if card.key not in targets and card.status == "active":
            card.status = "retired"
            card.updated_at = now
            _revision(session, card, user, now, "retire", {"status": ["active", "retired"]},
                      f"deletion c{card.cloze_ord} was removed from the text")
            result.retired.append(card.key)
    session.flush()
    return result


def set_note_status(session: Session, card: Card, user: User | None, status: str, now: datetime) -> list[Card]:
    """Retire or restore a card's whole note (a cloze deletion no longer in the text stays retired)."""
    changed = []
    numbers = set(cardtext.cloze_numbers(card.prompt)) if card.type == "cloze" else None
    for sibling in note_cards(session, card.deck_id, card.note_key):
        if sibling.status == status:
            continue
        if status == "active" and numbers is not None and sibling.cloze_ord not in numbers:
            continue
        _revision(session, sibling, user, now, "retire" if status == "retired" else "restore",
                  {"status": [sibling.status, status]}, f"{'retired' if status == 'retired' else 'restored'}")
        sibling.status = status
        sibling.updated_at = now
        changed.append(sibling)
    session.flush()
    return changed


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
