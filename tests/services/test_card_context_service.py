"""A card's context line end to end: the generator gives cards their article's title, and every export and
import carries the line (CSV, spreadsheet CSV, .apkg opened by Anki itself, deck file, JSON)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.domain.cardgen import Candidate
from studyapp.domain.deckfile import parse_text
from studyapp.domain.notes import CardType, Note
from studyapp.extensions import db
from studyapp.interop.apkg_import import read_apkg
from studyapp.interop.csvdeck import read_csv
from studyapp.models import Card
from studyapp.services import authoring, decks, transfer
from studyapp.services import generate as gen

from support import NOW

TITLE = "The Halifax Explosion of 1917"
TEXT = f"""{TITLE}

The blast killed nearly 2,000 people in December 1917 and flattened the district of Richmond.
"""


def candidate(prompt, answer="", type_=CardType.BASIC):
    note = Note(note_key="c", type=type_, prompt=prompt, answer=answer)
    return Candidate(note=note, source=prompt, paragraph=2, start=0, reason="figure", score=0.8)


@pytest.fixture
def blank(app):
    deck = decks.create_deck(db.session, "Blank", "", NOW)
    db.session.commit()
    return deck


def test_generated_cards_carry_the_title_unless_it_gives_their_answer_away(app, blank, instructor):
    toll = candidate("How many people did the blast kill?", "nearly 2,000")
    year = candidate("The blast happened in {{c1::1917}}.", type_=CardType.CLOZE)
    article = gen.create_article(db.session, instructor, "", TEXT, NOW, candidates=[toll, year])
    entries = gen.entries(db.session, article)
    gen.add_cards(db.session, article, blank, "Halifax", entries, entries, NOW, instructor, context=TITLE)
    db.session.commit()
    got = {card.answer: card.context for card in db.session.scalars(select(Card).where(Card.deck_id == blank.id))}
    assert got == {"nearly 2,000": TITLE, "1917": None}
    assert gen.last_context(db.session, article) == TITLE
    # an instructor who clears the line gets cards without one; an edit to the answer is judged as edited
    gen.record(entries[0], gen.ACCEPT, None, "2,000")
    assert gen.build_note(entries[0], "s", "")[0].context is None
    assert gen.build_note(entries[0], "s", "Halifax, 2,000 dead")[0].context is None
    assert gen.build_note(entries[0], "s", "Halifax")[0].context == "Halifax"


def save(deck, key, prompt, answer="", **fields):
    note, problems = authoring.check_note({"note_key": key, "prompt": prompt, "answer": answer, **fields})
    assert not problems, problems
    return authoring.save_note(db.session, deck, None, note, NOW)


@pytest.fixture
def with_context(blank):
    save(blank, "toll", "How many people did the blast kill?", "nearly 2,000", explanation="The toll.",
         context=TITLE)
    save(blank, "ship", "The blast began on the {{c1::Mont-Blanc}}.", type="cloze", explanation="A ship.",
         context=TITLE)
    save(blank, "alone", "Which city was hit?", "Halifax", explanation="Halifax, Nova Scotia.")
    db.session.commit()
    return blank


def contexts(notes, key=lambda n: n.key):
    return {key(n): n.context for n in notes}


WANTED = {"toll": TITLE, "ship": TITLE, "alone": None}


def test_both_csv_exports_carry_the_context_line_and_read_it_back(app, with_context):
    assert contexts(read_csv(transfer.export_csv(db.session, with_context).encode(), "d.csv").notes) == WANTED
    spreadsheet = transfer.export_spreadsheet(db.session, with_context)
    assert spreadsheet.splitlines()[0].endswith(",context")
    assert contexts(read_csv(spreadsheet.encode("utf-8"), "d.csv").notes) == WANTED


def test_an_import_sets_changes_or_keeps_the_context_line(app, with_context):
    upload = read_csv(b"front,back,id,context\nHow many people did the blast kill?,\"nearly 2,000\",toll,Halifax 1917\n"
                      b"Which city was hit?,Halifax,alone,\n", "d.csv")
    assert contexts(upload.notes) == {"toll": "Halifax 1917", "alone": None}
    transfer.apply_import(db.session, with_context, upload, None, NOW)
    db.session.commit()
    rows = db.session.scalars(select(Card).where(Card.deck_id == with_context.id))
    # a file without a value keeps the card's own (as for statement, claim, speaker)
    assert {c.note_key: c.context for c in rows} == {"toll": "Halifax 1917", "ship": TITLE, "alone": None}


def test_the_deck_file_and_json_exports_carry_the_context_line(app, with_context):
    spec = parse_text(transfer.dump_toml(db.session, with_context), "dump.toml")
    assert contexts(spec.notes, key=lambda n: n.note_key) == WANTED
    card = db.session.scalar(select(Card).where(Card.note_key == "toll"))
    assert transfer.card_record(card, with_context)["context"] == TITLE


def test_an_apkg_keeps_the_context_line_and_anki_shows_it_above_the_front(app, with_context, tmp_path):
    package = transfer.export_apkg(db.session, with_context, NOW)
    assert contexts(read_apkg(package, "d.apkg").notes) == WANTED
    anki_collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    col = anki_collection.Collection(str(tmp_path / "anki" / "c.anki2"))
    try:
        path = tmp_path / "d.apkg"
        path.write_bytes(package)
        col.import_anki_package(anki_collection.ImportAnkiPackageRequest(
            package_path=str(path), options=anki_collection.ImportAnkiPackageOptions()))
        questions = {}
        for nid in col.find_notes(""):
            note = col.get_note(nid)
            questions[note["Key"]] = (note["Context"], note.cards()[0].question())
        assert questions["toll"][0] == TITLE and questions["alone"][0] == ""
        for key in ("toll", "ship"):
            shown = questions[key][1]
            assert TITLE in shown and shown.index(TITLE) < shown.index("blast")
        assert 'class="context"' not in questions["alone"][1]
    finally:
        col.close()
