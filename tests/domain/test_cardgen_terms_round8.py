"""Card generator: terms and named things a text gives by naming constructions (`cardgen_terms2`, round 8).
Made-up sentences only; each fails without the rule."""
from __future__ import annotations

from studyapp.domain import nlp
from studyapp.domain.cardgen import generate


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.label for s in nlp.read(text).sentences for e in s.entities}


def _terms(text: str) -> list[str]:
    return [c.answer for c in generate(text) if c.category == "term"]


def test_a_kind_called_a_name_the_model_takes_for_a_body_is_a_term():
    text = "A drug called ivermectin, which farmers also use on sheep, kills the parasites quickly."
    assert _ents(text).get("ivermectin") == "TERM"
    assert "ivermectin" in _terms(text)


def test_a_kind_called_a_title_with_of_is_a_term_without_its_article():
    text = "Every spring the villagers light a bonfire on the hill, a ceremony called the Burning of the Boats."
    assert _ents(text).get("Burning of the Boats") == "TERM"
    assert "Burning of the Boats" in _terms(text)


def test_call_this_thing_a_name_at_the_end_of_the_clause_is_a_term():
    text = "Geologists call this slow sinking of the ground subsidence."
    assert _ents(text).get("subsidence") == "TERM"
    assert _terms(text) == ["subsidence"]


def test_a_described_thing_then_its_name_in_apposition_is_a_term():
    assert _ents("Their yacht, the Marigold, was wrecked off the coast of Cornwall in a storm.").get("Marigold") == "TERM"
    text = "The climbers pitched their camp, Highpoint, on a ledge below the summit ridge."
    assert _ents(text).get("Highpoint") == "TERM"
    assert "Highpoint" in _terms(text)


def test_a_vessel_noun_then_a_name_is_a_term_not_a_body():
    text = "The minister crossed the channel on the steamer Pelican Star, and the crowds cheered him at Dover."
    assert _ents(text).get("Pelican Star") == "TERM"


def test_a_quoted_nickname_after_as_is_a_term():
    assert _ents("Opponents ridiculed the new bridge as \"Walker's Folly\" because it cost so much."
                 ).get("Walker's Folly") == "TERM"


def test_a_short_lower_case_motto_after_a_colon_is_a_term():
    text = "Sailors learned one simple rule before a storm: \"reef early, reef often\"."
    assert _ents(text).get("reef early, reef often") == "TERM"
    assert "reef early, reef often" in _terms(text)


def test_people_stay_people():
    assert _ents("The physicist Anna Lindqvist showed that the crystal glowed.").get("Anna Lindqvist") == "PERSON"
    assert _ents("His friend, John Carter, was a doctor in the town.").get("John Carter") == "PERSON"
    assert "Marie Dupont" not in _terms("A nurse called Marie Dupont, who had trained in Lyon, ran the ward.")


def test_a_kin_word_or_a_name_that_says_its_kind_keeps_its_label():
    assert _ents("As a boy he was sent to work in the household of Hugh Auld. Auld's wife, Sophia, began "
                 "teaching him the alphabet.").get("Sophia") == "PERSON"
    assert _ents("Governments had already agreed a framework, the Vienna Convention, in March 1985, but it set "
                 "no binding limits.").get("Vienna Convention") == "LAW"


def test_an_acronym_before_a_kind_of_thing_is_a_term():
    assert _ents("Doctors gave the children the BCG vaccine before they started school.").get("BCG") == "TERM"


def test_a_long_lower_case_noun_phrase_opening_a_sentence_after_in_is_a_term():
    text = "In chronic obstructive pulmonary disease, the airways narrow and the patient struggles to breathe."
    assert _ents(text).get("chronic obstructive pulmonary disease") == "TERM"
    assert "chronic obstructive pulmonary disease" in _terms(text)
    assert _terms("In other words, the plan failed.") == []


def test_a_bare_word_then_the_noun_of_a_definition_is_a_term():
    assert _ents("Since then the treaty has served as a byword for tokenism, the policy of doing the least one "
                 "can.").get("tokenism") == "TERM"


def test_an_acronym_a_thing_is_known_as_is_a_term_not_a_body():
    assert _ents("Traders still measure oil in standard barrels, known as BBL.").get("BBL") == "TERM"


def test_a_quoted_nickname_given_to_it_is_a_term():
    assert _ents("The old locomotive was rebuilt, and the drivers nicknamed it \"The Kettle\".").get("The Kettle") == "TERM"


def test_a_quoted_compliment_with_a_persons_name_is_no_term():
    text = ("In 1931 Anna Berg became the first woman to lead the laboratory. Otto Klein, who admired her work, "
            "called her \"our Marie Curie\".")
    assert not any("Curie" in t for t in _terms(text))
