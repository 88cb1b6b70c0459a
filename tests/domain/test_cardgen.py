"""Card generator: which sentences become cards, which are dropped and why, on made-up articles."""
from __future__ import annotations

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.domain.cardgen import Candidate, analyse, generate

# A made-up article with every kind of furniture the generator must see through.
# Blocks (blank-line separated): 1 headline, 2-3 bullets, 4 byline, 5.. body, then caption,
# bio and "Read the original article".
ARTICLE = """Floods, Farms and the Arden Dam

  \u2022 The dam changed the valley for good.

  \u2022 Critics still argue about the cost of 9,999 new homes.

By Jane Holloway

The Arden Valley lost about 3,200 acres of farmland when the reservoir filled in 1969, according to county records kept in the town hall.

Engineers from the Northfield Institute spent five years surveying the river before the first stone was laid near Kestle.
The survey, funded by the Arden Trust, cost roughly $4.5 million at the time.

The dam opened in 1971.

"We knew the reservoir would drown the best fields in the valley, but the floods were killing people every spring," Dr. Maria Lopez said.

Tomas Berg, who designed the spillway, disagreed with the council about its height. "The spillway was built two metres lower than I asked for, and we have paid for that ever since," Berg told the Valley Courier.

"Repairs to the spillway will cost more than building a second dam upstream," the Northfield Institute warned in 2004.

"Without the dam, the town would have been flooded at least twelve times since the war," the report said.

Farmers moved their herds to Kestle, and Kestle grew quickly. Kestle became the market town. Traders in Kestle sold wool. Kestle now has a station.

The Arden Valley lost about 3,200 acres of farmland when the reservoir filled in 1969, county records show.

The spillway was rebuilt in 1988 after the storm of 1988 cracked its lower wall and flooded the road to Holt.

A photo of the 7,777 cattle moved from the valley at dusk before the flooding.
A photo of the 7,777 cattle moved from the valley at dusk before the flooding.Jane Holloway/Getty Images

Jane Holloway is a science writer whose work has appeared in 45 regional newspapers since 1999. Follow her on Twitter.

Read the original article on Example News
"""


def by_answer(candidates: list[Candidate], answer: str) -> list[Candidate]:
    return [c for c in candidates if c.answer == answer]


def test_figures_dates_and_names_become_clozes():
    cands = generate(ARTICLE)
    [acres] = by_answer(cands, "3,200")
    assert acres.type == "cloze" and acres.reason == "figure" and acres.category == "number"
    assert acres.paragraph == 5
    assert acres.prompt == ("The Arden Valley lost about {{c1::3,200}} acres of farmland when the "
                            "reservoir filled in 1969, according to county records kept in the town hall.")
    [year] = by_answer(cands, "1969")
    assert year.reason == "date" and year.category == "year" and year.paragraph == 5
    [money] = by_answer(cands, "$4.5 million")
    assert money.paragraph == 6 and money.category == "number"
    [institute] = [c for c in by_answer(cands, "Northfield Institute") if c.type == "cloze"]
    assert institute.category == "organisation" and institute.reason == "named organisation"
    [berg] = [c for c in by_answer(cands, "Tomas Berg") if c.type == "cloze"]
    assert berg.category == "person"
    [holt] = by_answer(cands, "Holt")
    assert holt.category == "place"


def test_every_cloze_answer_is_in_its_source_and_sources_are_exact():
    cands = generate(ARTICLE)
    assert cands
    for cand in cands:
        assert cand.source in ARTICLE
        assert 0 <= cand.score <= 1
        if cand.type == "cloze":
            assert cand.answer in cand.source
            assert cand.prompt.count("{{c1::") == 1
            assert f"{{{{c1::{cand.answer}}}}}" in cand.prompt
            assert cand.prompt.replace("{{c1::", "").replace("}}", "") == " ".join(cand.source.split())


def test_attribution_cards():
    quotes = {c.answer: c for c in generate(ARTICLE) if c.type == "basic"}
    lopez = quotes["Maria Lopez"]  # title dropped
    assert lopez.reason == "quote" and lopez.category == "person"
    assert lopez.prompt == ("Who said: \u201cWe knew the reservoir would drown the best fields in the "
                            "valley, but the floods were killing people every spring\u201d?")
    berg = quotes["Tomas Berg"]  # "Berg told" completed from the full name used earlier
    assert "two metres lower" in berg.prompt and berg.paragraph == 9
    institute = [c for c in generate(ARTICLE) if c.type == "basic" and c.answer == "Northfield Institute"]
    assert institute[0].category == "organisation"
    # "the report said" stands for the last organisation quoted
    assert any("flooded at least twelve times" in c.prompt for c in institute)


def test_headline_bullets_byline_caption_bio_are_dropped():
    analysis = analyse(ARTICLE)
    reasons = {(d.paragraph, d.reason) for d in analysis.dropped if d.answer is None}
    assert (1, "title line") in reasons
    assert (2, "bullet") in reasons and (3, "bullet") in reasons
    assert (4, "byline or page furniture") in reasons
    assert (15, "caption") in reasons
    assert (16, "author bio") in reasons
    assert (17, "byline or page furniture") in reasons
    answers = {c.answer for c in analysis.candidates}
    # facts that only appear in the furniture never become cards
    assert not answers & {"9,999", "7,777", "45", "1999", "Jane Holloway", "Getty Images", "Example News"}
    assert all(c.paragraph not in (1, 2, 3, 4, 15, 16, 17) for c in analysis.candidates)


def test_sentence_without_context_is_dropped():
    analysis = analyse(ARTICLE)
    assert not by_answer(analysis.candidates, "1971")
    assert any(d.answer == "1971" and d.reason == "too little context" for d in analysis.dropped)


def test_answer_repeated_in_its_sentence_is_dropped():
    analysis = analyse(ARTICLE)
    assert not by_answer(analysis.candidates, "1988")
    assert any(d.answer == "1988" and d.reason == "answer appears elsewhere in the sentence"
               for d in analysis.dropped)


def test_place_named_too_often_is_dropped():
    analysis = analyse(ARTICLE)
    assert not by_answer(analysis.candidates, "Kestle")
    assert any(d.answer == "Kestle" and d.reason == "place named too often to test"
               for d in analysis.dropped)


def test_near_duplicates_are_merged():
    analysis = analyse(ARTICLE)
    # the acreage is stated in paragraphs 5 and 13 in nearly the same words: one card each
    assert len(by_answer(analysis.candidates, "3,200")) == 1
    assert len(by_answer(analysis.candidates, "1969")) == 1
    assert any(d.answer == "3,200" and d.reason == "near-duplicate" and d.paragraph == 13
               for d in analysis.dropped)


def test_sorted_best_first_and_deterministic():
    first = [c.to_dict() for c in generate(ARTICLE)]
    assert first == [c.to_dict() for c in generate(ARTICLE)]
    scores = [c["score"] for c in first]
    assert scores == sorted(scores, reverse=True)
    assert {"type", "prompt", "answer", "source", "paragraph", "reason", "score", "category"} <= set(first[0])


def test_markdown_headings_lists_links_and_hard_wraps():
    text = (
        "# The Arden Dam\n\n## Background\n\n"
        "The reservoir covered **3,200 acres** of farmland once the gates closed, see the "
        "[county report](https://example.org/archive/1975/report-2019) for details.\n\n"
        "- Built over 1,800 days of work.\n- Cost overruns were large.\n\n"
        "The valley held 450 farms before the flood, and only a handful of farms remained\n"
        "once the water had settled across the lower fields of the old parish.\n"
    )
    analysis = analyse(text)
    answers = {c.answer for c in analysis.candidates}
    assert "3,200" in answers and "450" in answers
    assert not answers & {"1975", "2019", "1,800"}  # numbers in URLs and bullets are not facts
    wrapped = by_answer(analysis.candidates, "450")[0]
    assert wrapped.paragraph == 5 and "\n" in wrapped.source and wrapped.source in text
    assert "\n" not in wrapped.prompt
    assert {d.reason for d in analysis.dropped if d.answer is None} >= {"heading", "bullet"}


def test_ranges_are_one_answer():
    text = "Officials said the repairs would take five or 10 years to finish, depending on funding from the state."
    assert [c.answer for c in generate(text)] == ["five or 10"]


def test_two_thousand_words_under_a_second():
    paragraphs = []
    for i in range(40):
        paragraphs.append(
            f"In {1900 + i}, the Arden council spent about {i + 2},{i % 10}00 pounds on the Holt road, "
            f"according to records kept by the Northfield Institute in Kestle. \"We had {i + 3} crews "
            f"working through the winter of {1900 + i} and the spring after it,\" Tomas Berg said.")
    text = "\n\n".join(paragraphs)
    assert len(text.split()) >= 1500
    text = text + "\n\n" + ARTICLE
    words = len(text.split())
    best = min(_timed(text) for _ in range(3))
    assert best * 2000 / words < 1.0


def _timed(text: str) -> float:
    start = time.perf_counter()
    generate(text)
    return time.perf_counter() - start


_alphabet = st.sampled_from(list("abcdefghij ABCDEFG 0123456789 ,.;:!?-'\"\u201c\u201d\u2022*#[]()/\n\n "))
_words = st.sampled_from(["The", "Arden", "Trust", "said", "about", "3,200", "1969", "1850s",
                          "Dr.", "Maria", "Lopez", "according", "to", "Corp.", "\"", ",", ".",
                          "\n\n", "\n", "\u2022", "in", "River", "the", "report", "$4.5", "million",
                          "Kestle", "told", "NATO", "five", "or", "10"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(_alphabet, max_size=400),
                 st.lists(_words, max_size=120).map(" ".join),
                 st.text(max_size=200)))
def test_generate_never_crashes_and_keeps_its_promises(text):
    blocks = len([b for b in re.split(r"\n[ \t\r]*\n", text) if b.strip()])
    for cand in generate(text):
        assert cand.type in ("cloze", "basic")
        assert cand.source and cand.source in text
        assert 1 <= cand.paragraph <= blocks
        assert 0 <= cand.score <= 1
        if cand.type == "cloze":
            assert cand.answer and cand.answer in cand.source
            assert "{{c1::" + cand.answer + "}}" in cand.prompt
        else:
            assert cand.prompt.startswith("Who said:")
