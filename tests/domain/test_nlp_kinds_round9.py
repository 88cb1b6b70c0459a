"""Round 9 kind rules (helper K): what the sentence itself says a name is (`nlp_kinds.said_kind`), water bodies
and regions as places, a surname with its particles, and a name given to a thing that is no person."""
from __future__ import annotations

from studyapp.domain import nlp


def _labels(text: str, name: str) -> list[str]:
    return [e.label for s in nlp.read(text).sentences for e in s.entities if e.text == name]


def test_a_thing_nicknamed_is_no_person_even_in_the_headline():
    text = ("Whistling Wendy: The Fall of a Bridge\n\n"
            "The engineers heard the cables hum in the wind, and they nicknamed it Whistling Wendy. "
            "The remains of Wendy lie on the bed of the river, where divers found them in 1992.")
    assert "PERSON" not in _labels(text, "Whistling Wendy")
    assert "PERSON" not in _labels(text, "Wendy")


def test_a_document_known_as_a_name_is_a_term():
    text = ("The document, later known as Magna Libertas, or the Great Grant, set out that the duke was bound "
            "by the law.")
    assert _labels(text, "Magna Libertas") == ["TERM"]


def test_names_after_a_plural_noun_and_such_as_take_its_kind():
    text = "Many travellers visit cities such as La Paz and Cusco every year to see the old markets."
    assert _labels(text, "La Paz") == ["LOC"]


def test_a_name_a_copula_gives_a_kind_noun_takes_its_kind():
    text = ("Chloroquine, cheap and effective, became the standard drug after the war, but the parasite had "
            "become resistant to it by the 1980s.")
    assert _labels(text, "Chloroquine") == ["NAME"]


def test_a_name_joined_to_other_lands_is_a_place():
    text = ("Geoffrey had lost Normandy and most of his family's other lands in France to King Louis by 1204, and "
            "his attempts to win them back cost a great deal.")
    assert _labels(text, "Normandy") == ["LOC"]


def test_a_region_described_by_a_possessive_noun_is_a_place_and_a_sound_is_water():
    text = ("When the payments stopped, French and Belgian troops occupied the Ruhr, its industrial heartland, "
            "in January 1923.")
    assert _labels(text, "Ruhr") == ["LOC"]
    assert _labels("Shortly after noon the main span tore loose and fell into Puget Sound.", "Puget Sound") == ["LOC"]


def test_a_division_of_a_company_is_an_organisation():
    text = "That year Chevrolet, a division of General Motors, sold more cars than Ford for the first time."
    assert _labels(text, "Chevrolet") == ["ORG"]


def test_a_surname_with_particles_stands_for_the_person():
    text = ("Her old friend Henry De la Beche painted the scene in 1830 and sold prints of it to raise money. "
            "De la Beche, by then president of the Geological Society, read a eulogy to its members.")
    assert _labels(text, "De la Beche") == ["PERSON"]


def test_a_named_animal_is_no_answer():
    text = ("Walter Price, an editor at the Riverton Gazette, was driving across with his daughter's cocker spaniel, "
            "Tubby, when his car was thrown against the kerb. Tubby was the only life lost.")
    assert _labels(text, "Tubby") == []


def test_a_court_case_is_one_term_and_its_party_alone_no_answer():
    text = ("The doctrine dated from 1896. In Plessy v. Ferguson the court had upheld a Louisiana law requiring "
            "separate railway carriages. The attack on Plessy was planned by the National Association for the "
            "Advancement of Colored People.")
    reading = nlp.read(text)
    assert any("Plessy v. Ferguson" in reading.text[s.start:s.end] for s in reading.sentences)  # "v." ends no sentence
    assert _labels(text, "Plessy v. Ferguson") == ["TERM"]
    assert _labels(text, "Plessy") == []
    assert _labels("In 1953 the scientist B. V. Bowden republished her notes.", "B. V. Bowden") == ["PERSON"]


def test_a_sentence_initial_common_noun_tagged_a_person_is_a_term():
    text = ("Treatment has been a race against resistance. Quinine, taken from the bark of the South American "
            "cinchona tree, was used for centuries.")
    assert _labels(text, "Quinine") == ["TERM"]


def test_the_name_a_place_was_called_is_a_place():
    text = ("To please his mother he began to study medicine in Christiania, as Oslo was then called, but when she "
            "died he was twenty-one, and he left the university for the sea.")
    assert _labels(text, "Oslo") == ["GPE"]


def test_two_towns_near_a_place_are_two_places():
    text = ("Passenger trains run between London and Paris, while shuttle trains carry cars and lorries between the "
            "terminals at Folkestone and Coquelles, near Calais.")
    assert _labels(text, "Folkestone") == ["GPE"] and _labels(text, "Coquelles") == ["GPE"]


def test_a_name_given_to_a_thing_or_modifying_a_kind_noun_takes_its_kind():
    text = ("Voyager 2 flew past Neptune on 25 August 1989 and photographed a huge storm, which scientists called "
            "the Great Dark Spot, and confirmed that Neptune has faint rings.")
    assert _labels(text, "Great Dark Spot") == ["TERM"]
    text = "Fleming identified the mould as a member of the Penicillium genus and named the substance penicillin."
    assert _labels(text, "Penicillium") == ["NAME"]


def test_a_span_of_years_is_a_date():
    text = ("The barrier closed only a few times a year in the 1980s, but in the winter of 2013-14 it closed 50 times, "
            "more than in any earlier season.")
    assert _labels(text, "2013-14") == ["DATE"]


def test_a_possessive_full_name_gives_its_surname_to_the_person():
    text = ("The first people to study the eggs were members of Robert Falcon Scott's last expedition. "
            "Wilson and Bowers died with Scott on the way back from the South Pole the following year.")
    assert _labels(text, "Scott") == ["PERSON"]


def test_a_name_cut_at_a_comma_without_a_space_is_no_answer():
    text = ("In 2021 the WHO recommended RTS,S, developed by GlaxoSmithKline, for children in areas of moderate and "
            "high transmission.")
    assert _labels(text, "RTS") == []


def test_a_name_shown_to_be_a_genus_is_a_named_thing_in_every_sentence():
    text = ("Fleming identified the mould as a member of the Penicillium genus and named the substance penicillin. "
            "At a government laboratory in Peoria, Illinois, scientists found that a strain of Penicillium growing on "
            "a mouldy cantaloupe produced far more of the drug.")
    assert _labels(text, "Penicillium") == ["NAME", "NAME"]


def test_a_persons_title_in_apposition_is_a_term():
    text = ("John Couch Adams sent his results to George Airy, the Astronomer Royal, but Airy doubted them and asked "
            "questions that Adams was slow to answer.")
    assert _labels(text, "Astronomer Royal") == ["TERM"]
