"""The plain records every reader produces and every writer consumes, and the one check of an imported note.

Readers name fields as their files do (front/back, Anki's Front/Text/Back); `check_note` translates them
to the note model's names, validates with `domain.notes.validate_note` (the one validator, the one set
of limits) and translates its problems back, so a CSV user reads "front" and an Anki user "Text".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from ..domain import cardtext
from ..domain.notes import SLUG_RE, TAG_RE, CardKind, CardType, Note, validate_note

KINDS = tuple(k.value for k in CardKind)
SECTION_TAG = "section::"
KIND_TAG = "kind::"
ANKI_KEY_PREFIX = "anki-"
# Fields no CSV or .apkg carries: a note already in the deck keeps them.
NOT_CARRIED = ("paragraph", "alternatives", "distractors", "category", "fact_key")
#: Notes (CSV rows, .apkg notes) one upload may hold: 20,000 import in a few seconds (docs/benchmarks.md),
#: each of the three requests well inside gunicorn's 30 s worker timeout.
MAX_NOTES = 20_000
#: The upload limit the caps below are proportionate to (the app's MAX_CONTENT_LENGTH, 16 MB by default).
UPLOAD_LIMIT = 16 * 1024 * 1024
#: A parked upload (its notes as JSON) may be at most this multiple of the upload limit (16 MB -> 32 MB):
#: a small file whose notes each fill every field to its limit would otherwise park far more than was uploaded.
PENDING_FACTOR = 2
#: Fields a file may or may not carry (None: it does not say).
OPTIONAL = ("section", "kind", "statement", "claim", "speaker", "context")


@dataclass(frozen=True)
class ImportProblem:
    file: str
    where: str | None      # "line 4", "note 2"
    field: str | None
    message: str

    def __str__(self) -> str:
        place = f"{self.file}, {self.where}" if self.where else self.file
        return f"{place}: {self.field}: {self.message}" if self.field else f"{place}: {self.message}"


class ImportFileError(ValueError):
    """The file as a whole cannot be read: nothing from it may be imported."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ImportNote:
    """One note read from a file; `front` is the prompt of a basic note or the text of a cloze note.

    None for section, kind, statement, claim, speaker or context means the file does not say (a new note gets
    the default, a note already in the deck keeps its own).
    """

    where: str
    type: str
    front: str
    back: str = ""
    explanation: str = ""
    tags: tuple[str, ...] = ()
    key: str | None = None
    guid: str | None = None
    section: str | None = None
    kind: str | None = None
    statement: str | None = None
    claim: str | None = None
    speaker: str | None = None
    context: str | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_json(cls, data: dict) -> ImportNote:
        return cls(**{**data, "tags": tuple(data.get("tags") or ())})

    @property
    def note_key(self) -> str | None:
        """The key this note has (or gets) in a deck: its own id, else one derived from its Anki GUID."""
        return self.key or (guid_key(self.guid) if self.guid else None)

    def to_note(self, note_key: str) -> Note:
        """The note for the deck (edge names translated: front -> prompt, back -> answer)."""
        return Note(note_key=note_key, type=CardType(self.type), kind=CardKind(self.kind or CardKind.FACT),
                    prompt=self.front, answer=self.back if self.type == CardType.BASIC else "",
                    explanation=self.explanation, section=self.section, tags=self.tags,
                    statement=self.statement or None, claim=self.claim or None, speaker=self.speaker or None,
                    context=self.context or None)

    def kept_fields(self) -> tuple[str, ...]:
        """Fields a note already in the deck keeps: those the file does not carry."""
        unsaid = tuple(name for name in OPTIONAL if getattr(self, name) is None)
        return NOT_CARRIED + unsaid


@dataclass
class ParsedUpload:
    filename: str
    format: str
    notes: list[ImportNote]
    rejected: list[ImportProblem]
    deck_name: str | None = None


@dataclass(frozen=True)
class ExportNote:
    """One note of a deck, in our Markdown, ready for a writer (edge names: front, back)."""

    key: str
    type: str
    kind: str
    front: str
    back: str
    explanation: str
    tags: tuple[str, ...]
    section: str | None
    statement: str | None = None
    claim: str | None = None
    speaker: str | None = None
    context: str | None = None

    @classmethod
    def of(cls, note: Note) -> ExportNote:
        return cls(key=note.note_key, type=str(note.type), kind=str(note.kind), front=note.prompt,
                   back=note.answer if note.type == CardType.BASIC else "", explanation=note.explanation or "",
                   tags=tuple(note.tags), section=note.section, statement=note.statement, claim=note.claim,
                   speaker=note.speaker, context=note.context)


def guid_key(guid: str) -> str:
    """A slug note key that stores an Anki GUID reversibly (GUIDs use punctuation a slug cannot hold)."""
    return ANKI_KEY_PREFIX + guid.encode("utf-8").hex()


def guid_from_key(key: str) -> str | None:
    if not key.startswith(ANKI_KEY_PREFIX):
        return None
    try:
        return bytes.fromhex(key[len(ANKI_KEY_PREFIX):]).decode("utf-8")
    except ValueError:
        return None


def normalize_tag(tag: str) -> str | None:
    """A tag as the deck format allows it (ASCII letters, digits, - _ : .), or None when nothing is left."""
    ascii_tag = unicodedata.normalize("NFKD", tag).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9_:.\-]+", "-", ascii_tag).lstrip("-_:.")[:64]
    return cleaned if cleaned and TAG_RE.match(cleaned) else None


def split_tags(raw: str) -> tuple[list[str], str | None, str | None]:
    """Space-separated tags -> (tags, section slug from `section::x`, kind from `kind::x`)."""
    tags, section, kind = [], None, None
    for tag in raw.split():
        low = tag.lower()
        if low.startswith(SECTION_TAG) and SLUG_RE.match(low[len(SECTION_TAG):]):
            section = low[len(SECTION_TAG):]
            continue
        if low.startswith(KIND_TAG) and low[len(KIND_TAG):] in KINDS:
            kind = low[len(KIND_TAG):]
            continue
        clean = normalize_tag(tag)
        if clean and clean not in tags:
            tags.append(clean)
    return tags, section, kind


def check_note(filename: str, where: str, fields: dict, front_label: str = "front",
               back_label: str = "back") -> tuple[ImportNote | None, list[ImportProblem]]:
    """Validate one row/note's fields (already in Markdown) with the one validator; a note, or its problems."""
    front = (fields.get("front") or "").strip()
    back = (fields.get("back") or "").strip()
    explanation = (fields.get("explanation") or "").strip()
    type_ = CardType.CLOZE if cardtext.cloze_numbers(front) else CardType.BASIC
    if type_ == CardType.CLOZE and not explanation and back:
        explanation, back = back, ""       # Anki's Cloze: the second field is "Back Extra"
    key = (fields.get("id") or "").strip() or None
    guid = (fields.get("guid") or "").strip() or None
    tags, tag_section, tag_kind = split_tags(fields.get("tags") or "")
    section = (fields.get("section") or "").strip().lower() or tag_section
    kind = (fields.get("kind") or "").strip().lower() or tag_kind or None
    statement = (fields.get("statement") or "").strip() or None
    claim = (fields.get("claim") or "").strip() or None
    speaker = (fields.get("speaker") or "").strip() or None
    context = (fields.get("context") or "").strip() or None
    raw = {"note_key": key or (guid_key(guid) if guid else "new-note"), "type": type_.value, "kind": kind,
           "prompt": front, "answer": back, "explanation": explanation, "section": section, "tags": list(tags),
           "statement": statement, "claim": claim, "speaker": speaker, "context": context}
    note, found = validate_note(raw)
    labels = {"note_key": "id" if key or not guid else "guid", "prompt": front_label, "answer": back_label}
    problems = [ImportProblem(filename, where, labels.get(p.field, p.field), p.message) for p in found]
    if problems or note is None:
        return None, problems
    return ImportNote(where=where, type=type_.value, front=front, back=back, explanation=explanation,
                      tags=tuple(tags), key=key, guid=guid, section=section, kind=kind,
                      statement=statement, claim=claim, speaker=speaker, context=context), []


def duplicates_rejected(filename: str, notes: list[ImportNote]) -> tuple[list[ImportNote], list[ImportProblem]]:
    """Keep the first note of each key/GUID; later ones are rejected with the place of the first."""
    seen: dict[str, str] = {}
    kept, problems = [], []
    for note in notes:
        key = note.note_key
        if key and key in seen:
            field = "id" if note.key else "guid"
            problems.append(ImportProblem(filename, note.where, field,
                                          f"'{note.key or note.guid}' was already used at {seen[key]}"))
            continue
        if key:
            seen[key] = note.where
        kept.append(note)
    return kept, problems
