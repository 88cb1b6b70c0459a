"""The card generator's review screen: instructors only, paste or upload, accept/edit/reject, CLI."""
from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from payloads import XSS_PAYLOADS, unsafe_markup
from studyapp.domain import cardgen
from studyapp.extensions import db
from studyapp.models import Article, Card, CardSource, Deck, Section, utcnow
from studyapp.services import study
from support import post

GEN = "/instructor/generate/"

ARTICLE = """The Arden Valley Dam

The Arden Valley dam was finished in 1969 after eleven years of work by the regional water board.

About 3,200 engineers and labourers worked on the project, which cost the province nearly 40 million dollars at the time.

"Nobody in the valley was ever asked whether they wanted their land flooded," Pavel Orlov said at a packed meeting.

Today the reservoir supplies water to roughly 250,000 people in the towns of Holt and Marrow.
"""


def paste(client, text=ARTICLE, title="Arden dam"):
    return post(client, GEN, {"title": title, "text": text}, token_from=GEN)


def review_data(candidates, decisions=None, edits=None, **extra):
    data = {"deck": "new", "new_deck_name": "Arden valley", "section_title": "The dam", "min_score": "0.7"}
    for i, cand in enumerate(candidates):
        prompt, answer = (edits or {}).get(i, (cand.prompt, cand.answer))
        data[f"candidates-{i}-decision"] = (decisions or {}).get(i, "pending")
        data[f"candidates-{i}-prompt"] = prompt
        data[f"candidates-{i}-answer"] = answer
    data.update(extra)
    return data


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


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


def test_review_lists_candidates_best_first_with_the_answer_marked(client, article):
    html = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    candidates = cardgen.generate(ARTICLE)
    scores = [float(s) for s in re.findall(r'data-score="([0-9.]+)"', html)]
    assert len(scores) == len(candidates) and scores == sorted(scores, reverse=True)
    assert "About <mark>3,200</mark> engineers" in html
    assert "finished in <mark>1969</mark> after" in html
    assert "Who said: “Nobody in the valley" in html
    assert html.count('value="accept"') == len(candidates)


def test_accept_two_candidates_into_a_new_deck_and_study_them(client, article, learner):
    candidates = cardgen.generate(ARTICLE)
    cloze = next(i for i, c in enumerate(candidates) if c.answer == "1969")
    said = next(i for i, c in enumerate(candidates) if c.type == "basic")
    edited = "Who said that nobody in the valley was asked before the land was flooded?"
    data = review_data(candidates, {cloze: "accept", said: "accept", 0: "reject"},
                       {said: (edited, "Pavel Orlov")}, add_accepted="y")
    response = post(client, f"{GEN}{article.id}", data, token_from=GEN)
    deck = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"?deck={deck.id}")
    cards = db.session.scalars(select(Card).where(Card.deck_id == deck.id).order_by(Card.position)).all()
    assert len(cards) == 2
    by_type = {c.type: c for c in cards}
    c1 = by_type["cloze"]
    assert c1.key == f"a{article.id}-{cloze + 1}-1969.c1" and c1.note_key == f"a{article.id}-{cloze + 1}-1969"
    assert (c1.cloze_ord, c1.answer, c1.paragraph) == (1, "1969", 2)
    assert "{{c1::1969}}" in c1.prompt
    basic = by_type["basic"]
    assert (basic.prompt, basic.answer, basic.cloze_ord, basic.paragraph) == (edited, "Pavel Orlov", None, 4)
    for card in cards:
        assert card.tag_list == ["generated"] and card.section.title == "The dam" and card.status == "active"
        source = db.session.get(CardSource, card.id)
        assert source.article_id == article.id and source.paragraph == card.paragraph
        assert source.source_sentence in ARTICLE
    assert db.session.scalar(select(Section).where(Section.deck_id == deck.id)).slug == "the-dam"
    # studyable: the learner gets both as new cards
    now = utcnow()
    seen = []
    for _ in range(2):
        showing = study.next_showing(db.session, learner, deck, now)
        assert showing is not None and showing.queue == "new"
        seen.append(showing.card.id)
        study.record_answer(db.session, learner, showing.card, 3, showing.version, now,
                            settings=study.settings_for(deck), fuzz=False)
    assert sorted(seen) == sorted(c.id for c in cards)
    # and on the review screen they are marked as added
    html = client.get(f"{GEN}{article.id}").get_data(as_text=True)
    assert html.count("added to Arden valley") == 2


def test_edited_cloze_answer_moves_into_the_deletion(client, article):
    candidates = cardgen.generate(ARTICLE)
    i = next(i for i, c in enumerate(candidates) if c.answer == "3,200")
    post(client, f"{GEN}{article.id}", review_data(candidates, {i: "accept"}, {i: (candidates[i].prompt, "about 3,200")},
                                                   add_accepted="y"), token_from=GEN)
    card = db.session.scalar(select(Card).where(Card.type == "cloze"))
    assert card.answer == "about 3,200" and "{{c1::about 3,200}}" in card.prompt


def test_accept_all_above_a_score_skips_rejected_and_repeats(client, article):
    candidates = cardgen.generate(ARTICLE)
    above = [i for i, c in enumerate(candidates) if c.score >= 0.8]
    data = review_data(candidates, {above[0]: "reject"}, min_score="0.8", add_above="y")
    post(client, f"{GEN}{article.id}", data, token_from=GEN)
    deck = db.session.scalar(select(Deck).where(Deck.name == "Arden valley"))
    answers = set(db.session.scalars(select(Card.answer).where(Card.deck_id == deck.id)))
    assert answers == {candidates[i].answer for i in above[1:]}
    # the same again into the same deck adds nothing new
    data = review_data(candidates, min_score="0.8", add_above="y", deck=str(deck.id))
    response = post(client, f"{GEN}{article.id}", data, token_from=GEN, follow_redirects=True)
    assert "already there" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Card).where(Card.deck_id == deck.id)) == len(above)


def test_a_cloze_edited_without_its_deletion_is_refused(client, article):
    candidates = cardgen.generate(ARTICLE)
    data = review_data(candidates, {0: "accept"}, {0: ("No deletion left here.", "")}, add_accepted="y")
    response = post(client, f"{GEN}{article.id}", data, token_from=GEN)
    assert response.status_code == 422 and "{{c1::...}}" in response.get_data(as_text=True)
    assert count(Card) == 0 and count(Deck) == 0


def test_review_form_errors_are_shown(client, article):
    candidates = cardgen.generate(ARTICLE)
    response = post(client, f"{GEN}{article.id}", review_data(candidates, {0: "accept"}, new_deck_name="",
                                                              add_accepted="y"), token_from=GEN)
    assert response.status_code == 422 and "Name the new deck" in response.get_data(as_text=True)
    response = post(client, f"{GEN}{article.id}", review_data(candidates, min_score="7", add_above="y"),
                    token_from=GEN)
    assert response.status_code == 422 and "Between 0 and 1." in response.get_data(as_text=True)
    nothing = post(client, f"{GEN}{article.id}", review_data(candidates, add_accepted="y"), token_from=GEN)
    assert nothing.status_code == 200 and "No card chosen" in nothing.get_data(as_text=True)
    assert count(Card) == 0


def test_upload_a_text_file(client, auth, instructor):
    auth.login("teacher")
    data = {"upload": (io.BytesIO(ARTICLE.encode("utf-8")), "arden.md")}
    response = post(client, GEN, data, token_from=GEN, content_type="multipart/form-data")
    article = db.session.scalar(select(Article))
    assert response.status_code == 302 and article.text == ARTICLE and article.title == "The Arden Valley Dam"


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
    hostile = "\n\n".join(f'"{p} was said to be the real plan for 2024," Pavel Orlov said in 1999 to about 3,000 people.'
                          for p in XSS_PAYLOADS)
    paste(client, text=hostile, title=XSS_PAYLOADS[0])
    article = db.session.scalar(select(Article))
    assert cardgen.generate(hostile)  # the payloads reach the review screen as candidates
    for path in (GEN, f"{GEN}{article.id}"):
        html = client.get(path).get_data(as_text=True)
        assert unsafe_markup(html) == [], path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    candidates = cardgen.generate(hostile)
    data = review_data(candidates, {i: "accept" for i in range(len(candidates))}, add_accepted="y")
    post(client, f"{GEN}{article.id}", data, token_from=GEN)
    assert count(Card) == len(candidates)
    assert unsafe_markup(client.get(f"{GEN}{article.id}").get_data(as_text=True)) == []


def test_missing_article_is_404(client, auth, instructor):
    auth.login("teacher")
    assert client.get(f"{GEN}999").status_code == 404


def test_generate_cards_cli(runner, tmp_path):
    source = tmp_path / "arden.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(args=["generate-cards", str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert records == [c.to_dict() for c in cardgen.generate(ARTICLE)]
    for record in records:
        assert {"type", "prompt", "answer", "source", "paragraph", "score"} <= set(record)
    out = tmp_path / "out.json"
    result = runner.invoke(args=["generate-cards", str(source), "-o", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text()) == records
    assert runner.invoke(args=["generate-cards", str(tmp_path / "missing.txt")]).exit_code != 0
