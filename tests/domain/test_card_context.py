"""A card's context line (`Note.context`): validated, read from deck files, never a give-away in quizzes."""
from __future__ import annotations

from dataclasses import replace

from studyapp.domain.deckfile import parse_text
from studyapp.domain.notes import LIMITS, validate_note
from studyapp.domain.quizgate import DeckFacts, check_question, check_quiz
from studyapp.domain.quizgen import Question, QuizCard, quiz_card
from studyapp.domain.quiztext import context_line

BASE = {"note_key": "blast", "prompt": "How many people did the blast kill?", "answer": "nearly 2,000"}


def test_the_validator_keeps_a_context_line_and_refuses_a_long_or_broken_one():
    note, problems = validate_note({**BASE, "context": "  The Halifax Explosion of 1917 "})
    assert problems == [] and note.context == "The Halifax Explosion of 1917"
    assert validate_note(BASE)[0].context is None
    _, long = validate_note({**BASE, "context": "x" * (LIMITS.context + 1)})
    assert [p.field for p in long] == ["context"] and "limit is 200" in long[0].message
    _, broken = validate_note({**BASE, "context": "Two\nlines"})
    assert [(p.field, p.message) for p in broken] == [("context", "must be one line")]
    _, wrong_type = validate_note({**BASE, "context": 12})
    assert [p.field for p in wrong_type] == ["context"]


DECK = """
[deck]
id = "harbour"
name = "Harbour"

[[card]]
id = "blast-toll"
prompt = "How many people did the blast kill?"
answer = "nearly 2,000"
explanation = "The toll of the harbour blast."
context = "The Halifax Explosion of 1917"

[[card]]
id = "alone"
prompt = "In what year did the Halifax explosion happen?"
answer = "1917"
explanation = "It happened in December 1917."
"""


def test_a_deck_file_card_may_carry_a_context_line():
    spec = parse_text(DECK, "harbour.toml")
    by_key = {note.note_key: note for note in spec.notes}
    assert by_key["blast-toll"].context == "The Halifax Explosion of 1917"
    assert by_key["alone"].context is None
    broken = DECK.replace('context = "The Halifax Explosion of 1917"', 'context = "one\\ntwo"')
    try:
        parse_text(broken, "harbour.toml")
    except ValueError as exc:
        assert "harbour.toml" in str(exc) and "context" in str(exc)
    else:
        raise AssertionError("a two-line context line was accepted")


def test_context_line_is_left_off_when_it_states_the_answer():
    assert context_line("The Halifax Explosion of 1917", "nearly 2,000") == "The Halifax Explosion of 1917"
    assert context_line("The Halifax Explosion of 1917", "1917") is None
    assert context_line("The Halifax   Explosion\nof 1917", "Imo") == "The Halifax Explosion of 1917"
    assert context_line("  ", "1917") is None and context_line(None, "1917") is None
    assert context_line("a" * 300, "b") == "a" * 200
    # an accepted variant counts: "Hokusai" gives away "Katsushika Hokusai"
    title = "Hokusai, the Old Man Mad About Painting"
    assert context_line(title, "Katsushika Hokusai") == title
    assert context_line(title, "Katsushika Hokusai", "Hokusai") is None


def qcard(id, prompt, answer, **kw):
    return QuizCard(id=id, kind="fact", type="basic", prompt=prompt, answer=answer, note=id, **kw)


TOLL = qcard("toll", "How many people did the blast kill?", "nearly 2,000", category="number",
             context="The Halifax Explosion of 1917")
YEAR = qcard("year", "In what year did the explosion happen?", "1917", category="year",
             context="The Halifax Explosion of 1917")
SHIP = qcard("ship", "Which ship carried the explosives?", "Mont-Blanc", category="term")
SAID = qcard("said", "Who said it?", "Vince Coleman", category="person", speaker="Vince Coleman",
             claim="Hold up the train.", context="Vince Coleman and the Halifax Explosion")


def test_the_gate_treats_the_context_line_as_part_of_the_stem():
    facts = DeckFacts([TOLL, YEAR, SHIP, SAID])
    typed = Question("typed", YEAR.prompt, [], "1917", "year")
    flaws = check_question(typed, YEAR, facts)
    assert [f.message for f in flaws if f.check == "give-away"] == ["the context line contains its answer '1917'"]
    assert not [f for f in check_question(Question("typed", TOLL.prompt, [], "nearly 2,000", "toll"), TOLL, facts)
                if f.check == "give-away"]
    who = Question("who_said", "Who said or argued this: \u201cHold up the train.\u201d?",
                   ["Vince Coleman", "Aimé Le Médec", "Francis Mackey", "Robert Borden"], "Vince Coleman", "said")
    assert "give-away" in {f.check for f in check_question(who, SAID, facts)}
    assert "give-away" not in {f.check for f in check_question(who, replace(SAID, context=""), facts)}


def test_one_questions_context_line_can_give_away_anothers_answer():
    named = replace(TOLL, context="The Mont-Blanc disaster")
    cards = {c.id: c for c in (named, SHIP)}
    questions = [Question("typed", named.prompt, [], named.answer, "toll"),
                 Question("typed", SHIP.prompt, [], SHIP.answer, "ship")]
    assert [f.check for f in check_quiz(questions, cards)] == ["give-away"]
    cards["toll"] = TOLL
    assert check_quiz(questions, cards) == []


def test_quiz_questions_carry_the_cards_context_line():
    note, _ = validate_note({**BASE, "context": "The Halifax Explosion of 1917"})
    qc = quiz_card(note.cards()[0])
    assert qc.context == "The Halifax Explosion of 1917"


def test_a_quiz_never_pairs_a_question_with_one_whose_context_line_states_its_answer():
    import random

    from studyapp.domain.quizgen import build_quiz

    line = "Mary Ardley, the Fossil Hunter of Lyme"
    who = qcard("who", "Who was born in 1799 in Lyme?", "Mary Ardley", category="person",
                distractors=("Anne Ardley", "Mary Birch", "Joan Cole"))
    others = [qcard(f"y{n}", f"In what year did event number {n} happen?", str(1800 + n), category="year",
                    context=line) for n in range(6)]
    cards = {c.id: c for c in (who, *others)}
    for seed in range(10):
        build = build_quiz(list(cards.values()), rng=random.Random(seed), count=5)
        assert check_quiz(build.questions, cards) == [], seed
