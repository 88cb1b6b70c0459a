"""The context line on every page that shows a card: the editor (and its preview), the study page and its
JSON answer, quiz questions, and the generator's review form."""
from __future__ import annotations

import re

from sqlalchemy import select, update

from studyapp.extensions import db
from studyapp.models import Article, Card, QuizAttempt
from studyapp.services import generate as gen

from support import hidden, post

LINE = "The Sino-Russian partnership"
GEN = "/instructor/generate/"
ARTICLE = """The Arden Valley Dam

The Arden Valley dam was finished in 1969 after eleven years of work by the regional water board.

About 3,200 engineers and labourers worked on the project, which cost the province nearly 40 million dollars.

Today the reservoir supplies water to roughly 250,000 people in the towns of Holt and Marrow.
"""


def context_on(html: str, element_id: str | None = None) -> list[str]:
    pattern = r'<p class="card-context"' + (f' id="{element_id}"' if element_id else r'[^>]*') + r'[^>]*>([^<]*)</p>'
    return re.findall(pattern, html)


def give_every_card_a_context(deck):
    db.session.execute(update(Card).where(Card.deck_id == deck.id).values(context=LINE))
    db.session.commit()


def test_the_study_page_and_its_json_answer_show_the_context_line(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert context_on(html, "card-context") == [""]            # none yet: the element is there, hidden
    assert re.search(r'id="card-context" hidden', html)
    give_every_card_a_context(deck)
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert context_on(html, "card-context") == [LINE] and not re.search(r'id="card-context" hidden', html)
    body = {"card_id": int(hidden(html, "card_id")), "version": int(hidden(html, "version")),
            "shown_at": hidden(html, "shown_at"), "rating": 3}
    response = client.post(f"/study/{deck.id}/answer", json=body,
                           headers={"X-CSRFToken": hidden(html, "csrf_token"), "Accept": "application/json"})
    assert response.status_code == 201 and response.get_json()["next"]["context"] == LINE


def test_quiz_questions_show_the_context_line_above_the_question(client, auth, deck, learner):
    give_every_card_a_context(deck)
    auth.login()
    post(client, "/quiz/", {"scope": f"deck-{deck.id}", "length": "10", "types": ["typed"]}, token_from="/quiz/")
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()).limit(1))
    assert attempt.questions and all(q["context"] == LINE for q in attempt.questions)
    page = client.get(f"/quiz/attempt/{attempt.id}/q/1").get_data(as_text=True)
    assert context_on(page, "question-context") == [LINE]
    assert page.index('id="question-context"') < page.index('id="prompt"')


def test_the_card_editor_saves_the_context_line_and_previews_it(client, auth, deck, instructor):
    auth.login("teacher")
    path = f"/instructor/decks/{deck.id}/cards/new"
    response = post(client, path, {"type": "basic", "kind": "fact", "prompt": "How many people did the blast kill?",
                                   "answer": "nearly 2,000", "explanation": "The toll.", "context": "Halifax, 1917"},
                    token_from=path)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    card = db.session.scalar(select(Card).where(Card.answer == "nearly 2,000"))
    assert card.context == "Halifax, 1917"
    edit = client.get(f"/instructor/cards/{card.id}/edit").get_data(as_text=True)
    assert 'value="Halifax, 1917"' in edit and context_on(edit) == ["Halifax, 1917"]
    listing = client.get(f"/instructor/decks/{deck.id}?q=blast").get_data(as_text=True)
    assert '<span class="front-context">Halifax, 1917:</span> How many people did the blast kill?' in listing
    preview = post(client, "/instructor/preview", {"type": "basic", "prompt": "Q?", "answer": "A",
                                                   "context": "  Halifax,\n 1917 "}, token_from=path)
    assert preview.get_json()["context"] == "Halifax, 1917"
    too_long = post(client, f"/instructor/cards/{card.id}/edit",
                    {"type": "basic", "kind": "fact", "prompt": card.prompt, "answer": card.answer,
                     "explanation": "The toll.", "context": "x" * 201}, token_from=f"/instructor/cards/{card.id}/edit")
    assert too_long.status_code == 422 and "the limit is 200" in too_long.get_data(as_text=True)


def test_generated_cards_get_the_context_line_of_the_review_form(client, auth, instructor):
    auth.login("teacher")
    post(client, GEN, {"title": "", "text": ARTICLE}, token_from=GEN)
    article = db.session.scalar(select(Article))
    page = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert re.search(r'name="context_line"[^>]*value="The Arden Valley Dam"', page)
    entries = gen.entries(db.session, article)
    data = {"deck": "new", "new_deck_name": "Arden", "section_title": "The dam", "min_score": "0",
            "context_line": "The Arden Valley dam (1969)", "add_accepted": "y"}
    for e in entries:
        data.update({f"candidates-{e.index}-decision": "accept", f"candidates-{e.index}-prompt": e.shown_prompt,
                     f"candidates-{e.index}-answer": e.shown_answer})
    response = post(client, f"{GEN}{article.id}", data, token_from=f"{GEN}{article.id}")
    assert response.status_code == 302
    cards = list(db.session.scalars(select(Card)))
    assert cards
    for card in cards:   # the line on every card, except where it would state the card's answer
        expected = None if card.answer in ("1969", "Arden Valley", "The Arden Valley dam") else "The Arden Valley dam (1969)"
        assert card.context == expected, (card.answer, card.context)
    again = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert re.search(r'name="context_line"[^>]*value="The Arden Valley dam \(1969\)"', again)
    shown = re.findall(r'Context line: <span class="card-context">([^<]*)</span>', again)
    left_off = again.count("No context line: it would give this card's answer away.")
    assert left_off == sum(1 for c in cards if c.context is None and c.cloze_ord in (None, 1)) >= 1
    assert set(shown) == {"The Arden Valley dam (1969)"} and len(shown) + left_off == len(entries)


def test_the_card_meta_does_not_repeat_a_context_line_equal_to_the_section_title(client, auth, deck, learner):
    auth.login()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    card = db.session.get(Card, int(hidden(html, "card_id")))
    title = card.section.title
    assert re.search(rf'id="card-kind">\w+ · {re.escape(title)}<', html)
    db.session.execute(update(Card).where(Card.deck_id == deck.id).values(context=title))
    db.session.commit()
    html = client.get(f"/study/{deck.id}").get_data(as_text=True)
    assert re.search(r'id="card-kind">\w+<', html) and context_on(html, "card-context") == [title]


def test_the_title_the_instructor_gives_reaches_the_generator(client, auth, instructor, monkeypatch):
    from studyapp.domain import cardgen

    seen, real = [], cardgen.generate
    monkeypatch.setattr(cardgen, "generate", lambda text, title=None: seen.append(title) or real(text, title))
    auth.login("teacher")
    post(client, GEN, {"title": "  Arden dam ", "text": ARTICLE}, token_from=GEN)
    post(client, GEN, {"title": "", "text": ARTICLE}, token_from=GEN)
    assert seen == ["Arden dam", None]          # none given: the text's own headline counts


def test_progress_pages_show_a_cards_context_line_before_its_front(client, auth, deck, learner):
    give_every_card_a_context(deck)
    auth.login()
    card = db.session.scalar(select(Card).where(Card.deck_id == deck.id).order_by(Card.id).limit(1))
    page = client.get(f"/progress/card/{card.id}").get_data(as_text=True)
    assert f'<span class="front-context">{LINE}:</span>' in page
