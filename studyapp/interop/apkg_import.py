"""Reading Anki packages (.apkg): a zip with a SQLite collection inside, read with the stdlib.

`collection.anki21` (Anki 2.1 legacy export) is preferred to `collection.anki2` (Anki 2.0, or the
"please update" placeholder newer Anki writes beside its zstd-compressed `collection.anki21b`,
which is refused with a clear message). Basic and Cloze notes are mapped by the note type's kind
(cloze = 1) and field names (Front/Back, Text/Back Extra, else the first two fields); tags are kept
and HTML becomes our Markdown subset. A note from our own export carries its key in a "Key" field.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass

from ..domain import cardtext
from .common import MAX_NOTES, ImportFileError, ImportProblem, ParsedUpload, check_note, duplicates_rejected
from .htmltext import html_to_markdown

MAX_COLLECTION_BYTES = 200 * 1024 * 1024
PLACEHOLDER = "Please update to the latest Anki version"
FRONT_NAMES = ("front", "question", "text")
BACK_NAMES = ("back", "answer")
EXTRA_NAMES = ("explanation", "back extra", "extra", "notes")
KEY_NAMES = ("key", "studyapp id")


@dataclass(frozen=True)
class NoteType:
    name: str
    cloze: bool
    fields: tuple[str, ...]


def _fail(filename: str, message: str, where: str | None = None) -> ImportFileError:
    return ImportFileError([ImportProblem(filename, where, None, message)])


def _collection_bytes(raw: bytes, filename: str) -> bytes:
    if not raw:
        raise _fail(filename, "is empty")
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as exc:
        raise _fail(filename, "is not an Anki package: an .apkg file is a zip archive and this is not one") from exc
    names = set(archive.namelist())
    if "collection.anki21" in names:
        member = "collection.anki21"
    elif "collection.anki21b" in names:
        raise _fail(filename, "was exported in Anki's newest format (collection.anki21b, compressed with zstd), "
                              "which cannot be read here. In Anki, export again with “Support older Anki versions” "
                              "ticked (File > Export, Anki Deck Package)")
    elif "collection.anki2" in names:
        member = "collection.anki2"
    else:
        raise _fail(filename, "has no Anki collection inside (no collection.anki21 or collection.anki2)")
    info = archive.getinfo(member)
    if info.file_size > MAX_COLLECTION_BYTES:
        raise _fail(filename, f"holds a collection of {info.file_size // 1_000_000} MB; the limit is "
                              f"{MAX_COLLECTION_BYTES // 1_000_000} MB")
    try:
        return archive.read(member)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _fail(filename, f"is damaged: {member} cannot be unpacked ({exc})") from exc


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value, shift = 0, 0
    while pos < len(data):
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    return value, pos


def _kind_from_config(config: bytes | None) -> int:
    """Field 1 (`kind`) of Anki's NotetypeConfig protobuf: 0 normal, 1 cloze."""
    data = config or b""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
            if number == 1:
                return value
        elif wire == 2:
            length, pos = _varint(data, pos)
            pos += length
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        else:
            break
    return 0


def _note_types(db: sqlite3.Connection) -> dict[int, NoteType]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "notetypes" in tables:
        fields: dict[int, list[str]] = {}
        for ntid, _ord, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
            fields.setdefault(ntid, []).append(name)
        return {ntid: NoteType(name, _kind_from_config(config) == 1, tuple(fields.get(ntid, ())))
                for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes")}
    models = json.loads(db.execute("SELECT models FROM col").fetchone()[0] or "{}")
    out = {}
    for model in models.values():
        names = tuple(f["name"] for f in sorted(model.get("flds", []), key=lambda f: f.get("ord", 0)))
        out[int(model["id"])] = NoteType(model.get("name", ""), model.get("type") == 1, names)
    return out


def _deck_name(db: sqlite3.Connection) -> str | None:
    """The name of the deck most of the package's cards are in."""
    row = db.execute("SELECT did FROM cards GROUP BY did ORDER BY count(*) DESC LIMIT 1").fetchone()
    if row is None:
        return None
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "decks" in tables:
        found = db.execute("SELECT name FROM decks WHERE id = ?", (row[0],)).fetchone()
        return found[0].replace("\x1f", "::") if found else None
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0] or "{}")
    deck = decks.get(str(row[0]))
    return deck.get("name") if deck else None


def _pick(names: tuple[str, ...], wanted: tuple[str, ...], fallback: int | None) -> int | None:
    lowered = [n.strip().lower() for n in names]
    for want in wanted:
        if want in lowered:
            return lowered.index(want)
    return fallback if fallback is not None and fallback < len(names) else None


def _fields(note_type: NoteType, values: list[str]) -> dict[str, str | None]:
    names = note_type.fields
    key_at = _pick(names, KEY_NAMES, None)
    if note_type.cloze:
        front_at = _pick(names, ("text",), 0)
        extra_at = _pick(names, ("back extra",) + EXTRA_NAMES, 1)
        back_at = None
    else:
        front_at = _pick(names, FRONT_NAMES, 0)
        back_at = _pick(names, BACK_NAMES, 1)
        extra_at = _pick(names, EXTRA_NAMES, None)
        if extra_at in (front_at, back_at):
            extra_at = None

    def value(at):
        return values[at] if at is not None and at < len(values) else ""

    return {"front": value(front_at), "back": value(back_at), "explanation": value(extra_at),
            "key": value(key_at).strip() if key_at is not None else None}


def read_apkg(raw: bytes, filename: str = "upload.apkg") -> ParsedUpload:
    data = _collection_bytes(raw, filename)
    handle, path = tempfile.mkstemp(suffix=".anki2")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return _read_collection(db, filename)
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            raise _fail(filename, f"holds a collection that is not a readable Anki database ({exc})") from exc
    finally:
        os.unlink(path)


def _read_collection(db: sqlite3.Connection, filename: str) -> ParsedUpload:
    types = _note_types(db)
    rows = db.execute("SELECT guid, mid, tags, flds FROM notes ORDER BY id").fetchall()
    if not rows:
        raise _fail(filename, "has no notes in its collection")
    if len(rows) > MAX_NOTES:
        raise _fail(filename, f"has {len(rows):,} notes; at most {MAX_NOTES:,} can be imported at once: "
                              "export the deck in parts")
    if len(rows) == 1 and rows[0][3].startswith(PLACEHOLDER):
        raise _fail(filename, "holds only Anki's “please update” placeholder: export again from Anki with "
                              "“Support older Anki versions” ticked")
    notes, problems = [], []
    for number, (guid, mid, tags, flds) in enumerate(rows, start=1):
        where = f"note {number}"
        note_type = types.get(mid)
        if note_type is None:
            problems.append(ImportProblem(filename, where, None, f"its note type (id {mid}) is not in the package"))
            continue
        values = flds.split("\x1f")
        mapped = _fields(note_type, values)
        if not note_type.cloze and len(note_type.fields) < 2:
            problems.append(ImportProblem(filename, where, None,
                                          f"note type '{note_type.name}' has one field; a card needs a front and a back"))
            continue
        front_label = "Text" if note_type.cloze else "Front"
        converted = {
            "front": html_to_markdown(mapped["front"]), "back": html_to_markdown(mapped["back"]),
            "explanation": html_to_markdown(mapped["explanation"]), "tags": tags or "",
            "id": mapped["key"] or "", "guid": guid,
        }
        if note_type.cloze and converted["front"] and not cardtext.cloze_numbers(converted["front"]):
            problems.append(ImportProblem(filename, where, "Text", "a Cloze note without any {{c1::...}} deletion"))
            continue
        note, bad = check_note(filename, where, converted, front_label=front_label, back_label="Back")
        problems.extend(bad)
        if note is not None:
            notes.append(note)
    notes, duplicate_problems = duplicates_rejected(filename, notes)
    return ParsedUpload(filename, "apkg", notes, problems + duplicate_problems, deck_name=_deck_name(db))
