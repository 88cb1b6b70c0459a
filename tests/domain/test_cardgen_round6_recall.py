"""Round 6 rules of the card generator (helper N): quantities in words and ranges, purpose and other
why cards, who-said cards from reported and colon-introduced quotations. Each test fails without its rule."""
from __future__ import annotations

from studyapp.domain import cardgen_figures as figures
from studyapp.domain.cardgen import generate
from tests.cardgen_support import entity_labels


def _cards(text: str):
    return generate(text)


# -- figures ---------------------------------------------------------------------------------------

def test_a_range_in_words_with_its_unit_is_one_figure():
    labels = entity_labels("About ten to twelve days after infection the first symptoms of the disease appear in most patients.")
    assert labels.get("ten to twelve days") == "QUANTITY"


def test_a_range_after_between_keeps_both_ends_and_the_unit():
    labels = entity_labels("An adult emperor penguin weighs between twenty-two and forty-five kilograms, depending on the season.")
    assert labels.get("twenty-two and forty-five kilograms") == "QUANTITY"


def test_a_compound_number_in_words_is_not_cut():
    labels = entity_labels("In spring the birds walk from the open sea to their colonies, a journey of fifty to one hundred and "
                           "twenty kilometres.")
    assert "fifty to one hundred and twenty kilometres" in labels
    assert "fifty to one hundred" not in labels


def test_a_small_count_in_words_with_its_noun_is_a_figure():
    labels = entity_labels("On 10 April 1998 the two governments and eight political parties from the region reached an agreement.")
    assert labels.get("eight political parties") == "QUANTITY"


def test_a_ratio_is_the_whole_answer():
    labels = entity_labels("As a result of warming, some researchers warn, four in five colonies could be almost empty by the end "
                           "of the century.")
    assert labels.get("four in five") == "QUANTITY"


def test_a_range_before_of_every_stops_at_the_range():
    labels = entity_labels("In the United States, one to three of every 1,000 children who catch measles die of it.")
    assert labels.get("one to three") == "QUANTITY"


def test_guessable_or_relative_numbers_stay_out():
    labels = entity_labels("The rank was renamed rear admiral two years later, when the navy changed its system of grades.")
    assert not any(label == "QUANTITY" for label in labels.values())
    labels = entity_labels("Khrushchev had sent two letters to the White House during the long night of the crisis.")
    assert "two letters" not in labels
    labels = entity_labels("Ford paid most of his workers five dollars for an eight-hour day in the new factory.")
    assert "eight-hour" not in labels and "eight" not in labels


def test_a_number_before_a_singular_noun_is_no_figure_with_that_unit():
    # "eight cause": the parser reads the verb as a noun; a count above one goes with a plural.
    labels = entity_labels("Small doses usually cause mild symptoms, and larger ones cause serious harm, and "
                           "eighteen cause lasting damage to the liver.")
    assert not any(text.lower().startswith("eighteen ") for text in labels)


def test_a_figure_that_stops_inside_a_longer_noun_is_dropped():
    # "{{Four degree}} heating weeks" would cut the unit's own name; "a 10 percent surcharge" is whole.
    labels = entity_labels("Researchers found that four degree heating weeks usually cause severe damage to the reef.")
    assert not any(text.lower().endswith("degree") for text in labels)
    labels = entity_labels("In August 1971 the president also imposed a 10 percent surcharge on all imports.")
    assert "10 percent" in labels


def test_one_per_cent_is_a_figure_though_a_lone_one_is_not():
    labels = entity_labels("Coral reefs cover less than one per cent of the ocean floor but shelter many marine species.")
    assert labels.get("one per cent") == "QUANTITY"
    labels = entity_labels("Only one ship of the whole convoy reached the harbour at the mouth of the river.")
    assert "one ship" not in labels


def test_a_score_is_no_range():
    labels = entity_labels("The council approved the plan by a 3-2 vote after a long debate about the new bridge.")
    assert not any(label == "QUANTITY" and "-" in text for text, label in labels.items())


def test_digit_variants_are_offered_for_a_figure_in_words():
    assert figures.variants("ten to twelve days") == ["10 to 12 days", "10-12 days"]
    assert figures.variants("fifty to one hundred and twenty kilometres")[0] == "50 to 120 kilometres"
    assert figures.variants("four in five") == []
    assert figures.word_value("one hundred and twenty") == 120


def test_a_figure_in_words_becomes_a_cloze_of_the_whole_quantity():
    cards = _cards("Measles is one of the most contagious diseases known. About ten to twelve days after infection the "
                   "first symptoms appear, usually a fever and a cough.")
    assert any("{{c1::ten to twelve days}}" in c.prompt and c.category == "number" for c in cards)


# -- why -------------------------------------------------------------------------------------------

def test_a_purpose_infinitive_makes_a_why_question():
    cards = _cards("The clocks were first changed during the First World War. Germany moved its clocks forward on "
                   "30 April 1916 to save coal for the war effort.")
    why = [c for c in cards if c.category == "reason"]
    assert any(c.prompt.startswith("Why did Germany move its clocks forward") and c.answer == "To save coal for the war effort"
               for c in why)


def test_a_purpose_ranks_after_the_date_of_its_sentence_and_leaves_the_place_out():
    cards = _cards("A committee of computer makers and government users met at the Pentagon in 1959 to design a common "
                   "language for business.")
    assert any(c.category == "year" and c.answer == "1959" for c in cards)
    assert "Why did a committee of computer makers and government users meet in 1959?" in [c.prompt for c in cards]


def test_not_a_purpose_after_came_or_enough():
    cards = _cards("Over the following months people came to accept the new charge on their own streets. The science "
                   "was developed well enough to make predictions about the ozone layer.")
    assert not any(c.category == "reason" for c in cards)


def test_a_causal_since_is_a_reason_but_not_a_time_since():
    cards = _cards("The sleep researcher Till Roenneberg has argued that governments should choose standard time, since "
                   "people who wake in the dark never fully adjust.")
    assert any(c.category == "reason" and "people who wake in the dark never fully adjust" in c.answer for c in cards)
    cards = _cards("London has not flooded from the sea since the barrier was built on the river in the east of the city.")
    assert not any(c.category == "reason" for c in cards)


def test_the_reason_was_that_explains_the_sentence_before():
    cards = _cards("In March 2022 the Senate passed a bill to make summer time permanent. The bill died in the House of "
                   "Representatives. The reason was that members could not agree which time to keep.")
    assert any(c.category == "reason" and c.prompt.startswith("Why did the bill die")
               and c.answer == "Because members could not agree which time to keep" for c in cards)


def test_a_colon_after_a_passive_clause_gives_its_reason():
    cards = _cards("Permanent summer time was tried in the United States in 1974, but the change was abandoned within a "
                   "year: children were walking to school in the dark.")
    assert any(c.category == "reason" and c.prompt == "Why was the change abandoned within a year?"
               and c.answer == "Because children were walking to school in the dark" for c in cards)
    cards = _cards("In 1913 labour turnover at the factory reached 370 per cent: the company hired more than 50,000 people.")
    assert not any(c.category == "reason" for c in cards)


def test_an_infinitive_that_completes_a_noun_is_no_purpose():
    # "their offer to fund the dam" says what the offer was; the parser hangs "to fund" on "withdrew".
    text = ("In 1956 the governments of the United States and Britain withdrew their offer to fund the new dam "
            "on the river a week earlier than planned.")
    assert not any(c.category == "reason" for c in _cards(text))


def test_a_short_purpose_is_a_question_or_nothing():
    cards = _cards("Ignaz Semmelweis went to Vienna to study law. The tank had been built in a hurry, and it was never "
                   "filled with water to test it.")
    why = [c for c in cards if c.category == "reason"]
    assert [c.answer for c in why] == ["To study law"]


def test_so_after_two_clauses_takes_both_as_the_reason():
    cards = _cards("Grace Hopper joined the Navy in 1943. At 37 she was older than most recruits, and she weighed less than "
                   "the Navy's minimum, so she needed a special waiver to be accepted.")
    why = [c for c in cards if c.category == "reason"]
    assert why and why[0].answer == "Because at 37 she was older than most recruits, and she weighed less than the Navy's minimum"


def test_a_why_question_whose_its_is_left_out_becomes_a_cloze():
    cards = _cards("A Northern Ireland Assembly of 108 members would make laws for the region, and its executive would be "
                   "shared between unionist and nationalist parties, so that neither community could govern alone.")
    why = [c for c in cards if c.category == "reason"]
    assert why and why[0].type == "cloze" and "{{c1::neither community could govern alone}}" in why[0].prompt


# -- quotes ----------------------------------------------------------------------------------------

def test_a_reported_clause_ending_in_a_quotation_is_a_who_said_card():
    cards = _cards("Henry Ford built the Model T in Detroit. Henry Ford later wrote that the five-dollar day was "
                   "\"one of the finest cost-cutting moves we ever made.\"")
    quote = [c for c in cards if c.reason == "quote"]
    assert quote and quote[0].answer == "Henry Ford"
    assert quote[0].note.claim == "the five-dollar day was one of the finest cost-cutting moves we ever made."
    assert quote[0].prompt.startswith("Who wrote that \u201cthe five-dollar day was one of the finest")


def test_a_reported_clause_with_a_pronoun_subject_is_no_claim():
    cards = _cards("Frances Perkins never forgot the fire. Decades later Frances Perkins said that it was \"the day the New "
                   "Deal was born\".")
    assert not any(c.reason == "quote" for c in cards)


def test_a_saying_of_her_is_the_texts_subject_when_no_one_else_named_can_be_her():
    cards = _cards("Grace Hopper: a life\n\nGrace Hopper was born in New York City in 1906. She studied mathematics at "
                   "Yale University, where she earned a doctorate in 1934.\n\nShe died on 1 January 1992. In November 2016 "
                   "President Barack Obama awarded her the Presidential Medal of Freedom. One of her sayings is still quoted "
                   "by programmers: \"It's easier to ask forgiveness than it is to get permission.\"")
    assert [c.answer for c in cards if c.reason == "quote"] == ["Grace Hopper"]


def test_a_saying_introduced_by_a_colon_is_its_owners():
    cards = _cards("Grace Hopper retired from the Navy in 1986 as a rear admiral, and she kept lecturing. One of her sayings is still quoted by "
                   "programmers who are impatient with rules: \"It's easier to ask forgiveness than it is to get permission.\"")
    quote = [c for c in cards if c.reason == "quote"]
    assert quote and quote[0].answer == "Grace Hopper"
    assert quote[0].prompt == "Who said: \u201cIt's easier to ask forgiveness than it is to get permission\u201d?"


# -- the quiz side of figures in words --------------------------------------------------------------

def test_a_figure_in_words_gets_wrong_options_in_words_that_the_gate_accepts():
    import random

    from studyapp.domain import distractors as dx
    from studyapp.domain.quizcards import QuizCard
    from studyapp.domain.quizgate import option_kind_flaw

    options = dx.numeric_distractors("ten to twelve days", random.Random(3), year=False, k=3)
    assert len(options) == 3 and all(o.endswith(" days") and not any(ch.isdigit() for ch in o) for o in options)
    assert "twenty to twenty-four days" in dx.numeric_distractors("ten to twelve days", random.Random(3), year=False, k=6, window=8)
    card = QuizCard(id="c", kind="fact", type="cloze", prompt="About [\u2026] after infection", answer="ten to twelve days",
                    category="number")
    assert all(option_kind_flaw(card, o) is None for o in options)
    assert option_kind_flaw(card, "the next morning") is not None
    assert not any("one political" in o for o in dx.numeric_distractors("eight political parties", random.Random(1),
                                                                           year=False, k=6, window=8))


def test_a_figure_in_words_accepts_its_digit_forms():
    cards = _cards("Measles is one of the most contagious diseases known. About ten to twelve days after infection the "
                   "first symptoms appear, usually a fever and a cough.")
    card = next(c for c in cards if c.answer == "ten to twelve days")
    assert "10-12 days" in card.note.alternatives
