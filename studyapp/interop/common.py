"""The plain records every reader produces and every writer consumes."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from ..domain import cardtext
from ..domain.deckfile import SLUG_RE, TAG_RE

MAX_FRONT = 5000
MAX_BACK = 1000
MAX_EXPLANATION = 5000
KINDS = ("fact", "argument")
SECTION_TAG = "section::"
KIND_TAG = "kind::"
ANKI_KEY_PREFIX = "anki-"


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
    """One note read from a file; `front` is the prompt of a basic note or the text of a cloze note."""

    where: str
    type: str
    front: str
    back: str = ""
    explanation: str = ""
    tags: tuple[str, ...] = ()
    key: str | None = None
    guid: str | None = None
    section: str | None = None
    kind: str | None = None   # None: the file does not say (new cards are facts; updates keep theirs)

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


@dataclass
class ParsedUpload:
    filename: str
    format: str
    notes: list[ImportNote]
    rejected: list[ImportProblem]
    deck_name: str | None = None


@dataclass(frozen=True)
class ExportNote:
    """One note of a deck, in our Markdown, ready for a writer."""

    key: str
    type: str
    kind: str
    front: str
    back: str
    explanation: str
    tags: tuple[str, ...]
    section: str | None


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
    """Validate one row/note's fields (already in Markdown); a note, or the reasons it is rejected."""
    problems: list[ImportProblem] = []

    def bad(field, message):
        problems.append(ImportProblem(filename, where, field, message))

    for name, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            bad(name, "contains a NUL character, which cannot be stored")
    front = (fields.get("front") or "").strip()
    back = (fields.get("back") or "").strip()
    explanation = (fields.get("explanation") or "").strip()
    type_ = "cloze" if cardtext.cloze_numbers(front) else "basic"
    if not front:
        bad(front_label, "is empty")
    elif len(front) > MAX_FRONT:
        bad(front_label, f"is {len(front)} characters long; the limit is {MAX_FRONT}")
    if type_ == "cloze":
        for n in cardtext.cloze_numbers(front):
            if not cardtext.cloze_answer(front, n).strip():
                bad(front_label, f"deletion c{n} is empty")
        if not explanation and back:
            explanation, back = back, ""
    elif not back and front:
        bad(back_label, "is empty (a basic card needs an answer; a cloze needs {{c1::...}} in the front)")
    if len(back) > MAX_BACK:
        bad(back_label, f"is {len(back)} characters long; the limit is {MAX_BACK}")
    if len(explanation) > MAX_EXPLANATION:
        bad("explanation", f"is {len(explanation)} characters long; the limit is {MAX_EXPLANATION}")
    key = (fields.get("id") or "").strip() or None
    if key and not SLUG_RE.match(key):
        bad("id", f"'{key}' must be lowercase letters, digits and dashes (at most 64)")
    tags, tag_section, tag_kind = split_tags(fields.get("tags") or "")
    section = (fields.get("section") or "").strip().lower() or tag_section
    if section and not SLUG_RE.match(section):
        bad("section", f"'{section}' must be lowercase letters, digits and dashes")
    kind = (fields.get("kind") or "").strip().lower() or tag_kind or None
    if kind is not None and kind not in KINDS:
        bad("kind", f"'{kind}' must be one of: {', '.join(KINDS)}")
    if problems:
        return None, problems
    guid = (fields.get("guid") or "").strip() or None
    return ImportNote(where=where, type=type_, front=front, back=back, explanation=explanation,
                      tags=tuple(tags), key=key, guid=guid, section=section, kind=kind), []


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
