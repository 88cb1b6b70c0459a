"""The one card writer: a diff, bulk writes, a revision for every change."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import event, select

from studyapp.domain.notes import CardType, Note
from studyapp.domain.notesync import ExistingCard, card_values, plan_sync
from studyapp.extensions import db
from studyapp.models import Card, CardRevision
from studyapp.services import decks, notesync

NOW = datetime(2026, 3, 1, 12, tzinfo=timezone.utc)


def basic(key, prompt="Q", answer="A", **more):
    return Note(note_key=key, prompt=prompt, answer=answer, **more)


def cloze(key, text, **more):
    return Note(note_key=key, type=CardType.CLOZE, prompt=text, **more)


# -- the pure diff ----------------------------------------------------------------------------------
def existing_of(notes, status="active"):
    cards = {}
    for i, card in enumerate(c for n in notes for c in n.cards()):
        cards[card.key] = ExistingCard(card.key, card_values(card), status, i)
    return cards


def test_diff_adds_updates_and_leaves_unchanged():
    old = existing_of([basic("a"), basic("b")])
    plan = plan_sync(old, [basic("a"), basic("b", answer="B2"), basic("c")])
    assert [c.key for c in plan.add] == ["c"] and plan.add[0].position == 2
    assert [(c.key, c.changes) for c in plan.update] == [("b", {"answer": ["A", "B2"]})]
    assert plan.unchanged == ["a"]


def test_diff_retires_removed_deletions_and_only_with_retire_missing_other_notes():
    old = existing_of([cloze("n", "{{c1::x}} {{c2::y}}"), basic("other")])
    plan = plan_sync(old, [cloze("n", "{{c1::x}} and {{c3::z}}")])
    retired = [c.key for c in plan.update if c.action == "retire"]
    assert retired == ["n.c2"]
    assert [c.key for c in plan.add] == ["n.c3"]
    plan = plan_sync(old, [cloze("n", "{{c1::x}} {{c2::y}}")], retire_missing=True)
    assert [c.key for c in plan.update if c.action == "retire"] == ["other"]


def test_diff_restores_and_keeps_fields():
    old = existing_of([basic("a", paragraph=4, speaker="Ann")], status="retired")
    plan = plan_sync(old, [basic("a")], keep={"a": ("paragraph", "speaker")})
    (change,) = plan.update
    assert change.action == "restore" and change.changes == {"status": ["retired", "active"]}


def test_diff_notices_type_changes_and_refuses_repeated_notes():
    old = existing_of([basic("a")])
    assert plan_sync(old, [cloze("a", "{{c1::x}}")]).type_changes == ["a"]
    with pytest.raises(ValueError):
        plan_sync({}, [basic("a"), basic("a")])


def test_diff_retire_retires_every_active_card_of_the_notes():
    old = existing_of([cloze("n", "{{c1::x}} {{c2::y}}"), basic("b")])
    plan = plan_sync(old, [cloze("n", "{{c1::x}} {{c2::y}}")], retire=True)
    assert sorted(c.key for c in plan.update) == ["n.c1", "n.c2"] and not plan.add


def test_diff_reorders_without_calling_it_an_update():
    old = existing_of([basic("a"), basic("b")])
    plan = plan_sync(old, [basic("b"), basic("a")], reorder=True)
    assert plan.moves == {"b": 0, "a": 1} and plan.unchanged == ["b", "a"] and not plan.update


# -- the service ----------------------------------------------------------------------------------
@pytest.fixture
def blank(app):
    return decks.create_deck(db.session, "Blank", "", NOW)


def count_statements(fn):
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return statements


def test_sync_writes_many_notes_in_a_few_statements(blank):
    notes = [basic(f"k{i}", prompt=f"Q{i}", section="part" if i % 2 else None) for i in range(300)]
    statements = count_statements(lambda: notesync.sync_notes(db.session, blank, notes, now=NOW, user_id=None))
    assert len(statements) < 15, statements
    cards = db.session.scalars(select(Card).where(Card.deck_id == blank.id).order_by(Card.position)).all()
    assert [c.key for c in cards] == [f"k{i}" for i in range(300)]
    assert cards[1].section.slug == "part" and cards[0].section is None
    assert db.session.scalar(select(db.func.count(CardRevision.id))) == 300


def test_sync_revisions_name_each_change(blank):
    first = notesync.sync_notes(db.session, blank, [cloze("n", "{{c1::x}} {{c2::y}}", tags=("t",))],
                                now=NOW, user_id=None)
    assert first.added == ["n.c1", "n.c2"]
    second = notesync.sync_notes(db.session, blank, [cloze("n", "{{c1::x}} {{c2::why}}", tags=("t", "u"))],
                                 now=NOW, user_id=None, action="edit")
    assert second.updated == ["n.c1", "n.c2"]
    card = db.session.get(Card, second.card_ids["n.c2"])
    assert card.answer == "why" and card.tag_list == ["t", "u"]
    revision = db.session.scalars(select(CardRevision).where(CardRevision.card_id == card.id)
                                  .order_by(CardRevision.id.desc())).first()
    assert revision.action == "edit"
    assert revision.changes["answer"] == ["y", "why"] and revision.changes["tags"] == ["t", "t u"]


def test_sync_retire_and_restore_through_the_same_writer(blank):
    note = basic("a")
    notesync.sync_notes(db.session, blank, [note], now=NOW, user_id=None)
    retired = notesync.sync_notes(db.session, blank, [note], now=NOW, user_id=None, action="retire")
    assert retired.retired == ["a"]
    restored = notesync.sync_notes(db.session, blank, [note], now=NOW, user_id=None, action="restore")
    assert restored.restored == ["a"] and not restored.updated
    actions = db.session.scalars(select(CardRevision.action).order_by(CardRevision.id)).all()
    assert actions == ["create", "retire", "restore"]


def test_sync_refuses_a_type_change_unless_allowed(blank):
    notesync.sync_notes(db.session, blank, [basic("a")], now=NOW, user_id=None)
    with pytest.raises(notesync.NoteTypeChange):
        notesync.sync_notes(db.session, blank, [cloze("a", "{{c1::x}}")], now=NOW, user_id=None)
    report = notesync.sync_notes(db.session, blank, [cloze("a", "{{c1::x}}")], now=NOW, user_id=None,
                                 allow_type_change=True)
    assert report.added == ["a.c1"] and report.retired == ["a"]


def test_sync_refreshes_cards_already_in_the_session(blank):
    report = notesync.sync_notes(db.session, blank, [basic("a")], now=NOW, user_id=None)
    card = db.session.get(Card, report.card_ids["a"])
    assert card.answer == "A"
    notesync.sync_notes(db.session, blank, [basic("a", answer="New")], now=NOW, user_id=None)
    assert card.answer == "New"


def test_ensure_sections_adds_missing_ones_after_the_last(blank):
    first = notesync.ensure_sections(db.session, blank, [("one", "One", "")])
    again = notesync.ensure_sections(db.session, blank, [("one", "Other title", ""), ("two-parts", None, None)])
    assert again["one"].id == first["one"].id and again["one"].title == "One"
    assert again["two-parts"].title == "Two parts" and again["two-parts"].position == 1


def test_every_field_is_stored_as_written_and_reads_back_as_the_note(blank):
    from studyapp.domain.notes import AnswerKind, CardKind

    note = Note(note_key="full", kind=CardKind.ARGUMENT, prompt="Who built it?", answer="Ada Lind",
                explanation="Because.", section="part", tags=("t1", "t2"), paragraph=3, category=AnswerKind.PERSON,
                alternatives=("Lind",), distractors=("Bo Berg", "Cy Dahl"), speaker="Ada Lind",
                claim="The wall keeps the sea out.", statement="Ada Lind built the wall.", fact_key="wall")
    report = notesync.sync_notes(db.session, blank, [note], now=NOW, user_id=None)
    db.session.expire_all()
    card = db.session.get(Card, report.card_ids["full"])
    assert notesync.note_from_card(card, card.section.slug) == note
    assert (card.created_at, card.updated_at, card.status, card.position) == (NOW, NOW, "active", 0)
    revision = db.session.scalar(select(CardRevision).where(CardRevision.card_id == card.id))
    assert revision.at == NOW and revision.changes["distractors"] == [None, ["Bo Berg", "Cy Dahl"]]
    assert revision.changes["tags"] == [None, "t1 t2"] and revision.user_id is None
