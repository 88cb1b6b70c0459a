"""A corpus of hostile uploads, built here: each is refused (or its bad notes rejected) with a clear message
naming the file and, where there is one, the place and field; nothing is ever written to disk.

Views (an endless recursive CTE among them), triggers, virtual tables and generated columns; zip bombs
and lying zip headers; missing tables and columns; wrong types in every JSON value and row value the
importer reads; huge note counts and huge notes; CSVs that never end. Timing is not asserted here (see
benchmarks/ and docs/benchmarks.md): a test that hung would show the bound is missing.
"""
from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.interop import ankischema, apkg_import, csvdeck, sqlitebox
from studyapp.interop.apkg_import import read_apkg
from studyapp.interop.common import MAX_NOTES, ImportFileError
from studyapp.services import transfer

MODELS = {"1": {"id": 1, "name": "Basic", "type": 0, "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]}}
DECKS = {"7": {"name": "Deck"}}


@pytest.fixture(autouse=True)
def private_tmp(tmp_path, monkeypatch):
    """Every temporary file the code under test could make lands here; the test then checks it is empty."""
    where = tmp_path / "tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    yield where
    assert list(where.iterdir()) == [], "a temporary file was left on disk"


def database(build, *, notes=(("g1", 1, "", "Q\x1fA"),), models=MODELS, decks=DECKS) -> bytes:
    """An Anki 2.0-style collection made in memory, then changed by `build(db)`."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE col (id INTEGER, models TEXT, decks TEXT, conf TEXT, dconf TEXT, tags TEXT)")
    db.execute("INSERT INTO col VALUES (1, ?, ?, '{}', '{}', '{}')",
               (models if isinstance(models, str) else json.dumps(models),
                decks if isinstance(decks, str) else json.dumps(decks)))
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT)")
    db.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER)")
    db.executemany("INSERT INTO notes (guid, mid, tags, flds) VALUES (?, ?, ?, ?)", notes)
    db.execute("INSERT INTO cards (nid, did, ord) SELECT id, 7, 0 FROM notes")
    if build is not None:
        build(db)
    db.commit()
    data = db.serialize()
    db.close()
    return data


def package(collection: bytes, name: str = "collection.anki2", compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(name, collection)
    return buffer.getvalue()


def refused(data: bytes, **kwargs) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_apkg(data, "hostile.apkg", **kwargs)
    message = str(caught.value)
    assert message.startswith("hostile.apkg"), message
    return message


# -- schemas that are not plain tables -------------------------------------------------------------
ENDLESS = ("CREATE VIEW notes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
           "SELECT i AS id, 'g' || i AS guid, 1 AS mid, '' AS tags, 'Q' || char(31) || 'A' AS flds FROM n")


@pytest.mark.parametrize("build,expected", [
    (lambda db: (db.execute("DROP TABLE notes"), db.execute(ENDLESS)), "has a view ('notes')"),
    (lambda db: db.execute("CREATE VIEW extra AS SELECT * FROM notes"), "has a view ('extra')"),
    (lambda db: db.execute("CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM cards; END"),
     "has a trigger ('t')"),
    (lambda db: (db.execute("DROP TABLE notes"),
                 db.execute("CREATE VIRTUAL TABLE notes USING fts4(id, guid, mid, tags, flds)")),
     "has a virtual table ('notes')"),
    (lambda db: (db.execute("DROP TABLE notes"),
                 db.execute("CREATE TABLE notes (id INTEGER, guid TEXT, mid INTEGER, tags TEXT, "
                            "flds TEXT GENERATED ALWAYS AS (printf('%.*c', 100000000, 'x')) VIRTUAL)"),
                 db.execute("INSERT INTO notes (id, guid, mid, tags) VALUES (1, 'g', 1, '')")),
     "has a generated column ('notes.flds')"),
], ids=["endless-recursive-view", "view", "trigger", "virtual-table", "generated-column"])
def test_only_plain_tables_are_read(build, expected):
    assert expected in refused(package(database(build)))


def test_a_schema_with_thousands_of_tables_is_refused_before_they_are_checked():
    def build(db):
        for i in range(sqlitebox.MAX_SCHEMA_ENTRIES):
            db.execute(f"CREATE TABLE extra{i} (a)")
    assert f"declares more than {sqlitebox.MAX_SCHEMA_ENTRIES} tables and indexes" in refused(package(database(build)))


def test_the_endless_view_is_refused_by_the_schema_check_not_by_the_deadline(monkeypatch):
    asked = []
    monkeypatch.setattr(apkg_import, "_query_collection", lambda *a: asked.append(a))
    message = refused(package(database(lambda db: (db.execute("DROP TABLE notes"), db.execute(ENDLESS)))))
    assert "view" in message and asked == []          # no query on the data ran


def test_every_query_has_a_deadline(monkeypatch):
    monkeypatch.setattr(sqlitebox, "QUERY_SECONDS", 0.0)
    notes = [(f"g{i}", 1, "", f"Q{i}\x1fA") for i in range(3000)]
    message = refused(package(database(None, notes=notes)))
    assert "took more than 0 seconds to read and was stopped" in message


def open_files() -> list[str]:
    """What this process's file descriptors point at (Linux; empty elsewhere)."""
    found = []
    for fd in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return found


def test_nothing_is_on_disk_while_the_collection_is_read(monkeypatch, private_tmp):
    seen = []
    real = apkg_import._query_collection

    def spy(db, *args):
        seen.append(sorted(p.name for p in private_tmp.iterdir()))
        seen.append([target for target in open_files() if str(private_tmp) in target])
        return real(db, *args)

    monkeypatch.setattr(apkg_import, "_query_collection", spy)
    parsed = read_apkg(package(database(None)), "fine.apkg")
    assert [n.front for n in parsed.notes] == ["Q"] and all(found == [] for found in seen) and seen


# -- zip bombs and damaged zips --------------------------------------------------------------------
def test_a_member_over_the_unpacked_cap_is_refused_before_unpacking():
    bomb = package(b"\0" * (5 * 1024 * 1024))
    message = refused(bomb, upload_limit=1024 * 1024)                       # cap: 4 x 1 MB
    assert "unpacked; the limit is 4 MB" in message


def test_a_zip_bomb_ratio_is_refused():
    bomb = package(b"\0" * (20 * 1024 * 1024))                              # 20 MB -> about 20 KB
    assert len(bomb) < 100_000
    assert "more than 100 times" in refused(bomb)


def lie_about_size(data: bytes, size: int) -> bytes:
    """The same zip with the member's uncompressed size rewritten (local header and central directory)."""
    out = bytearray(data)
    local = out.index(b"PK\x03\x04")
    out[local + 22:local + 26] = struct.pack("<I", size)
    central = out.index(b"PK\x01\x02")
    out[central + 24:central + 28] = struct.pack("<I", size)
    return bytes(out)


def test_a_zip_header_that_lies_about_the_size_cannot_make_us_read_more():
    bomb = lie_about_size(package(b"\0" * (3 * 1024 * 1024)), 1000)
    assert "is damaged" in refused(bomb)


def set_encrypted_flag(data: bytes) -> bytes:
    out = bytearray(data)
    for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = out.index(signature)
        flags = struct.unpack("<H", out[start + at:start + at + 2])[0] | 1
        out[start + at:start + at + 2] = struct.pack("<H", flags)
    return bytes(out)


@pytest.mark.parametrize("data,expected", [
    (b"PK\x03\x04 not really a zip", "is not an Anki package"),
    (package(database(None))[:300], "is not an Anki package"),
    (set_encrypted_flag(package(database(None))), "is damaged"),
    (package(b"SQLite format 3\0" + b"\xff" * 4000), "not a readable Anki database"),
    (package(b""), "holds an empty collection"),
], ids=["not-a-zip", "truncated", "encrypted", "corrupt-database", "empty-database"])
def test_damaged_packages(data, expected):
    assert expected in refused(data)


# -- missing tables and columns --------------------------------------------------------------------
@pytest.mark.parametrize("build,expected", [
    (lambda db: db.execute("DROP TABLE notes"), "has no 'notes' table"),
    (lambda db: db.execute("DROP TABLE cards"), "has no 'cards' table"),
    (lambda db: db.execute("DROP TABLE col"), "has no 'col' table"),
    (lambda db: db.execute("ALTER TABLE notes DROP COLUMN flds"), "notes: flds: the 'notes' table has no 'flds' column"),
    (lambda db: db.execute("ALTER TABLE col DROP COLUMN models"), "col: models: the 'col' table has no 'models'"),
    (lambda db: db.execute("DELETE FROM col"), "the 'col' table is empty"),
    (lambda db: db.execute("CREATE TABLE notetypes (id INTEGER, name TEXT, config BLOB)"), "has no 'fields' table"),
])
def test_missing_tables_and_columns(build, expected):
    assert expected in refused(package(database(build)))


# -- wrong types in every JSON value the importer reads --------------------------------------------
def model(**changes):
    base = json.loads(json.dumps(MODELS["1"]))
    base.update(changes)
    return {"1": base}


@pytest.mark.parametrize("models,expected", [
    ("{not json", "col.models: is not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "col.models: is JSON nested too deeply"),
    ("[1, 2]", "col.models: must be a JSON object, not a list"),
    ('"text"', "col.models: must be a JSON object, not text"),
    ({"1": "Basic"}, "col.models, note type 1: must be an object, not text"),
    (model(id="one"), "note type 1: id: must be a whole number, not text"),
    (model(id=[1]), "note type 1: id: must be a whole number, not a list"),
    (model(name=5), "note type 1: name: must be text, not a number"),
    (model(type="cloze"), "note type 1: type: must be 0 (standard) or 1 (cloze), not text"),
    (model(type=None), "note type 1: type: must be 0 (standard) or 1 (cloze), not null"),
    (model(flds={"name": "Front"}), "note type 1: flds: must be a list, not an object"),
    (model(flds=["Front", "Back"]), "note type 1: flds[0]: must be an object, not text"),
    (model(flds=[{"name": 1, "ord": 0}]), "note type 1: flds[0].name: must be text, not a number"),
    (model(flds=[{"name": "F", "ord": "0"}]), "note type 1: flds[0].ord: must be a whole number, not text"),
    (model(flds=[{"name": "F", "ord": 1.5}]), "note type 1: flds[0].ord: must be a whole number, not a number"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None)
def test_wrong_types_in_col_models(models, expected):
    assert expected in refused(package(database(None, models=models)))


@pytest.mark.parametrize("decks,expected", [
    ("{", "col.decks: is not valid JSON"),
    ("[]", "col.decks: must be a JSON object, not a list"),
    ({"7": 7}, "col.decks, deck 7: must be an object, not a number"),
    ({"7": {"name": ["Deck"]}}, "col.decks, deck 7: name: must be text, not a list"),
    ({"7": {"name": 7}}, "col.decks, deck 7: name: must be text, not a number"),
])
def test_wrong_types_in_col_decks(decks, expected):
    assert expected in refused(package(database(None, decks=decks)))


def test_col_json_that_is_not_text_and_json_that_is_too_long(monkeypatch):
    blob = database(lambda db: db.execute("UPDATE col SET models = x'7b7d'"))
    assert "col.models: must be JSON text, not blob" in refused(package(blob))
    monkeypatch.setattr(ankischema, "MAX_JSON_CHARS", 100)
    assert "col.models: is" in refused(package(database(None))) and "the limit is 100" in refused(package(database(None)))


def test_json_the_importer_does_not_read_may_hold_anything():
    odd = database(lambda db: db.execute("UPDATE col SET conf = '{', dconf = x'00', tags = 7"))
    assert [n.front for n in read_apkg(package(odd), "odd.apkg").notes] == ["Q"]


def modern(build_rows):
    def build(db):
        db.execute("CREATE TABLE notetypes (id INTEGER, name TEXT, config BLOB)")
        db.execute("CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT)")
        db.execute("CREATE TABLE decks (id INTEGER, name TEXT)")
        db.execute("INSERT INTO notetypes VALUES (1, 'Basic', x'1200')")
        db.executemany("INSERT INTO fields VALUES (1, ?, ?)", [(0, "Front"), (1, "Back")])
        db.execute("INSERT INTO decks VALUES (7, 'Deck')")
        build_rows(db)
    return build


@pytest.mark.parametrize("change,expected", [
    ("UPDATE notetypes SET config = 'text'", "notetypes row 1: config: must be a blob, not text"),
    ("UPDATE notetypes SET name = x'05'", "notetypes row 1: name: must be text, not a blob"),
    ("UPDATE notetypes SET id = 'x'", "notetypes row 1: id: must be a whole number, not text"),
    ("UPDATE fields SET name = x'00' WHERE ord = 1", "fields row 2: name: must be text, not a blob"),
    ("UPDATE fields SET ord = 'first' WHERE ord = 0", "fields row 1: ord: must be a whole number, not text"),
    ("UPDATE fields SET ntid = 1.5", "fields row 1: ntid: must be a whole number, not a number"),
    ("UPDATE decks SET name = x'03'", "decks, deck 7: name: must be text, not a blob"),
    ("ALTER TABLE decks DROP COLUMN name", "the 'decks' table needs 'id' and 'name' columns"),
])
def test_wrong_types_in_the_newer_schema(change, expected):
    assert expected in refused(package(database(modern(lambda db: db.execute(change))), "collection.anki21"))


def test_wrong_types_in_note_rows_reject_those_notes_only():
    notes = [("good", 1, "", "Q\x1fA"), (b"\x05", 1, "", "Q2\x1fA"), ("g3", "Basic", "", "Q3\x1fA"),
             ("g4", 1, b"\x00", "Q4\x1fA"), ("g5", 1, "", b"Q5\x1fA"), ("g6", 1, "", None),
             ("g7", 1, "", "x" * (ankischema.MAX_NOTE_CHARS + 1))]
    parsed = read_apkg(package(database(None, notes=notes)), "rows.apkg")
    assert [n.front for n in parsed.notes] == ["Q"]
    reasons = {p.where: f"{p.field}: {p.message}" for p in parsed.rejected}
    assert reasons == {
        "note 2": "guid: must be text, not a blob",
        "note 3": "mid: (its note type) must be a whole number, not text",
        "note 4": "tags: must be text, not a blob",
        "note 5": "flds: (its fields) must be text, not a blob",
        "note 6": "flds: (its fields) must be text, not null",
        "note 7": f"flds: is {ankischema.MAX_NOTE_CHARS + 1:,} characters long; a note may hold at most "
                  f"{ankischema.MAX_NOTE_CHARS:,}",
    }


# -- huge counts -----------------------------------------------------------------------------------
def test_too_much_note_text_is_refused_before_the_notes_are_read(monkeypatch):
    notes = [(f"g{i}", 1, "", f"Q{i}\x1f" + "a" * 900) for i in range(50)]
    read = []
    monkeypatch.setattr(ankischema, "note_row_problem", lambda row: read.append(row))
    message = refused(package(database(None, notes=notes)), upload_limit=20_000)     # text cap: 2 x 20 KB
    assert "MB of note text; at most 0 MB can be imported at once" in message and read == []


def test_a_huge_note_count_is_refused_before_the_notes_are_read(monkeypatch):
    notes = [(f"g{i}", 1, "", "Q\x1fA") for i in range(MAX_NOTES + 1)]
    read = []
    monkeypatch.setattr(ankischema, "note_row_problem", lambda row: read.append(row))
    message = refused(package(database(None, notes=notes)))
    assert f"has {MAX_NOTES + 1:,} notes; at most {MAX_NOTES:,} can be imported at once" in message and read == []


class CountingStream(io.BytesIO):
    """A file that counts how much of it was read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.consumed = 0

    def readline(self, size=-1):
        line = super().readline(size)
        self.consumed += len(line)
        return line

    def read(self, size=-1):
        data = super().read(size)
        self.consumed += len(data)
        return data


def test_a_csv_is_read_as_a_stream_that_stops_at_the_row_cap():
    rows = b"".join(b"Q%d,A\n" % i for i in range(MAX_NOTES + 1))
    stream = CountingStream(b"front,back\n" + rows + b"Q,A\n" * 2_000_000)          # about 8 MB more after the cap
    with pytest.raises(ImportFileError, match=f"has more than {MAX_NOTES:,} rows"):
        csvdeck.read_csv(stream, "long.csv", max_bytes=64 * 1024 * 1024)
    assert stream.consumed < len(rows) + 100_000


def test_a_csv_stops_at_the_byte_cap_and_at_an_endless_line():
    with pytest.raises(ImportFileError, match=r"big.csv, line \d+: the file is larger than 0 MB"):
        csvdeck.read_csv(b"front,back\nQ,A\n" + b"Q,A\n" * 1000, "big.csv", max_bytes=200)
    endless = CountingStream(b"front,back\n" + b"x" * (csvdeck.MAX_LINE_BYTES * 3))
    with pytest.raises(ImportFileError, match="line 2: is longer than 1,024 KB"):
        csvdeck.read_csv(endless, "endless.csv")
    assert endless.consumed <= csvdeck.MAX_LINE_BYTES + 100


def test_a_quoted_cell_that_never_closes_is_refused():
    with pytest.raises(ImportFileError, match="cannot be read as CSV"):
        csvdeck.read_csv(b'front,back\n"Q,' + b"x\n" * 100_000, "open.csv")


def test_parse_upload_takes_the_upload_stream_and_its_limit():
    with pytest.raises(ImportFileError, match="is empty"):
        transfer.parse_upload("e.apkg", io.BytesIO(b""))
    bomb = io.BytesIO(package(b"\0" * (2 * 1024 * 1024)))
    with pytest.raises(ImportFileError, match="the limit is 0.4 MB"):
        transfer.parse_upload("b.apkg", bomb, upload_limit=100_000)
    parsed = transfer.parse_upload("ok.csv", io.BytesIO(b"front,back\nQ,A\n"))
    assert [n.front for n in parsed.notes] == ["Q"]


# -- any damage at all: a clear refusal or notes, never another exception --------------------------
VALID = database(None, notes=[(f"g{i}", 1, "t", f"Q{i} <b>x</b>\x1fA{i}") for i in range(40)])
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read_or_refuse(reader, data: bytes, filename: str) -> None:
    try:
        reader(data, filename)
    except ImportFileError as exc:
        assert str(exc).startswith(filename)


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), min_size=1, max_size=30))
def test_a_damaged_collection_is_read_or_refused_clearly(flips):
    damaged = bytearray(VALID)
    for at, value in flips:
        damaged[at] = value
    read_or_refuse(read_apkg, package(bytes(damaged)), "flipped.apkg")


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1, max_size=10))
def test_a_damaged_zip_is_read_or_refused_clearly(flips):
    damaged = bytearray(package(VALID))
    for at, value in flips:
        damaged[at % len(damaged)] = value
    read_or_refuse(read_apkg, bytes(damaged), "zip.apkg")


@FUZZ
@given(raw=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_as_a_csv_are_read_or_refused_clearly(raw):
    read_or_refuse(csvdeck.read_csv, raw, "any.csv")


CHILD = """
import sys, time
from studyapp.interop import apkg_import

def slow(db, *args):
    print("reading", flush=True)          # the collection is open: the worker is killed here
    time.sleep(60)

apkg_import._query_collection = slow
apkg_import.read_apkg(open(sys.argv[1], "rb").read(), "killed.apkg")
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_a_worker_killed_mid_import_leaves_nothing_on_disk(tmp_path, private_tmp):
    upload = tmp_path / "upload.apkg"
    upload.write_bytes(package(database(None, notes=[(f"g{i}", 1, "", f"Q{i}\x1fA") for i in range(2000)])))
    env = dict(os.environ, TMPDIR=str(private_tmp), PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(upload)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "reading"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL and list(private_tmp.iterdir()) == []


def test_a_newer_collection_without_decks_imports_without_a_deck_name():
    def build(db):
        modern(lambda _db: None)(db)
        db.execute("DROP TABLE decks")
        db.execute("DROP TABLE col")
    parsed = read_apkg(package(database(build), "collection.anki21"), "nodecks.apkg")
    assert [n.front for n in parsed.notes] == ["Q"] and parsed.deck_name is None
