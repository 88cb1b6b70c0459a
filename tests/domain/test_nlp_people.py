"""People the small model misses or mislabels (`nlp_people.regnal_and_kin`): regnal numbers, a family or
ruler's noun in apposition, a name after a nationality; and a nationality or a people is no person."""
from __future__ import annotations

from studyapp.domain import nlp


def people(text: str) -> set[str]:
    return {e.text for s in nlp.read(text).sentences for e in s.entities if e.label == "PERSON"}


def test_names_with_regnal_numbers_are_people():
    text = ("The duchy passed to King Ottokar II in 1251. Years later Gregory X crowned the emperor in Lyon. "
            "Ottokar II lost the war, and his lands went to Rudolf I, who ruled until 1291.")
    found = people(text)
    assert {"Gregory X", "Rudolf I"} <= found
    assert any(p.endswith("Ottokar II") for p in found)


def test_a_lone_i_is_a_pronoun_where_no_ruler_is_numbered():
    found = people("When Anna Berg came home, I asked her about the trip. Berg said nothing.")
    assert not any(p.endswith(" I") for p in found)


def test_a_name_with_a_family_noun_in_apposition_is_a_person():
    assert "Louis" in people("The First Barons' War followed, and the rebels invited Louis, the son of the "
                             "French king, to take the throne.")


def test_a_name_after_a_nationality_is_a_person_and_the_nationality_is_not():
    text = ("On 12 May 1926 the explorer flew over the pole in an airship with the Italian engineer "
            "Umberto Nobile and the American Lincoln Ellsworth.")
    found = people(text)
    assert "Lincoln Ellsworth" in found and "American" not in found


def test_a_people_is_no_person():
    text = ("Some populations are adapted by birth. Tibetans, who have lived on their plateau for thousands "
            "of years, carry a variant of a gene.")
    assert "Tibetans" not in people(text)



def test_a_ship_named_beside_its_noun_is_a_thing_everywhere_and_a_renamed_place_is_a_place():
    text = ("His ship, the Vega, was a small sealing boat, and he took only eight men with him. He spent two winters "
            "at a harbour on Banks Island, now called Vega Haven, where he learned to drive dogs. In June 1907 the Vega "
            "reached Nome in Alaska.")
    labels = [(e.text, e.label) for s in nlp.read(text).sentences for e in s.entities]
    assert [lab for t, lab in labels if t == "Vega"] == ["NAME", "NAME"]
    assert ("Vega Haven", "LOC") in labels


def test_a_two_word_organisation_in_apposition_to_a_ruler_s_noun_is_a_person():
    text = "The talks failed in 1938. The Czechoslovak president, Edvard Benes, resigned the same day and went into exile."
    assert "Edvard Benes" in people(text)
