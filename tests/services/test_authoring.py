"""Authoring service: notes and their cards, stable keys, revisions, status changes, the SQL-paginated list."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import event, func, select

from studyapp.extensions import db
from studyapp.models import Card, CardRevision, Section
from studyapp.services import authoring, decks

from support import NOW, make_user


def note(key="what-is-x-aaaa", **overrides):
    base = dict(kind="fact", type="basic", prompt="What is **X**?", answer="Y", explanation="Because.", tags=["a"],
                note_key=key)
    base.update(overrides)
    checked, problems = authoring.check_note(base)
    assert not problems, problems
    return checked


@pytest.fixture
def blank(app):
    deck = decks.create_deck(db.session, "Blank deck", "", NOW)
    db.session.commit()
    return deck


def test_create_deck_slugs_are_unique(app):
    first = decks.create_deck(db.session, "Café Rivers!", "", NOW)
    second = decks.create_deck(db.session, "Cafe rivers", "", NOW)
    assert (first.slug, second.slug) == ("cafe-rivers", "cafe-rivers-2")
    assert decks.update_deck(db.session, first, {"name": "New", "new_per_day": 5}) == \
        {"name": ["Café Rivers!", "New"], "new_per_day": [20, 5]}
    assert decks.update_deck(db.session, first, {"name": "New"}) == {}


def test_new_keys_come_from_the_prompt_and_never_clash(app, blank):
    key = authoring.new_note_key(db.session, blank, "Who *won*?", suffix=lambda: "zzzz")
    assert key == "who-won-zzzz"
    suffixes = itertools.cycle(["aaaa", "aaaa", "bbbb"])
    authoring.save_note(db.session, blank, None, note("p-aaaa", prompt="P"), NOW)
    assert authoring.new_note_key(db.session, blank, "P", suffix=lambda: next(suffixes)) == "p-bbbb"
    cloze = authoring.save_note(db.session, blank, None, note("q-cccc", type="cloze", prompt="{{c1::Q}}", answer=""),
                                NOW)
    assert cloze.added == ["q-cccc.c1"]
    assert authoring.new_note_key(db.session, blank, "Q", suffix=iter(["cccc", "dddd"]).__next__) == "q-dddd"
    assert authoring.new_note_key(db.session, blank, "***", suffix=lambda: "eeee") == "card-eeee"


def test_check_note_lays_the_changes_on_the_note_as_it_is(app):
    base = note(distractors=["Z"], speaker="Ada", claim="It is so.")
    edited, problems = authoring.check_note({"answer": "Z"}, base=base)
    assert edited is None and problems[0].field == "distractors"      # the kept distractor now is the answer
    edited, _ = authoring.check_note({"answer": "W"}, base=base)
    assert (edited.answer, edited.distractors, edited.claim) == ("W", ("Z",), "It is so.")


def test_saving_a_note_records_who_changed_what(app, blank):
    user = make_user("teacher", "instructor")
    created = authoring.save_note(db.session, blank, user.id, note(), NOW)
    card = db.session.get(Card, created.card_ids[created.added[0]])
    rev = db.session.scalar(select(CardRevision).where(CardRevision.card_id == card.id))
    assert (rev.action, rev.user_id, rev.at) == ("create", user.id, NOW)
    assert rev.changes["prompt"] == [None, "What is **X**?"] and rev.changes["tags"] == [None, "a"]
    result = authoring.save_note(db.session, blank, user.id, note(answer="Z", section="part-one", tags=["a", "b"]),
                                 NOW, action="edit")
    section = db.session.scalar(select(Section).where(Section.deck_id == blank.id))
    assert (section.slug, section.title, section.position) == ("part-one", "Part one", 0)
    assert result.updated == [card.key] and result.card_ids[card.key] == card.id
    edit = authoring.revisions_for(db.session, card)[0]
    assert edit.action == "edit" and edit.changes == {"answer": ["Y", "Z"], "section": [None, "part-one"],
                                                      "tags": ["a", "a b"]}
    unchanged = authoring.save_note(db.session, blank, user.id, note(answer="Z", section="part-one", tags=["a", "b"]),
                                    NOW, action="edit")
    assert not unchanged.changed and len(authoring.revisions_for(db.session, card)) == 2


def test_cloze_siblings_follow_the_text(app, blank):
    key = "cz-aaaa"
    first = authoring.save_note(db.session, blank, None, note(key, type="cloze", prompt="{{c1::A}} {{c2::B}}", answer=""),
                                NOW)
    cards = authoring.note_cards(db.session, blank.id, key)
    assert [(c.key, c.cloze_ord, c.answer) for c in cards] == [(f"{key}.c1", 1, "A"), (f"{key}.c2", 2, "B")]
    ids = dict(first.card_ids)
    second = authoring.save_note(db.session, blank, None, note(key, type="cloze", prompt="{{c1::A2}} {{c3::C}}",
                                                               answer=""), NOW)
    assert (second.updated, second.added, second.retired) == ([f"{key}.c1"], [f"{key}.c3"], [f"{key}.c2"])
    cards = {c.key: c for c in authoring.note_cards(db.session, blank.id, key)}
    assert cards[f"{key}.c1"].id == ids[f"{key}.c1"] and cards[f"{key}.c1"].answer == "A2"
    third = authoring.save_note(db.session, blank, None, note(key, type="cloze", prompt="{{c1::A2}} {{c2::B}} {{c3::C}}",
                                                              answer=""), NOW)
    assert third.restored == [f"{key}.c2"] and third.card_ids[f"{key}.c2"] == ids[f"{key}.c2"]
    with pytest.raises(authoring.NoteTypeChange):
        authoring.save_note(db.session, blank, None, note(key), NOW)


def test_retire_and_restore_the_whole_note(app, blank):
    key = "cz-bbbb"
    authoring.save_note(db.session, blank, None, note(key, type="cloze", prompt="{{c1::A}} {{c2::B}}", answer=""), NOW)
    cards = authoring.note_cards(db.session, blank.id, key)
    retired = authoring.set_note_status(db.session, cards[1], None, "retired", NOW)
    assert len(retired) == 2 and {c.status for c in cards} == {"retired"}
    assert authoring.set_note_status(db.session, cards[0], None, "retired", NOW) == []
    restored = authoring.set_note_status(db.session, cards[0], None, "active", NOW)
    assert len(restored) == 2
    actions = sorted(db.session.scalars(select(CardRevision.action).where(CardRevision.card_id == cards[0].id)))
    assert actions == ["create", "restore", "retire"]


def test_restoring_does_not_bring_back_an_old_text(app, blank):
    key = "cz-cccc"
    authoring.save_note(db.session, blank, None, note(key, type="cloze", prompt="{{c1::A}} {{c2::B}}", answer=""), NOW)
    authoring.save_note(db.session, blank, None, note(key, type="cloze", prompt="{{c1::A}} only", answer=""), NOW)
    old = {c.key: c for c in authoring.note_cards(db.session, blank.id, key)}[f"{key}.c2"]
    authoring.set_note_status(db.session, old, None, "retired", NOW)
    assert authoring.set_note_status(db.session, old, None, "active", NOW) == [f"{key}.c1"]
    statuses = {c.key: (c.status, c.prompt) for c in authoring.note_cards(db.session, blank.id, key)}
    assert statuses[f"{key}.c1"] == ("active", "{{c1::A}} only") and statuses[f"{key}.c2"][0] == "retired"


def test_the_card_list_filters_and_pages_in_sql(app, deck):
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        page = authoring.list_cards(db.session, deck, authoring.CardFilter(), page=2, per_page=10)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    total = db.session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id,
                                                                        Card.status == "active"))
    assert page.total == total and len(page.cards) == 10 and page.page == 2 and page.pages == -(-total // 10)
    assert any("LIMIT" in s and "OFFSET" in s for s in statements) and any("count(" in s for s in statements)
    ordered = db.session.scalars(select(Card.id).where(Card.deck_id == deck.id, Card.status == "active")
                                 .order_by(Card.position, Card.id)).all()
    assert [c.id for c in page.cards] == ordered[10:20]
    section = db.session.scalar(select(Section).where(Section.deck_id == deck.id, Section.slug == "history"))
    by_section = authoring.list_cards(db.session, deck, authoring.CardFilter(section="history"), per_page=500)
    assert by_section.total > 0 and all(c.section_id == section.id for c in by_section.cards)
    tag = by_section.cards[0].tag_list[0]
    by_tag = authoring.list_cards(db.session, deck, authoring.CardFilter(tag=tag), per_page=500)
    assert all(tag in c.tag_list for c in by_tag.cards)
    text = authoring.list_cards(db.session, deck, authoring.CardFilter(q="USSURI"), per_page=500)
    assert text.total >= 1 and all("ussuri" in (c.prompt + c.answer + c.explanation + c.key).lower() for c in text.cards)
    cloze = authoring.list_cards(db.session, deck, authoring.CardFilter(type="cloze", kind="fact"), per_page=500)
    assert cloze.total and all(c.type == "cloze" and c.kind == "fact" for c in cloze.cards)
    assert authoring.list_cards(db.session, deck, authoring.CardFilter(status="retired")).total == 0
    last = authoring.list_cards(db.session, deck, authoring.CardFilter(), page=10_000)
    assert last.page == last.pages and last.cards                      # past the end: the last page
    with_percent = [c for c in db.session.scalars(select(Card).where(Card.deck_id == deck.id, Card.status == "active"))
                    if "%" in c.prompt + c.answer + c.explanation + c.key]
    assert authoring.list_cards(db.session, deck, authoring.CardFilter(q="%")).total == len(with_percent) < total


def test_tags_of_lists_the_decks_tags(app, blank):
    authoring.save_note(db.session, blank, None, note("one", tags=["b", "a"]), NOW)
    authoring.save_note(db.session, blank, None, note("two", tags=["c"]), NOW)
    assert authoring.tags_of(db.session, blank) == ["a", "b", "c"]
