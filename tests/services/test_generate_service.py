"""Generator service: candidates stored once per article, decisions and edits kept, notes through the one
validator and the one card writer, draft decks."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from studyapp.domain import cardgen
from studyapp.domain.cardgen import Candidate
from studyapp.domain.notes import LIMITS, CardType, DeckStatus, Note
from studyapp.extensions import db
from studyapp.models import Article, Card, CardRevision, CardSource, Deck
from studyapp.services import generate as gen
from studyapp.services.decks import learner_visible, visible_to

from support import NOW

TEXT = """Harbour works

The new breakwater at Kestle was completed in 1911 after six years of dredging by the port authority.

Around 1,400 dockers unloaded timber there every week, according to the harbour master's ledger of that year.

"The sea wall will outlast every one of us," Ada Lindqvist said at the opening ceremony of the wall.
"""


def cloze_candidate(prompt="The wall was finished in {{c1::1911}} after six long years of work.", score=0.8,
                    **note):
    source = prompt.replace("{{c1::", "").replace("}}", "")
    return Candidate(note=Note(note_key="c", type=CardType.CLOZE, prompt=prompt, **note), source=source,
                     paragraph=2, start=0, reason="date", score=score)


def quote_candidate(score=0.7):
    note = Note(note_key="q", prompt="Who said: “The sea wall will outlast every one of us”?", answer="Ada Lindqvist",
                speaker="Ada Lindqvist", claim="The sea wall will outlast every one of us.",
                statement="Ada Lindqvist said the sea wall would outlast everyone.")
    return Candidate(note=note, source="“The sea wall will outlast every one of us,” Ada Lindqvist said.",
                     paragraph=4, start=0, reason="quote", score=score)


def entry(candidate, index=0, decision=gen.PENDING, prompt=None, answer=None):
    return gen.Entry(index, f"a1-{index + 1}-x", candidate, decision, prompt, answer)


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


def test_candidates_are_computed_once_and_stored(article, monkeypatch):
    stored = db.session.scalar(select(Article.candidates).where(Article.id == article.id))
    assert [item["candidate"] for item in stored] == [c.to_dict() for c in cardgen.generate(TEXT)]
    assert {item["decision"] for item in stored} == {"pending"}

    def boom(text, title=None):
        raise AssertionError("the generator ran again")

    monkeypatch.setattr(cardgen, "generate", boom)
    db.session.expire_all()
    entries = gen.entries(db.session, db.session.get(Article, article.id))
    assert [e.candidate.to_dict() for e in entries] == [item["candidate"] for item in stored]


def test_an_article_saved_without_candidates_gets_them_once(article, monkeypatch):
    article.candidates = None
    db.session.commit()
    calls = []
    real = cardgen.generate
    monkeypatch.setattr(cardgen, "generate", lambda text, title=None: calls.append(1) or real(text, title))
    first = gen.entries(db.session, article)
    db.session.commit()
    second = gen.entries(db.session, article)
    assert len(calls) == 1 and [e.key for e in first] == [e.key for e in second] and first


def test_card_keys_are_stable_unique_slugs(article):
    entries = gen.entries(db.session, article)
    keys = [e.key for e in entries]
    assert keys == [gen.card_key(article, i, e.candidate) for i, e in enumerate(entries)]
    assert len(set(keys)) == len(keys)
    for key in keys:
        assert key.startswith(f"a{article.id}-") and len(key) <= gen.KEY_LENGTH
        assert gen.slugify(key) == key


def test_decisions_and_edits_are_stored_and_read_back(article):
    entries = gen.entries(db.session, article)
    assert len(entries) >= 2
    first, second = entries[0], entries[1]
    gen.record(first, gen.REJECT, first.shown_prompt, first.shown_answer)
    gen.record(second, gen.ACCEPT, "  Edited prompt  ", "Edited answer")
    gen.store(article, entries)
    db.session.commit()
    db.session.expire_all()
    again = gen.entries(db.session, db.session.get(Article, article.id))
    assert (again[0].decision, again[0].edited) == (gen.REJECT, False)  # same text: no edit
    assert (again[1].decision, again[1].shown_prompt, again[1].shown_answer) == (
        gen.ACCEPT, "Edited prompt", "Edited answer")
    # a field that was not sent keeps its stored edit; an unknown decision changes nothing
    gen.record(again[1], "bogus", None, None)
    assert (again[1].decision, again[1].prompt, again[1].answer) == (gen.ACCEPT, "Edited prompt", "Edited answer")


def test_rejected_candidates_are_never_picked():
    entries = [entry(cloze_candidate(score=0.9), 0, gen.REJECT), entry(cloze_candidate(score=0.9), 1),
               entry(cloze_candidate(score=0.3), 2), entry(cloze_candidate(score=0.1), 3, gen.ACCEPT)]
    assert [e.index for e in gen.picked(entries)] == [3]
    assert [e.index for e in gen.picked(entries, min_score=0.5)] == [1, 3]
    assert [e.index for e in gen.picked(entries, min_score=0.0)] == [1, 2, 3]


def test_an_edited_cloze_answer_moves_into_its_deletion():
    note, problems = gen.build_note(entry(cloze_candidate(), answer="in 1911"), "harbour")
    assert problems == [] and "{{c1::in 1911}}" in note.prompt
    assert note.note_key == "a1-1-x" and note.section == "harbour" and "generated" in note.tags
    assert note.paragraph == 2 and "1911" in note.explanation
    # an edited prompt with a new deletion wins over the untouched answer
    note, _ = gen.build_note(entry(cloze_candidate(), prompt="It opened in {{c1::1911::year}} at last, after years."),
                             "harbour")
    assert note.prompt == "It opened in {{c1::1911::year}} at last, after years."


def test_siblings_stay_siblings_within_their_article():
    one = gen.build_note(entry(cloze_candidate(fact_key="s3"), 0), "s")[0]
    two = gen.build_note(gen.Entry(1, "a1-2-y", cloze_candidate(fact_key="s3")), "s")[0]
    other_article = gen.build_note(gen.Entry(0, "a2-1-x", cloze_candidate(fact_key="s3")), "s")[0]
    alone = gen.build_note(entry(cloze_candidate()), "s")[0]
    assert one.fact == two.fact == "a1-s3" and other_article.fact == "a2-s3" and alone.fact == alone.note_key


def test_edits_are_checked_by_the_one_validator():
    _, problems = gen.build_note(entry(cloze_candidate(), prompt="No deletion left here at all."), "s")
    assert [p.field for p in problems] == ["prompt"] and "deletion" in problems[0].message
    too_long = "x" * LIMITS.prompt + " {{c1::1911}}"
    assert [p.field for p in gen.check(entry(cloze_candidate(), prompt=too_long))] == ["prompt"]
    just_fits = "y" * (LIMITS.prompt - 20) + " {{c1::1911}}"
    assert gen.check(entry(cloze_candidate(), prompt=just_fits)) == []
    _, problems = gen.build_note(entry(quote_candidate(), answer="   "), "s")
    assert [p.field for p in problems] == ["answer"]


def test_quiz_material_follows_an_edit():
    quote = quote_candidate()
    same, _ = gen.build_note(entry(quote), "s")
    assert (same.speaker, same.claim, same.statement) == (quote.note.speaker, quote.note.claim, quote.note.statement)
    fixed, problems = gen.build_note(entry(quote, answer="Ada Lindqvist-Berg"), "s")
    assert problems == [] and fixed.speaker == "Ada Lindqvist-Berg" and fixed.answer == "Ada Lindqvist-Berg"
    wrong, _ = gen.build_note(entry(quote, answer="Mats Holm"), "s")
    assert wrong.statement is None and wrong.speaker == "Mats Holm"  # the old statement would now be false
    dated = cloze_candidate(statement="The wall was finished in 1911.", distractors=("1912", "1921"))
    note, problems = gen.build_note(entry(dated, answer="1912"), "s")
    assert problems == [] and note.statement is None and note.distractors == ("1921",)


def test_new_generated_decks_are_drafts(app):
    first = gen.create_deck(db.session, "Harbour works", NOW)
    second = gen.create_deck(db.session, "Harbour works", NOW)
    odd = gen.create_deck(db.session, "???", NOW)
    assert (first.slug, second.slug, odd.slug) == ("harbour-works", "harbour-works-2", "generated")
    assert first.status == DeckStatus.DRAFT and first.is_draft
    assert gen.set_status(db.session, first, DeckStatus.PUBLISHED) and not first.is_draft
    assert not gen.set_status(db.session, first, DeckStatus.PUBLISHED)


def test_learners_see_published_decks_only(app, deck, learner, instructor):
    draft = gen.create_deck(db.session, "Harbour works", NOW)
    db.session.commit()
    names = lambda user: set(db.session.scalars(learner_visible(select(Deck.name), user)))  # noqa: E731
    assert names(learner) == {deck.name} and names(None) == {deck.name}
    assert names(instructor) == {deck.name, draft.name}
    assert not visible_to(learner, draft) and visible_to(instructor, draft) and visible_to(learner, deck)


def add(article, deck, entries, chosen, user, title="Harbour"):
    report = gen.add_cards(db.session, article, deck, title, chosen, entries, NOW, user)
    db.session.commit()
    return report


def test_add_cards_writes_notes_with_sources_and_revisions(article, deck, instructor):
    entries = gen.entries(db.session, article)
    date_e = next(e for e in entries if "1911" in e.shown_answer)
    other = next(e for e in entries if e is not date_e)
    gen.record(date_e, gen.ACCEPT, date_e.shown_prompt, date_e.shown_answer)
    gen.record(other, gen.ACCEPT, other.shown_prompt, other.shown_answer)
    report = add(article, deck, entries, [date_e, other], instructor)
    keys = [*date_e.card_keys(), *other.card_keys()]
    assert report.added == keys and report.updated == report.already == []
    cards = {c.key: c for c in db.session.scalars(select(Card).where(Card.key.in_(keys)))}
    card = cards[date_e.card_keys()[0]]
    assert card.deck_id == deck.id and card.tag_list[-1] == "generated" and card.section.title == "Harbour"
    assert card.paragraph == date_e.candidate.paragraph and card.note_key == date_e.key
    sources = {s.card_id: s for s in db.session.scalars(select(CardSource))}
    assert sources[card.id].source_sentence == date_e.candidate.source and sources[card.id].article_id == article.id
    assert db.session.scalar(select(func.count()).select_from(CardRevision)
                             .where(CardRevision.card_id.in_([c.id for c in cards.values()]))) == 2
    assert article.deck_id == deck.id
    assert gen.added_keys(db.session, article) == {k: deck.name for k in keys}
    # the same again: nothing new; an edit of an added candidate updates its card in place
    assert add(article, deck, entries, [date_e], instructor).already == date_e.card_keys()
    gen.record(date_e, gen.ACCEPT, date_e.shown_prompt, "in " + date_e.shown_answer)
    again = add(article, deck, entries, [date_e], instructor)
    assert again.updated == date_e.card_keys() and again.added == []
    assert db.session.get(Card, card.id).answer.startswith("in ")
    assert db.session.scalar(select(func.count()).select_from(CardSource)) == 2


def test_entries_added_by_score_become_accepted_and_show_their_card(article, deck, instructor):
    entries = gen.entries(db.session, article)
    cloze = next(e for e in entries if e.is_cloze)
    gen.record(cloze, gen.PENDING, cloze.shown_prompt, "edited " + cloze.shown_answer)
    add(article, deck, entries, gen.picked(entries, min_score=0.0), instructor)
    db.session.expire_all()
    stored = gen.entries(db.session, db.session.get(Article, article.id))
    assert {e.decision for e in stored} == {gen.ACCEPT}
    shown = stored[cloze.index]
    assert "{{c1::edited " in shown.shown_prompt and shown.shown_answer.startswith("edited ")
    card = db.session.scalar(select(Card).where(Card.key == cloze.card_keys()[0]))
    assert card.prompt == shown.shown_prompt


def test_cards_keep_working_when_the_article_is_deleted(article, deck, instructor):
    entries = gen.entries(db.session, article)
    report = add(article, deck, entries, entries[:1], instructor)
    card = db.session.scalar(select(Card).where(Card.key == report.added[0]))
    db.session.delete(article)
    db.session.commit()
    source = db.session.get(CardSource, card.id)
    assert source.article_id is None and source.source_sentence == entries[0].candidate.source
    assert db.session.get(Deck, deck.id) is not None


def test_highlight_span_finds_the_answer():
    cand = cloze_candidate()
    start, end = gen.highlight_span(cand)
    assert cand.source[start:end] == "1911"
    assert gen.highlight_span(quote_candidate()) is not None


def test_a_stored_list_that_cannot_be_read_is_proposed_afresh(article):
    article.candidates = [{"key": "a1-1-x", "candidate": {"unknown": "shape"}}]
    db.session.commit()
    entries = gen.entries(db.session, article)
    assert [e.candidate.to_dict() for e in entries] == [c.to_dict() for c in cardgen.generate(TEXT)]
    assert article.candidates[0]["candidate"] == entries[0].candidate.to_dict()
