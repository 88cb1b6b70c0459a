"""Import/export orchestration: the plan, applying it, parked uploads, CSV and TOML round trips on the real deck."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.domain.deckfile import parse_file, parse_text
from studyapp.extensions import db
from studyapp.interop.common import ImportNote, ParsedUpload, guid_key
from studyapp.interop.csvdeck import read_csv
from studyapp.models import Card, CardRevision, PendingImport
from studyapp.services import authoring, decks, transfer

from support import CARDS_DIR, NOW, make_user


def parsed(*notes, rejected=()):
    return ParsedUpload("f.csv", "csv", list(notes), list(rejected))


def note(front="Q", back="A", **kw):
    return ImportNote(where=kw.pop("where", "line 2"), type=kw.pop("type", "basic"), front=front, back=back, **kw)


@pytest.fixture
def blank(app):
    deck = decks.create_deck(db.session, "Blank", "", NOW)
    db.session.commit()
    return deck


def save(deck, key, prompt, answer="", **fields):
    note, problems = authoring.check_note({"note_key": key, "prompt": prompt, "answer": answer, **fields})
    assert not problems, problems
    return authoring.save_note(db.session, deck, None, note, NOW)


def test_the_plan_matches_by_key_and_by_guid(app, blank):
    save(blank, "q-one", "Q1", "A1", kind="argument", explanation="E", tags=["t"], paragraph=4, speaker="Ada",
         distractors=["B1"])
    save(blank, guid_key("Ab+/c"), "G", "H")
    upload = parsed(note("Q1", "A1 new", explanation="E", tags=("t",), key="q-one", where="line 2"),
                    note("G", "H", guid="Ab+/c", where="line 3"),
                    note("{{c1::x}}", "", type="cloze", key="q-one", where="line 4"),
                    note("New", "card", section="fresh", where="line 5"))
    plan = transfer.plan_import(db.session, blank, upload)
    assert [u.note_key for u in plan.updated] == ["q-one"] and plan.updated[0].changes == {"answer": ["A1", "A1 new"]}
    assert [n.where for n in plan.unchanged] == ["line 3"] and [n.where for n in plan.added] == ["line 5"]
    assert [(p.where, p.field) for p in plan.rejected] == [("line 4", "type")] and plan.new_sections == ["fresh"]

    report = transfer.apply_import(db.session, blank, upload, None, NOW)
    assert (report.cards_added, report.cards_updated) == (1, 1)
    updated = db.session.scalar(select(Card).where(Card.key == "q-one"))
    assert (updated.answer, updated.kind, updated.paragraph, updated.tag_list) == ("A1 new", "argument", 4, ["t"])
    assert (updated.speaker, updated.distractors) == ("Ada", ["B1"])      # what a CSV does not carry stays
    added = db.session.scalar(select(Card).where(Card.prompt == "New"))
    assert added.section.slug == "fresh" and added.kind == "fact" and added.key.startswith("new-")
    actions = db.session.scalars(select(CardRevision.action).where(CardRevision.card_id.in_([updated.id, added.id]))
                                 .order_by(CardRevision.id)).all()
    assert actions == ["create", "import", "import"]


def test_an_import_restores_a_retired_note_and_follows_cloze_numbers(app, blank):
    result = save(blank, "cz", "{{c1::a}} {{c2::b}}", type="cloze")
    authoring.set_note_status(db.session, db.session.get(Card, result.card_ids["cz.c1"]), None, "retired", NOW)
    plan = transfer.plan_import(db.session, blank, parsed(note("{{c1::a}} {{c3::c}}", "", type="cloze", key="cz")))
    assert plan.updated[0].changes["cards"] == [[], ["cz.c1", "cz.c3"]]
    transfer.apply_import(db.session, blank, parsed(note("{{c1::a}} {{c3::c}}", "", type="cloze", key="cz")), None, NOW)
    statuses = {c.key: c.status for c in authoring.note_cards(db.session, blank.id, "cz")}
    assert statuses == {"cz.c1": "active", "cz.c2": "retired", "cz.c3": "active"}


def test_parked_uploads_belong_to_their_instructor_and_expire(app, blank):
    me, other = make_user("me", "instructor"), make_user("other", "instructor")
    upload = read_csv(b"front,back,tags\nQ,A,x y\n{{c1::gap}},why,\n", "u.csv")
    token = transfer.store_pending(db.session, me, blank, upload, NOW)
    pending, again = transfer.load_pending(db.session, token, me, NOW + timedelta(hours=1))
    assert again.notes == upload.notes and again.filename == "u.csv" and pending.deck_id == blank.id
    assert transfer.load_pending(db.session, token, other, NOW) is None
    assert transfer.load_pending(db.session, token, me, NOW + timedelta(days=2)) is None
    transfer.store_pending(db.session, me, blank, upload, NOW + timedelta(days=2))      # prunes the old one
    assert db.session.get(PendingImport, token) is None


def test_csv_export_reads_back_to_the_same_notes(app, deck):
    text = transfer.export_csv(db.session, deck)
    back = read_csv(text.encode("utf-8"), "deck.csv")
    assert back.rejected == []
    exported = transfer.export_notes(db.session, deck)
    assert len(back.notes) == len(exported)
    for original, read in zip(exported, back.notes):
        assert (read.key, read.type, read.front, read.section, read.tags) == \
            (original.key, original.type, original.front, original.section, original.tags)
        assert (read.back, read.explanation) == (original.back, original.explanation)
        assert (read.kind or "fact") == original.kind
    plan = transfer.plan_import(db.session, deck, back)
    assert (len(plan.added), len(plan.updated), len(plan.rejected)) == (0, 0, 0)


def _normalised(spec):
    return dataclasses.replace(spec, source=None, lines={})


def test_load_dump_load_is_the_identity_on_the_real_deck(app, deck):
    original = parse_file(CARDS_DIR / "china-russia.toml")
    text = transfer.dump_toml(db.session, deck)
    dumped = parse_text(text, "dump.toml")
    assert dumped.cards() == original.cards()               # every card field, exactly
    assert _normalised(dumped) == _normalised(original)     # deck, sections with guides, notes
    assert dumped.sections == original.sections and dumped.description == original.description
    report = decks.load_deck(db.session, dumped, NOW)
    assert (report.added, report.updated, report.retired) == ([], [], [])


def test_a_deck_file_import_records_revisions(app, deck):
    spec = parse_file(CARDS_DIR / "china-russia.toml")
    created = db.session.scalars(select(CardRevision.action).distinct()).all()
    assert created == ["import"] and db.session.scalar(select(func.count(CardRevision.id))) == len(spec.cards())
    before = db.session.scalar(select(func.max(CardRevision.id)))
    first = spec.notes[0]
    changed = dataclasses.replace(spec, notes=[dataclasses.replace(first, explanation="Reworded.")] + spec.notes[1:])
    transfer.import_deck_file(db.session, changed, None, NOW)
    revisions = db.session.scalars(select(CardRevision).where(CardRevision.id > before)).all()
    assert len(revisions) == len(first.cards())
    assert revisions[0].changes == {"explanation": [first.explanation, "Reworded."]} and revisions[0].action == "import"
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.status == "active")) == len(spec.cards())
