"""Import and export orchestration: files in (with a preview first), decks out.

Import is two steps: `parse_upload` reads and validates the file (a bad file raises ImportFileError
and nothing is stored), `store_pending` parks the parsed notes server-side under a random token, the
preview shows `plan_import`, and `apply_import` writes it all through `notesync.sync_notes` (the one
card writer) in the caller's one transaction. Notes are matched to the deck by key (the id column,
our Key field) or by the Anki GUID kept as the note key.
"""
from __future__ import annotations

import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..domain import notesync as notesync_domain
from ..domain.deckfile import DeckSpec, SectionSpec
from ..domain.notes import CardStatus, Note
from ..interop import apkg_export, common, csvdeck, tomldump
from ..interop.apkg_import import read_apkg
from ..interop.common import UPLOAD_LIMIT, ExportNote, ImportFileError, ImportNote, ImportProblem, ParsedUpload
from ..interop.sqlitebox import megabytes
from ..models import Card, Deck, PendingImport, Section, User
from . import decks, notesync

PENDING_TTL = timedelta(days=1)
#: A parked upload's stored JSON may be at most this multiple of the upload limit (interop.common).
PENDING_FACTOR = common.PENDING_FACTOR
#: Parked uploads one instructor keeps at once; an older one goes when a new one is parked.
PENDING_PER_USER = 3
#: Characters of one rejection message kept (a message quotes at most a short piece of the file).
MESSAGE_CHARS = 300
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
APKG_SUFFIXES = (".apkg",)
UPLOAD_SUFFIXES = CSV_SUFFIXES + APKG_SUFFIXES


def parse_upload(filename: str, source: bytes | BinaryIO, upload_limit: int = UPLOAD_LIMIT) -> ParsedUpload:
    """The notes of an uploaded CSV/TSV/apkg file; raises ImportFileError for a file that cannot be used.

    `source` is the bytes or a seekable binary stream (the upload as Werkzeug spooled it): a CSV is read
    as a stream, an .apkg is opened as a zip in place; `upload_limit` (the app's MAX_CONTENT_LENGTH)
    scales the caps on what they may unpack to.
    """
    name = PurePath(filename or "upload").name or "upload"
    suffix = PurePath(name).suffix.lower()
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    if not stream.read(1):
        raise ImportFileError([ImportProblem(name, None, None, "is empty")])
    stream.seek(0)
    if suffix in APKG_SUFFIXES:
        return _within_pending_cap(read_apkg(stream, name, upload_limit=upload_limit), upload_limit)
    if suffix == ".colpkg":
        raise ImportFileError([ImportProblem(name, None, None, "is a whole Anki collection backup (.colpkg); "
                                                               "export one deck as an .apkg instead")])
    if suffix in CSV_SUFFIXES:
        return _within_pending_cap(csvdeck.read_csv(stream, name, max_bytes=upload_limit), upload_limit)
    raise ImportFileError([ImportProblem(name, None, None,
                                         "must be a .csv, .tsv or .txt text file or an Anki .apkg package")])


def _pending_payload(parsed: ParsedUpload) -> dict:
    return {"format": parsed.format, "deck_name": parsed.deck_name,
            "notes": [n.to_json() for n in parsed.notes],
            "rejected": [[p.file, p.where, p.field, p.message[:MESSAGE_CHARS]] for p in parsed.rejected]}


def _within_pending_cap(parsed: ParsedUpload, upload_limit: int) -> ParsedUpload:
    """The upload, unless parking it would store more than PENDING_FACTOR times the upload limit."""
    size = len(json.dumps(_pending_payload(parsed)))
    cap = PENDING_FACTOR * upload_limit
    if size > cap:
        raise ImportFileError([ImportProblem(parsed.filename, None, None,
                                             f"holds {megabytes(size)} of card text; at most {megabytes(cap)} "
                                             "can be imported at once: split the file")])
    return parsed


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
    duplicates: list[PlannedDuplicate] = field(default_factory=list)

    def summary(self) -> str:
        skipped = f", {len(self.duplicates)} skipped as already in the deck" if self.duplicates else ""
        return (f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
                f"{len(self.rejected)} rejected{skipped}")


@dataclass(frozen=True)
class PlannedDuplicate:
    """A row without an id whose content is already a card of the deck (or an earlier row): not added."""

    note: ImportNote
    same_as: str                          # the deck's note key, or "line 3" of the file


@dataclass
class Prepared:
    """An upload turned into the deck's notes (keys given), with what stays as the deck has it."""

    notes: list[Note]
    keep: dict[str, tuple[str, ...]]
    sources: dict[str, ImportNote]        # note key -> the file's note
    rejected: list[ImportProblem]
    new: set[str]                         # note keys that are not in the deck yet
    duplicates: list[PlannedDuplicate] = field(default_factory=list)


def content_key(type_: str, front: str, back: str) -> tuple[str, str, str]:
    """What makes two notes the same card for a person: type, front and back, case and spacing folded."""
    def fold(text: str) -> str:
        return " ".join((text or "").split()).casefold()

    return str(type_), fold(front), fold(back) if str(type_) == "basic" else ""


def prepare(parsed: ParsedUpload, types: dict[str, str], taken: set[str],
            contents: dict[tuple[str, str, str], str] | None = None) -> Prepared:
    """Give keyless notes new keys and refuse notes whose type differs from the deck's (pure).

    `types`: the deck's note key -> type; `taken`: every key in the deck; `contents`: the deck's active
    notes by `content_key`. A row without an id whose content is already in the deck (or in an earlier
    row) is a duplicate: it is not added (re-uploading the same file must not add everything again).
    """
    taken = set(taken)
    contents = dict(contents or {})
    prepared = Prepared([], {}, {}, list(parsed.rejected), set())
    for source in parsed.notes:
        key = source.note_key
        if not key:
            same = content_key(source.type, source.front, source.back)
            if same in contents:
                prepared.duplicates.append(PlannedDuplicate(source, contents[same]))
                continue
            contents[same] = source.where
        if key and key in types and types[key] != source.type:
            prepared.rejected.append(ImportProblem(parsed.filename, source.where, "type",
                                                   f"'{key}' is a {types[key]} card in the deck; "
                                                   f"the file has it as {source.type}"))
            continue
        if not key:
            key = notesync_domain.new_note_key(source.front, taken)
        taken.add(key)
        if key not in types:
            prepared.new.add(key)
        prepared.notes.append(source.to_note(key))
        prepared.keep[key] = source.kept_fields()
        prepared.sources[key] = source
    return prepared


def _deck_types(session: Session, deck: Deck) -> dict[str, str]:
    return dict(session.execute(select(Card.note_key, Card.type).where(Card.deck_id == deck.id).distinct()).all())


def _deck_contents(session: Session, deck: Deck) -> dict[tuple[str, str, str], str]:
    """The deck's active notes by content_key -> note key (read only when the upload has rows without ids)."""
    rows = session.execute(select(Card.note_key, Card.type, Card.prompt, Card.answer)
                           .where(Card.deck_id == deck.id, Card.status == CardStatus.ACTIVE)
                           .order_by(Card.position, Card.id))
    contents: dict[tuple[str, str, str], str] = {}
    for note_key, type_, prompt, answer in rows:
        contents.setdefault(content_key(type_, prompt, answer), note_key)
    return contents


def _prepare(session: Session, deck: Deck, parsed: ParsedUpload) -> tuple[Prepared, notesync.PreparedSync]:
    keyless = any(not note.note_key for note in parsed.notes)
    prepared = prepare(parsed, _deck_types(session, deck), notesync.taken_keys(session, deck),
                       _deck_contents(session, deck) if keyless else None)
    return prepared, notesync.prepare_sync(session, deck, prepared.notes, keep=prepared.keep)


def plan_import(session: Session, deck: Deck, parsed: ParsedUpload) -> ImportPlan:
    """What confirming the upload would do, note by note (reads only)."""
    return _plan(session, deck, *_prepare(session, deck, parsed))


def _plan(session: Session, deck: Deck, prepared: Prepared, sync: notesync.PreparedSync) -> ImportPlan:
    existing, diff = sync.existing, sync.plan
    plan = ImportPlan(rejected=prepared.rejected, duplicates=prepared.duplicates)
    known = set(session.scalars(select(Section.slug).where(Section.deck_id == deck.id)))
    active: dict[str, set[str]] = {}
    for card in existing.values():
        if card.status == "active":
            active.setdefault(str(card.values["note_key"]), set()).add(card.key)
    changes: dict[str, dict] = {}
    for change in (*diff.add, *diff.update):
        note_key = str(change.values["note_key"])
        if note_key in prepared.new:
            continue
        merged = changes.setdefault(note_key, {})
        for name, pair in change.changes.items():
            if name not in ("status", "answer", "cloze_ord") or (name == "answer" and change.values["type"] == "basic"):
                merged.setdefault(name, pair)
    for key, note in zip(prepared.sources, prepared.notes, strict=True):
        source = prepared.sources[key]
        if note.section and note.section not in known and note.section not in plan.new_sections:
            plan.new_sections.append(note.section)
        if key in prepared.new:
            plan.added.append(source)
            continue
        wanted = {card.key for card in note.cards()}
        note_changes = dict(changes.get(key, {}))
        if wanted != active.get(key, set()):
            note_changes["cards"] = [sorted(active.get(key, ())), sorted(wanted)]
        if note_changes:
            plan.updated.append(PlannedUpdate(source, key, note_changes))
        else:
            plan.unchanged.append(source)
    return plan


@dataclass
class ImportReport:
    plan: ImportPlan
    cards_added: int = 0
    cards_updated: int = 0
    cards_retired: int = 0
    deck: Deck | None = None

    def summary(self) -> str:
        return (f"{self.plan.summary()} ({self.cards_added} cards added, {self.cards_updated} updated, "
                f"{self.cards_retired} retired)")


def apply_import(session: Session, deck: Deck, parsed: ParsedUpload, user: User | None, now: datetime,
                 *, before_write=None) -> ImportReport:
    """Write the upload through the one card writer. Flushes; the request (or command) commits.

    Everything slow happens first, reading only: new notes' keys, the deck read once, the diff. Then
    `before_write()` (the web view and `flask import-deck` pass `db_setup.begin_write`, which takes
    the write lock) and `notesync.write_sync`: bulk writes, re-planned only if the deck changed since.
    `deck` may be a new, unsaved Deck (planned as empty) when `before_write` creates and returns it.
    """
    user_id = user.id if user else None
    prepared, sync = _prepare(session, deck, parsed)
    plan = _plan(session, deck, prepared, sync)
    if before_write is not None:
        deck = before_write() or deck
    result = notesync.write_sync(session, deck, sync, now=now, user_id=user_id, action="import")
    updated = set(result.updated) | set(result.restored)
    return ImportReport(plan, cards_added=len(result.added), cards_updated=len(updated),
                        cards_retired=len(result.retired), deck=deck)


# -- parked uploads -------------------------------------------------------------------------------
def store_pending(session: Session, user: User | int, deck: Deck | int, parsed: ParsedUpload, now: datetime) -> str:
    """Park the parsed upload under a new random token. Ids or objects.

    Also prunes expired ones and keeps at most PENDING_PER_USER per instructor (the oldest go).
    """
    user_id = user if isinstance(user, int) else user.id
    deck_id = deck if isinstance(deck, int) else deck.id
    session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_TTL))
    kept = select(PendingImport.token).where(PendingImport.user_id == user_id) \
        .order_by(PendingImport.created_at.desc(), PendingImport.token).limit(PENDING_PER_USER - 1)
    session.execute(delete(PendingImport).where(PendingImport.user_id == user_id,
                                                PendingImport.token.not_in(kept.scalar_subquery())))
    token = secrets.token_urlsafe(24)
    session.add(PendingImport(token=token, user_id=user_id, deck_id=deck_id, filename=parsed.filename[:255],
                              created_at=now, payload=_pending_payload(parsed)))
    session.flush()
    return token


def drop_pending(session: Session, token: str) -> None:
    session.execute(delete(PendingImport).where(PendingImport.token == token))


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
    """The deck's active notes in deck order, as the CSV and .apkg writers take them."""
    return [ExportNote.of(note) for note in notesync.deck_notes(session, deck)]


def export_spreadsheet(session: Session, deck: Deck) -> str:
    """The deck as a real CSV for spreadsheets (header row, Markdown, formula-safe cells); imports back."""
    return csvdeck.write_spreadsheet(export_notes(session, deck))


def export_csv(session: Session, deck: Deck) -> str:
    """The deck as Anki's tab-separated text (File > Import in Anki reads it as it is); imports back."""
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
        "statement": card.statement, "claim": card.claim, "context": card.context,
        "note": card.note_key, "cloze": card.cloze_ord, "status": card.status,
    }


# -- deck files -----------------------------------------------------------------------------------
def deck_spec(session: Session, deck: Deck) -> DeckSpec:
    """The deck as the `cards/` format describes it: active notes in deck order, every field kept."""
    sections = list(session.scalars(select(Section).where(Section.deck_id == deck.id).order_by(Section.position)))
    return DeckSpec(slug=deck.slug, name=deck.name, description=deck.description or "",
                    desired_retention=deck.desired_retention, new_per_day=deck.new_per_day,
                    reviews_per_day=deck.reviews_per_day, learning_steps=deck.learning_steps,
                    relearning_steps=deck.relearning_steps,
                    sections=[SectionSpec(s.slug, s.title, s.guide or "") for s in sections],
                    notes=notesync.deck_notes(session, deck, sections), source=deck.source_path)


def dump_toml(session: Session, deck: Deck, now: datetime | None = None) -> str:
    header = f"Deck '{deck.slug}' written by `flask dump-deck`" + (f" at {now:%Y-%m-%d %H:%M} UTC." if now else ".")
    return tomldump.dump_deck(deck_spec(session, deck), header=header + "\nFormat: cards/README.md")


def import_deck_file(session: Session, spec: DeckSpec, user: User | None, now: datetime) -> decks.LoadReport:
    """Load a TOML deck as `flask load-cards` does, the changes' revisions naming the user."""
    return decks.load_deck(session, spec, now, user_id=user.id if user else None)
