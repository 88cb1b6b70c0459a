"""Generator service: articles, stable card keys, edited picks, cards with their source."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from studyapp.domain import cardgen
from studyapp.domain.cardgen import Candidate
from studyapp.extensions import db
from studyapp.models import Card, CardSource, Deck
from studyapp.services import generate as gen
from support import NOW

TEXT = """Harbour works

The new breakwater at Kestle was completed in 1911 after six years of dredging by the port authority.

Around 1,400 dockers unloaded timber there every week, according to the harbour master's ledger of that year.

"The sea wall will outlast every one of us," Ada Lindqvist said at the opening ceremony of the wall.
"""


def cloze(prompt="The wall was finished in {{c1::1911}} after six long years of work.", answer="1911",
          source="The wall was finished in 1911 after six long years of work.", score=0.8):
    return Candidate(type="cloze", prompt=prompt, answer=answer, source=source, paragraph=2, reason="date",
                     score=score, category="year")


@pytest.fixture
def article(app, instructor):
    article = gen.create_article(db.session, instructor, "", TEXT.replace("\n", "\r\n"), NOW)
    db.session.commit()
    return article


def test_article_title_and_line_endings(article, instructor):
    assert article.title == "Harbour works" and "\r" not in article.text
    assert article.created_by == instructor.id
    named = gen.create_article(db.session, instructor, "  My title ", TEXT, NOW)
    assert named.title == "My title"
    assert gen.title_from("", "Fallback") == "Fallback"
    assert gen.title_from("# " + "word " * 60).endswith("…")


def test_candidates_are_the_generators(article):
    assert [c.to_dict() for c in gen.candidates(article)] == [c.to_dict() for c in cardgen.generate(TEXT)]


def test_slugify():
    assert gen.slugify("Ada Lindqvist's “wall”, 1911!") == "ada-lindqvist-s-wall-1911"
    assert gen.slugify("Müller & Søn") == "muller-sn"
    assert gen.slugify("???") == ""
    assert len(gen.slugify("x" * 100, 10)) == 10


def test_highlight_span_finds_the_cloze_answer():
    cand = cloze()
    start, end = gen.highlight_span(cand)
    assert cand.source[start:end] == "1911"
    quote = Candidate(type="basic", prompt="Who said: “...”?", answer="Ada Lindqvist", source="No name here.",
                      paragraph=4, reason="quote", score=0.7, category="person")
    assert gen.highlight_span(quote) is None


def test_card_keys_are_stable_unique_slugs(article):
    candidates = gen.candidates(article)
    keys = [gen.card_key(article, i, c) for i, c in enumerate(candidates)]
    assert keys == [gen.card_key(article, i, c) for i, c in enumerate(gen.candidates(article))]
    assert len(set(keys)) == len(keys)
    for key in keys:
        assert key.startswith(f"a{article.id}-") and len(key) <= gen.KEY_LENGTH
        assert gen.slugify(key) == key


def test_checked_pick_rules():
    cand = cloze()
    assert gen.checked_pick(cand, cand.prompt, cand.answer) == (cand.prompt, "1911")
    prompt, answer = gen.checked_pick(cand, cand.prompt, "in 1911")
    assert answer == "in 1911" and "{{c1::in 1911}}" in prompt
    prompt, answer = gen.checked_pick(cand, "It opened in {{c1::1911::year}} at last, after six years.", "")
    assert answer == "1911" and "::year}}" in prompt
    with pytest.raises(gen.PickError) as err:
        gen.checked_pick(cand, "No deletion", "1911")
    assert err.value.field == "prompt"
    with pytest.raises(gen.PickError):
        gen.checked_pick(cand, "", "1911")
    basic = Candidate(type="basic", prompt="Who said it?", answer="Ada", source="s", paragraph=1,
                      reason="quote", score=0.7, category="person")
    with pytest.raises(gen.PickError) as err:
        gen.checked_pick(basic, "Who said it?", "  ")
    assert err.value.field == "answer"
    with pytest.raises(gen.PickError):
        gen.checked_pick(basic, "x" * (gen.MAX_PROMPT + 1), "Ada")


def test_new_decks_get_unique_slugs(app):
    first = gen.create_deck(db.session, "Harbour works", NOW)
    second = gen.create_deck(db.session, "Harbour works", NOW)
    odd = gen.create_deck(db.session, "???", NOW)
    assert (first.slug, second.slug, odd.slug) == ("harbour-works", "harbour-works-2", "generated")


def test_sections_are_reused_by_title(app):
    deck = gen.create_deck(db.session, "Harbour", NOW)
    one = gen.ensure_section(db.session, deck, "The port")
    again = gen.ensure_section(db.session, deck, "The Port")
    other = gen.ensure_section(db.session, deck, "Dockers")
    assert one.id == again.id and other.id != one.id and (one.position, other.position) == (0, 1)


def test_accept_makes_cards_with_sources_once(article, deck):
    candidates = gen.candidates(article)
    quote_i = next(i for i, c in enumerate(candidates) if c.reason == "quote")
    date_i = next(i for i, c in enumerate(candidates) if c.answer == "1911")
    section = gen.ensure_section(db.session, deck, "Harbour")
    last = db.session.scalar(select(func.max(Card.position)).where(Card.deck_id == deck.id))
    picks = [gen.Pick(i, candidates[i], candidates[i].prompt, candidates[i].answer) for i in (date_i, quote_i)]
    report = gen.accept(db.session, article, deck, section, picks, NOW)
    db.session.commit()
    date_card, quote_card = report.added
    assert (date_card.type, date_card.cloze_ord, date_card.key.endswith(".c1")) == ("cloze", 1, True)
    assert date_card.note_key == date_card.fact_key == date_card.key[:-3]
    assert (quote_card.type, quote_card.speaker, quote_card.answer) == ("basic", "Ada Lindqvist", "Ada Lindqvist")
    assert [date_card.position, quote_card.position] == [last + 1, last + 2]  # after the deck's own cards
    assert date_card.paragraph == 2 and quote_card.paragraph == 4
    assert "1911" in date_card.explanation
    sources = {s.card_id: s for s in db.session.scalars(select(CardSource))}
    assert sources[date_card.id].source_sentence == candidates[date_i].source
    assert sources[quote_card.id].article_id == article.id
    again = gen.accept(db.session, article, deck, section, picks, NOW)
    assert again.added == [] and again.already == [date_card.key, quote_card.key]
    assert gen.added_keys(db.session, article) == {date_card.key: deck.name, quote_card.key: deck.name}


def test_cards_keep_working_when_the_article_is_deleted(article, deck):
    candidates = gen.candidates(article)
    section = gen.ensure_section(db.session, deck, "Harbour")
    report = gen.accept(db.session, article, deck, section, [gen.Pick(0, candidates[0], candidates[0].prompt,
                                                                      candidates[0].answer)], NOW)
    db.session.commit()
    db.session.delete(article)
    db.session.commit()
    source = db.session.get(CardSource, report.added[0].id)
    assert source.article_id is None and source.source_sentence == candidates[0].source
    assert db.session.get(Deck, deck.id) is not None
