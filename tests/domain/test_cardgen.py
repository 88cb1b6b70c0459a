"""Card generator: which sentences become cards, with what quiz material, and what is dropped and why.

Behaviour is tested on made-up articles; the span properties also run over every evaluation text in
benchmarks/data/cardgen_eval (and the seed article when it is there).
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.cardgen_quality import span_problems, texts
from studyapp.domain import nlp
from studyapp.domain.cardgen import Candidate, analyse, generate
from studyapp.domain.notes import AnswerKind, CardType, note_to_dict, validate_note

EVAL_TEXTS = [(name, text) for name, text, _ in texts()]

# A made-up article with every kind of furniture the generator must see through.
# Blocks: 1 headline, 2-3 bullets, 4 byline, 5.. body, then caption, bio and "Read the original article".
ARTICLE = "\n\n".join([
    "Floods, Farms and the Arden Dam",
    "  \u2022 The dam changed the valley for good.",
    "  \u2022 Critics still argue about the cost of 9,999 new homes.",
    "By Jane Holloway",
    "The Arden Valley lost about 3,200 acres of farmland when the reservoir filled in 1969, "
    "according to county records kept in the town hall.",
    "Engineers from the Northfield Institute spent five years surveying the river before the first stone "
    "was laid near Kestle.\nThe survey, funded by the Arden Trust, cost roughly $4.5 million at the time.",
    "The dam opened in 1971.",
    "\"We knew the reservoir would drown the best fields in the valley, but the floods were killing people "
    "every spring,\" Maria Lopez said.",
    "Tomas Berg, who designed the spillway, disagreed with the council about its height. \"The spillway was "
    "built two metres lower than I asked for, and we have paid for that ever since,\" Berg told the Valley Courier.",
    "\"Repairs to the spillway will cost more than building a second dam upstream,\" the Northfield Institute "
    "warned in 2004.",
    "\"Without the dam, the town would have been flooded at least twelve times since the war,\" the report said.",
    "The council lowered the spillway because the engineers had run out of money.",
    "The Arden Valley lost about 3,200 acres of farmland when the reservoir filled in 1969, county records show.",
    "A photo of the 7,777 cattle moved from the valley at dusk before the flooding.\n"
    "A photo of the 7,777 cattle moved from the valley at dusk before the flooding.Jane Holloway/Getty Images",
    "Jane Holloway is a science writer whose work has appeared in 45 regional newspapers since 1999. "
    "Follow her on Twitter.",
    "Read the original article on Example News",
]) + "\n"


@pytest.fixture(scope="module")
def cands() -> list[Candidate]:
    return generate(ARTICLE)


def by_answer(candidates: list[Candidate], answer: str) -> list[Candidate]:
    return [c for c in candidates if c.answer == answer]


# -- the note every candidate carries -------------------------------------------------------------

@pytest.mark.parametrize("name,text", EVAL_TEXTS + [("made-up", ARTICLE)])
def test_every_note_validates_and_round_trips(name, text):
    candidates = generate(text)
    assert candidates, name
    for cand in candidates:
        note, problems = validate_note(note_to_dict(cand.note))
        assert note == cand.note and not problems, (cand.prompt, problems)
        assert Candidate.from_dict(cand.to_dict()) == cand
        assert cand.note.category is not None and cand.note.statement
        assert not cand.note.statement.endswith("?")
        assert text[cand.start:cand.start + len(cand.source)] == cand.source
        assert 0 <= cand.score <= 1


def test_from_dict_refuses_an_invalid_note(cands):
    data = cands[0].to_dict()
    data["note"]["prompt"] = ""
    with pytest.raises(ValueError, match="prompt"):
        Candidate.from_dict(data)


# -- spans: whole dates, whole entities, nothing malformed ------------------------------------------

@pytest.mark.parametrize("name,text", EVAL_TEXTS)
def test_no_malformed_span_in_any_eval_text(name, text):
    for cand in generate(text):
        assert span_problems(cand, text) == [], cand.prompt
        if cand.type == "cloze":
            assert cand.answer in cand.source
            assert cand.prompt.count("{{c1::") == 1


def test_a_day_and_its_month_are_one_date():
    text = ("President Kennedy was shown the photographs of the launch sites on the morning of 16 October. "
            "On 28 October Khrushchev announced on the radio that the missiles would be taken home.")
    answers = [c.answer for c in generate(text)]
    assert "16 October" in answers and "28 October" in answers
    assert not {"16", "28", "October", "October Khrushchev"} & set(answers)


def test_entity_spans_are_whole_and_trimmed():
    text = ("In the spring of 1962 the Soviet leader decided to place nuclear missiles on the island.\n\n"
            "Ships carried some 40,000 soldiers to the island over the summer, under a secret code name.")
    cands = generate(text)
    answers = {c.answer for c in cands}
    assert "40,000" in answers and "some 40,000" not in answers   # the numeric core
    assert "1962" in answers and "the spring of 1962" not in answers
    for cand in cands:
        assert not re.search(r"\bthe\b", cand.answer.split()[0]), cand.answer


def test_a_year_is_a_year_and_a_date_is_a_date():
    text = ("The treaty was signed in Vienna in 1979 after six years of talks between the two delegations. "
            "The treaty came into force on 18 June 1981 after both parliaments had voted for it.")
    kinds = {c.answer: c.note.category for c in generate(text)}
    assert kinds.get("1979") == AnswerKind.YEAR
    assert kinds.get("18 June 1981") == AnswerKind.DATE


# -- people, questions and who-said -----------------------------------------------------------------

def test_question_from_the_parse_when_the_person_is_the_subject():
    text = "General Curtis LeMay compared the naval blockade to the appeasement of Hitler at Munich in 1938."
    who = [c for c in generate(text) if c.reason == "person" and c.type == "basic"]
    assert who and who[0].prompt == "Who compared the naval blockade to the appeasement of Hitler at Munich in 1938?"
    assert who[0].answer == "Curtis LeMay" and "LeMay" in who[0].note.alternatives


def test_when_question_moves_the_date_out():
    text = "On 22 October, Kennedy revealed the crisis to the nation in a televised address from the White House."
    [when] = [c for c in generate(text) if c.reason == "date"]
    assert when.type == "basic" and when.answer == "22 October"
    assert when.prompt == ("On what date did Kennedy reveal the crisis to the nation in a televised address "
                           "from the White House?")
    assert "22 October" in when.note.statement


def test_attribution_cards_and_speaker_resolution(cands):
    quotes = {c.answer: c for c in cands if c.reason == "quote"}
    lopez = quotes["Maria Lopez"]
    assert lopez.note.category == AnswerKind.PERSON and lopez.note.speaker == "Maria Lopez"
    assert lopez.note.claim.startswith("We knew the reservoir would drown the best fields")
    assert lopez.prompt == f"Who said: \u201c{lopez.note.claim}\u201d?"
    assert "Lopez" not in lopez.note.claim
    # "Berg told" is completed from the full name used earlier
    berg = quotes["Tomas Berg"]
    assert "two metres lower" in berg.note.claim and berg.paragraph == 9
    # "the report said" stands for the last organisation named
    institute = [c for c in cands if c.reason == "quote" and c.answer == "Northfield Institute"]
    assert {c.note.category for c in institute} == {AnswerKind.ORGANISATION}
    assert any("flooded at least twelve times" in c.note.claim for c in institute)


def test_he_and_she_stand_for_the_person_the_passage_is_about():
    text = ("Ada Palmer trained as a chemist in Leeds before the war. "
            "She moved to Glasgow in 1931 to run a laboratory.\n\n"
            "Her colleague Tom Reid built the first furnace there. The laboratory closed in 1950.\n\n"
            "\"We never had enough money for the work we wanted to do in that building,\" she said.")
    # Tom Reid (and "Glasgow", which the small model tags as a person) are named since Ada Palmer and
    # nothing shows either is not "she": ambiguous, so no who-said card guesses (pronoun rule). (Until
    # round 4 the text said "He worked at the laboratory until 1950."; that "He" now shows Tom Reid is
    # "he", see test_cardgen_round4.)
    analysis = analyse(text)
    assert not [c for c in analysis.candidates if c.reason == "quote"]
    text = ("Ada Palmer trained as a chemist in Leeds before the war. She ran a laboratory for twenty years."
            "\n\n\"We never had enough money for the work we wanted to do in that building,\" she said.")
    [quote] = [c for c in generate(text) if c.reason == "quote"]
    assert quote.answer == "Ada Palmer"  # the one person named in the last sentences, shown to be "she"


def test_she_is_never_given_a_man_s_name():
    # Babbage is the last subject, but nothing in the text says he is "she": no name is put in
    text = ("Ada Byron was born in London in 1815, the only child of a famous poet. She studied mathematics "
            "with private tutors in the city.\n\n"
            "Charles Babbage designed a calculating engine in the 1830s for the government in London. "
            "She wrote the first published program for that engine in 1843 after years of study.")
    cands = generate(text)
    for cand in cands:
        assert not re.search(r"Babbage (?:wrote|write)", cand.prompt + " " + cand.note.plain_statement())
    # Ada Byron is "she", but Babbage is named since and nothing shows he is not: ambiguous, no card
    assert not [c for c in cands if "1843" in c.answer]
    assert any(d.reason.startswith("unresolved pronoun") and "1843" in d.text for d in analyse(text).dropped)


def test_a_surname_stands_for_the_full_name_used_earlier():
    text = ("Dean Rusk was the secretary of state who advised the president during the whole crisis.\n\n"
            "\"We're eyeball to eyeball, and I think the other fellow just blinked,\" Rusk told a colleague.")
    [quote] = [c for c in generate(text) if c.reason == "quote"]
    assert quote.answer == "Dean Rusk" and quote.note.speaker == "Dean Rusk"


def test_scare_quotes_and_quoted_fragments_make_no_who_said_card():
    text = ("The exercises were described as more \"parallel\" than \"joint\" by the analysts at the institute.\n\n"
            "Officials asked \"whether the army would be a useful partner in a long war\" in their report.")
    assert not [c for c in generate(text) if c.reason == "quote"]


# -- why cards --------------------------------------------------------------------------------------

def test_why_question_from_because():
    text = "Castro was furious with the Soviet leaders because he had not been consulted about the deal."
    [why] = [c for c in generate(text) if c.reason == "why"]
    assert why.type == "basic" and why.note.category == AnswerKind.REASON
    assert why.prompt == "Why was Castro furious with the Soviet leaders?"
    assert why.answer == "Because he had not been consulted about the deal"
    assert why.note.statement == text


def test_why_from_so_and_in_order_to():
    text = ("Human cells have no cell wall, so the drug does little harm to the patient.\n\n"
            "Antibiotics are given to farm animals in order to make them grow faster.")
    whys = {c.paragraph: c for c in generate(text) if c.reason == "why"}
    assert whys[1].prompt == "Why does the drug do little harm to the patient?"
    assert whys[1].answer == "Because human cells have no cell wall"
    assert whys[2].prompt == "Why are antibiotics given to farm animals?"
    assert whys[2].answer == "To make them grow faster"


def test_why_cloze_when_no_clean_question(cands):
    # "The council lowered ..." makes a question; a relative clause does not
    text = ("The president chose a naval blockade, which his advisers called a quarantine because "
            "a blockade was an act of war under international law.")
    [why] = [c for c in generate(text) if c.reason == "why"]
    assert why.type == "cloze"
    assert why.answer == "a blockade was an act of war under international law"
    assert [c.prompt for c in cands if c.reason == "why"] == ["Why did the council lower the spillway?"]


# -- what is dropped --------------------------------------------------------------------------------

def test_headline_bullets_byline_caption_bio_are_dropped():
    analysis = analyse(ARTICLE)
    reasons = {(d.paragraph, d.reason) for d in analysis.dropped if d.answer is None}
    assert (1, "title line") in reasons
    assert (2, "bullet") in reasons and (3, "bullet") in reasons
    assert (4, "byline or page furniture") in reasons
    assert (14, "caption") in reasons
    assert (15, "author bio") in reasons
    assert (16, "byline or page furniture") in reasons
    answers = {c.answer for c in analysis.candidates}
    assert not answers & {"9,999", "7,777", "45", "1999", "Jane Holloway", "Getty Images", "Example News"}
    assert all(c.paragraph not in (1, 2, 3, 4, 14, 15, 16) for c in analysis.candidates)


def test_sentence_without_context_is_dropped():
    analysis = analyse(ARTICLE)
    assert not by_answer(analysis.candidates, "1971")
    assert any(d.answer == "1971" and d.reason == "too little context" for d in analysis.dropped)


def test_near_duplicates_are_merged():
    analysis = analyse(ARTICLE)
    # the acreage is stated in paragraphs 5 and 13 in nearly the same words: one card
    assert len(by_answer(analysis.candidates, "3,200")) == 1
    assert any(d.answer == "3,200" and d.reason == "near-duplicate" and d.paragraph == 13
               for d in analysis.dropped)


def test_one_card_per_name_and_at_most_two_per_sentence():
    text = ("Anna Weber founded the Weber Foundation in Basel in 1921 with money from her father.\n\n"
            "Anna Weber later moved the Weber Foundation to Zurich, where it still runs three schools.\n\n"
            "In 1930 the Weber Foundation opened a hospital in Lucerne with 120 beds and a garden for patients.")
    cands = generate(text)
    named = [c.answer for c in cands if c.reason in ("person", "organisation")]
    assert len(named) == len(set(named))
    per_sentence: dict[int, list[Candidate]] = {}
    for cand in cands:
        per_sentence.setdefault(cand.start, []).append(cand)
    for group in per_sentence.values():
        assert len(group) <= 2 or all(c.reason == "person" for c in group[2:])
        assert len({c.note.fact for c in group}) == 1  # siblings: a quiz never shows two


def test_answer_repeated_in_its_sentence_is_dropped():
    text = "The spillway was rebuilt in 1988 after the storm of 1988 cracked its lower wall and flooded the road."
    analysis = analyse(text)
    assert not by_answer(analysis.candidates, "1988")
    assert any(d.answer == "1988" and d.reason == "answer appears elsewhere in the sentence" for d in analysis.dropped)


def test_urls_are_not_facts():
    text = ("The reservoir covered 3,200 acres of farmland once the gates closed, see the "
            "[county report](https://example.org/archive/1975/report-2019) for details.")
    answers = {c.answer for c in generate(text)}
    assert "3,200" in answers and not answers & {"1975", "2019"}


# -- order and determinism --------------------------------------------------------------------------

def test_sorted_best_first_and_deterministic():
    first = [c.to_dict() for c in generate(ARTICLE)]
    assert first == [c.to_dict() for c in generate(ARTICLE)]
    # every sentence's first card, best first, then its second cards, best first (`cardgen_rank.rescore`)
    seen: set[int] = set()
    firsts = [c["score"] for c in first if c["start"] not in seen and not seen.add(c["start"])]
    assert [c["score"] for c in first[:len(firsts)]] == firsts == sorted(firsts, reverse=True)
    assert set(first[0]) == {"note", "source", "paragraph", "start", "reason", "score"}


def test_the_pipeline_is_loaded_once():
    assert nlp.pipeline() is nlp.pipeline()


_words = st.sampled_from(["The", "Arden", "Trust", "said", "about", "3,200", "1969", "1850s", "14", "October",
                          "Dr.", "Maria", "Lopez", "according", "to", "Corp.", "\"", ",", ".", "because",
                          "\n\n", "\n", "\u2022", "in", "River", "the", "report", "$4.5", "million", "so",
                          "Kestle", "told", "NATO", "five", "or", "10", "he", "she", "\u201c", "\u201d"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_words, max_size=80).map(" ".join), st.text(max_size=200)))
def test_generate_never_crashes_and_keeps_its_promises(text):
    blocks = len([b for b in re.split(r"\n[ \t\r]*\n", text) if b.strip()])
    for cand in generate(text):
        assert cand.note.type in (CardType.CLOZE, CardType.BASIC)
        assert cand.source and text[cand.start:cand.start + len(cand.source)] == cand.source
        assert 1 <= cand.paragraph <= blocks
        assert validate_note(note_to_dict(cand.note))[0] == cand.note
        if cand.type == "cloze":  # a verbatim slice, but line wrapping inside it is folded to one space
            assert cand.answer and " ".join(cand.answer.split()) in " ".join(cand.source.split())


# --- one card per fact; places that are the point; word figures; short date facts -------------------

def _group(cands: list[Candidate]) -> dict[int, list[Candidate]]:
    out: dict[int, list[Candidate]] = {}
    for cand in cands:
        out.setdefault(cand.start, []).append(cand)
    return out


def test_one_candidate_per_fact_unless_a_separate_clause():
    text = ("The Arden Trust paid the Northfield Institute for a survey of the whole river valley in 1960.\n\n"
            "The Kestle Society was founded in 1950, and the Marlow Club opened its first museum in 1962.")
    analysis = analyse(text)
    groups = list(_group(analysis.candidates).values())
    first = next(g for g in groups if "Arden Trust" in g[0].source)
    # one clause: the organisations are one fact (who paid whom), so only one of them is asked
    assert sum(c.category == "organisation" for c in first) <= 1
    assert any(d.reason == "the sentence already has a card on this fact" for d in analysis.dropped)
    second = next(g for g in groups if "Kestle Society" in g[0].source)
    # two clauses, each with its own subject and verb: two separate date facts
    assert {c.answer for c in second if c.category == "year"} == {"1950", "1962"}


def test_a_possessive_or_modifier_place_is_not_blanked():
    text = ("Nearly all of Norway's timber was carried to the coast by river in those years.\n\n"
            "The owners saw the new railway as a threat to their trade in Sweden for many years.\n\n"
            "In 1804 the Danish fleet landed at Lisbon after a long storm in the northern sea.")
    analysis = analyse(text)
    assert not by_answer(analysis.candidates, "Norway")
    assert not by_answer(analysis.candidates, "Sweden")  # modifies "trade", two nouns from the verb
    assert {d.answer for d in analysis.dropped if d.reason == "a place that is not the point of its clause"} \
        >= {"Norway", "Sweden"}
    assert [c.category for c in by_answer(analysis.candidates, "Lisbon")] == ["place"]  # where it landed


def test_fractions_and_word_numbers_are_figures():
    text = ("About two thirds of the grain crossed the river on barges owned by the town council.\n\n"
            "Some forty thousand people walked to the new bridge on the day it opened to traffic.")
    cands = generate(text)
    assert [c.category for c in by_answer(cands, "two thirds")] == ["number"]
    assert [c.category for c in by_answer(cands, "forty thousand people")] == ["number"]  # with its unit (round 6)
    # a small word number alone stays no figure ("two" of "two thirds" is never cut out)
    assert not by_answer(cands, "two")


def test_a_person_already_asked_still_gets_a_date_card_for_another_fact():
    text = ("Maria Lopez founded the Valley Courier in the town of Arden with money from her uncle.\n\n"
            "Lopez retired in March 1988.")
    cands = generate(text)
    assert [c.answer for c in cands if c.category == "person"] == ["Maria Lopez"]
    dates = [c for c in cands if c.answer == "March 1988"]
    assert len(dates) == 1 and dates[0].category == "date"


# -- pronouns and sentence splitting -----------------------------------------------------------------

_KEMP = ("Ruth Kemp was born in York in 1815, and Kemp taught in a school there for ten years. "
         "Kemp met the engineer Alan Frost at a party in York in 1833. {} "
         "She died in Leeds on 27 November 1852 after a long illness at home.")


def test_ambiguous_she_makes_no_card_and_says_why():
    # two people were subjects in the paragraph, neither shown to be "he" by the text: no guess
    text = _KEMP.format("Frost later built a mill in Derby.")
    analysis = analyse(text)
    for cand in analysis.candidates:
        shown = cand.prompt + " " + (cand.note.statement or "")
        assert "1852" not in shown and "Leeds" not in shown
    assert any(d.reason.startswith("unresolved pronoun") and "1852" in d.text for d in analysis.dropped)


def test_she_continues_the_last_subject_not_an_object():
    # Alan Frost is only an object ("met the engineer Alan Frost"): "She" is the subject, Ruth Kemp
    text = ("Ruth Kemp met the engineer Alan Frost at a party in York in 1833. "
            "She died in Leeds on 27 November 1852 after a long illness at home.")
    dated = [c for c in generate(text) if "1852" in c.prompt + " " + c.answer]
    assert dated and all("Ruth Kemp" in c.prompt and "Frost" not in c.prompt for c in dated)


@pytest.mark.parametrize("evidence", ["Mr Frost later built a mill in Derby.",
                                      "Frost, the father of three sons, later built a mill in Derby.",
                                      "Frost later built a mill in Derby for his family."])
def test_a_subject_shown_to_be_a_man_is_ruled_out_for_she(evidence):
    # Frost was a subject since Kemp, but a title, a role noun or "his" shows he is not "she"
    dated = [c for c in generate(_KEMP.format(evidence)) if "1852" in c.prompt + " " + c.answer]
    assert dated and all("Ruth Kemp" in c.prompt and "Frost" not in c.prompt for c in dated)


def test_a_role_noun_subject_is_someone_else():
    # "Her mother ... She hired tutors": the mother, whom the text does not name; never Ada Byron
    text = ("Ada Byron was born in London in 1815 and Ada Byron studied there.\n\n"
            "Her mother was determined that Ada Byron should not become a poet. "
            "She hired tutors in science in 1825 for the house in London.")
    for cand in generate(text):
        assert "Ada Byron hired" not in cand.prompt + " " + (cand.note.statement or "")


def test_unambiguous_she_is_resolved():
    # one person in the paragraph, and the text shows she is "she" (her own "herself")
    text = ("Ruth Kemp taught herself Greek as a girl in York. "
            "She died in Leeds on 27 November 1852 after a long illness at home.")
    cands = generate(text)
    dated = [c for c in cands if c.answer == "27 November 1852"]
    assert dated and all("Ruth Kemp" in c.prompt for c in dated)
    assert not any(c.prompt.startswith("She ") for c in cands)


def test_a_person_called_he_is_never_she():
    # Frost is "he" ("his") and Kemp "she": "She" can only be Kemp, though Frost is nearer
    text = ("Ruth Kemp taught herself Greek as a girl in York.\n\n"
            "Alan Frost showed her his new engine at a party in London. "
            "She wrote the first program for that engine in 1843 after years of study.")
    cands = generate(text)
    for cand in cands:
        assert "Frost wr" not in cand.prompt + " " + (cand.note.statement or "")
    # Kemp is outside the paragraph and Frost is in it: only the gender rule can pick, and it is
    # safe only if Frost is excluded; without Frost's "his", the sentence makes no card at all
    text2 = text.replace(" his new engine", " a new engine")
    for cand in generate(text2):
        assert "Frost wr" not in cand.prompt + " " + (cand.note.statement or "")


def test_a_kept_pronoun_needs_its_person_in_the_card():
    text = ("Ruth Kemp was born in York in 1815.\n\n"
            "Her parents separated a few weeks after her birth, and her father left England in 1816.")
    analysis = analyse(text)
    assert not [c for c in analysis.candidates if c.paragraph == 2]
    assert any(d.reason.startswith("unresolved pronoun") and d.paragraph == 2 for d in analysis.dropped)


def test_initials_neither_glue_nor_split_sentences():
    text = ("The translation was signed only with her initials, A.A.L. Her later years in York were hard. "
            "The book was written by J. R. R. Tolkien in Oxford in 1937. It sold well.")
    from studyapp.domain import nlp
    sentences = [s.text_of(text) for s in nlp.read(text).sentences]
    assert sentences == ["The translation was signed only with her initials, A.A.L.",
                         "Her later years in York were hard.",
                         "The book was written by J. R. R. Tolkien in Oxford in 1937.", "It sold well."]


# -- person mentions (nlp_people): who is a person, from the text itself ------------------------------

def _people(text: str) -> list[str]:
    return [e.text for s in nlp.read(text).sentences for e in s.entities if e.label == "PERSON"]


def test_a_name_after_an_honorific_is_a_person_and_its_surname_too():
    text = ("Augusta Ada Byron was born in London on 10 December 1815, the only child of the poet Lord Byron "
            "and his wife. Byron left England in 1816.")
    people = _people(text)
    assert "Lord Byron" in people and "Byron" in people
    assert not _people("General Motors built a new plant in Ohio in 1950.")


def test_a_name_ending_in_a_known_person_s_name_is_a_person():
    text = ("Augusta Ada Byron was born in London on 10 December 1815, the only child of the poet Lord Byron "
            "and his wife. Byron left England in 1816.")
    assert "Augusta Ada Byron" in _people(text)


def test_a_bare_surname_stands_for_the_titled_person_of_that_name():
    reading = nlp.read("Emily Jane Shelley was born in Bath in 1821, the only daughter of the novelist "
                       "Lady Shelley and her husband. Shelley left England in 1825.")
    assert reading.people.canonical("Shelley") == "Lady Shelley"


def test_a_surname_alone_stands_for_the_person_the_headline_names():
    reading = nlp.read("Mabel Fenwick, the first pilot\n\nFenwick was born in 1890 in Dover.\n\n"
                       "In 1911 Fenwick flew across the Channel. Her plane was made of wood.")
    assert reading.people.canonical("Fenwick") == "Mabel Fenwick"


def test_the_seat_of_a_title_is_no_person():
    text = ("In 1835 Clara married Tom Holt, who became the Earl of Lovelace. She became the Countess of "
            "Lovelace. Lovelace is a name, and Ada Lovelace was a person.")
    reading = nlp.read(text)
    seat = text.index("Countess of Lovelace") + len("Countess of ")
    assert not any(e.label == "PERSON" and e.start == seat for s in reading.sentences for e in s.entities)
    assert "Ada Lovelace" in _people(text)
