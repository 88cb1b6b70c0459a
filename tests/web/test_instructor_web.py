"""The instructor area: who may enter, decks and settings, the card editor, search and pagination."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from studyapp.extensions import db
from studyapp.interop.csvdeck import read_csv
from studyapp.models import Card, CardRevision, CardState, Deck, ReviewLog, Section, utcnow
from studyapp.services import decks, study, transfer

from payloads import SQL_PAYLOADS
from support import post

HOME = "/instructor/"


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def card_data(**overrides):
    data = {"kind": "fact", "type": "basic", "section": "", "new_section_title": "", "prompt": "What is **2+2**?",
            "answer": "4", "explanation": "Arithmetic.", "tags": "maths easy", "paragraph": "3"}
    data.update(overrides)
    return data


def add_card(client, deck, **overrides):
    return post(client, f"/instructor/decks/{deck.id}/cards/new", card_data(**overrides), token_from=HOME)


@pytest.fixture
def teacher(client, auth, instructor):
    auth.login("teacher")
    return instructor


@pytest.fixture
def blank_deck(app):
    deck = decks.create_deck(db.session, "Blank", "", utcnow())
    db.session.commit()
    return deck


# -- who may enter -------------------------------------------------------------------------------
def _route_urls(app, deck, card, token):
    values = {"deck_id": deck.id, "card_id": card.id, "token": token}
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("instructor."):
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = re.sub(rf"<(?:\w+:)?{arg}>", str(values[arg]), path)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, path, rule.endpoint))
    return urls


def test_every_instructor_route_is_for_instructors_only(app, client, auth, deck, learner, instructor):
    card = db.session.scalar(select(Card).where(Card.deck_id == deck.id).limit(1))
    parsed = read_csv(b"front,back\nQ,A\n", "x.csv")
    token = transfer.store_pending(db.session, instructor, deck, parsed, utcnow())
    db.session.commit()
    urls = _route_urls(app, deck, card, token)
    endpoints = {endpoint for _, _, endpoint in urls}
    assert {"instructor.index", "instructor.deck", "instructor.edit_card", "instructor.preview",
            "instructor.import_confirm", "instructor.export_apkg", "instructor.retire_card"} <= endpoints

    def hit(method, path, token_from="/study/"):
        if method == "GET":
            return client.get(path)
        return post(client, path, {}, token_from=token_from)

    for method, path, _ in urls:                       # anonymous: to the login page
        response = hit(method, path, token_from="/login")
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, path)
    auth.login("alice")
    for method, path, _ in urls:                       # a learner: forbidden
        assert hit(method, path).status_code == 403, (method, path)
    auth.logout()
    auth.login("teacher")
    for method, path, endpoint in urls:                # the instructor: served
        if endpoint in ("instructor.import_confirm", "instructor.import_cancel"):
            continue                                   # they use up the token; checked below
        response = hit(method, path)
        assert response.status_code in (200, 302, 422), (method, path)
        if response.status_code == 302:
            assert "/login" not in response.headers["Location"], (method, path)
        if response.status_code == 422:                # an empty form, shown again with its errors
            assert "Please correct the" in response.get_data(as_text=True), (method, path)
    assert hit("POST", f"/instructor/imports/{token}/confirm").status_code == 302
    second = transfer.store_pending(db.session, instructor, deck, parsed, utcnow())
    db.session.commit()
    assert hit("POST", f"/instructor/imports/{second}/cancel").status_code == 302


def test_the_nav_shows_the_instructor_link_only_to_instructors(client, auth, learner, instructor):
    auth.login("alice")
    assert 'href="/instructor/"' not in client.get("/study/").get_data(as_text=True)
    auth.logout()
    auth.login("teacher")
    assert 'href="/instructor/"' in client.get("/study/").get_data(as_text=True)


# -- decks ---------------------------------------------------------------------------------------
def test_create_rename_and_set_up_a_deck(client, teacher):
    response = post(client, "/instructor/decks/new", {"name": "Rivers of Asia", "description": "Long ones."},
                    token_from=HOME)
    deck = db.session.scalar(select(Deck).where(Deck.name == "Rivers of Asia"))
    assert response.status_code == 302 and deck.slug == "rivers-of-asia"
    data = {"name": "Great rivers", "description": "Longer ones.", "desired_retention": "0.85", "new_per_day": "7",
            "reviews_per_day": "70", "learning_steps": "2m  15m", "relearning_steps": "5m"}
    assert post(client, f"/instructor/decks/{deck.id}/settings", data, token_from=HOME).status_code == 302
    db.session.refresh(deck)
    assert (deck.name, deck.desired_retention, deck.new_per_day, deck.reviews_per_day, deck.learning_steps,
            deck.relearning_steps, deck.slug) == ("Great rivers", 0.85, 7, 70, "2m 15m", "5m", "rivers-of-asia")
    assert "Great rivers" in client.get(HOME).get_data(as_text=True)


def test_deck_settings_show_every_error(client, teacher, blank_deck):
    data = {"name": " ", "description": "x" * 2001, "desired_retention": "0.5", "new_per_day": "-1",
            "reviews_per_day": "many", "learning_steps": "1m soon", "relearning_steps": "0m"}
    response = post(client, f"/instructor/decks/{blank_deck.id}/settings", data, token_from=HOME)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count('class="error"') >= 7
    for text in ("Name the deck.", "Between 0.70 and 0.99.", "From 0 to 9999.", "soon&#39; is not a step",
                 "must be longer than zero"):
        assert text in html
    db.session.refresh(blank_deck)
    assert blank_deck.name == "Blank" and blank_deck.desired_retention == 0.9
    assert post(client, "/instructor/decks/new", {"name": ""}, token_from=HOME).status_code == 422


# -- cards ---------------------------------------------------------------------------------------
def test_a_new_basic_card_gets_a_stable_key_and_a_revision(client, teacher, blank_deck):
    response = add_card(client, blank_deck, prompt="What is the capital of **France**?", answer="Paris")
    card = db.session.scalar(select(Card).where(Card.deck_id == blank_deck.id))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/instructor/cards/{card.id}/edit")
    assert re.fullmatch(r"what-is-the-capital-of-france-[0-9a-f]{4}", card.key) and card.note_key == card.key
    assert (card.type, card.answer, card.tag_list, card.paragraph, card.status) == ("basic", "Paris", ["maths", "easy"], 3, "active")
    rev = db.session.scalar(select(CardRevision).where(CardRevision.card_id == card.id))
    assert rev.action == "create" and rev.user_id == teacher.id and rev.changes["answer"] == [None, "Paris"]
    page = client.get(f"/instructor/cards/{card.id}/edit").get_data(as_text=True)
    assert "<strong>France</strong>" in page and "Showing the saved card" in page and "create" in page


def test_keys_stay_unique_for_the_same_prompt(client, teacher, blank_deck):
    for _ in range(3):
        add_card(client, blank_deck, prompt="Same prompt", answer="A")
    keys = db.session.scalars(select(Card.key).where(Card.deck_id == blank_deck.id)).all()
    assert len(set(keys)) == 3 and all(k.startswith("same-prompt-") for k in keys)


def test_cloze_note_makes_one_card_per_deletion_and_edits_follow_the_text(client, teacher, blank_deck):
    add_card(client, blank_deck, type="cloze", prompt="The {{c1::Volga}} flows into the {{c2::Caspian}}.",
             answer="", section="rivers", new_section_title="Rivers")
    cards = db.session.scalars(select(Card).where(Card.deck_id == blank_deck.id).order_by(Card.cloze_ord)).all()
    note = cards[0].note_key
    assert [c.key for c in cards] == [f"{note}.c1", f"{note}.c2"] and [c.answer for c in cards] == ["Volga", "Caspian"]
    section = db.session.scalar(select(Section).where(Section.deck_id == blank_deck.id))
    assert (section.slug, section.title) == ("rivers", "Rivers") and cards[0].section_id == section.id
    ids = {c.key: c.id for c in cards}
    edit = card_data(type="cloze", prompt="The {{c1::Volga}} rises near {{c3::Tver}}.", answer="", section="rivers")
    assert post(client, f"/instructor/cards/{cards[0].id}/edit", edit, token_from=HOME).status_code == 302
    db.session.expire_all()
    now = {c.key: c for c in db.session.scalars(select(Card).where(Card.note_key == note))}
    assert now[f"{note}.c1"].id == ids[f"{note}.c1"] and now[f"{note}.c1"].prompt.endswith("{{c3::Tver}}.")
    assert now[f"{note}.c2"].status == "retired" and now[f"{note}.c3"].answer == "Tver"
    assert now[f"{note}.c3"].status == "active"
    back = card_data(type="cloze", prompt="The {{c1::Volga}} flows into the {{c2::Caspian}}.", answer="", section="rivers")
    post(client, f"/instructor/cards/{cards[0].id}/edit", back, token_from=HOME)
    db.session.expire_all()
    statuses = {c.key: c.status for c in db.session.scalars(select(Card).where(Card.note_key == note))}
    assert statuses == {f"{note}.c1": "active", f"{note}.c2": "active", f"{note}.c3": "retired"}


def test_editing_keeps_every_learners_history(client, auth, deck, learner, instructor):
    shown = study.next_showing(db.session, learner, deck, utcnow())
    study.record_answer(db.session, learner, shown.card, 3, shown.version, utcnow(),
                        settings=study.settings_for(deck))
    db.session.commit()
    answered = shown.card
    auth.login("teacher")
    data = card_data(kind=answered.kind, type=answered.type, prompt=answered.prompt + " (reworded)",
                     answer=answered.answer if answered.type == "basic" else "",
                     section=answered.section.slug if answered.section else "", tags="edited")
    key, card_id = answered.key, answered.id
    assert post(client, f"/instructor/cards/{card_id}/edit", data, token_from=HOME).status_code == 302
    db.session.expire_all()
    edited = db.session.get(Card, card_id)
    assert edited.key == key and edited.prompt.endswith("(reworded)") and edited.tag_list == ["edited"]
    assert count(CardState, CardState.card_id == card_id) == 1 and count(ReviewLog, ReviewLog.card_id == card_id) == 1
    rev = db.session.scalar(select(CardRevision).where(CardRevision.card_id == card_id, CardRevision.action == "edit"))
    assert rev.changes["prompt"][1].endswith("(reworded)") and "tags" in rev.changes
    html = client.get(f"/instructor/cards/{card_id}/edit").get_data(as_text=True)
    assert "(reworded)" in html and "teacher" in html and "edit" in html


def test_retire_and_restore_a_note(client, teacher, blank_deck):
    add_card(client, blank_deck, type="cloze", prompt="{{c1::A}} and {{c2::B}}", answer="")
    first = db.session.scalar(select(Card).where(Card.deck_id == blank_deck.id).order_by(Card.cloze_ord))
    assert post(client, f"/instructor/cards/{first.id}/retire", {}, token_from=HOME).status_code == 302
    db.session.expire_all()
    assert set(db.session.scalars(select(Card.status).where(Card.deck_id == blank_deck.id))) == {"retired"}
    assert "This card is retired" in client.get(f"/instructor/cards/{first.id}/edit").get_data(as_text=True)
    post(client, f"/instructor/cards/{first.id}/restore", {}, token_from=HOME)
    db.session.expire_all()
    assert set(db.session.scalars(select(Card.status).where(Card.deck_id == blank_deck.id))) == {"active"}
    actions = db.session.scalars(select(CardRevision.action).where(CardRevision.card_id == first.id)).all()
    assert sorted(actions) == ["create", "restore", "retire"]


def test_the_card_form_shows_every_error(client, teacher, blank_deck):
    from studyapp.domain.notes import LIMITS

    cases = [
        (dict(prompt=""), "Prompt must not be empty."),
        (dict(answer=""), "Answer is required for a basic card."),
        (dict(type="cloze", prompt="No gap here"), "Prompt has no deletion"),
        (dict(type="cloze", prompt="{{c1::}} empty"), "Prompt deletion c1 is empty."),
        (dict(kind="opinion"), "Not a valid choice"),
        (dict(type="essay"), "Not a valid choice"),
        (dict(category="colour"), "Not a valid choice"),
        (dict(tags="ok <b>bad</b>"), "is not a valid tag"),
        (dict(section="Not A Slug"), "must be lowercase letters, digits and dashes"),
        (dict(section="missing"), "There is no section “missing” in this deck"),
        (dict(paragraph="0"), "Paragraph 0 must be between 1 and"),
        (dict(paragraph="two"), "Not a valid integer value."),
        (dict(claim="It is so."), "Claim needs a speaker"),
        (dict(statement="Is it so?"), "Statement must be a statement, not a question."),
        # The one set of limits (domain.notes.LIMITS), as for deck files and imports.
        (dict(prompt="x" * (LIMITS.prompt + 1)), f"the limit is {LIMITS.prompt:,}"),
        (dict(answer="x" * (LIMITS.answer + 1)), f"the limit is {LIMITS.answer:,}"),
    ]
    for overrides, message in cases:
        response = add_card(client, blank_deck, **overrides)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, overrides
        assert message in html and "Please correct the" in html, (overrides, message)
    everything = add_card(client, blank_deck, prompt="", answer="", tags="b@d", paragraph="-2", section="nope")
    assert everything.get_data(as_text=True).count('class="error"') == 5
    assert count(Card, Card.deck_id == blank_deck.id) == 0


def test_the_card_form_saves_the_quiz_fields(client, teacher, blank_deck):
    response = add_card(client, blank_deck, prompt="Who built the wall?", answer="Ada Lind", category="person",
                        statement="Ada Lind built the wall.", speaker="Ada Lind", claim="The wall keeps the sea out.")
    assert response.status_code == 302
    card = db.session.scalar(select(Card).where(Card.deck_id == blank_deck.id))
    assert (card.category, card.statement, card.speaker, card.claim) == \
        ("person", "Ada Lind built the wall.", "Ada Lind", "The wall keeps the sea out.")
    page = client.get(f"/instructor/cards/{card.id}/edit").get_data(as_text=True)
    assert "The wall keeps the sea out." in page and '<option selected value="person">' in page


def test_an_edit_cannot_change_the_type(client, teacher, blank_deck):
    add_card(client, blank_deck)
    card = db.session.scalar(select(Card).where(Card.deck_id == blank_deck.id))
    response = post(client, f"/instructor/cards/{card.id}/edit", card_data(type="cloze", prompt="{{c1::x}}"),
                    token_from=HOME)
    assert response.status_code == 422 and "its type cannot change" in response.get_data(as_text=True)


def test_the_preview_renders_with_the_study_code(client, teacher):
    data = {"type": "cloze", "prompt": "A **bold** {{c1::gap::hint}} and {{c2::two}}", "explanation": "*Why*"}
    body = post(client, "/instructor/preview", data, token_from=HOME).get_json()
    assert [c["label"] for c in body["cards"]] == ["Card c1", "Card c2"]
    assert '<span class="cloze">[hint]</span>' in body["cards"][0]["front"] and "<strong>bold</strong>" in body["cards"][0]["front"]
    assert '<span class="cloze-answer">gap</span>' in body["cards"][0]["back"] and body["explanation"] == "<p><em>Why</em></p>\n"
    basic = client.get("/instructor/preview?type=basic&prompt=Q%3Cscript%3E&answer=**A**").get_json()
    assert "<script>" not in basic["cards"][0]["front"] and "<strong>A</strong>" in basic["cards"][0]["back"]
    assert client.get("/instructor/preview?type=cloze&prompt=none").get_json()["note"].startswith("No gap")


# -- the card list -------------------------------------------------------------------------------
def test_search_filters_and_pagination(client, teacher, deck):
    html = client.get(f"/instructor/decks/{deck.id}").get_data(as_text=True)
    total = count(Card, Card.deck_id == deck.id, Card.status == "active")
    assert f"{total} cards" in html and "page 1 of" in html and html.count('class="card-row') == 25
    assert f'href="/instructor/decks/{deck.id}?page=2&amp;status=active"' in html
    page2 = client.get(f"/instructor/decks/{deck.id}?page=2").get_data(as_text=True)
    assert 'aria-current="page">2<' in page2
    tagged = db.session.scalar(select(Card).where(Card.deck_id == deck.id, Card.tags != "").limit(1))
    tag = tagged.tag_list[0]
    expected = count(Card, Card.deck_id == deck.id, Card.status == "active", Card.tags.contains(f" {tag} "))
    html = client.get(f"/instructor/decks/{deck.id}?tag={tag}").get_data(as_text=True)
    assert f"{expected} card" in html
    section = deck.sections[1]
    n = count(Card, Card.section_id == section.id, Card.type == "cloze", Card.status == "active")
    html = client.get(f"/instructor/decks/{deck.id}?section={section.slug}&type=cloze&q=&page=1").get_data(as_text=True)
    assert f"{n} card" in html
    assert client.get(f"/instructor/decks/{deck.id}?q=Ussuri").get_data(as_text=True).count('class="card-row') >= 1
    assert "0 cards" in client.get(f"/instructor/decks/{deck.id}?q=zzzznothing").get_data(as_text=True)
    many = client.get(f"/instructor/decks/{deck.id}?q=the&kind=fact&page=2").get_data(as_text=True)
    assert "q=the" in many and "kind=fact" in many           # page links keep the search
    assert client.get(f"/instructor/decks/{deck.id}?page=999").status_code == 200
    for payload in SQL_PAYLOADS:
        for name in ("q", "tag", "section", "kind"):
            assert client.get(f"/instructor/decks/{deck.id}", query_string={name: payload}).status_code == 200
    assert count(Card) == total or count(Card) > 0


def test_search_wildcards_are_literal(client, teacher, blank_deck):
    add_card(client, blank_deck, prompt="100% sure", answer="yes")
    add_card(client, blank_deck, prompt="Nothing special", answer="no")
    html = client.get(f"/instructor/decks/{blank_deck.id}?q=%25").get_data(as_text=True)
    assert "1 card" in html and "100% sure" in html
    assert "0 cards" in client.get(f"/instructor/decks/{blank_deck.id}?q=_o_h").get_data(as_text=True)


# -- issue 15: the card list and the editor as a new instructor reads them -----------------------
def test_the_two_cards_of_one_cloze_note_are_told_apart_in_the_card_list(client, teacher, blank_deck):
    add_card(client, blank_deck, type="cloze", prompt="The {{c1::Volga}} flows into the {{c2::Caspian}}.", answer="")
    html = client.get(f"/instructor/decks/{blank_deck.id}").get_data(as_text=True)
    assert ">c1</span>" in html and ">c2</span>" in html
    assert "Gap c1 hides: <mark>Volga</mark>" in html and "Gap c2 hides: <mark>Caspian</mark>" in html


def test_new_card_is_the_primary_button_of_the_deck_page(client, teacher, blank_deck):
    html = client.get(f"/instructor/decks/{blank_deck.id}").get_data(as_text=True)
    assert re.search(r'<a class="button" id="new-card" href="/instructor/decks/\d+/cards/new">New card</a>', html)


def test_section_is_picked_from_the_decks_sections_or_made_new_from_a_title(client, teacher, blank_deck):
    add_card(client, blank_deck, section="rivers", new_section_title="Rivers of Russia")
    html = client.get(f"/instructor/decks/{blank_deck.id}/cards/new").get_data(as_text=True)
    assert re.search(r'<select id="section" name="section"', html)
    assert '<option value="rivers">Rivers of Russia</option>' in html and "New section (title below)" in html
    assert 'list="section-options"' not in html  # no longer typed as an internal id
    response = add_card(client, blank_deck, prompt="Longest river?", section="__new__", new_section_title="Long Rivers")
    assert response.status_code == 302
    section = db.session.scalar(select(Section).where(Section.deck_id == blank_deck.id, Section.title == "Long Rivers"))
    assert section is not None and section.slug == "long-rivers"
    refused = add_card(client, blank_deck, prompt="No title?", section="__new__", new_section_title="")
    assert refused.status_code == 422 and "Give the new section a title below." in refused.get_data(as_text=True)


def test_source_paragraph_is_explained_on_the_form(client, teacher, blank_deck):
    html = client.get(f"/instructor/decks/{blank_deck.id}/cards/new").get_data(as_text=True)
    assert "counting blank-line-separated blocks from 1" in html


def test_the_import_hint_and_its_help_box_name_the_same_columns(client, teacher, blank_deck):
    html = client.get(f"/instructor/decks/{blank_deck.id}/import").get_data(as_text=True)
    hint = re.search(r'<small class="hint">(.*?)</small>', html, re.S)[1]
    help_box = html[html.index("What can be imported"):]
    help_box = help_box[:help_box.index("</li>")]
    known = ("front", "back", "tags", "id", "section", "explanation", "statement", "claim", "speaker", "kind")

    def named(text):
        return {word for word in re.findall(r"[a-z]+", text) if word in known}

    assert named(hint) == named(help_box) == set(known)
