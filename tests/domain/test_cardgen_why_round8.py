"""Round 8 why cards (helper Y, `cardgen_why2`): causal phrases ("owing to", "in return for", "on the grounds
that", "for fear that") and reasons given in the sentence before ("That is why", "For this reason", ", which is
why"). Each rule test fails with `cardgen_why2.ROUND8 = False`; the guards say what makes no card."""
from __future__ import annotations

import pytest

from studyapp.domain import cardgen_why2, nlp
from studyapp.domain.cardgen_why import whys


def _whys(text: str) -> list[tuple[str | None, str]]:
    sentences = nlp.read(text).sentences
    return [(w.question, w.answer) for i in range(len(sentences)) for w in whys(text, sentences, i)]


@pytest.fixture(autouse=True)
def _round8_on(monkeypatch):
    monkeypatch.setattr(cardgen_why2, "ROUND8", True)


def test_that_is_why_takes_the_sentence_before_as_the_reason():
    text = ("Cold air holds very little water vapour. That is why the inland lakes of the plateau freeze solid "
            "every winter.")
    assert ("Why do the inland lakes of the plateau freeze solid every winter?",
            "Because cold air holds very little water vapour") in _whys(text)


def test_an_opening_connective_of_the_reason_is_left_out():
    text = ("The old valves were unreliable. Instead the engineers used small transistors in every unit. "
            "This is why the new computer could run for weeks without a fault.")
    found = dict(_whys(text))
    assert found.get("Why could the new computer run for weeks without a fault?") == \
        "Because the engineers used small transistors in every unit"


def test_for_that_reason_explains_the_rest_of_its_sentence():
    text = ("A single faulty weld could crack the whole hull in freezing water. For that reason every plate of the "
            "new ships was checked by X-ray.")
    assert ("Why was every plate of the new ships checked by X-ray?",
            "Because a single faulty weld could crack the whole hull in freezing water") in _whys(text)


def test_which_is_why_takes_the_clause_before_the_comma():
    text = ("The local bank lent money only to landowners, which is one reason why many farmers joined the new "
            "cooperatives.")
    assert ("Why did many farmers join the new cooperatives?",
            "Because the local bank lent money only to landowners") in _whys(text)


def test_on_the_grounds_that_is_a_reason_clause():  # the date of a round-8 question keeps its own card
    text = "The court rejected the appeal in 1911, on the grounds that the contract had been signed under pressure."
    assert ("Why did the court reject the appeal?",
            "Because the contract had been signed under pressure") in _whys(text)


def test_owing_to_is_because_of():
    text = "The harvest of 1846 failed owing to a long drought in the southern provinces."
    assert ("Why did the harvest of 1846 fail?", "Because of a long drought in the southern provinces") in _whys(text)


def test_in_return_for_keeps_its_phrase_in_the_answer():
    text = "The merchants lent the king large sums in return for the right to collect the customs duties."
    assert ("Why did the merchants lend the king large sums?",
            "In return for the right to collect the customs duties") in _whys(text)


def test_for_fear_that_keeps_its_phrase_in_the_answer():
    text = "The garrison abandoned the fort in 1756 for fear that the enemy army would cut the supply road."
    assert ("Why did the garrison abandon the fort?",
            "For fear that the enemy army would cut the supply road") in _whys(text)


def test_a_purpose_stops_before_a_participle_clause():
    text = "The council rewrote the rules in 1920 to win back the farmers' support, leaving out the tax on seed."
    found = dict(_whys(text))
    assert found.get("Why did the council rewrite the rules in 1920?") == "To win back the farmers' support"


# -- guards --------------------------------------------------------------------------------------------

def test_that_is_why_across_a_paragraph_break_makes_no_card():
    text = "Cold air holds very little water vapour.\n\nThat is why the inland lakes of the plateau freeze solid."
    assert not any(q and q.startswith("Why do the inland lakes") for q, _ in _whys(text))


def test_a_reason_whose_subject_is_this_makes_no_card():
    text = "This made the journey far too slow. That is why the traders built a new road across the hills."
    assert not any(q and q.startswith("Why did the traders") for q, _ in _whys(text))


def test_a_reason_with_it_needs_a_noun_subject_in_the_question():
    text = "It cost far too much to repair. That is why they sold the old mill to the town."
    assert _whys(text) == []


def test_why_inside_a_clause_is_not_that_is_why():
    text = "Nobody knows why the old mill was sold to the town in 1890."
    assert _whys(text) == []


def test_the_rules_are_off_without_round8(monkeypatch):
    monkeypatch.setattr(cardgen_why2, "ROUND8", False)
    text = ("Cold air holds very little water vapour. That is why the inland lakes of the plateau freeze solid "
            "every winter. The harvest of 1846 failed owing to a long drought in the southern provinces.")
    assert _whys(text) == []


# -- round 8, second step --------------------------------------------------------------------------

def test_because_of_a_clause():
    text = "Because of where the river bent in its valley, the town flooded more often than its neighbours."
    assert ("Why did the town flood more often than its neighbours?",
            "Because of where the river bent in its valley") in _whys(text)


def test_a_because_clause_the_parser_joins_with_and():
    text = ("On 20 June 1948 the western powers introduced a new currency, the Deutsche Mark, in their zones, "
            "because the old Reichsmark had become almost worthless.")
    assert ("Why did the western powers introduce a new currency?",
            "Because the old Reichsmark had become almost worthless") in _whys(text)


def test_a_so_clause_whose_reason_has_a_clause_for_subject():
    text = "Sending an armed convoy down the road might have started a war, so the allies chose to supply the city by air."
    assert ("Why did the allies choose to supply the city by air?",
            "Because sending an armed convoy down the road might have started a war") in _whys(text)


def test_caused_by_asks_what_caused():
    text = "The great fire of 1666 was caused by a spark from a baker's oven in Pudding Lane."
    assert ("What caused the great fire of 1666?", "A spark from a baker's oven in Pudding Lane") in _whys(text)


def test_caused_by_with_a_bare_the_noun_makes_no_card():
    text = "The fire was caused by a spark from a baker's oven in Pudding Lane."
    assert _whys(text) == []


def test_which_explains_why():
    text = "The farmers burned the old stubble every October, which explains why the valley smoked every autumn."
    assert ("Why did the valley smoke every autumn?", "Because the farmers burned the old stubble every October") in _whys(text)


def test_which_explains_why_with_a_dangling_pronoun_makes_no_card():
    text = "The midwives never performed autopsies, which explained why their clinic was safer."
    assert _whys(text) == []


def test_the_question_leaves_out_a_trailing_relative_clause():
    text = ("Cattle are also given large doses of antibiotics in order to make them grow faster, which exposes many "
            "more bacteria to the drugs.")
    assert ("Why are cattle also given large doses of antibiotics?", "To make them grow faster") in _whys(text)


def test_a_reason_pointing_into_the_aside_keeps_the_aside():
    text = ("The Republic agreed to change two articles of its constitution, which claimed the whole island, because "
            "unionists had long seen that claim as a threat.")
    assert not any(q and q.startswith("Why did the Republic agree") for q, _ in _whys(text))


def test_because_a_then_so_b_says_because_once():
    text = ("Because the book named his former owners, his friends feared that he would be captured, so Douglass "
            "sailed to Britain.")
    assert not any(a.lower().startswith("because because") for _, a in _whys(text))


def test_a_question_freed_from_an_aside_leaves_its_date_to_its_own_card():
    text = ("The council voted in 1921 to repeal the old rules of the city charter, which had barred women from public "
            "office, because the war had left most offices empty.")
    assert ("Why did the council vote to repeal the old rules of the city charter?",
            "Because the war had left most offices empty") in _whys(text)


# -- round 8, third step: reported reasons and "after" + an objection ---------------------------------------

def test_a_participle_of_saying_gives_the_reason_reported():
    text = ("Mayor John Price halted the new road plan in May 1990, saying that it would cost the town too much, and "
            "later allowed a smaller bypass.")
    assert ("Why did Mayor John Price halt the new road plan?", "Saying that it would cost the town too much") in _whys(text)


def test_a_reported_reason_whose_question_would_say_it_is_a_cloze():
    text = ("The council passed the law in 1990, but the farmers' union challenged it, arguing that it broke the "
            "old grazing rights.")
    found = _whys(text)
    assert (None, "Arguing that it broke the old grazing rights") in found
    assert not any(q and "challenge it" in q for q, _ in found)


def test_after_complaints_is_a_cause():
    text = "The city moved the market to the river bank in 1884 after complaints about the smell from the butchers."
    assert any(a == "After complaints about the smell from the butchers" for _, a in _whys(text))


def test_after_a_plain_noun_is_time_not_a_cause():
    text = "The city moved the market to the river bank in 1884 after the great fire of the old town hall."
    assert not any(a.startswith("After") for _, a in _whys(text))


# -- round 8, fourth step: the text's own why question; "explain ... by" ----------------------------------

def test_the_texts_own_why_question_answered_in_the_next_sentence():
    text = "Why do cats purr so loudly? Part of the answer is that the sound calms their kittens in the dark."
    assert ("Why do cats purr so loudly?", "Partly because the sound calms their kittens in the dark") in _whys(text)


def test_an_answer_after_a_statement_is_not_taken():
    text = "Cats purr loudly at night. The answer is that the sound calms their kittens in the dark."
    assert _whys(text) == []


def test_explain_by_asks_how():
    text = "Historians usually explain the Spanish defeat by bad weather rather than poor seamanship."
    assert ("How do historians usually explain the Spanish defeat?",
            "By bad weather rather than poor seamanship") in _whys(text)


# -- round 8, fifth step: "therefore"; "by" + a gerund -----------------------------------------------------

def test_therefore_takes_the_sentence_before_as_the_reason():
    text = ("The river rose by two metres every spring. The builders therefore raised the whole town on wooden piles.")
    assert ("Why did the builders raise the whole town on wooden piles?",
            "Because the river rose by two metres every spring") in _whys(text)


def test_by_a_gerund_asks_how():
    text = "Aspirin works by blocking an enzyme that the body uses to make prostaglandins."
    assert ("How does aspirin work?", "By blocking an enzyme that the body uses to make prostaglandins") in _whys(text)


def test_by_a_gerund_with_them_left_in_makes_no_card():
    text = "The two doctors kept them alive by feeding them fresh seal meat."
    assert not any(q and q.startswith("How") for q, _ in _whys(text))


def test_the_point_of_x_after_a_colon():
    text = "This is the point of the new toll: it moves the heaviest lorries off the old bridge at night."
    assert ("What is the point of the new toll?",
            "It moves the heaviest lorries off the old bridge at night") in _whys(text)


def test_the_aim_of_x_was_to():
    text = "The aim of the new canal was to carry coal from the valley to the port."
    assert ("What was the aim of the new canal?", "To carry coal from the valley to the port") in _whys(text)


def test_so_as_to_is_a_purpose():
    text = "The crew lowered the sails so as to slow the ship before the reef."
    assert ("Why did the crew lower the sails?", "To slow the ship before the reef") in _whys(text)


def test_in_order_that_is_a_purpose_clause():
    text = "The king called a parliament in order that the barons could state their grievances."
    assert ("Why did the king call a parliament?", "So that the barons could state their grievances") in _whys(text)
