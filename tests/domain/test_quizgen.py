"""Quiz generation from the note structure: types a card supports, same-kind options, exact types,
reproducibility, grading, ratings."""
from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.domain import distractors as dx
from studyapp.domain.notes import Note, validate_note
from studyapp.domain.quizgate import DeckFacts, check_question, check_quiz
from studyapp.domain.quizgen import (
    CHOICE_TYPES,
    QUESTION_TYPES,
    Question,
    QuizCard,
    build_quiz,
    grade,
    make_quiz,
    quiz_card,
    rating_for,
)


def card(id, prompt, answer, *, kind="fact", type="basic", section="s1", category=None, distractors=(),
         speaker=None, claim=None, statement=None, fact=None, alternatives=(), explanation=None):
    return QuizCard(id=id, kind=kind, type=type, prompt=prompt, answer=answer, alternatives=tuple(alternatives),
                    explanation=explanation if explanation is not None else f"About {id}.", section=section,
                    tags=("t",), category=category, distractors=tuple(distractors), speaker=speaker, claim=claim,
                    statement=statement, fact=fact, note=id.split(".")[0])


# A small made-up deck about a fictional river valley.
DECK = [
    card("troops", "How many engineers worked on the Arden dam?", "About 3,200", category="number",
         section="dam", statement="About 3,200 engineers worked on the Arden dam."),
    card("length", "How long is the Arden canal?", "2,600 miles", category="number", section="dam",
         statement="The Arden canal is 2,600 miles long."),
    card("opened", "In which year did the Arden dam open?", "1969", category="year", section="dam",
         statement="The Arden dam opened in 1969."),
    card("survey", "The valley was first surveyed in the […].", "1850s", type="cloze", category="year",
         section="history", statement="The valley was first surveyed in the 1850s."),
    card("founder", "Who founded the Arden Trust?", "Lena Ortiz", category="person", section="history",
         statement="Lena Ortiz founded the Arden Trust."),
    card("engineer", "Who designed the dam's spillway?", "Tomas Berg", category="person", section="dam",
         statement="Tomas Berg designed the dam's spillway."),
    card("mayor", "Who was mayor when the canal opened?", "Ada Lindqvist", category="person",
         section="history"),
    card("critic", "Who led the protest against flooding the valley?", "Pavel Orlov", category="person",
         section="history", statement="Pavel Orlov led the protest against flooding the valley."),
    card("river", "Which river feeds the reservoir?", "The Arden River", category="place", section="dam",
         distractors=["The Kestle River", "The Holt River", "The Marrow River"],
         statement="The Arden River feeds the reservoir."),
    card("why-dam", "Why was the dam built?", "To stop the spring floods that wrecked the farms", kind="argument",
         category="reason", section="dam",
         distractors=["To sell power to the city", "To make a lake for tourists",
                      "To water the vineyards on the southern slopes"]),
    card("why-canal", "Why did the canal lose money?", "Railways carried the same goods more cheaply",
         kind="argument", category="reason", section="dam",
         distractors=["Its locks froze solid every single winter", "The valley ran out of coal to send",
                      "Its tolls were abolished by the council"]),
    card("claim", "The engineers claimed the dam would […] for a century.", "hold back every flood",
         type="cloze", kind="argument", category="statement", section="people", speaker="Tomas Berg",
         claim="The dam will hold back every flood for a century.",
         statement="The engineers claimed the dam would hold back every flood for a century."),
    card("protest-claim", "What did the protest leader say about the reservoir?",
         "It would drown the best fields", kind="argument", category="statement", section="people",
         speaker="Pavel Orlov", claim="This reservoir will drown the best fields we have."),
    card("trust-claim", "What did the Trust's founder promise?", "Open riverbanks for everyone",
         kind="argument", category="statement", section="people", speaker="Lena Ortiz",
         claim="The riverbanks will stay open to everyone, forever."),
    card("mayor-claim", "What did the mayor say about the canal?", "It would make the valley rich",
         kind="argument", category="statement", section="people", speaker="Ada Lindqvist",
         claim="This canal will make our valley rich."),
    card("share", "Farming now accounts for about […] of the valley's jobs.", "25%", type="cloze",
         category="number", section="people", statement="Farming now accounts for about 25% of the valley's jobs."),
    card("rivals", "Which town competed with Arden for the canal?", "Bremsby", category="place",
         section="people", distractors=["Holt", "Marrow", "Kestle"],
         statement="Bremsby competed with Arden for the canal."),
    card("rivals-year", "In which year did Bremsby lose the canal to Arden?", "1921", category="year",
         section="people", fact="rivals"),
]
BY_ID = {c.id: c for c in DECK}


def quiz(seed, **kw):
    kw.setdefault("count", None)
    kw.setdefault("types", None)
    return make_quiz(DECK, rng=random.Random(seed), **kw)


def of_type(qtype, card_id, seeds=range(10)):
    out = []
    for seed in seeds:
        for q in make_quiz(DECK, rng=random.Random(seed), count=None, types={qtype}):
            if q.card_id == card_id:
                out.append(q)
    return out


@pytest.mark.parametrize("seed", range(25))
def test_every_question_passes_the_gate_and_facts_are_asked_once(seed):
    questions = quiz(seed)
    facts = DeckFacts(DECK)
    assert not check_quiz(questions, BY_ID)
    groups = [BY_ID[q.card_id].fact_group for q in questions]
    assert len(groups) == len(set(groups)) >= len({c.fact_group for c in DECK}) - 2
    for q in questions:
        assert check_question(q, BY_ID[q.card_id], facts) == [], q
        if q.type in CHOICE_TYPES:
            assert len(q.options) == 4 and q.options.count(q.answer) == 1
        elif q.type == "true_false":
            assert q.options == ["True", "False"] and q.statement in q.prompt
        else:
            assert q.options == [] and q.type == "typed"


def test_requested_types_are_honoured_exactly():
    for qtype in QUESTION_TYPES:
        for seed in range(5):
            build = build_quiz(DECK, rng=random.Random(seed), count=30, types={qtype})
            assert {q.type for q in build.questions} <= {qtype}
            assert build.short and 0 < len(build.questions) <= build.capacity[qtype]
            name = {"multiple_choice": "multiple-choice", "true_false": "true/false", "typed": "typed-answer",
                    "who_said": "who-said", "reason": "reason"}[qtype]
            assert build.message == (f"You asked for 30 {name} questions; these cards can make "
                                     f"{len(build.questions)} (one per fact).")
    mixed = build_quiz(DECK, rng=random.Random(1), count=30, types={"reason", "who_said"})
    assert {q.type for q in mixed.questions} == {"reason", "who_said"}
    assert mixed.message == (f"You asked for 30 questions; these cards can make {len(mixed.questions)} of the "
                             "chosen types (one per fact; facts that can be asked as each type: 4 who-said, 2 reason).")
    only_tf = build_quiz(DECK, rng=random.Random(3), count=5, types={"true_false"})
    assert [q.type for q in only_tf.questions] == ["true_false"] * 5 and only_tf.message is None
    with pytest.raises(ValueError):
        quiz(3, types={"essay"})
    assert quiz(3, count=0) == []


def test_a_type_a_card_cannot_support_is_not_made_from_it():
    # true/false only from a statement holding the answer: "mayor" and "rivals-year" have none
    asked = {q.card_id for s in range(10) for q in quiz(s, types={"true_false"})}
    assert "mayor" not in asked and "rivals-year" not in asked and "survey" in asked
    # who said: only cards with a speaker and a claim
    assert {q.card_id for s in range(10) for q in quiz(s, types={"who_said"})} <= {
        "claim", "protest-claim", "trust-claim", "mayor-claim"}
    # reason: only cards whose answer is a reason
    assert {q.card_id for s in range(10) for q in quiz(s, types={"reason"})} == {"why-dam", "why-canal"}
    # statements and reasons are never typed, and why-questions are not multiple choice
    typed = {q.card_id for s in range(10) for q in quiz(s, types={"typed"})}
    assert not typed & {"why-dam", "why-canal", "claim", "protest-claim"}
    assert not {q.card_id for s in range(10) for q in quiz(s, types={"multiple_choice"})} & {"why-dam"}
    # a lone card with no same-kind options is not asked as a choice at all
    lone = card("lone", "Who founded the Trust?", "Lena Ortiz", category="person")
    assert make_quiz([lone], rng=random.Random(1), count=None, types={"multiple_choice"}) == []


def test_figure_distractors_keep_form_and_text():
    for q in of_type("multiple_choice", "troops"):
        for option in q.options:
            assert re.fullmatch(r"About \d{1,3}(,\d{3})*", option), option
        values = {int(o.split()[1].replace(",", "")) for o in q.options}
        assert len(values) == 4 and 3200 in values
        assert all(320 <= v <= 32000 for v in values)


def test_figure_distractors_with_units_and_percent():
    for q in of_type("multiple_choice", "length"):
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})* miles", o) for o in q.options), q.options
    for q in of_type("multiple_choice", "share"):
        assert all(re.fullmatch(r"\d+%", o) for o in q.options), q.options
        assert all(int(o[:-1]) <= 100 for o in q.options)


def test_year_distractors_are_plausible_and_never_another_true_year():
    for q in of_type("multiple_choice", "opened"):
        years = [int(o) for o in q.options]
        assert len(set(years)) == 4 and 1969 in years
        assert all(1930 <= y <= 2030 for y in years)
    for q in of_type("multiple_choice", "survey"):
        assert all(re.fullmatch(r"1[789]\d0s", o) for o in q.options), q.options


def test_name_options_come_from_the_same_kind_only():
    people = {"Lena Ortiz", "Tomas Berg", "Ada Lindqvist", "Pavel Orlov"}
    asked = of_type("multiple_choice", "founder")
    assert asked
    for q in asked:
        assert set(q.options) == people
    for q in of_type("multiple_choice", "rivals"):
        assert set(q.options) == {"Bremsby", "Holt", "Marrow", "Kestle"}  # the note's own first


def test_true_false_swaps_the_answer_for_a_same_kind_value():
    truths = Counter()
    for q in of_type("true_false", "survey", range(40)):
        if q.answer == "True":
            assert q.statement == "The valley was first surveyed in the 1850s."
        else:
            decade = re.fullmatch(r"The valley was first surveyed in the (\d{4}s)\.", q.statement).group(1)
            assert decade != "1850s"
        truths[q.answer] += 1
    assert 10 <= truths["True"] <= 30
    for q in of_type("true_false", "river", range(20)):
        assert "The The" not in q.statement and re.fullmatch(r"The \w+ River feeds the reservoir\.", q.statement)


def test_who_said_quotes_the_claim_and_offers_other_speakers():
    seen = 0
    for seed in range(10):
        for q in quiz(seed, types={"who_said"}):
            seen += 1
            c = BY_ID[q.card_id]
            assert q.prompt == f"Who said or argued this: \u201c{c.claim}\u201d?"
            assert q.answer == c.speaker and set(q.options) <= {"Lena Ortiz", "Pavel Orlov", "Tomas Berg",
                                                               "Ada Lindqvist"}
    assert seen >= 10


def test_reason_options_are_the_notes_own():
    for q in of_type("reason", "why-dam"):
        assert set(q.options) == {BY_ID["why-dam"].answer, *BY_ID["why-dam"].distractors}


def test_reproducible_from_seed_and_seeds_differ():
    first = [q.to_dict() for q in quiz(42, count=8)]
    assert first == [q.to_dict() for q in quiz(42, count=8)]
    assert len({repr([q.to_dict() for q in quiz(s, count=8)]) for s in range(5)}) == 5


def test_count_spreads_over_sections():
    for seed in range(10):
        questions = quiz(seed, count=3)
        assert len(questions) == 3 and {q.section for q in questions} == {"dam", "history", "people"}


def test_questions_come_from_notes():
    note, problems = validate_note({
        "note_key": "treaty", "type": "cloze", "prompt": "The treaty was signed in {{c1::2001}} in {{c2::Moscow}}.",
        "category": "year", "distractors": ["1991", "1996", "2011"], "statement": None})
    assert not problems
    first, second = (quiz_card(c, "s") for c in note.cards())
    assert (first.id, first.prompt, first.answer, first.category) == (
        "treaty.c1", "The treaty was signed in […] in Moscow.", "2001", "year")
    assert first.statement == "The treaty was signed in 2001 in Moscow."
    assert first.distractors == ("1991", "1996", "2011")
    assert second.category is None and second.distractors == () and second.note == "treaty"
    basic = quiz_card(Note(note_key="b", prompt="Who?", answer="Ann", speaker="Ann", claim="I came.").cards()[0])
    assert (basic.claim, basic.statement, basic.fact_group) == ("I came.", None, "b")


def test_grade():
    typed = Question("typed", "How many?", [], "About 3,200", "troops", accepted=("3.2k",))
    assert grade(typed, "3,200") == (True, "correct")
    assert grade(typed, "3300") == (False, "wrong")
    assert grade(Question("typed", "When?", [], "The 1950s", "d"), "1950's") == (True, "correct")
    assert grade(Question("typed", "Who?", [], "Cozad", "c"), "Cozadd") == (False, "near")
    mc = Question("multiple_choice", "?", ["a", "b", "c", "d"], "b", "x")
    assert grade(mc, " B ") == (True, "correct")
    assert grade(mc, "a") == (False, "wrong") and grade(mc, "") == (False, "wrong")
    tf = Question("true_false", "?", ["True", "False"], "False", "x", statement="s")
    assert grade(tf, "false") == (True, "correct")
    assert grade(tf, "True") == (False, "wrong") and grade(tf, "maybe") == (False, "wrong")


def test_rating_for():
    for qtype in QUESTION_TYPES:
        assert rating_for(qtype, "wrong") == 1
    assert rating_for("typed", "correct") == 3 and rating_for("typed", "near") == 2
    for qtype in ("multiple_choice", "true_false", "who_said", "reason"):
        assert rating_for(qtype, "correct") == 2
    with pytest.raises(ValueError):
        rating_for("typed", "maybe")
    with pytest.raises(ValueError):
        rating_for("essay", "correct")


def test_to_dict_keys():
    d = quiz(1, count=1)[0].to_dict()
    assert {"type", "prompt", "options", "answer", "card_id", "explanation", "section"} <= set(d)


def test_figure_distractor_helpers():
    out = dx.numeric_distractors("About 3,200", random.Random(0), year=False, k=10, window=10)
    assert "About 3,200" not in out and len(set(out)) == len(out) == 10
    assert {"About 1,600", "About 6,400", "About 32,000"} <= set(out)
    years = dx.numeric_distractors("1969", random.Random(0), year=True, k=6, window=6)
    assert set(years) == {"1939", "1949", "1959", "1979", "1989", "1999"}


_words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_words, _words, st.sampled_from(["basic", "cloze"]), st.sampled_from(["fact", "argument"]),
                          st.sampled_from([None, "number", "year", "person", "statement", "reason", "term"]),
                          st.one_of(st.none(), _words), st.one_of(st.none(), _words),
                          st.one_of(st.none(), _words), st.sampled_from(["a", "b"])),
                max_size=8),
       st.integers(0, 2**32), st.one_of(st.none(), st.integers(0, 10)),
       st.one_of(st.none(), st.sets(st.sampled_from(QUESTION_TYPES), min_size=1)))
def test_make_quiz_never_crashes_and_gates_arbitrary_text(rows, seed, count, types):
    cards = [QuizCard(id=str(i), kind=kind, type=ctype, prompt=p, answer=a, category=cat, speaker=spk,
                      claim=claim, statement=stmt, section=sec)
             for i, (p, a, ctype, kind, cat, spk, claim, stmt, sec) in enumerate(rows)]
    questions = make_quiz(cards, rng=random.Random(seed), count=count, types=types)
    assert len(questions) <= len(cards)
    if count is not None:
        assert len(questions) <= count
    by_id = {c.id: c for c in cards}
    assert not check_quiz(questions, by_id, types)
    facts = DeckFacts(cards)
    for q in questions:
        assert check_question(q, by_id[q.card_id], facts) == []
        grade(q, q.answer)
        q.to_dict()


def test_wrong_options_for_a_term_avoid_a_length_cue_when_the_deck_allows():
    from studyapp.domain.quizpools import OptionPool
    from studyapp.domain.quiztext import length_cue

    term = card("term", "What do the two armies most lack?", "interoperability between command systems",
                category="term", section="dam")
    answers = ["radar", "sonar", "drones", "logistics", "airlift", "mines",
               "joint air and missile defence networks", "combined supply chains for fuel", "shared targeting data"]
    others = [card(f"t{i}", f"Which term number {i}?", answer, category="term", section="dam")
              for i, answer in enumerate(answers)]
    pool = OptionPool([term, *others])
    for seed in range(20):
        wrong = pool.wrong_options(term, term.prompt, random.Random(seed))
        assert len(wrong) == 3 and length_cue(term.answer, wrong) is None, wrong


def test_small_counts_get_near_wrong_values_not_tenfold_ones():
    from studyapp.domain.distractors import numeric_distractors

    for seed in range(10):
        for answer in ("11", "eleven", "3 hours"):
            options = numeric_distractors(answer, random.Random(seed), year=False, k=3, window=8)
            values = [int(dx.written_numbers(o)[0].value) if dx.written_numbers(o) else None for o in options]
            assert len(options) == 3 and all(v is None or v <= 22 for v in values), (answer, options)
        words = numeric_distractors("eleven", random.Random(seed), year=False, k=3, window=8)
        assert len(words) == 3 and not any("hundred" in w for w in words), words


def test_a_range_gets_no_wrong_range_that_overlaps_it():
    from studyapp.domain.distractors import numeric_distractors

    for seed in range(10):
        for option in numeric_distractors("ten to twelve days", random.Random(seed), year=False, k=3, window=8):
            low, high = (word for word in option.removesuffix(" days").split(" to "))
            assert (low, high) not in {("nine", "eleven"), ("eleven", "thirteen"), ("twelve", "fourteen"),
                                       ("eight", "ten")}, option


def test_a_measured_figure_gets_no_tenfold_wrong_value_in_a_quiz():
    from studyapp.domain.quizpools import OptionPool

    cycle = card("cycle.c1", "Careful studies put the average human cycle at about […] hours.", "24.2", type="cloze",
                 category="number")
    pool = OptionPool([cycle])
    for seed in range(20):
        wrong = pool.wrong_options(cycle, cycle.prompt, random.Random(seed))
        assert len(wrong) == 3 and not {"242", "2.42", "2.4"} & set(wrong), wrong


def test_a_range_in_figures_moves_as_a_whole_and_never_overlaps():
    from studyapp.domain.distractors import numeric_distractors, written_numbers

    for seed in range(10):
        options = numeric_distractors("300 to 1,000 metres", random.Random(seed), year=False, k=3, window=6)
        assert len(options) == 3
        for option in options:
            low, high = (n.value for n in written_numbers(option))
            assert option.endswith(" metres") and " to " in option and (high < 300 or low > 1000), option
