"""The shape of an Anki collection, checked value by value before it is used.

An uploaded collection is untrusted: every table and column we read must be there, every JSON value
(`col.models`, `col.decks`) and every row value must have the type Anki writes. Anything else is
refused with a message naming the table, the row or note type and the field, instead of surfacing
as a TypeError deep in the importer. Tables and JSON we do not read (`col.conf`, `dconf`, `tags`,
`revlog`, ...) are not looked at. Pure: the caller gives an open, bounded connection (sqlitebox).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from .common import ImportFileError, ImportProblem
from .sqlitebox import columns

#: The most characters `col.models` or `col.decks` may hold (real ones: kilobytes per note type or deck).
MAX_JSON_CHARS = 8 * 1024 * 1024
#: The most characters one note's fields may hold together (Anki HTML; our limits are far below).
MAX_NOTE_CHARS = 64 * 1024

REQUIRED = {"notes": ("id", "guid", "mid", "tags", "flds"), "cards": ("did",)}
LEGACY = {"col": ("models", "decks")}
MODERN = {"notetypes": ("id", "name", "config"), "fields": ("ntid", "ord", "name")}

NoteTypeShape = tuple[str, int, tuple[str, ...]]     # name, kind (1 = cloze), field names


def _fail(filename: str, where: str | None, field: str | None, message: str) -> ImportFileError:
    return ImportFileError([ImportProblem(filename, where, field, message)])


def kind_of(value) -> str:
    """The JSON or SQLite name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (bytes, bytearray)):
        return "a blob"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _integer(value) -> int | None:
    """An int, or a string of digits (Anki's JSON keys); None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 30:
        return int(value)
    return None


def require(db: sqlite3.Connection, tables: set[str], filename: str) -> None:
    """Every table and column the importer reads is there."""
    wanted = dict(REQUIRED)
    wanted.update(MODERN if "notetypes" in tables else LEGACY)
    for table, needed in wanted.items():
        if table not in tables:
            raise _fail(filename, None, None, f"has no '{table}' table in its collection: it is not an Anki collection")
        have = columns(db, table)
        for column in needed:
            if column not in have:
                raise _fail(filename, table, column, f"the '{table}' table has no '{column}' column: it is not an "
                                                     "Anki collection")


def col_json(db: sqlite3.Connection, tables: set[str], column: str, filename: str) -> dict:
    """`col.<column>` parsed, a JSON object (Anki's legacy schema keeps note types and decks there)."""
    if column not in LEGACY["col"]:
        raise KeyError(column)
    where = f"col.{column}"
    row = db.execute(f"SELECT typeof({column}), length({column}) FROM col LIMIT 1").fetchone()
    if row is None:
        raise _fail(filename, "col", None, "the 'col' table is empty: it is not an Anki collection")
    kind, size = row
    if kind == "null":
        return {}
    if kind != "text":
        raise _fail(filename, where, None, f"must be JSON text, not {kind}")
    if size > MAX_JSON_CHARS:
        raise _fail(filename, where, None, f"is {size:,} characters long; the limit is {MAX_JSON_CHARS:,}")
    text = db.execute(f"SELECT {column} FROM col LIMIT 1").fetchone()[0]
    try:
        value = json.loads(text or "{}")
    except RecursionError as exc:
        raise _fail(filename, where, None, "is JSON nested too deeply") from exc
    except ValueError as exc:
        raise _fail(filename, where, None, f"is not valid JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise _fail(filename, where, None, f"must be a JSON object, not {kind_of(value)}")
    return value


def legacy_note_types(models: dict, filename: str) -> dict[int, NoteTypeShape]:
    """`col.models` -> note type id -> (name, kind, field names in order), every value checked."""
    out: dict[int, NoteTypeShape] = {}
    for key, model in models.items():
        where = f"col.models, note type {str(key)[:40]}"
        if not isinstance(model, dict):
            raise _fail(filename, where, None, f"must be an object, not {kind_of(model)}")
        mid = _integer(model.get("id", key))
        if mid is None:
            raise _fail(filename, where, "id", f"must be a whole number, not {kind_of(model.get('id'))}")
        name = model.get("name", "")
        if not isinstance(name, str):
            raise _fail(filename, where, "name", f"must be text, not {kind_of(name)}")
        kind = model.get("type", 0)
        if _integer(kind) is None or isinstance(kind, str):
            raise _fail(filename, where, "type", f"must be 0 (standard) or 1 (cloze), not {kind_of(kind)}")
        fields = model.get("flds", [])
        if not isinstance(fields, list):
            raise _fail(filename, where, "flds", f"must be a list, not {kind_of(fields)}")
        ordered = []
        for index, field in enumerate(fields):
            if not isinstance(field, dict):
                raise _fail(filename, where, f"flds[{index}]", f"must be an object, not {kind_of(field)}")
            field_name, order = field.get("name"), field.get("ord", index)
            if not isinstance(field_name, str):
                raise _fail(filename, where, f"flds[{index}].name", f"must be text, not {kind_of(field_name)}")
            if _integer(order) is None or isinstance(order, str):
                raise _fail(filename, where, f"flds[{index}].ord", f"must be a whole number, not {kind_of(order)}")
            ordered.append((order, index, field_name))
        out[mid] = (name, kind, tuple(n for _o, _i, n in sorted(ordered)))
    return out


def legacy_deck_name(decks: dict, did, filename: str) -> str | None:
    deck = decks.get(str(did))
    if deck is None:
        return None
    where = f"col.decks, deck {str(did)[:40]}"
    if not isinstance(deck, dict):
        raise _fail(filename, where, None, f"must be an object, not {kind_of(deck)}")
    name = deck.get("name")
    if name is not None and not isinstance(name, str):
        raise _fail(filename, where, "name", f"must be text, not {kind_of(name)}")
    return name


def table_note_types(db: sqlite3.Connection, tables: set[str], filename: str,
                     kind_from_config: Callable[[bytes], int]) -> dict[int, NoteTypeShape]:
    """The newer schema's `notetypes` and `fields` tables, every value checked."""
    fields: dict[int, list[tuple[int, str]]] = {}
    for number, (ntid, order, name) in enumerate(db.execute("SELECT ntid, ord, name FROM fields"), start=1):
        where = f"fields row {number}"
        for column, value, ok in (("ntid", ntid, _integer(ntid) is not None and not isinstance(ntid, str)),
                                  ("ord", order, _integer(order) is not None and not isinstance(order, str)),
                                  ("name", name, isinstance(name, str))):
            if not ok:
                wanted = "text" if column == "name" else "a whole number"
                raise _fail(filename, where, column, f"must be {wanted}, not {kind_of(value)}")
        fields.setdefault(ntid, []).append((order, name))
    out: dict[int, NoteTypeShape] = {}
    for number, (ntid, name, config) in enumerate(db.execute("SELECT id, name, config FROM notetypes"), start=1):
        where = f"notetypes row {number}"
        if _integer(ntid) is None or isinstance(ntid, str):
            raise _fail(filename, where, "id", f"must be a whole number, not {kind_of(ntid)}")
        if not isinstance(name, str):
            raise _fail(filename, where, "name", f"must be text, not {kind_of(name)}")
        if config is not None and not isinstance(config, bytes):
            raise _fail(filename, where, "config", f"must be a blob, not {kind_of(config)}")
        names = tuple(n for _o, n in sorted(fields.get(ntid, ())))
        out[ntid] = (name, kind_from_config(config or b""), names)
    return out


def table_deck_name(db: sqlite3.Connection, tables: set[str], did, filename: str) -> str | None:
    if "name" not in columns(db, "decks") or "id" not in columns(db, "decks"):
        raise _fail(filename, "decks", None, "the 'decks' table needs 'id' and 'name' columns")
    found = db.execute("SELECT name FROM decks WHERE id = ?", (did,)).fetchone()
    if found is None:
        return None
    if not isinstance(found[0], str):
        raise _fail(filename, f"decks, deck {str(did)[:40]}", "name", f"must be text, not {kind_of(found[0])}")
    return found[0].replace("\x1f", "::")


def note_row_problem(row: tuple) -> tuple[str, str] | None:
    """(field, message) when a `notes` row has a value of the wrong type or size, else None."""
    guid, mid, tags, flds = row
    if not isinstance(guid, str):
        return "guid", f"must be text, not {kind_of(guid)}"
    if _integer(mid) is None or isinstance(mid, str):
        return "mid", f"(its note type) must be a whole number, not {kind_of(mid)}"
    if tags is not None and not isinstance(tags, str):
        return "tags", f"must be text, not {kind_of(tags)}"
    if not isinstance(flds, str):
        return "flds", f"(its fields) must be text, not {kind_of(flds)}"
    if len(flds) + len(tags or "") > MAX_NOTE_CHARS:
        return "flds", f"is {len(flds):,} characters long; a note may hold at most {MAX_NOTE_CHARS:,}"
    return None
