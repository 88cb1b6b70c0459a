"""Card generator: names and numbers labelled by their place in the sentence (`nlp_context`), and the
general rules added after the round-3 held-out texts (docs/cardgen.md). Made-up sentences only."""
from __future__ import annotations

from studyapp.domain import nlp
from studyapp.domain.cardgen import generate


def _ents(text: str) -> dict[str, str]:
    return {e.text: e.label for s in nlp.read(text).sentences for e in s.entities}


def test_a_name_ending_in_a_treaty_word_is_a_treaty():
    ents = _ents("Governments had already agreed a framework, the Vienna Convention, in March 1985, "
                 "but it set no binding limits.")
    assert ents.get("Vienna Convention") == "LAW"


def test_a_name_followed_by_a_place_after_in_is_a_place():
    ents = _ents("In July 1944, delegates from many nations met at a hotel in Bretton Woods, New Hampshire.")
    assert ents.get("Bretton Woods") == "GPE"


def test_an_institution_followed_by_its_town_stays_an_organisation():
    ents = _ents("Rosalind Franklin studied chemistry at Newnham College, Cambridge, before the war.")
    assert ents.get("Newnham College") == "ORG"


def test_a_name_the_text_gives_a_thing_is_a_term_but_a_named_person_stays_a_person():
    ents = _ents("Alfred Wegener argued that the continents had once formed a single landmass, "
                 "which he later called Pangaea, and had slowly drifted apart.")
    assert ents.get("Pangaea") == "TERM"
    ents = _ents("The first human patient was a policeman named Albert Alexander, who was treated in 1941.")
    assert ents.get("Albert Alexander") == "PERSON"


def test_a_year_before_a_singular_noun_is_a_year_not_a_figure():
    ents = _ents("A 2022 assessment by the World Meteorological Organization projected a slow recovery of the layer.")
    assert ents.get("2022") == "DATE"


def test_a_range_is_one_answer_with_its_unit():
    text = ("High in the stratosphere, between about 15 and 35 kilometres above the ground, a thin layer of ozone "
            "absorbs most of the ultraviolet radiation.")
    ents = _ents(text)
    assert "15 and 35 kilometres" in ents
    assert "15" not in ents and "35" not in ents
    assert not any("{{c1::15}}" in c.prompt or "{{c1::35}}" in c.prompt for c in generate(text))


def test_an_organisation_inside_a_persons_title_is_no_answer():
    text = ("At a meeting in Rome later that year, the Treasury Secretary John Connally told European "
            "finance ministers about the new rates.")
    assert "Treasury" not in _ents(text)
    assert not any("{{c1::Treasury}}" in c.prompt for c in generate(text))


def test_a_duration_in_words_is_a_figure_but_a_named_period_is_not():
    assert _ents("For about twenty-five years the system worked well for every member.").get("twenty-five") == "CARDINAL"
    assert "thirteen" not in _ents("Both governments had struggled to exchange messages quickly during the "
                                   "thirteen days of the crisis.")
