"""Hostile text in every field an instructor can write stays inert on the instructor pages and the learner's."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from studyapp.domain.notes import CardKind, CardType, Note
from studyapp.extensions import db
from studyapp.models import Card, Section, utcnow
from studyapp.services import authoring, decks

from payloads import XSS_PAYLOADS, unsafe_markup
from support import post

OUR_SCRIPTS = {"/static/js/study.js", "/static/js/preview.js"}


def inert(html: str) -> list[str]:
    return unsafe_markup(html, allowed_scripts=OUR_SCRIPTS)


def hostile_deck(payload: str):
    deck = decks.create_deck(db.session, payload, payload, utcnow())
    section = Section(deck_id=deck.id, slug="s", title=payload, guide=payload, position=0)
    db.session.add(section)
    db.session.flush()
    # Notes made directly (not through the validator): hostile text straight into the table.
    basic = Note("b", prompt=payload, answer=payload, explanation=payload, section="s", tags=("t",))
    cloze = Note("c", type=CardType.CLOZE, kind=CardKind.ARGUMENT, prompt=f"{payload} {{{{c1::{payload}::{payload}}}}}",
                 explanation=payload, section="s")
    ids = authoring.save_note(db.session, deck, None, basic, utcnow()).card_ids
    ids |= authoring.save_note(db.session, deck, None, cloze, utcnow()).card_ids
    basic, cloze = db.session.get(Card, ids["b"]), db.session.get(Card, ids["c.c1"])
    for card in (basic, cloze):
        card.tags = f" {payload} "            # past the form's tag check, straight into the table
    db.session.commit()
    return deck, basic, cloze


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_every_rendered_field_is_inert_everywhere(client, auth, learner, instructor, payload):
    deck, basic, cloze = hostile_deck(payload)
    auth.login("teacher")
    pages = ["/instructor/", f"/instructor/decks/{deck.id}", f"/instructor/decks/{deck.id}?q=a&status=",
             f"/instructor/decks/{deck.id}/settings", f"/instructor/decks/{deck.id}/import",
             f"/instructor/cards/{basic.id}/edit", f"/instructor/cards/{cloze.id}/edit",
             f"/instructor/decks/{deck.id}/cards/new"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert inert(html) == [], (path, payload)
        if payload == "<script>alert(1)</script>" and "/import" not in path and "/new" not in path:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path      # shown, as text
    auth.logout()
    auth.login("alice")
    for path in ("/study/", f"/study/{deck.id}", f"/study/{deck.id}?reveal={basic.id}", f"/study/{deck.id}/guide"):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert inert(html) == [], (path, payload)
        if payload == "<script>alert(1)</script>":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    basic.status = "retired"
    db.session.commit()
    for path in (f"/study/{deck.id}", f"/study/{deck.id}?reveal={cloze.id}"):
        html = client.get(path).get_data(as_text=True)
        assert f'data-card-id="{cloze.id}"' in html and inert(html) == [], (path, payload)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payloads_through_the_card_form_and_the_preview(client, auth, instructor, payload):
    deck = decks.create_deck(db.session, "Plain", "", utcnow())
    db.session.commit()
    auth.login("teacher")
    cloze = "{{c1::" in payload              # the validator wants a deletion's text in a cloze note
    data = {"kind": "fact", "type": "cloze" if cloze else "basic", "prompt": payload,
            "answer": "" if cloze else payload, "explanation": payload,
            "tags": "", "section": "", "new_section_title": "", "paragraph": ""}
    response = post(client, f"/instructor/decks/{deck.id}/cards/new", data, token_from="/instructor/")
    assert response.status_code == 302
    card = db.session.scalar(select(Card).where(Card.deck_id == deck.id))
    assert card.prompt == payload.strip()                  # stored as typed, made safe when shown
    assert inert(client.get(f"/instructor/cards/{card.id}/edit").get_data(as_text=True)) == []
    for type_, prompt in (("basic", payload), ("cloze", f"{{{{c1::{payload}}}}} {payload}")):
        body = client.get("/instructor/preview", query_string={"type": type_, "prompt": prompt, "answer": payload,
                                                              "explanation": payload}).get_json()
        for item in body["cards"]:
            assert inert(item["front"]) == [] and inert(item["back"]) == []
        assert inert(body["explanation"]) == []
