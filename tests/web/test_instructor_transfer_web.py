"""Imports through the browser (upload, preview, confirm; bad files write nothing) and the downloads."""
from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
import zipfile

import pytest
from sqlalchemy import func, select

from studyapp.domain.deckfile import parse_text
from studyapp.extensions import db
from studyapp.models import Card, CardRevision, Deck, PendingImport, Section, utcnow
from studyapp.services import decks, transfer

from support import make_user, post

HOME = "/instructor/"


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def teacher(client, auth, instructor):
    auth.login("teacher")
    return instructor


@pytest.fixture
def blank_deck(app):
    deck = decks.create_deck(db.session, "Blank", "", utcnow())
    db.session.commit()
    return deck


def upload(client, deck, name, data: bytes):
    return post(client, f"/instructor/decks/{deck.id}/import", {"upload": (io.BytesIO(data), name)},
                token_from=HOME, content_type="multipart/form-data")


CSV = (b"front\tback\ttags\tid\tsection\n"
       b"Capital of **France**?\tParis\tgeo europe\tfr-capital\tcapitals\n"
       b"The {{c1::Rhine}} flows into the {{c2::North Sea}}.\tRivers\tgeo\triver-rhine\t\n"
       b"No answer here\t\tgeo\t\t\n"
       b"Bad id\tx\t\tNot A Slug\t\n")


def test_upload_preview_then_confirm(client, teacher, blank_deck):
    response = upload(client, blank_deck, "cards.tsv", CSV)
    pending = db.session.scalar(select(PendingImport))
    token = pending.token
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/instructor/imports/{token}")
    assert count(Card) == 0                                   # nothing written before the confirmation
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="count-added">2<' in html and 'id="count-rejected">2<' in html and 'id="count-updated">0<' in html
    assert "line 4" in html and "is required for a basic card" in html and "line 5" in html and "Not A Slug" in html
    assert "capitals" in html                                 # a new section is announced
    # The confirm button shows that the import is under way (static/js/busy.js; the plain form works without it).
    assert 'data-busy="Importing…"' in html and "/static/js/busy.js" in html
    # Re-posting content does nothing: only the parked, server-side parse is used.
    confirm = post(client, f"/instructor/imports/{pending.token}/confirm",
                   {"front": "Injected", "notes": '[{"front": "x"}]'}, token_from=HOME)
    assert confirm.status_code == 302
    cards = {c.key: c for c in db.session.scalars(select(Card).where(Card.deck_id == blank_deck.id))}
    assert set(cards) == {"fr-capital", "river-rhine.c1", "river-rhine.c2"}
    assert cards["fr-capital"].section.slug == "capitals" and cards["fr-capital"].tag_list == ["geo", "europe"]
    assert cards["river-rhine.c1"].explanation == "Rivers" and cards["river-rhine.c2"].answer == "North Sea"
    assert count(CardRevision, CardRevision.action == "import") == 3 and count(PendingImport) == 0
    assert "Imported cards.tsv" in client.get(f"/instructor/decks/{blank_deck.id}").get_data(as_text=True)
    assert client.get(f"/instructor/imports/{token}").status_code == 404   # used up


def test_a_second_upload_updates_by_id_and_keeps_the_rows(client, teacher, blank_deck):
    token = upload(client, blank_deck, "a.csv", b"front,back,tags,id\nQ1,A1,t,q-one\nQ2,A2,t,q-two\n")
    post(client, token.headers["Location"] + "/confirm", {}, token_from=HOME)
    ids = {c.key: c.id for c in db.session.scalars(select(Card))}
    again = upload(client, blank_deck, "b.csv", b"front,back,tags,id\nQ1,A1 changed,t,q-one\nQ2,A2,t,q-two\nQ3,A3,,q-three\n")
    html = client.get(again.headers["Location"]).get_data(as_text=True)
    assert 'id="count-added">1<' in html and 'id="count-updated">1<' in html and 'id="count-unchanged">1<' in html
    assert "A1 changed" in html
    post(client, again.headers["Location"] + "/confirm", {}, token_from=HOME)
    db.session.expire_all()
    after = {c.key: c for c in db.session.scalars(select(Card))}
    assert after["q-one"].id == ids["q-one"] and after["q-one"].answer == "A1 changed" and "q-three" in after
    rev = db.session.scalar(select(CardRevision).where(CardRevision.card_id == ids["q-one"])
                            .order_by(CardRevision.id.desc()).limit(1))
    assert rev.action == "import"
    assert rev.changes["answer"] == ["A1", "A1 changed"]


@pytest.mark.parametrize("name,data,expected", [
    ("latin1.csv", "front,back\nCafé,crème\n".encode("latin-1"), "latin1.csv, line 2: is not UTF-8 text"),
    ("deck.apkg", b"this is not a zip", "deck.apkg: is not an Anki package"),
    ("empty.csv", b"", "empty.csv: is empty"),
    ("blank.csv", b"\n\n", "blank.csv: has no rows"),
    ("one.csv", b"alpha\nbeta\n", "one.csv, line 1: columns: every row has one column"),
    ("cols.csv", b"#columns:front,back,colour\nQ,A,red\n", "cols.csv, line 1: columns: unknown column"),
    ("notes.docx", b"PK\x03\x04", "notes.docx: must be a .csv, .tsv or .txt"),
])
def test_bad_files_are_refused_and_nothing_is_written(client, teacher, blank_deck, name, data, expected):
    response = upload(client, blank_deck, name, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    if name.endswith(".docx"):
        assert "Upload a .csv, .tsv or .txt file, or an Anki .apkg package." in html
    elif name == "empty.csv":
        assert "Choose a file to import." in html or expected in html
    else:
        assert expected in html, html[-2000:]
    assert count(PendingImport) == 0 and count(Card) == 0


def test_an_apkg_without_a_collection_is_refused(client, teacher, blank_deck):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("media", "{}")
    html = upload(client, blank_deck, "nothing.apkg", buffer.getvalue()).get_data(as_text=True)
    assert "nothing.apkg: has no Anki collection inside" in html
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("collection.anki21b", b"\x28\xb5\x2f\xfd")
        z.writestr("collection.anki2", b"placeholder")
    html = upload(client, blank_deck, "new.apkg", buffer.getvalue()).get_data(as_text=True)
    assert "collection.anki21b" in html and "Support older Anki versions" in html
    assert count(PendingImport) == 0


def test_uploads_over_the_limit_get_413(app, client, teacher, blank_deck):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = upload(client, blank_deck, "big.csv", b"front,back\n" + b"q,a\n" * 1000)
    assert response.status_code == 413 and count(PendingImport) == 0


def test_another_instructors_import_is_not_found(client, auth, teacher, blank_deck):
    location = upload(client, blank_deck, "a.csv", b"front,back\nQ,A\n").headers["Location"]
    make_user("other", "instructor")
    auth.logout()
    auth.login("other")
    assert client.get(location).status_code == 404
    assert post(client, location + "/confirm", {}, token_from=HOME).status_code == 404
    assert client.get("/instructor/imports/not-a-token").status_code == 404
    assert count(Card) == 0


def test_downloads(client, teacher, deck):
    tsv = client.get(f"/instructor/decks/{deck.id}/export.txt")
    assert tsv.status_code == 200 and 'filename="china-russia.txt"' in tsv.headers["Content-Disposition"]
    assert tsv.get_data(as_text=True).startswith("#separator:tab\n#html:true\n#tags column:3\n")
    sheet = client.get(f"/instructor/decks/{deck.id}/export.csv")
    assert sheet.status_code == 200 and 'filename="china-russia.csv"' in sheet.headers["Content-Disposition"]
    assert sheet.mimetype == "text/csv" and sheet.data.startswith("\ufefffront,back,".encode())
    apkg = client.get(f"/instructor/decks/{deck.id}/export.apkg")
    assert apkg.status_code == 200 and zipfile.ZipFile(io.BytesIO(apkg.data)).namelist()
    toml = client.get(f"/instructor/decks/{deck.id}/export.toml")
    spec = parse_text(toml.data, "dump.toml")
    assert spec.slug == "china-russia" and len(spec.sections) == count(Section, Section.deck_id == deck.id)
    page = client.get(f"/instructor/decks/{deck.id}").get_data(as_text=True)
    for suffix in ("export.csv", "export.txt", "export.apkg", "export.toml", "import"):
        assert f"/instructor/decks/{deck.id}/{suffix}" in page
    assert count(Deck) == 1
    assert "Spreadsheet (CSV)" in page and "Anki text (TSV)" in page


def test_the_spreadsheet_csv_is_a_real_csv_with_safe_cells_and_both_exports_import_back(client, teacher, blank_deck):
    rows = (b"front,back,explanation,tags,id,section\n"
            b"=HYPERLINK(\"http://x\"),@SUM(A1),+1,geo,formula,\n"
            b"\"- first\n- second\",-5,\"Two **lines**\nhere\",geo list,listed,rivers\n"
            b"The {{c1::Amur}} flows east.,,Why: **China**,geo,amur,rivers\n")
    post(client, upload(client, blank_deck, "seed.csv", rows).headers["Location"] + "/confirm", {}, token_from=HOME)
    before = {c.key: (c.prompt, c.answer, c.explanation, c.tag_list) for c in db.session.scalars(select(Card))}
    assert before["formula"][0] == '=HYPERLINK("http://x")'

    sheet = client.get(f"/instructor/decks/{blank_deck.id}/export.csv").get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"))))
    assert [row["id"] for row in table] == ["formula", "listed", "amur"]
    first, listed, cloze = table
    assert (first["front"], first["back"], first["explanation"]) == ("'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'+1")
    assert listed["front"] == "'- first\n- second" and listed["back"] == "'-5"
    assert listed["explanation"] == "Two **lines**\nhere" and listed["section"] == "rivers"    # Markdown as typed
    assert cloze["front"] == "The {{c1::Amur}} flows east." and cloze["back"] == "" and cloze["kind"] == "fact"
    for cell in (c for row in table for c in row.values()):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))

    for name, path in (("again.csv", "export.csv"), ("again.txt", "export.txt")):
        data = client.get(f"/instructor/decks/{blank_deck.id}/{path}").data
        html = client.get(upload(client, blank_deck, name, data).headers["Location"]).get_data(as_text=True)
        assert 'id="count-unchanged">3<' in html and 'id="count-added">0<' in html and 'id="count-rejected">0<' in html
    other = decks.create_deck(db.session, "Copy", "", utcnow())
    db.session.commit()
    data = client.get(f"/instructor/decks/{blank_deck.id}/export.csv").data
    post(client, upload(client, other, "copy.csv", data).headers["Location"] + "/confirm", {}, token_from=HOME)
    copied = {c.key: (c.prompt, c.answer, c.explanation, c.tag_list)
              for c in db.session.scalars(select(Card).where(Card.deck_id == other.id))}
    assert copied == before


def hostile_apkg() -> bytes:
    """A collection whose `notes` is an endless recursive view (it hung a worker before views were refused)."""
    db_ = sqlite3.connect(":memory:")
    db_.execute("CREATE TABLE col (models TEXT, decks TEXT)")
    db_.execute("INSERT INTO col VALUES ('{}', '{}')")
    db_.execute("CREATE TABLE cards (did INTEGER)")
    db_.execute("CREATE VIEW notes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                "SELECT i AS id, 'g' AS guid, 1 AS mid, '' AS tags, 'x' AS flds FROM n")
    data = db_.serialize()
    db_.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("collection.anki2", data)
    return buffer.getvalue()


def test_a_hostile_package_is_refused_with_the_normal_message(client, teacher, blank_deck, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = set(tmp_path.iterdir())
    response = upload(client, blank_deck, "endless.apkg", hostile_apkg())
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "endless.apkg: has a view (&#39;notes&#39;) in its collection" in html
    assert count(PendingImport) == 0 and count(Card) == 0 and set(tmp_path.iterdir()) == before


def test_a_parked_upload_is_bounded_in_size(client, teacher, blank_deck, monkeypatch):
    monkeypatch.setattr(transfer, "PENDING_FACTOR", 0.0001)              # 16 MB -> about 1.7 KB
    rows = b"".join(b"Question %d,%s\n" % (i, b"a" * 200) for i in range(20))
    response = upload(client, blank_deck, "wide.csv", b"front,back\n" + rows)
    assert response.status_code == 422 and "of card text; at most 0 MB can be imported at once" in response.get_data(as_text=True)
    assert count(PendingImport) == 0


def test_an_instructor_parks_at_most_a_few_uploads(client, teacher, blank_deck):
    locations = [upload(client, blank_deck, f"u{i}.csv", b"front,back\nQ,A\n").headers["Location"]
                 for i in range(transfer.PENDING_PER_USER + 2)]
    assert count(PendingImport) == transfer.PENDING_PER_USER
    assert client.get(locations[-1]).status_code == 200


def test_uploading_the_same_rows_without_ids_again_shows_them_as_duplicates(client, teacher, blank_deck):
    rows = (b"front,back\nCapital of France?,Paris\nCapital of Spain?,Madrid\n"
            b"The {{c1::Amur}} flows east.,\nLongest river?,Nile\nHighest peak?,Everest\n")
    post(client, upload(client, blank_deck, "five.csv", rows).headers["Location"] + "/confirm", {}, token_from=HOME)
    assert count(Card, Card.deck_id == blank_deck.id) == 5
    again = rows.replace(b"Capital of Spain?", b"capital of   SPAIN?") + b"A new one?,Yes\nA new one?,Yes\n"
    location = upload(client, blank_deck, "five-again.csv", again).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert 'id="count-added">1<' in html and 'id="count-duplicates">6<' in html
    assert "match a card already in the deck" in html and "line 7" in html        # the second "A new one?"
    post(client, location + "/confirm", {}, token_from=HOME)
    assert count(Card, Card.deck_id == blank_deck.id) == 6
    assert "1 added" in client.get(f"/instructor/decks/{blank_deck.id}").get_data(as_text=True)
