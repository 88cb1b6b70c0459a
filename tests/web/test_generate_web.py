"""The card generator's review screen: instructors only, paste or upload, decisions and edits that survive
every round trip, errors at the top with links, draft decks learners cannot see until published, CLI."""
from __future__ import annotations

import io
import json
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from studyapp import db_setup
from studyapp.domain import cardgen
from studyapp.domain.cardgen import Candidate
from studyapp.domain.notes import LIMITS, DeckStatus
from studyapp.extensions import db
from studyapp.models import Article, Card, CardSource, Deck, Section, utcnow
from studyapp.services import generate as gen
from studyapp.services import quiz as quizzes
from studyapp.services import study

from payloads import XSS_PAYLOADS, unsafe_markup
from support import post

GEN = "/instructor/generate/"

ARTICLE = """The Arden Valley Dam

The Arden Valley dam was finished in 1969 after eleven years of work by the regional water board.

About 3,200 engineers and labourers worked on the project, which cost the province nearly 40 million dollars back then.

"Nobody in the valley was ever asked whether they wanted their land flooded," Pavel Orlov said at a packed meeting.

Today the reservoir supplies water to roughly 250,000 people in the towns of Holt and Marrow.
"""


def paste(client, text=ARTICLE, title="Arden dam"):
    return post(client, GEN, {"title": title, "text": text}, token_from=GEN)


def stored(article_id: int) -> list[gen.Entry]:
    db.session.expire_all()
    return gen.entries(db.session, db.session.get(Article, article_id))


def review_data(entries, decisions=None, edits=None, **extra):
    data = {"deck": "new", "new_deck_name": "Arden valley", "section_title": "The dam", "min_score": "0.7"}
    for e in entries:
        prompt, answer = (edits or {}).get(e.index, (e.shown_prompt, e.shown_answer))
        data[f"candidates-{e.index}-decision"] = (decisions or {}).get(e.index, e.decision)
        data[f"candidates-{e.index}-prompt"] = prompt
        data[f"candidates-{e.index}-answer"] = answer
    data.update(extra)
    return data


def send(client, article, data, **kwargs):
    return post(client, f"{GEN}{article.id}", data, token_from=f"{GEN}{article.id}", **kwargs)


def edited_prompt(e: gen.Entry, text: str) -> str:
    """`text` made into a prompt of the entry's type (a cloze keeps a deletion of its answer)."""
    return f"{text} {{{{c1::{e.shown_answer}}}}}." if e.is_cloze else f"{text}?"


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def checked(html: str, number: int) -> str:
    """The decision checked for candidate `number` (1-based) on the page."""
    tags = re.findall(r"<input[^>]*>", candidate_block(html, number))
    return next(re.search(r'value="(\w+)"', tag).group(1) for tag in tags if " checked" in tag)


def li_class(html: str, number: int) -> str:
    return re.search(rf'<li class="([^"]*)"\s+id="candidate-{number}"', html).group(1)


def candidate_block(html: str, number: int) -> str:
    block = html[html.index(f'id="candidate-{number}"'):]
    return block[:block.index("</li>")]


@pytest.fixture
def article(client, auth, instructor):
    auth.login("teacher")
    response = paste(client)
    article = db.session.scalar(select(Article))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{GEN}{article.id}")
    return article


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in (GEN, f"{GEN}1"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_learners_are_refused(client, auth, learner, instructor):
    auth.login()
    assert client.get(GEN).status_code == 403
    assert post(client, GEN, {"text": ARTICLE}, token_from="/study/").status_code == 403
    assert count(Article) == 0


def test_review_reads_the_stored_candidates_and_never_recomputes(client, article, monkeypatch):
    def boom(text, title=None):
        raise AssertionError("the generator ran on a page view")

    monkeypatch.setattr(cardgen, "generate", boom)
    html = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    entries = stored(article.id)
    scores = [float(s) for s in re.findall(r'data-score="([0-9.]+)"', html)]
    # the stored list, in its order (each sentence's first card, best first, then the second cards)
    assert len(scores) == len(entries) > 3 and scores == [e.candidate.score for e in entries]
    for e in entries:
        span = gen.highlight_span(e.candidate)
        if span:
            assert f"<mark>{escape(e.candidate.source[span[0]:span[1]])}</mark>" in html
    assert html.count('value="accept"') == len(entries)
    assert send(client, article, review_data(entries, save="y")).status_code == 302


def test_a_large_article_is_generated_once_at_save(client, auth, instructor, monkeypatch):
    calls = []
    real = cardgen.generate
    # the generator runs while the request may not write yet: SQLite's write lock is not held meanwhile
    monkeypatch.setattr(cardgen, "generate", lambda text, title=None: calls.append(db_setup.WRITE_INTENT.get()) or real(text, title))
    auth.login("teacher")
    big = "\n\n".join([ARTICLE] * 40)
    assert paste(client, big).status_code == 302
    article = db.session.scalar(select(Article))
    for _ in range(3):
        assert client.get(f"{GEN}{article.id}").status_code == 200
    send(client, article, review_data(stored(article.id), save="y"))
    assert calls == [False]


def test_accepted_cards_go_to_a_draft_deck_and_the_screen_shows_what_was_added(client, article):
    entries = stored(article.id)
    cloze = next(e for e in entries if e.is_cloze and e.index > 0)
    said = next((e for e in entries if not e.is_cloze and e.index > 0), None) or \
        next(e for e in entries if e.index not in (0, cloze.index))
    pending = next(e for e in entries if e.index not in (cloze.index, said.index, 0))
    edited = edited_prompt(said, "An edited prompt that the instructor wrote")
    data = review_data(entries, {cloze.index: "accept", said.index: "accept", 0: "reject"},
                       {said.index: (edited, said.shown_answer)}, add_accepted="y")
    response = send(client, article, data)
    deck = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"?deck={deck.id}")
    assert deck.status == DeckStatus.DRAFT
    cards = {c.key: c for c in db.session.scalars(select(Card).where(Card.deck_id == deck.id))}
    assert set(cards) == {*cloze.card_keys(), *said.card_keys()}
    c1 = cards[f"{cloze.key}.c1"]
    assert (c1.cloze_ord, c1.answer, c1.paragraph) == (1, cloze.shown_answer, cloze.candidate.paragraph)
    assert c1.key.startswith(f"a{article.id}-{cloze.number}-") and c1.prompt == cloze.candidate.note.prompt
    assert cards[said.card_keys()[0]].prompt == edited
    for card in cards.values():
        assert "generated" in card.tag_list and card.section.title == "The dam"
        assert db.session.get(CardSource, card.id).article_id == article.id
    assert db.session.scalar(select(Section.slug).where(Section.deck_id == deck.id)) == "the-dam"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Added 2 cards" in page and "draft" in page.lower()
    assert page.count("added to Arden valley") == 2
    assert checked(page, cloze.number) == "accept" and checked(page, said.number) == "accept"
    assert checked(page, 1) == "reject" and checked(page, pending.number) == "pending"
    assert str(escape(edited)) in candidate_block(page, said.number)
    assert re.search(rf'<option selected value="{deck.id}"', page)  # the next cards go to the same deck
    assert 'name="section_title" required type="text" value="The dam"' in page  # and the same section


def test_rejected_candidates_are_never_added_by_score(client, article):
    entries = stored(article.id)
    above = [e.index for e in entries if e.candidate.score >= 0.5]
    assert len(above) >= 2
    rejected = above[0]
    data = review_data(entries, {rejected: "reject"}, min_score="0.5", add_above="y")
    assert send(client, article, data).status_code == 302
    deck = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))
    keys = set(db.session.scalars(select(Card.note_key).where(Card.deck_id == deck.id)))
    assert keys == {entries[i].key for i in above[1:]} and entries[rejected].key not in keys
    after = stored(article.id)
    assert after[rejected].decision == "reject"
    assert {after[i].decision for i in above[1:]} == {"accept"}  # added by score: no longer undecided
    # again into the same deck, even with a score of 0: still not the rejected one, nothing doubled
    data = review_data(after, min_score="0", add_above="y", deck=str(deck.id))
    page = send(client, article, data, follow_redirects=True).get_data(as_text=True)
    assert "already there" in page
    keys = set(db.session.scalars(select(Card.note_key).where(Card.deck_id == deck.id)))
    assert entries[rejected].key not in keys and len(keys) == len(entries) - 1


def test_rejecting_an_added_candidate_retires_its_card(client, article):
    entries = stored(article.id)
    send(client, article, review_data(entries, {0: "accept", 1: "accept"}, add_accepted="y"))
    deck = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))

    def active() -> set[str]:
        db.session.expire_all()
        return set(db.session.scalars(select(Card.note_key).where(Card.deck_id == deck.id, Card.status == "active")))

    assert active() == {entries[0].key, entries[1].key}
    page = send(client, article, review_data(stored(article.id), {0: "reject"}, save="y"),
                follow_redirects=True).get_data(as_text=True)
    assert "Retired 1 card" in page and active() == {entries[1].key}
    assert "added to Arden valley" not in candidate_block(page, 1)
    # accepted and added again: the same card comes back (its history with it)
    send(client, article, review_data(stored(article.id), {0: "accept"}, add_accepted="y", deck=str(deck.id)))
    assert active() == {entries[0].key, entries[1].key}
    assert count(Card) == sum(len(e.card_keys()) for e in entries[:2])


def test_saved_decisions_and_edits_survive_a_reload(client, article):
    entries = stored(article.id)
    data = review_data(entries, {0: "accept", 1: "reject"}, {2: ("My own prompt {{c1::here}} for this card.", "")},
                       save="y")
    response = send(client, article, data)
    assert response.status_code == 302 and count(Card) == 0
    page = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert (checked(page, 1), checked(page, 2), checked(page, 3)) == ("accept", "reject", "pending")
    assert "My own prompt {{c1::here}} for this card." in candidate_block(page, 3)


def test_an_invalid_edit_is_listed_at_the_top_with_a_link_and_shown_beside_its_candidate(client, article):
    entries = stored(article.id)
    cloze = next(e for e in entries if e.is_cloze and e.index > 0)
    data = review_data(entries, {cloze.index: "accept", 0: "reject"},
                       {cloze.index: ("No deletion left here.", "")}, add_accepted="y")
    response = send(client, article, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and count(Card) == 0 and count(Deck) == 0
    summary = html[html.index('class="error-summary'):]
    summary = summary[:summary.index("</div>")]
    assert f'href="#candidate-{cloze.number}"' in summary and "deletion" in summary
    assert html.index('class="error-summary') < html.index('id="review-form"')
    block = candidate_block(html, cloze.number)
    assert "has-error" in li_class(html, cloze.number) and "has-error" not in li_class(html, 1)
    assert "deletion" in block and 'class="error"' in block and "No deletion left here." in block
    # the decisions and the (invalid) edit are kept for the next visit
    after = stored(article.id)
    assert (after[cloze.index].decision, after[cloze.index].shown_prompt, after[0].decision) == (
        "accept", "No deletion left here.", "reject")


def test_edits_are_held_to_the_one_validators_limits(client, article):
    entries = stored(article.id)
    e = entries[0]
    too_long = edited_prompt(e, "x" * LIMITS.prompt)
    html = send(client, article, review_data(entries, {e.index: "accept"}, {e.index: (too_long, e.shown_answer)},
                                            add_accepted="y")).get_data(as_text=True)
    assert f"{LIMITS.prompt:,}" in html and count(Card) == 0
    ok = edited_prompt(e, "x" * (LIMITS.prompt - 60))
    response = send(client, article, review_data(entries, {e.index: "accept"}, {e.index: (ok, e.shown_answer)},
                                                 add_accepted="y"))
    assert response.status_code == 302 and db.session.scalar(select(Card.prompt).where(Card.note_key == e.key)) == ok


def test_edited_cloze_answer_moves_into_the_deletion(client, article):
    entries = stored(article.id)
    e = next(e for e in entries if e.is_cloze)
    answer = f"about {e.shown_answer}"
    send(client, article, review_data(entries, {e.index: "accept"}, {e.index: (e.shown_prompt, answer)},
                                      add_accepted="y"))
    card = db.session.scalar(select(Card).where(Card.note_key == e.key))
    assert card.answer == answer and f"{{{{c1::{answer}}}}}" in card.prompt
    page = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert f"{{{{c1::{escape(answer)}}}}}" in candidate_block(page, e.number)


def test_review_form_errors_are_shown(client, article):
    entries = stored(article.id)
    response = send(client, article, review_data(entries, {0: "accept"}, new_deck_name="", add_accepted="y"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Name the new deck" in html and 'href="#new_deck_name"' in html
    response = send(client, article, review_data(entries, min_score="7", add_above="y"))
    assert response.status_code == 422 and "Between 0 and 1." in response.get_data(as_text=True)
    nothing = send(client, article, review_data(entries, {0: "pending"}, add_accepted="y"))
    assert nothing.status_code == 200 and "No card chosen" in nothing.get_data(as_text=True)
    bad = send(client, article, review_data(entries, {0: "maybe"}, add_accepted="y"))
    assert bad.status_code == 422 and count(Card) == 0
    short = {k: v for k, v in review_data(entries, add_accepted="y").items() if not k.startswith("candidates-")}
    assert send(client, article, short).status_code == 302  # a form without its candidates: no 500, nothing added
    assert count(Card) == 0
    assert client.post(f"{GEN}{article.id}", data=review_data(entries, add_accepted="y")).status_code == 400  # no CSRF


@pytest.mark.parametrize("extra", [
    {"candidates-0-prompt": "A prompt with a NUL \x00 {{c1::in it}}.", "candidates-0-decision": "accept"},
    {"candidates-0-decision": "accept", "candidates-0-answer": "x" * 5000},
    {"candidates-999-decision": "accept"},
    {"deck": "12345"}, {"deck": "not-a-number"}, {"min_score": "NaN", "add_above": "y"},
    {"min_score": "-1", "add_above": "y"}, {"candidates-0-decision": ["accept", "reject"]},
])
def test_hostile_review_posts_never_fail(client, article, extra):
    entries = stored(article.id)
    data = {**review_data(entries, add_accepted="y"), **extra}
    response = send(client, article, data)
    assert response.status_code in (200, 302, 400, 422), response.status_code
    assert client.get(f"{GEN}{article.id}").status_code == 200
    assert all("\x00" not in (e.prompt or "") for e in stored(article.id))


def test_learners_cannot_see_a_draft_deck_until_it_is_published(client, auth, article, learner, deck):
    entries = stored(article.id)
    send(client, article, review_data(entries, {0: "accept", 1: "accept"}, add_accepted="y"))
    draft = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))
    review_page = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert "Draft" in review_page and f"/instructor/generate/decks/{draft.id}/publish" in review_page
    assert "Draft" in client.get("/study/").get_data(as_text=True)
    assert "Draft" in client.get("/instructor/").get_data(as_text=True)
    assert client.get(f"/study/{draft.id}").status_code == 200  # instructors can try it out

    def learner_sees() -> bool:
        auth.logout()
        auth.login()
        listed = "Arden valley" in client.get("/study/").get_data(as_text=True)
        quiz = "Arden valley" in client.get("/quiz/").get_data(as_text=True)
        opened = [client.get(path).status_code for path in (f"/study/{draft.id}", f"/study/{draft.id}/guide")]
        assert listed == quiz and len(set(opened)) == 1
        assert (opened[0] == 200) == listed
        auth.logout()
        auth.login("teacher")
        return listed

    assert not learner_sees()
    auth.logout()
    auth.login()
    assert client.get(f"/study/{deck.id}").status_code == 200  # published decks as before
    assert post(client, f"{GEN}decks/{draft.id}/publish", token_from="/study/").status_code == 403
    auth.logout()
    auth.login("teacher")
    assert client.post(f"{GEN}decks/{draft.id}/publish").status_code == 400  # CSRF
    response = post(client, f"{GEN}decks/{draft.id}/publish", {"next": f"{GEN}{article.id}"},
                    token_from=f"{GEN}{article.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{GEN}{article.id}")
    assert learner_sees()
    response = post(client, f"{GEN}decks/{draft.id}/unpublish", {"next": "//evil.example/"}, token_from="/study/")
    assert response.headers["Location"].endswith(f"/instructor/decks/{draft.id}")
    assert not learner_sees()
    assert post(client, f"{GEN}decks/9999/publish", token_from="/study/").status_code == 404


def test_a_class_quiz_on_a_draft_deck_is_hidden_from_learners(client, auth, deck, learner, instructor):
    quiz = quizzes.create_quiz(db.session, instructor, deck, utcnow(), length=5, published=True, title="Class quiz")
    gen.set_status(db.session, deck, DeckStatus.DRAFT)
    db.session.commit()
    auth.login()
    assert "Class quiz" not in client.get("/quiz/").get_data(as_text=True)
    assert client.get(f"/quiz/{quiz.id}").status_code == 404
    assert post(client, "/quiz/", {"scope": f"deck-{deck.id}", "length": "5", "types": "choice"},
                token_from="/quiz/").status_code in (400, 422)
    gen.set_status(db.session, deck, DeckStatus.PUBLISHED)
    db.session.commit()
    assert "Class quiz" in client.get("/quiz/").get_data(as_text=True)
    assert client.get(f"/quiz/{quiz.id}").status_code == 200


def test_accepted_cards_are_studyable_once_published(client, article, learner):
    entries = stored(article.id)
    send(client, article, review_data(entries, {0: "accept", 1: "accept"}, add_accepted="y"))
    deck = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))
    post(client, f"{GEN}decks/{deck.id}/publish", token_from="/study/")
    now = utcnow()
    seen = []
    for _ in range(len({k for e in entries[:2] for k in e.card_keys()})):
        showing = study.next_showing(db.session, learner, deck, now)
        assert showing is not None and showing.queue == "new"
        seen.append(showing.card.note_key)
        study.record_answer(db.session, learner, showing.card, 3, showing.version, now,
                            settings=study.settings_for(deck), fuzz=False)
    assert set(seen) == {entries[0].key, entries[1].key}


def test_upload_a_text_file(client, auth, instructor):
    auth.login("teacher")
    data = {"upload": (io.BytesIO(ARTICLE.encode("utf-8")), "arden.md")}
    response = post(client, GEN, data, token_from=GEN, content_type="multipart/form-data")
    article = db.session.scalar(select(Article))
    assert response.status_code == 302 and article.text == ARTICLE and article.title == "The Arden Valley Dam"
    assert article.candidates


@pytest.mark.parametrize("upload, message", [
    ((b"%PDF-1.4", "paper.pdf"), "Upload a .txt or .md file."),
    ((b"x" * 200_001, "big.txt"), "larger than 200 kB"),
    (("caf\xe9".encode("latin-1"), "latin.txt"), "not UTF-8"),
    ((b"   \n\n", "blank.txt"), "no text"),
])
def test_bad_uploads_are_refused_with_a_reason(client, auth, instructor, upload, message):
    auth.login("teacher")
    content, name = upload
    response = post(client, GEN, {"upload": (io.BytesIO(content), name)}, token_from=GEN,
                    content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Article) == 0


def test_paste_and_upload_together_or_neither_is_refused(client, auth, instructor):
    auth.login("teacher")
    both = post(client, GEN, {"text": ARTICLE, "upload": (io.BytesIO(b"more"), "x.txt")}, token_from=GEN,
                content_type="multipart/form-data")
    assert both.status_code == 422 and "not both" in both.get_data(as_text=True)
    neither = post(client, GEN, {"title": "Empty"}, token_from=GEN)
    assert neither.status_code == 422 and "no text" in neither.get_data(as_text=True)
    assert count(Article) == 0


def test_xss_in_a_pasted_article_stays_inert(client, auth, instructor):
    auth.login("teacher")
    said = '"{} was said to be the real plan for 2024," Pavel Orlov said in 1999 to about 3,000 people.'
    hostile = "\n\n".join(said.format(p) for p in XSS_PAYLOADS)
    paste(client, text=hostile, title=XSS_PAYLOADS[0])
    article = db.session.scalar(select(Article))
    entries = stored(article.id)
    assert entries  # the payloads reach the review screen as candidates
    for path in (GEN, f"{GEN}{article.id}"):
        html = client.get(path).get_data(as_text=True)
        assert unsafe_markup(html, {"/static/js/busy.js"}) == [], path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = review_data(entries, {e.index: "accept" for e in entries}, add_accepted="y")
    assert send(client, article, data).status_code == 302
    assert count(Card) == sum(len(e.card_keys()) for e in entries)
    assert unsafe_markup(client.get(f"{GEN}{article.id}").get_data(as_text=True), {"/static/js/busy.js"}) == []


def test_missing_article_is_404(client, auth, instructor):
    auth.login("teacher")
    assert client.get(f"{GEN}999").status_code == 404


def test_generate_cards_cli(runner, tmp_path):
    source = tmp_path / "arden.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(args=["generate-cards", str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    candidates = cardgen.generate(ARTICLE)
    assert records == [c.to_dict() for c in candidates]
    # the records carry each note whole, quiz material included
    assert [Candidate.from_dict(r).note for r in records] == [c.note for c in candidates]
    out = tmp_path / "out.json"
    result = runner.invoke(args=["generate-cards", str(source), "-o", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text()) == records
    assert runner.invoke(args=["generate-cards", str(tmp_path / "missing.txt")]).exit_code != 0


LEANING = """The Vell Plough Trial

The Vell plough trial ran for two years on farms along the river.

At the end, 40 of the farms kept the new plough, and 12 sold it within a year.
"""


def test_a_card_that_leans_is_shown_added_and_kept_with_its_lead(client, auth, instructor):
    # the second paragraph does not read alone: its card carries the first as its lead (cardgen_lead)
    auth.login("teacher")
    assert paste(client, LEANING, "Vell plough").status_code == 302
    article = db.session.scalar(select(Article))
    entries = stored(article.id)
    led = next(e for e in entries if "{{c1::40}}" in e.candidate.note.prompt)
    lead = "The Vell plough trial ran for two years on farms along the river."
    assert led.candidate.note.prompt.startswith(lead + " At the end,")
    html = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert str(escape(lead)) in candidate_block(html, led.number)
    data = review_data(entries, {e.index: "accept" if e.index == led.index else "reject" for e in entries},
                       add_accepted="y")
    assert send(client, article, data).status_code == 302
    [card] = db.session.scalars(select(Card).where(Card.answer == "40")).all()
    assert card.prompt.startswith(lead) and card.prompt == led.candidate.note.prompt
