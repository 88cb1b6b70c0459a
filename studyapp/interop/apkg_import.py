"""Reading Anki packages (.apkg): a zip with a SQLite collection inside, read with the stdlib.

`collection.anki21` (Anki 2.1 legacy export) is preferred to `collection.anki2` (Anki 2.0, or the
"please update" placeholder newer Anki writes beside its zstd-compressed `collection.anki21b`,
which is refused with a clear message). Basic and Cloze notes are mapped by the note type's kind
(cloze = 1) and field names (Front/Back, Text/Back Extra, else the first two fields); tags are kept
and HTML becomes our Markdown subset. A note from our own export carries its key in a "Key" field.
"""
from __future__ import annotations

import io
import sqlite3
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from ..domain import cardtext
from . import ankischema, sqlitebox
from .common import (
    MAX_NOTES,
    PENDING_FACTOR,
    UPLOAD_LIMIT,
    ImportFileError,
    ImportProblem,
    ParsedUpload,
    check_note,
    duplicates_rejected,
)
from .htmltext import html_to_markdown

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


def _member(archive: zipfile.ZipFile, filename: str) -> str:
    names = set(archive.namelist())
    if "collection.anki21" in names:
        return "collection.anki21"
    if "collection.anki21b" in names:
        raise _fail(filename, "was exported in Anki's newest format (collection.anki21b, compressed with zstd), "
                              "which cannot be read here. In Anki, export again with “Support older Anki versions” "
                              "ticked (File > Export, Anki Deck Package)")
    if "collection.anki2" in names:
        return "collection.anki2"
    raise _fail(filename, "has no Anki collection inside (no collection.anki21 or collection.anki2)")


def _collection_bytes(source: BinaryIO, filename: str, cap: int) -> bytearray:
    """The collection inside the package, unpacked under the caps (sqlitebox.read_member)."""
    try:
        archive = zipfile.ZipFile(source)
    except Exception as exc:  # noqa: BLE001 - whatever zipfile raises on a damaged directory
        raise _fail(filename, "is not an Anki package: an .apkg file is a zip archive and this is not one") from exc
    with archive:
        member = _member(archive, filename)
        try:
            return sqlitebox.read_member(archive, member, cap)
        except sqlitebox.Refused as exc:
            raise _fail(filename, str(exc)) from exc


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


def _note_types(db: sqlite3.Connection, tables: set[str], filename: str) -> dict[int, NoteType]:
    if "notetypes" in tables:
        shapes = ankischema.table_note_types(db, tables, filename, _kind_from_config)
    else:
        shapes = ankischema.legacy_note_types(ankischema.col_json(db, tables, "models", filename), filename)
    return {mid: NoteType(name, kind == 1, fields) for mid, (name, kind, fields) in shapes.items()}


def _deck_name(db: sqlite3.Connection, tables: set[str], filename: str) -> str | None:
    """The name of the deck most of the package's cards are in."""
    row = db.execute("SELECT did FROM cards GROUP BY did ORDER BY count(*) DESC LIMIT 1").fetchone()
    if row is None:
        return None
    if "decks" in tables:
        return ankischema.table_deck_name(db, tables, row[0], filename)
    if "col" not in tables or "decks" not in sqlitebox.columns(db, "col"):
        return None                       # the deck's name is a nicety: the notes import without it
    return ankischema.legacy_deck_name(ankischema.col_json(db, tables, "decks", filename), row[0], filename)


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

    context_at = _pick(names, ("context",), None)

    def value(at):
        return values[at] if at is not None and at < len(values) else ""

    return {"front": value(front_at), "back": value(back_at), "explanation": value(extra_at),
            "key": value(key_at).strip() if key_at is not None else None, "context": value(context_at)}


def read_apkg(source: bytes | BinaryIO, filename: str = "upload.apkg", *,
              upload_limit: int = UPLOAD_LIMIT) -> ParsedUpload:
    """The notes of an .apkg (bytes or a seekable binary file); ImportFileError for a package that cannot be used.

    The collection is unpacked under a cap of `sqlitebox.INFLATE_FACTOR` times the upload limit and read
    in memory, with every query bounded (see sqlitebox): nothing is written to disk.
    """
    if isinstance(source, (bytes, bytearray)):
        if not source:
            raise _fail(filename, "is empty")
        source = io.BytesIO(source)
    data = _collection_bytes(source, filename, sqlitebox.inflate_cap(upload_limit))
    try:
        with sqlitebox.open_database(data) as (db, tables):
            del data                      # SQLite holds its own copy
            types, rows, deck_name = _query_collection(db, tables, filename, PENDING_FACTOR * upload_limit)
        # The database is closed: converting the notes (Python, no SQL) is not what the query deadline bounds.
        return _convert(types, rows, deck_name, filename)
    except ImportFileError:
        raise
    except sqlitebox.Refused as exc:
        raise _fail(filename, str(exc)) from exc
    except sqlite3.Error as exc:
        if "interrupted" in str(exc):
            raise _fail(filename, f"took more than {sqlitebox.QUERY_SECONDS:g} seconds to read and was stopped: "
                                  "it is not a normal Anki export") from exc
        raise _fail(filename, f"holds a collection that is not a readable Anki database ({exc})") from exc
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, OverflowError, RecursionError) as exc:
        raise _fail(filename, f"holds a collection in a shape Anki does not write ({type(exc).__name__}: "
                              f"{str(exc)[:200]})") from exc


def _query_collection(db: sqlite3.Connection, tables: set[str], filename: str, text_cap: int):
    """Every query on the collection, bounded (the counts and sizes before the rows): note types, rows, deck."""
    ankischema.require(db, tables, filename)
    total, chars = db.execute("SELECT count(*), coalesce(sum(length(flds)), 0) + coalesce(sum(length(tags)), 0) "
                              "FROM notes").fetchone()
    if not total:
        raise _fail(filename, "has no notes in its collection")
    if total > MAX_NOTES:
        raise _fail(filename, f"has {total:,} notes; at most {MAX_NOTES:,} can be imported at once: "
                              "export the deck in parts")
    if chars > text_cap:
        raise _fail(filename, f"holds {sqlitebox.megabytes(chars)} of note text; at most {sqlitebox.megabytes(text_cap)} can be "
                              "imported at once: export the deck in parts")
    types = _note_types(db, tables, filename)
    rows = db.execute("SELECT guid, mid, tags, flds FROM notes ORDER BY id LIMIT ?", (MAX_NOTES + 1,)).fetchall()
    return types, rows, _deck_name(db, tables, filename)


def _convert(types: dict[int, NoteType], rows: list[tuple], deck_name: str | None, filename: str) -> ParsedUpload:
    """The notes of the collection's rows, each checked by the one validator."""
    if len(rows) == 1 and isinstance(rows[0][3], str) and rows[0][3].startswith(PLACEHOLDER):
        raise _fail(filename, "holds only Anki's “please update” placeholder: export again from Anki with "
                              "“Support older Anki versions” ticked")
    notes, problems = [], []
    for number, row in enumerate(rows, start=1):
        where = f"note {number}"
        bad = ankischema.note_row_problem(row)
        if bad:
            problems.append(ImportProblem(filename, where, bad[0], bad[1]))
            continue
        guid, mid, tags, flds = row
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
            "context": " ".join(html_to_markdown(mapped["context"] or "").split()),
        }
        if note_type.cloze and converted["front"] and not cardtext.cloze_numbers(converted["front"]):
            problems.append(ImportProblem(filename, where, "Text", "a Cloze note without any {{c1::...}} deletion"))
            continue
        note, found = check_note(filename, where, converted, front_label=front_label, back_label="Back")
        problems.extend(found)
        if note is not None:
            notes.append(note)
    notes, duplicate_problems = duplicates_rejected(filename, notes)
    return ParsedUpload(filename, "apkg", notes, problems + duplicate_problems, deck_name=deck_name)
