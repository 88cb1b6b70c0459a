"""flask export-deck / import-deck / dump-deck: formats, all-or-nothing imports, the TOML round trip."""
from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from studyapp.domain.deckfile import parse_file, parse_text
from studyapp.extensions import db
from studyapp.models import Card, CardRevision, Deck

from support import CARDS_DIR


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_export_formats(runner, deck, tmp_path):
    records = json.loads(runner.invoke(args=["export-deck", str(deck.id)]).output)
    assert {r["deck"] for r in records} == {deck.id} and {"id", "kind", "prompt", "section", "tags"} <= set(records[0])
    csv = runner.invoke(args=["export-deck", str(deck.id), "--format", "csv"])
    assert csv.exit_code == 0 and csv.output.startswith("#separator:tab\n")
    no_file = runner.invoke(args=["export-deck", str(deck.id), "--format", "apkg"])
    assert no_file.exit_code != 0 and "give -o FILE" in no_file.output
    out = tmp_path / "d.apkg"
    assert runner.invoke(args=["export-deck", str(deck.id), "--format", "apkg", "-o", str(out)]).exit_code == 0
    assert "collection.anki2" in zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    folder = tmp_path / "all"
    assert runner.invoke(args=["export-deck", "--all", "--format", "csv", "-o", str(folder)]).exit_code == 0
    assert (folder / "china-russia.csv").read_text().startswith("#separator:tab")
    assert runner.invoke(args=["export-deck", "999", "--format", "csv"]).exit_code != 0
    assert runner.invoke(args=["export-deck"]).exit_code != 0


def test_import_a_csv_into_a_new_deck_then_update_it(runner, app, tmp_path):
    path = tmp_path / "capitals.csv"
    path.write_text("front,back,tags,id\nCapital of France?,Paris,geo,fr\n{{c1::Rome}} is in Italy,,geo,it\n")
    result = runner.invoke(args=["import-deck", str(path)])
    assert result.exit_code == 0, result.output
    deck = db.session.scalar(select(Deck).where(Deck.name == "capitals"))
    assert "2 added, 0 updated, 0 unchanged, 0 rejected" in result.output and f"deck {deck.id}" in result.output
    assert count(Card, Card.deck_id == deck.id) == 2
    path.write_text("front,back,tags,id\nCapital of France?,Paris (on the Seine),geo,fr\n")
    again = runner.invoke(args=["import-deck", str(path), "--deck", str(deck.id)])
    assert "0 added, 1 updated" in again.output
    assert db.session.scalar(select(Card.answer).where(Card.key == "fr")) == "Paris (on the Seine)"
    assert count(CardRevision, CardRevision.action == "import") == 3


def test_a_bad_file_imports_nothing_and_exits_non_zero(runner, app, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("front,back\nGood,row\nNo answer,\n")
    result = runner.invoke(args=["import-deck", str(path)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "mixed.csv, line 3: back: is required for a basic card" in result.output
    assert count(Card) == 0 and count(Deck) == 0
    binary = tmp_path / "latin.csv"
    binary.write_bytes("a,é\n".encode("latin-1"))
    result = runner.invoke(args=["import-deck", str(binary)])
    assert result.exit_code == 1 and "latin.csv, line 1: is not UTF-8 text" in result.output
    fake = tmp_path / "fake.apkg"
    fake.write_bytes(b"nope")
    assert "fake.apkg: is not an Anki package" in runner.invoke(args=["import-deck", str(fake)]).output
    assert runner.invoke(args=["import-deck", str(path), "--deck", "42"]).exit_code != 0
    assert count(Card) == 0 and count(Deck) == 0


def test_dump_then_import_the_toml(runner, deck, tmp_path):
    out = tmp_path / "dump.toml"
    result = runner.invoke(args=["dump-deck", str(deck.id), "-o", str(out)])
    assert result.exit_code == 0 and "Warning" not in result.output
    assert parse_file(out).cards() == parse_file(CARDS_DIR / "china-russia.toml").cards()
    printed = runner.invoke(args=["dump-deck", str(deck.id)]).output
    assert parse_text(printed, "stdout").slug == "china-russia"
    text = out.read_text().replace('name = "China and Russia: an imperfect partnership"', 'name = "Renamed"')
    out.write_text(text)
    result = runner.invoke(args=["import-deck", str(out), "--deck", str(deck.id)])
    assert result.exit_code == 0 and "0 added, 0 updated, 0 retired" in result.output
    db.session.expire_all()
    assert db.session.get(Deck, deck.id).name == "Renamed"
    broken = tmp_path / "broken.toml"
    broken.write_text('[deck]\nid = "x"\n')
    failed = runner.invoke(args=["import-deck", str(broken)])
    assert failed.exit_code == 1 and "broken.toml" in failed.output


def test_dump_warns_when_the_deck_would_not_load(runner, app, tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("front,back\nQ,A\n")
    runner.invoke(args=["import-deck", str(path)])
    deck = db.session.scalar(select(Deck))
    result = runner.invoke(args=["dump-deck", str(deck.id), "-o", str(tmp_path / "p.toml")])
    assert result.exit_code == 0 and "Warning" in result.output and "explanation: must not be empty" in result.output
