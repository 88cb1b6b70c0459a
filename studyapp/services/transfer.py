"""Import and export orchestration: files in (with a preview first), decks out.

Import is two steps: `parse_upload` reads the file (a bad file raises ImportFileError and nothing
is stored), `store_pending` parks the parsed notes server-side under a random token, the preview
shows `plan_import`, and `apply_import` writes it all in the caller's one transaction. Notes are
matched to the deck by key (the id column, our Key field) or by the Anki GUID kept as the note key.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain import cardtext
from ..domain.deckfile import DeckSpec, SectionSpec
from ..domain.notes import Note
from ..interop import apkg_export, csvdeck, tomldump
from ..interop.apkg_import import read_apkg
from ..interop.common import ExportNote, ImportFileError, ImportNote, ImportProblem, ParsedUpload
from ..models import Card, CardRevision, Deck, PendingImport, User
from . import authoring, decks

PENDING_TTL = timedelta(days=1)
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
APKG_SUFFIXES = (".apkg",)
UPLOAD_SUFFIXES = CSV_SUFFIXES + APKG_SUFFIXES


def parse_upload(filename: str, raw: bytes) -> ParsedUpload:
    """The notes of an uploaded CSV/TSV/apkg file; raises ImportFileError for a file that cannot be used."""
    name = PurePath(filename or "upload").name or "upload"
    suffix = PurePath(name).suffix.lower()
    if not raw:
        raise ImportFileError([ImportProblem(name, None, None, "is empty")])
    if suffix in APKG_SUFFIXES:
        return read_apkg(raw, name)
    if suffix == ".colpkg":
        raise ImportFileError([ImportProblem(name, None, None, "is a whole Anki collection backup (.colpkg); "
                                                               "export one deck as an .apkg instead")])
    if suffix in CSV_SUFFIXES:
        return csvdeck.read_csv(raw, name)
    raise ImportFileError([ImportProblem(name, None, None,
                                         "must be a .csv, .tsv or .txt text file or an Anki .apkg package")])


# -- the plan -------------------------------------------------------------------------------------
@dataclass
class PlannedUpdate:
    note: ImportNote
    note_key: str
    changes: dict


@dataclass
class ImportPlan:
    added: list[ImportNote] = field(default_factory=list)
    updated: list[PlannedUpdate] = field(default_factory=list)
    unchanged: list[ImportNote] = field(default_factory=list)
    rejected: list[ImportProblem] = field(default_factory=list)
    new_sections: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.rejected)} rejected")


def _note_changes(note: ImportNote, cards: list[Card], sections: dict[int, str]) -> dict:
    first = cards[0]
    changes = {}
    if first.prompt != note.front:
        changes["prompt" if note.type == "basic" else "text"] = [first.prompt, note.front]
    if note.type == "basic" and first.answer != note.back:
        changes["answer"] = [first.answer, note.back]
    if first.explanation != note.explanation:
        changes["explanation"] = [first.explanation, note.explanation]
    if first.tag_list != list(note.tags):
        changes["tags"] = [" ".join(first.tag_list), " ".join(note.tags)]
    current_section = sections.get(first.section_id) if first.section_id else None
    if note.section is not None and current_section != note.section:
        changes["section"] = [current_section, note.section]
    if note.kind is not None and first.kind != note.kind:
        changes["kind"] = [first.kind, note.kind]
    wanted = {f"{first.note_key}.c{n}" for n in cardtext.cloze_numbers(note.front)} if note.type == "cloze" \
        else {first.note_key}
    active = {c.key for c in cards if c.status == "active"}
    if wanted != active:
        changes["cards"] = [sorted(active), sorted(wanted)]
    return changes


def plan_import(session: Session, deck: Deck, parsed: ParsedUpload) -> ImportPlan:
    plan = ImportPlan(rejected=list(parsed.rejected))
    sections = {s.id: s.slug for s in authoring.sections_of(session, deck)}
    cards: dict[str, list[Card]] = {}
    for card in session.scalars(select(Card).where(Card.deck_id == deck.id).order_by(Card.cloze_ord, Card.id)):
        cards.setdefault(card.note_key, []).append(card)
    for note in parsed.notes:
        key = note.note_key
        existing = cards.get(key) if key else None
        if note.section and note.section not in sections.values() and note.section not in plan.new_sections:
            plan.new_sections.append(note.section)
        if not existing:
            plan.added.append(note)
            continue
        if existing[0].type != note.type:
            plan.rejected.append(ImportProblem(parsed.filename, note.where, "type",
                                               f"'{key}' is a {existing[0].type} card in the deck; "
                                               f"the file has it as {note.type}"))
            continue
        changes = _note_changes(note, existing, sections)
        if changes:
            plan.updated.append(PlannedUpdate(note, key, changes))
        else:
            plan.unchanged.append(note)
    return plan


@dataclass
class ImportReport:
    plan: ImportPlan
    cards_added: int = 0
    cards_updated: int = 0
    cards_retired: int = 0

    def summary(self) -> str:
        return (f"{self.plan.summary()} ({self.cards_added} cards added, {self.cards_updated} updated, "
                f"{self.cards_retired} retired)")


def _values(session: Session, deck: Deck, note: ImportNote, existing: bool) -> authoring.NoteValues:
    section = authoring.ensure_section(session, deck, note.section) if note.section else None
    keep = ["paragraph"]
    if existing and note.section is None:
        keep.append("section_id")
    if existing and note.kind is None:
        keep.append("kind")
    return authoring.NoteValues(kind=note.kind or "fact", type=note.type, prompt=note.front, answer=note.back,
                                explanation=note.explanation, section=section, tags=list(note.tags),
                                keep=tuple(keep))


def apply_import(session: Session, deck: Deck, parsed: ParsedUpload, user: User | None, now: datetime) -> ImportReport:
    """Write the plan (re-made against the deck as it is now). Flushes; the caller commits once."""
    plan = plan_import(session, deck, parsed)
    report = ImportReport(plan)
    for note in plan.added:
        result = authoring.save_note(session, deck, user, _values(session, deck, note, False), now,
                                     note_key=note.note_key, action="import")
        report.cards_added += len(result.added)
    for update in plan.updated:
        result = authoring.save_note(session, deck, user, _values(session, deck, update.note, True), now,
                                     note_key=update.note_key, action="import")
        report.cards_added += len(result.added)
        report.cards_updated += len(result.updated) + len(result.restored)
        report.cards_retired += len(result.retired)
    session.flush()
    return report


# -- parked uploads -------------------------------------------------------------------------------
def store_pending(session: Session, user: User, deck: Deck, parsed: ParsedUpload, now: datetime) -> str:
    session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_TTL))
    token = secrets.token_urlsafe(24)
    session.add(PendingImport(token=token, user_id=user.id, deck_id=deck.id, filename=parsed.filename[:255],
                              created_at=now, payload={
                                  "format": parsed.format, "deck_name": parsed.deck_name,
                                  "notes": [n.to_json() for n in parsed.notes],
                                  "rejected": [[p.file, p.where, p.field, p.message] for p in parsed.rejected]}))
    session.flush()
    return token


def load_pending(session: Session, token: str, user: User, now: datetime) -> tuple[PendingImport, ParsedUpload] | None:
    pending = session.get(PendingImport, token)
    if pending is None or pending.user_id != user.id or pending.created_at < now - PENDING_TTL:
        return None
    data = pending.payload or {}
    parsed = ParsedUpload(pending.filename, data.get("format", "csv"),
                          [ImportNote.from_json(n) for n in data.get("notes", [])],
                          [ImportProblem(*p) for p in data.get("rejected", [])], data.get("deck_name"))
    return pending, parsed


# -- export ---------------------------------------------------------------------------------------
def export_notes(session: Session, deck: Deck) -> list[ExportNote]:
    """The deck's active notes in deck order, one per note key (cloze siblings are one note)."""
    cards = session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == "active")
                            .order_by(Card.position, Card.id))
    sections = {s.id: s.slug for s in authoring.sections_of(session, deck)}
    notes: dict[str, ExportNote] = {}
    for card in cards:
        if card.note_key in notes:
            continue
        notes[card.note_key] = ExportNote(
            key=card.note_key, type=card.type, kind=card.kind, front=card.prompt,
            back=card.answer if card.type == "basic" else "", explanation=card.explanation or "",
            tags=tuple(card.tag_list), section=sections.get(card.section_id) if card.section_id else None)
    return list(notes.values())


def export_csv(session: Session, deck: Deck) -> str:
    return csvdeck.write_csv(export_notes(session, deck), lambda note: apkg_export.guid_for(deck.slug, note.key),
                             deck_name=deck.name)


def export_apkg(session: Session, deck: Deck, now: datetime) -> bytes:
    return apkg_export.write_apkg(deck.slug, deck.name, export_notes(session, deck), deck.description or "",
                                  timestamp=now.timestamp())


def export_filename(deck: Deck, suffix: str) -> str:
    return f"{deck.slug}{suffix}"


def card_record(card: Card, deck: Deck) -> dict:
    """One card as the JSON export writes it."""
    return {
        "id": card.key, "deck": deck.id, "deck_slug": deck.slug, "kind": card.kind, "type": card.type,
        "prompt": card.prompt, "answer": card.answer, "explanation": card.explanation,
        "section": card.section.slug if card.section else None, "tags": card.tag_list,
        "alternatives": list(card.alternatives or []), "paragraph": card.paragraph, "category": card.category,
        "distractors": list(card.distractors or []), "speaker": card.speaker, "fact": card.fact_key,
        "note": card.note_key, "cloze": card.cloze_ord, "status": card.status,
    }



# -- deck files -----------------------------------------------------------------------------------
def deck_spec(session: Session, deck: Deck) -> DeckSpec:
    """The deck as the `cards/` format describes it: active notes in deck order, every field kept."""
    sections = authoring.sections_of(session, deck)
    slugs = {s.id: s.slug for s in sections}
    notes: dict[str, Note] = {}
    cards = session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == "active")
                            .order_by(Card.position, Card.id))
    for card in cards:
        if card.note_key in notes:
            continue
        notes[card.note_key] = Note(
            note_key=card.note_key, kind=card.kind, type=card.type,
            section=slugs.get(card.section_id) if card.section_id else None, prompt=card.prompt,
            answer=card.answer if card.type == "basic" else "", alternatives=tuple(card.alternatives or ()),
            explanation=card.explanation or "", tags=tuple(card.tag_list), paragraph=card.paragraph,
            category=card.category, distractors=tuple(card.distractors or ()), speaker=card.speaker,
            statement=card.statement, claim=card.claim,
            fact_key=card.fact_key if card.fact_key != card.note_key else None)
    return DeckSpec(slug=deck.slug, name=deck.name, description=deck.description or "",
                    desired_retention=deck.desired_retention, new_per_day=deck.new_per_day,
                    reviews_per_day=deck.reviews_per_day, learning_steps=deck.learning_steps,
                    relearning_steps=deck.relearning_steps,
                    sections=[SectionSpec(s.slug, s.title, s.guide or "") for s in sections],
                    notes=list(notes.values()), source=deck.source_path)


def dump_toml(session: Session, deck: Deck, now: datetime | None = None) -> str:
    header = f"Deck '{deck.slug}' written by `flask dump-deck`" + (f" at {now:%Y-%m-%d %H:%M} UTC." if now else ".")
    return tomldump.dump_deck(deck_spec(session, deck), header=header + "\nFormat: cards/README.md")


_TRACKED = ("kind", "type", "prompt", "answer", "explanation", "section_id", "tags", "paragraph", "status")


def _snapshot(session: Session, deck_id: int | None) -> dict[str, dict]:
    if deck_id is None:
        return {}
    return {c.key: {name: getattr(c, name) for name in _TRACKED}
            for c in session.scalars(select(Card).where(Card.deck_id == deck_id))}


def import_deck_file(session: Session, spec: DeckSpec, user: User | None, now: datetime) -> decks.LoadReport:
    """Load a TOML deck (as `flask load-cards` does) and record a CardRevision for each card it changed."""
    existing = session.scalar(select(Deck.id).where(Deck.slug == spec.slug))
    before = _snapshot(session, existing)
    report = decks.load_deck(session, spec, now)
    slugs = {s.id: s.slug for s in authoring.sections_of(session, report.deck)}
    for card in session.scalars(select(Card).where(Card.deck_id == report.deck.id)):
        old = before.get(card.key, {})
        changes = {}
        for name in _TRACKED:
            new_value, old_value = getattr(card, name), old.get(name)
            if name == "section_id":
                name, new_value, old_value = "section", slugs.get(new_value), slugs.get(old_value)
            elif name == "tags":
                new_value, old_value = " ".join((new_value or "").split()), " ".join((old_value or "").split())
            if new_value != old_value and (old or new_value not in (None, "")):
                changes[name] = [old_value if old else None, new_value]
        if changes:
            session.add(CardRevision(card_id=card.id, user_id=user.id if user else None, at=now, action="import",
                                     changes=changes, summary=f"imported from {spec.source or 'a deck file'}"[:300]))
    session.flush()
    return report
