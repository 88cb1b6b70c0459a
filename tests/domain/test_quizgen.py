"""Quiz generation: options, distractors, type spread, reproducibility, grading, ratings."""
from __future__ import annotations

import random
import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.domain import distractors as dx
from studyapp.domain.quizgen import (CHOICE_TYPES, QUESTION_TYPES, Question, QuizCard, grade,
                                     make_quiz, rating_for)


def card(id, prompt, answer, *, kind="fact", type="basic", section="s1", category=None,
         distractors=(), speaker=None, fact=None, alternatives=()):
    return QuizCard(id=id, kind=kind, type=type, prompt=prompt, answer=answer,
                    alternatives=tuple(alternatives), explanation=f"why {id}", section=section,
                    tags=("t",), category=category, distractors=tuple(distractors),
                    speaker=speaker, fact=fact)


# A small made-up deck about a fictional river valley.
DECK = [
    card("troops", "How many engineers worked on the Arden dam?", "About 3,200",
         category="number", section="dam"),
    card("length", "How long is the Arden canal?", "2,600 miles", category="number", section="dam"),
    card("opened", "In which year did the Arden dam open?", "1969", category="year", section="dam"),
    card("survey", "The valley was first surveyed in the [...].", "1850s", type="cloze",
         category="year", section="history"),
    card("founder", "Who founded the Arden Trust?", "Lena Ortiz", category="person",
         section="history"),
    card("engineer", "Who designed the dam's spillway?", "Tomas Berg", category="person",
         section="dam"),
    card("mayor", "Who was mayor when the canal opened?", "Ada Lindqvist", category="person",
         section="history"),
    card("critic", "Who led the protest against flooding the valley?", "Pavel Orlov",
         category="person", section="history"),
    card("river", "Which river feeds the reservoir?", "The Arden River", category="place",
         section="dam"),
    card("why-dam", "Why was the dam built?", "To stop the spring floods that wrecked the farms",
         kind="argument", section="dam", speaker="Lena Ortiz"),
    card("why-canal", "Why did the canal lose money?", "Railways carried the same goods more cheaply",
         kind="argument", section="dam"),
    card("why-protest", "Why did farmers oppose the reservoir?", "It would drown their best fields",
         kind="argument", section="history", speaker="Pavel Orlov"),
    card("why-trust", "What reason did the Trust give for buying the land?",
         "To keep the riverbanks open to the public", kind="argument", section="history"),
    card("claim", "The engineers claimed the dam would [...] for a century.",
         "hold back every flood", type="cloze", kind="argument", section="people",
         speaker="Tomas Berg"),
    card("share", "Farming now accounts for about [...] of the valley's jobs.", "25%",
         type="cloze", category="number", section="people"),
    card("rivals", "Which town competed with Arden for the canal?", "Bremsby",
         category="place", section="people", distractors=["Holt", "Marrow", "Kestle"]),
]


def quiz(seed, **kw):
    kw.setdefault("count", None)
    kw.setdefault("types", None)
    return make_quiz(DECK, rng=random.Random(seed), **kw)


def distinct(options):
    return all(not dx.same_option(a, b) for i, a in enumerate(options) for b in options[i + 1:])


@pytest.mark.parametrize("seed", range(25))
def test_choice_questions_have_four_distinct_options_with_the_answer(seed):
    questions = quiz(seed)
    assert len(questions) == len(DECK)  # one question per card
    assert sorted(q.card_id for q in questions) == sorted(c.id for c in DECK)
    for q in questions:
        assert q.type in QUESTION_TYPES
        if q.type in CHOICE_TYPES:
            assert len(q.options) == 4, q
            assert q.answer in q.options
            assert len(set(q.options)) == 4
            assert distinct(q.options), q.options
        elif q.type == "true_false":
            assert q.options == ["True", "False"] and q.answer in ("True", "False")
            assert q.statement and q.statement in q.prompt
        else:
            assert q.options == [] and q.type == "typed"


def _mc(card_id, seed):
    rng = random.Random(seed)
    return make_quiz([c for c in DECK], rng=rng, count=None, types={"multiple_choice"})


def options_for(card_id, seeds=range(10)):
    out = []
    for seed in seeds:
        q = next(q for q in _mc(card_id, seed) if q.card_id == card_id)
        assert q.type == "multiple_choice"
        out.append(q)
    return out


def test_figure_distractors_keep_form_and_text():
    for q in options_for("troops"):
        assert q.answer == "About 3,200"
        for option in q.options:
            assert re.fullmatch(r"About \d{1,3}(,\d{3})*", option), option
        values = {int(o.split()[1].replace(",", "")) for o in q.options}
        assert len(values) == 4 and 3200 in values
        assert all(320 <= v <= 32000 for v in values)  # same magnitude, within x10


def test_figure_distractors_with_units_and_percent():
    for q in options_for("length"):
        assert all(re.fullmatch(r"\d{1,3}(,\d{3})* miles", o) for o in q.options), q.options
    for q in options_for("share"):
        assert all(re.fullmatch(r"\d+%", o) for o in q.options), q.options
        assert all(int(o[:-1]) <= 100 for o in q.options)


def test_year_distractors_are_plausible_years():
    for q in options_for("opened"):
        years = [int(o) for o in q.options]
        assert all(re.fullmatch(r"\d{4}", o) for o in q.options)
        assert len(set(years)) == 4 and 1969 in years
        assert all(1930 <= y <= 2030 for y in years)
    for q in options_for("survey"):
        assert all(re.fullmatch(r"1[89]\d0s", o) for o in q.options), q.options


def test_recent_years_never_go_past_2030():
    recent = card("recent", "When did the bridge open?", "2023", category="year")
    for seed in range(20):
        [q] = make_quiz([recent], rng=random.Random(seed), count=None, types={"multiple_choice"})
        assert all(int(o) <= 2030 for o in q.options)
        assert len(set(q.options)) == 4


def test_name_distractors_come_from_same_category():
    people = {"Lena Ortiz", "Tomas Berg", "Ada Lindqvist", "Pavel Orlov"}
    for q in options_for("founder"):
        assert set(q.options) == people


def test_own_distractors_are_used_first():
    for q in options_for("rivals"):
        assert set(q.options) == {"Bremsby", "Holt", "Marrow", "Kestle"}


def test_distractor_equal_to_answer_is_never_offered():
    dup = card("dup", "Capital?", "Paris", category="place",
               distractors=["paris", "Paris.", "Lyon", "Nice", "Lille"])
    for seed in range(10):
        [q] = make_quiz([dup], rng=random.Random(seed), count=None, types={"multiple_choice"})
        assert [o.lower().rstrip(".") for o in q.options].count("paris") == 1


def test_impossible_choice_falls_back_to_typed():
    lone = card("lone", "Who founded the Trust?", "Lena Ortiz", category="person")
    [q] = make_quiz([lone], rng=random.Random(1), count=None, types={"multiple_choice"})
    assert q.type == "typed" and q.options == []


def test_long_statements_are_never_typed():
    for seed in range(10):
        for q in quiz(seed, types={"typed"}):
            assert len(q.answer.split()) <= 6
    long_only = card("long", "Why?", "Because of a long and winding list of many reasons",
                     kind="argument")
    assert make_quiz([long_only], rng=random.Random(0), count=None, types={"typed"}) == []


def test_reproducible_from_seed_and_seeds_differ():
    first = [q.to_dict() for q in quiz(42, count=8)]
    again = [q.to_dict() for q in quiz(42, count=8)]
    assert first == again
    others = {repr([q.to_dict() for q in quiz(s, count=8)]) for s in range(5)}
    assert len(others) == 5


def test_count_spreads_over_sections():
    for seed in range(10):
        questions = quiz(seed, count=3)
        assert len(questions) == 3
        sections = {q.section for q in questions}
        assert sections == {"dam", "history", "people"}


def test_types_spread_and_filter():
    counts = Counter(q.type for q in quiz(3))
    assert set(counts) >= {"multiple_choice", "true_false", "typed"}
    assert max(counts.values()) - min(counts[t] for t in ("multiple_choice", "true_false", "typed")) <= 4
    only = quiz(3, types={"true_false"})
    assert {q.type for q in only} <= {"true_false", "typed"}
    assert Counter(q.type for q in only)["true_false"] >= len(DECK) - 2
    with pytest.raises(ValueError):
        quiz(3, types={"essay"})
    assert quiz(3, count=0) == []


def test_true_false_statements():
    truths = Counter()
    for seed in range(40):
        q = next(q for q in make_quiz(DECK, rng=random.Random(seed), count=None,
                                      types={"true_false"}) if q.card_id == "survey")
        assert q.type == "true_false"
        assert "[...]" not in q.statement
        if q.answer == "True":
            assert q.statement == "The valley was first surveyed in the 1850s."
        else:
            decade = re.search(r"(\d{4}s)", q.statement).group(1)
            assert decade != "1850s"
        truths[q.answer] += 1
    assert 10 <= truths["True"] <= 30  # about half and half


def test_who_said():
    seen = 0
    for seed in range(10):
        for q in quiz(seed, types={"who_said"}):
            if q.type != "who_said":
                continue
            seen += 1
            assert q.answer in ("Lena Ortiz", "Pavel Orlov", "Tomas Berg")
            assert len(q.options) == 4 and distinct(q.options) and q.answer in q.options
            assert q.prompt.startswith(("Who said:", "Who argued:"))
            assert q.answer not in q.prompt
    assert seen >= 10


def test_reason_options_are_other_arguments():
    arguments = {c.answer for c in DECK if c.kind == "argument"}
    seen = 0
    for seed in range(10):
        for q in quiz(seed, types={"reason"}):
            if q.type == "reason":
                seen += 1
                assert set(q.options) <= arguments and len(set(q.options)) == 4
    assert seen >= 10


def test_cards_of_one_fact_are_not_distractors_for_each_other():
    a = card("a", "Who built it?", "Lena Ortiz", category="person", fact="f")
    b = card("b", "Who paid for it?", "Tomas Berg", category="person", fact="f")
    c = card("c", "Who opened it?", "Ada Lindqvist", category="person")
    d = card("d", "Who closed it?", "Pavel Orlov", category="person")
    q = next(q for q in make_quiz([a, b, c, d], rng=random.Random(0), count=None,
                                  types={"multiple_choice"}) if q.card_id == "a")
    assert q.type == "typed"  # only two other people are available, so no four options


def test_grade():
    typed = Question("typed", "How many?", [], "About 3,200", "troops", accepted=("3.2k",))
    assert grade(typed, "3,200") == (True, "correct")
    assert grade(typed, "3300") == (False, "wrong")
    name = Question("typed", "Who?", [], "Cozad", "c")
    assert grade(name, "Cozadd") == (False, "near")
    mc = Question("multiple_choice", "?", ["a", "b", "c", "d"], "b", "x")
    assert grade(mc, " B ") == (True, "correct")
    assert grade(mc, "a") == (False, "wrong")
    assert grade(mc, "") == (False, "wrong")
    tf = Question("true_false", "?", ["True", "False"], "False", "x", statement="s")
    assert grade(tf, "false") == (True, "correct")
    assert grade(tf, "True") == (False, "wrong")
    assert grade(tf, "maybe") == (False, "wrong")


def test_rating_for():
    for qtype in QUESTION_TYPES:
        assert rating_for(qtype, "wrong") == 1
    assert rating_for("typed", "correct") == 3
    assert rating_for("typed", "near") == 2
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
    rng = random.Random(0)
    out = dx.numeric_distractors("About 3,200", rng, year=False, k=10, window=10)
    assert "About 3,200" not in out and len(set(out)) == len(out) == 10
    assert {"About 1,600", "About 6,400", "About 32,000"} <= set(out)
    years = dx.numeric_distractors("1969", random.Random(0), year=True, k=6, window=6)
    assert set(years) == {"1939", "1949", "1959", "1979", "1989", "1999"}


_words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_words, _words, st.sampled_from(["basic", "cloze"]),
                          st.sampled_from(["fact", "argument"]),
                          st.sampled_from([None, "number", "year", "person", "statement"]),
                          st.one_of(st.none(), _words), st.sampled_from(["a", "b"])),
                max_size=8),
       st.integers(0, 2**32), st.one_of(st.none(), st.integers(0, 10)),
       st.one_of(st.none(), st.sets(st.sampled_from(QUESTION_TYPES), min_size=1)))
def test_make_quiz_never_crashes_on_arbitrary_text(rows, seed, count, types):
    cards = [QuizCard(id=str(i), kind=kind, type=ctype, prompt=p, answer=a, category=cat,
                      speaker=spk, section=sec)
             for i, (p, a, ctype, kind, cat, spk, sec) in enumerate(rows)]
    questions = make_quiz(cards, rng=random.Random(seed), count=count, types=types)
    assert len(questions) <= len(cards)
    if count is not None:
        assert len(questions) <= count
    assert len({q.card_id for q in questions}) == len(questions)
    for q in questions:
        if q.type in CHOICE_TYPES:
            assert len(q.options) == 4 and q.answer in q.options and distinct(q.options)
        grade(q, q.answer)
        q.to_dict()
