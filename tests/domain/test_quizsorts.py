"""Wrong options that do not read where the answer stood: a term the deck writes with an article in a bare
gap (or the other way round), a lower-case term swapped for a name in mid-sentence. Made-up decks."""
from __future__ import annotations

import random

import pytest

from studyapp.domain.quizcards import QuizCard
from studyapp.domain.quizgate import DeckFacts, check_question
from studyapp.domain.quizgen import Question, build_quiz
from studyapp.domain.quizpools import OptionPool
from studyapp.domain.quizsorts import article_use


def cloze(id, prompt, answer, **kw):
    statement = prompt.replace("[…]", answer)
    return QuizCard(id=id, kind="fact", type="cloze", prompt=prompt, answer=answer, category=kw.pop("category", "term"),
                    statement=kw.pop("statement", statement), note=id, **kw)


# A made-up explainer of a steam mill: three parts written with "the", one quantity written bare.
MILL = [
    cloze("boiler", "Water is heated in the […], a riveted iron drum above the firebox.", "boiler"),
    cloze("governor", "The speed is held steady by the […], two spinning balls on a spindle.", "governor"),
    cloze("flywheel", "A heavy iron wheel, the […], smooths the jerks of each stroke.", "flywheel"),
    cloze("torque", "The turning force on the shaft, known as […], falls as the mill speeds up.", "torque"),
    cloze("piston", "Steam pushes the […], a brass plug, back and forth inside the cylinder.", "piston"),
]


@pytest.mark.parametrize("before,after,use", [
    ("Water is heated in the ", ", a drum.", "article"),
    ("It is known as ", ", and it falls.", "bare"),
    ("", " is held steady.", "bare"),
    ("", " falls as the mill speeds up.", None),           # a verb follows: not judged (could be a modifier)
    ("Water is heated in the ", " room.", None),          # a modifier of "room", not the noun phrase
    ("It is heated by hot ", ".", None),                  # after an adjective: unknown, not judged
])
def test_article_use(before, after, use):
    assert article_use(before, after) == use


def test_bare_term_is_no_option_after_the_article_and_parts_are_none_after_known_as():
    pool = OptionPool(MILL)
    boiler, torque = MILL[0], MILL[3]
    for seed in range(20):
        options = pool.wrong_options(boiler, boiler.prompt, random.Random(seed))
        assert "torque" not in options
        assert not ({"boiler", "governor", "flywheel", "piston"} & set(pool.wrong_options(torque, torque.prompt,
                                                                                          random.Random(seed))))


def test_the_gate_refuses_such_an_option():
    facts = DeckFacts(MILL)
    boiler = MILL[0]
    question = Question("multiple_choice", boiler.prompt, ["boiler", "governor", "piston", "torque"], "boiler",
                        boiler.id)
    assert any("article" in f.message for f in check_question(question, boiler, facts))
    fine = Question("multiple_choice", boiler.prompt, ["boiler", "governor", "piston", "flywheel"], "boiler", boiler.id)
    assert not check_question(fine, boiler, facts)


def test_the_cards_own_distractors_are_the_authors_choice():
    own = cloze("fuel", "The mill burned […] from the valley.", "coal", distractors=("peat", "charcoal", "oil"))
    pool = OptionPool([*MILL, own])
    assert set(pool.wrong_options(own, own.prompt, random.Random(1))) == {"peat", "charcoal", "oil"}


def test_true_false_never_puts_a_term_where_a_name_stood():
    deck = [
        cloze("name", "Her parents first named her […], but soon called her Ada.", "Edith"),
        cloze("term1", "She studied […], the movement of ice.", "glaciology"),
        cloze("term2", "Her first paper was on […] in alpine lakes.", "sediment"),
    ]
    facts = DeckFacts(deck)
    name = deck[0]
    false = Question("true_false", "", ["True", "False"], "False", name.id,
                     statement="Her parents first named her glaciology, but soon called her Ada.")
    assert any(f.check == "kind" for f in _tf_flaws(false, name, facts))
    for seed in range(30):
        for q in build_quiz(deck, rng=random.Random(seed), types={"true_false"}).questions:
            if q.card_id == "name" and q.answer == "False":
                raise AssertionError(f"a false statement was built for the name card: {q.statement}")


def _tf_flaws(question, card, facts):
    return check_question(Question(question.type, f"True or false? {question.statement}", question.options,
                                   question.answer, question.card_id, statement=question.statement), card, facts)


def test_names_of_places_keep_their_article_use_a_building_is_no_town():
    deck = [
        cloze("died", "The clockmaker died in […] on his birthday.", "Lisbon", category="place"),
        cloze("born", "He was born in […], a village by the river.", "Aldwick", category="place"),
        cloze("tested", "His watch was tested at the […], on the hill above the port.", "Naval Academy",
              category="place"),
        cloze("moved", "In 1740 he moved to […], where his brother lived.", "Porto", category="place"),
    ]
    pool, died = OptionPool(deck), deck[0]
    for seed in range(20):
        assert "Naval Academy" not in pool.wrong_options(died, died.prompt, random.Random(seed))
        for q in build_quiz(deck, rng=random.Random(seed), types={"true_false"}).questions:
            assert "Naval Academy" not in (q.statement or "") or q.card_id == "tested", q.statement
