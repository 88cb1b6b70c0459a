"""The real Anki (the `anki` package, tests only) opens what we export, and we read what Anki exports."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.interop.htmltext import markdown_to_html
from studyapp.models import Card, CardRevision, utcnow
from studyapp.services import authoring, decks, study, transfer

from support import NOW

anki_collection = pytest.importorskip("anki.collection")
Collection = anki_collection.Collection
IF_NEWER = 0   # Anki's default: a note it has is updated only from a newer package


def import_package(col, path):
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(path),
        options=anki_collection.ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER,
                                                         with_scheduling=False, with_deck_configs=False))
    return col.import_anki_package(request)


def notes_by_key(col):
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note["Key"]] = note
    return out


@pytest.fixture
def anki(tmp_path):
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "c.anki2"))
    yield col
    col.close()


def active_counts(deck):
    notes = db.session.scalar(select(func.count(func.distinct(Card.note_key)))
                              .where(Card.deck_id == deck.id, Card.status == "active"))
    cards = db.session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id,
                                                                            Card.status == "active"))
    return notes, cards


def test_anki_imports_our_package_and_updates_it_on_a_second_export(app, deck, anki, tmp_path):
    path = tmp_path / "deck.apkg"
    path.write_bytes(transfer.export_apkg(db.session, deck, NOW))
    import_package(anki, path)
    n_notes, n_cards = active_counts(deck)
    assert anki.note_count() == n_notes and anki.card_count() == n_cards
    assert n_cards > n_notes                                  # cloze notes gave one card per deletion
    assert deck.name in [d.name for d in anki.decks.all_names_and_ids()]
    notes = notes_by_key(anki)
    basic = db.session.scalar(select(Card).where(Card.deck_id == deck.id, Card.type == "basic",
                                                 Card.tags != "").order_by(Card.position).limit(1))
    note = notes[basic.note_key]
    assert note.note_type()["name"] == "studyapp Basic"
    assert note["Front"] == markdown_to_html(basic.prompt) and note["Back"] == markdown_to_html(basic.answer)
    assert note["Explanation"] == markdown_to_html(basic.explanation)
    kind_tag = {"kind::argument"} if basic.kind == "argument" else set()
    assert set(note.tags) == set(basic.tag_list) | {f"section::{basic.section.slug}"} | kind_tag
    cloze = db.session.scalar(select(Card).where(Card.deck_id == deck.id, Card.type == "cloze", Card.cloze_ord == 2))
    cloze_note = notes[cloze.note_key]
    siblings = db.session.scalar(select(func.count()).select_from(Card).where(
        Card.deck_id == deck.id, Card.note_key == cloze.note_key, Card.status == "active"))
    assert cloze_note.note_type()["name"] == "studyapp Cloze" and len(cloze_note.cards()) == siblings
    assert cloze_note["Text"] == markdown_to_html(cloze.prompt)
    assert all(anki.decks.name(c.did) == deck.name for c in cloze_note.cards())

    edited = authoring.note_of(db.session, basic).with_changes(answer="An **edited** answer")
    authoring.save_note(db.session, deck, None, edited, utcnow())
    db.session.commit()
    path.write_bytes(transfer.export_apkg(db.session, deck, NOW + timedelta(hours=1)))   # a later export
    import_package(anki, path)
    assert anki.note_count() == n_notes and anki.card_count() == n_cards    # same GUIDs: updated, not copied
    assert notes_by_key(anki)[basic.note_key]["Back"] == "An <b>edited</b> answer"


def build_anki_package(tmp_path):
    """A package made by Anki itself: a Basic and a Cloze note with tags, exported in the legacy format."""
    col = Collection(str(tmp_path / "source.anki2"))
    deck_id = col.decks.id("Geography::Rivers")
    basic = col.new_note(col.models.by_name("Basic"))
    basic["Front"] = "Capital &amp; seat of <i>France</i>?"
    basic["Back"] = "<div>Paris</div><div>on the <b>Seine</b></div>"
    basic.tags = ["geo", "europe::france"]
    col.add_note(basic, deck_id)
    cloze = col.new_note(col.models.by_name("Cloze"))
    cloze["Text"] = "The {{c1::Volga}} flows into the {{c2::Caspian Sea}}."
    cloze["Back Extra"] = "Europe&#x27;s longest river"
    cloze.tags = ["geo", "section::rivers"]
    col.add_note(cloze, deck_id)
    path = tmp_path / "from-anki.apkg"
    col.export_anki_package(out_path=str(path), limit=anki_collection.DeckIdLimit(deck_id=deck_id),
                            options=anki_collection.ExportAnkiPackageOptions(
                                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=True))
    guids = {"basic": basic.guid, "cloze": cloze.guid}
    return col, path, guids


def test_we_read_a_package_anki_exported_and_study_it(app, learner, tmp_path):
    source, path, guids = build_anki_package(tmp_path)
    try:
        parsed = transfer.parse_upload(path.name, path.read_bytes())
        assert parsed.rejected == [] and parsed.deck_name == "Geography::Rivers"
        deck = decks.create_deck(db.session, parsed.deck_name, "", utcnow())
        report = transfer.apply_import(db.session, deck, parsed, None, utcnow())
        db.session.commit()
        assert report.cards_added == 3 and len(report.plan.added) == 2
        cards = {c.key: c for c in db.session.scalars(select(Card).where(Card.deck_id == deck.id))}
        basic = next(c for c in cards.values() if c.type == "basic")
        assert basic.prompt == "Capital & seat of *France*?" and basic.answer == "Paris\non the **Seine**"
        assert sorted(basic.tag_list) == ["europe::france", "geo"] and basic.note_key == f"anki-{guids['basic'].encode().hex()}"
        clozes = sorted((c for c in cards.values() if c.type == "cloze"), key=lambda c: c.cloze_ord)
        assert [c.answer for c in clozes] == ["Volga", "Caspian Sea"] and clozes[0].section.slug == "rivers"
        assert clozes[0].explanation == "Europe's longest river" and clozes[0].tag_list == ["geo"]
        assert db.session.scalar(select(func.count()).select_from(CardRevision)) == 3

        shown = study.next_showing(db.session, learner, deck, utcnow())
        assert shown is not None and shown.card.deck_id == deck.id
        log = study.record_answer(db.session, learner, shown.card, 3, shown.version, utcnow(),
                                  settings=study.settings_for(deck))
        db.session.commit()
        assert log.card_id == shown.card.id

        again = transfer.plan_import(db.session, deck, transfer.parse_upload(path.name, path.read_bytes()))
        assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, 2)   # matched by GUID

        # Our export of those notes keeps Anki's GUIDs: importing it back into Anki updates, never copies.
        ours = tmp_path / "ours.apkg"
        ours.write_bytes(transfer.export_apkg(db.session, deck, utcnow()))
        before = source.note_count()
        import_package(source, ours)
        assert source.note_count() == before
    finally:
        source.close()


def test_anki_reads_our_csv_export(app, deck, tmp_path):
    path = tmp_path / "deck.txt"
    path.write_text(transfer.export_csv(db.session, deck), encoding="utf-8")
    col = Collection(str(tmp_path / "csv.anki2"))
    try:
        metadata = col.get_csv_metadata(str(path), None)
        assert metadata.is_html and metadata.tags_column == 3 and metadata.guid_column == 8
        col.import_csv(anki_collection.ImportCsvRequest(path=str(path), metadata=metadata))
        n_notes, n_cards = active_counts(deck)
        assert col.note_count() == n_notes and col.card_count() == n_cards
        assert deck.name in [d.name for d in col.decks.all_names_and_ids()]
        col.import_csv(anki_collection.ImportCsvRequest(path=str(path), metadata=metadata))
        assert col.note_count() == n_notes                      # the GUID column: no duplicates
    finally:
        col.close()


def test_a_collection_that_imported_a_package_without_the_context_field_takes_the_new_one_after_a_merge(
        tmp_path, anki):
    """Anki keeps a note whose note type changed as it is ("conflicting"): a collection that imported an
    export made before the Context field needs "Merge note types" once, then the next export updates its
    notes in place (the README says so)."""
    import time

    import genanki

    from studyapp.interop import apkg_export
    from studyapp.interop.common import ExportNote

    old_model = genanki.Model(apkg_export.BASIC_MODEL_ID, "studyapp Basic",
                              fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}, {"name": "Key"}],
                              templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                                          "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'}], css=apkg_export.CSS)
    old_deck = genanki.Deck(apkg_export.deck_id_for("harbour"), "Harbour")
    old_deck.add_note(genanki.Note(model=old_model, fields=["How many died?", "About 2,000", "", "toll"],
                                   guid=apkg_export.guid_for("harbour", "toll")))
    genanki.Package(old_deck).write_to_file(str(tmp_path / "old.apkg"), timestamp=time.time() - 100)
    import_package(anki, tmp_path / "old.apkg")

    def package(name, back, stamp):
        note = ExportNote(key="toll", type="basic", kind="fact", front="How many died?", back=back,
                          explanation="", tags=(), section=None, context="The Halifax Explosion of 1917")
        (tmp_path / name).write_bytes(apkg_export.write_apkg("harbour", "Harbour", [note], timestamp=stamp))
        return tmp_path / name

    anki.import_anki_package(anki_collection.ImportAnkiPackageRequest(
        package_path=str(package("new.apkg", "Nearly 2,000", time.time())),
        options=anki_collection.ImportAnkiPackageOptions(update_notes=IF_NEWER, update_notetypes=IF_NEWER,
                                                         merge_notetypes=True, with_scheduling=False)))
    import_package(anki, package("later.apkg", "Nearly 2,000", time.time() + 5))
    notes = notes_by_key(anki)
    assert anki.note_count() == 1 and notes["toll"]["Back"] == "Nearly 2,000"
    assert notes["toll"]["Context"] == "The Halifax Explosion of 1917"
    assert "The Halifax Explosion of 1917" in notes["toll"].cards()[0].question()
