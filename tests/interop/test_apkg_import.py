"""Reading .apkg files without Anki: both collection schemas, the placeholder, damaged and odd packages."""
from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import pytest

from studyapp.interop.apkg_import import _kind_from_config, read_apkg
from studyapp.interop.common import ImportFileError


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def collection(tmp_path, build) -> bytes:
    path = tmp_path / "c.sqlite"
    db = sqlite3.connect(path)
    build(db)
    db.commit()
    db.close()
    return path.read_bytes()


def legacy(db, notes, models=None):
    models = models or {
        "1": {"id": 1, "name": "Basic", "type": 0, "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]},
        "2": {"id": 2, "name": "Cloze", "type": 1, "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}]},
        "3": {"id": 3, "name": "One", "type": 0, "flds": [{"name": "Only", "ord": 0}]},
    }
    db.execute("CREATE TABLE col (models TEXT, decks TEXT)")
    db.execute("INSERT INTO col VALUES (?, ?)", (json.dumps(models), json.dumps({"7": {"name": "Old deck"}})))
    db.execute("CREATE TABLE notes (id INTEGER, guid TEXT, mid INTEGER, tags TEXT, flds TEXT)")
    db.execute("CREATE TABLE cards (id INTEGER, nid INTEGER, did INTEGER, ord INTEGER)")
    for i, (guid, mid, tags, fields) in enumerate(notes, start=1):
        db.execute("INSERT INTO notes VALUES (?, ?, ?, ?, ?)", (i, guid, mid, tags, "\x1f".join(fields)))
        db.execute("INSERT INTO cards VALUES (?, ?, 7, 0)", (i, i))


def test_a_legacy_collection_with_good_and_bad_notes(tmp_path):
    data = collection(tmp_path, lambda db: legacy(db, [
        ("g1", 1, " a b ", ["Front <b>1</b>", "Back"]),
        ("g2", 2, "", ["{{c1::x}} and {{c2::y}}", "extra"]),
        ("g3", 2, "", ["no deletion", ""]),
        ("g4", 3, "", ["lonely"]),
        ("g5", 99, "", ["?", "?"]),
        ("g6", 1, "", ["<img src=a.png>", "Back"]),
        ("g1", 1, "", ["Again", "dup"]),
    ]))
    parsed = read_apkg(zipped({"collection.anki2": data}), "old.apkg")
    assert [(n.where, n.type, n.front, n.guid) for n in parsed.notes] == \
        [("note 1", "basic", "Front **1**", "g1"), ("note 2", "cloze", "{{c1::x}} and {{c2::y}}", "g2")]
    assert parsed.notes[1].explanation == "extra" and parsed.deck_name == "Old deck"
    reasons = {p.where: (p.field, p.message) for p in parsed.rejected}
    assert reasons["note 3"][0] == "Text" and "without any {{c1::...}}" in reasons["note 3"][1]
    assert "has one field" in reasons["note 4"][1] and "not in the package" in reasons["note 5"][1]
    assert reasons["note 6"] == ("Front", "must not be empty") and reasons["note 7"][0] == "guid"
    assert str(parsed.rejected[0]).startswith("old.apkg, note 3: Text:")


def test_the_newer_schema_with_notetype_tables(tmp_path):
    def build(db):
        db.execute("CREATE TABLE notetypes (id INTEGER, name TEXT, config BLOB)")
        db.execute("CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT)")
        db.execute("CREATE TABLE decks (id INTEGER, name TEXT)")
        db.execute("INSERT INTO notetypes VALUES (5, 'Cloze', ?)", (b"\x08\x01\x12\x02ab",))   # kind = 1
        db.execute("INSERT INTO notetypes VALUES (6, 'Basic', ?)", (b"\x12\x00",))
        db.executemany("INSERT INTO fields VALUES (?, ?, ?)",
                       [(5, 0, "Text"), (5, 1, "Back Extra"), (6, 1, "Answer"), (6, 0, "Question")])
        db.execute("INSERT INTO decks VALUES (7, ?)", ("Parent\x1fChild",))
        db.execute("CREATE TABLE notes (id INTEGER, guid TEXT, mid INTEGER, tags TEXT, flds TEXT)")
        db.execute("CREATE TABLE cards (id INTEGER, nid INTEGER, did INTEGER, ord INTEGER)")
        db.execute("INSERT INTO notes VALUES (1, 'a', 5, '', ?)", ("{{c1::gap}}\x1fwhy",))
        db.execute("INSERT INTO notes VALUES (2, 'b', 6, 'kind::argument', ?)", ("Q\x1fA",))
        db.execute("INSERT INTO cards VALUES (1, 1, 7, 0)")
    parsed = read_apkg(zipped({"collection.anki21": collection(tmp_path, build)}), "new.apkg")
    assert [(n.type, n.front, n.back, n.explanation, n.kind) for n in parsed.notes] == \
        [("cloze", "{{c1::gap}}", "", "why", None), ("basic", "Q", "A", "", "argument")]
    assert parsed.deck_name == "Parent::Child"
    assert _kind_from_config(b"\x12\x03abc\x08\x01") == 1 and _kind_from_config(b"") == 0


def test_anki21_is_preferred_to_the_placeholder(tmp_path):
    real = collection(tmp_path, lambda db: legacy(db, [("g", 1, "", ["Real", "note"])]))
    placeholder_path = tmp_path / "p"
    placeholder_path.mkdir()
    placeholder = collection(placeholder_path, lambda db: legacy(db, [(
        "p", 1, "", ["Please update to the latest Anki version, then import the .colpkg/.apkg file again.", ""])]))
    parsed = read_apkg(zipped({"collection.anki2": placeholder, "collection.anki21": real}), "x.apkg")
    assert [n.front for n in parsed.notes] == ["Real"]
    with pytest.raises(ImportFileError, match="placeholder"):
        read_apkg(zipped({"collection.anki2": placeholder}), "x.apkg")


@pytest.mark.parametrize("members,message", [
    ({"collection.anki2": b"not sqlite at all, just text"}, "not a readable Anki database"),
    ({"collection.anki21b": b"zstd", "collection.anki2": b"x"}, "collection.anki21b"),
    ({"media": b"{}"}, "has no Anki collection inside"),
])
def test_packages_that_cannot_be_read(members, message):
    with pytest.raises(ImportFileError, match=message):
        read_apkg(zipped(members), "bad.apkg")


def test_an_empty_collection_and_an_empty_file(tmp_path):
    with pytest.raises(ImportFileError, match="has no notes"):
        read_apkg(zipped({"collection.anki2": collection(tmp_path, lambda db: legacy(db, []))}), "e.apkg")
    with pytest.raises(ImportFileError, match="is empty"):
        read_apkg(b"", "e.apkg")


def test_a_package_over_the_note_cap_is_refused_whole(tmp_path, monkeypatch):
    from studyapp.interop import apkg_import

    data = collection(tmp_path, lambda db: legacy(db, [(f"g{i}", 1, "", [f"Q{i}", "A"]) for i in range(3)]))
    monkeypatch.setattr(apkg_import, "MAX_NOTES", 2)
    with pytest.raises(ImportFileError) as caught:
        read_apkg(zipped({"collection.anki2": data}), "big.apkg")
    assert "has 3 notes; at most 2 can be imported at once" in str(caught.value)
