"""Card generator, round 9 (issue 10): cards that lean on text not on the card (`cardgen_anaphora`, `cardgen_refer`,
`cardgen_lead`, `cardgen_it`). Made-up sentences only; each test fails without its rule."""
from __future__ import annotations

from studyapp.domain.cardgen import generate

from cardgen_support import prompts as _prompts


def test_a_role_noun_said_of_the_pronoun_s_own_person_does_not_name_her():
    text = ("Nora Vell was born in Dorn in 1870 and sold woven rugs from a stall by the harbour.\n\n"
            "Yet she never received the credit her work deserved. As a woman she could not join the Dorn Weavers' "
            "Guild, which did not admit women until 1904, and the merchants who bought her rugs sold them as their own.")
    assert not any(p.startswith("As a woman she") for p in _prompts(text))


def test_an_indefinite_role_noun_before_a_name_still_shows_the_gender():
    text = ("As a boy Karl Brandt was sent to Vell to work in the house of Otto Lind. Lind's wife, Anna, began "
            "teaching him to read until 1841, when the family moved to Dorn.")
    assert any("teaching him" in p and "{{c1::1841}}" in p for p in _prompts(text))


def test_a_purpose_s_object_is_not_the_one_who_carries_it_out():
    text = ("In 1957 the mayor of Dorn, Otto Brandt, used the city police to stop nine weavers entering the Vell "
            "mill, and the governor sent soldiers of the 12th Regiment to escort them inside.")
    cards = generate(text)
    assert not any(c.prompt.startswith("Why") and "them" in c.answer for c in cards)


def test_a_demonstrative_subject_inside_the_sentence_leans():
    text = ("Otto Brandt wrote about the Vell fever in 1902. It starts when a stage of the worm called the larva "
            "enters the skin. Within an hour these reach the liver, where each one becomes a new worm, known as a "
            "fluke.")
    assert not any(p.startswith("Within an hour these") for p in _prompts(text))


def test_a_phrase_set_off_by_commas_does_not_say_which_measures():
    text = ("It rained in Dorn for a whole year. Between 2000 and 2015 these measures, together with better drugs "
            "and testing, cut the death rate from the Vell fever by about 60 per cent.")
    assert not any(p.startswith("Between") and "these measures" in p for p in _prompts(text))


def test_a_description_the_sentence_says_again_is_not_borrowed():
    text = ("Nora Vell's most famous find was made in 1823: the bones of a reptile with a small head and a long neck. "
            "The neck was so long that Otto Brandt, the leading anatomist of Dorn, suspected a fake.")
    assert not any("The long neck was so long" in p for p in _prompts(text))


def test_a_thing_as_the_subject_owns_no_his():
    text = ("The Vell Charter was sealed at Dorn in June 1215.\n\n"
            "The final blow came in July 1214, when his allies were defeated by the Danes at the Battle of Kell.")
    assert not any("when his allies" in p and not p.startswith("The Vell") for p in _prompts(text))
    kept = _prompts("The German astronomer Otto Brandt, who died in March 1846, had planned to publish his tables.")
    assert any("{{c1::March 1846}}" in p for p in kept)  # an agent noun with its name owns the "his"


def test_a_clause_set_off_by_commas_does_not_say_which_bottle():
    text = ("Nora Vell opened a shop in Dorn in 1890.\n\n"
            "For years that bottle, sold in corner shops for a few pounds, was the cheapest way to get drunk in Vell, "
            "and by 1990 its sales had reached 40 million litres a year.")
    assert not any(p.startswith("For years that bottle") for p in _prompts(text))


def test_a_bare_noun_that_began_says_not_what_began():
    text = ("The Vell Canal was first proposed by Otto Brandt, a miller, in a pamphlet he printed himself.\n\n"
            "Construction began at the town of Dorn in the hills on 4 July 1817, with 300 workers.")
    prompts = _prompts(text)
    assert not any(p.startswith("Construction began") or p.startswith("On what date did construction") for p in prompts)
    assert any("{{c1::1904}}" in p for p in _prompts("American work began in 1904, but the first two years went badly."))


def test_a_demonstrative_object_and_a_lone_both_lean():
    text = ("The Vell mine flooded in 1890, and Otto Brandt designed a new pump and a second valve. In December 1893 the "
            "crew of the mine installed both during five shifts.")
    both = [p for p in _prompts(text) if " both " in p]
    assert both and all(p.startswith("The Vell mine flooded") for p in both)
    assert any(c.answer == "1890" for c in generate("Otto Brandt cleared both sides of the Vell mine in 1890."))
    text = ("Diving seals were studied at Vell in 1950. A dive by the Vell seal can last twenty minutes, and some reach "
            "500 metres. The seals manage this because they slow their hearts and store oxygen in their muscles.")
    assert not any(p.startswith("Why do the seals manage this") for p in _prompts(text))


def test_the_two_men_are_named_by_the_lead():
    text = "Otto Brandt invited Karl Lind to Vell in 1913. The two men worked together for five years."
    assert all(p.startswith("Otto Brandt invited") for p in _prompts(text) if "The two men" in p)
    assert any("The two men" in p for p in _prompts(text))


def test_the_one_who_carries_out_an_infinitive_is_not_its_object():
    text = ("Vaccination spread quickly in Europe, but the Vell fever survived in much of Asia. In 1967 the Dorn Health "
            "Office launched a campaign to wipe it out, led by the doctor Otto Brandt.")
    wipe = [p for p in _prompts(text) if "wipe it out" in p]
    assert wipe and all(p.startswith("Vaccination spread") for p in wipe)


def test_a_participle_s_clause_does_not_hold_what_its_subject_it_is():
    text = ("The Vell Telescope was carried to the summit of Mount Dorn by mule in 1890. Named after the American "
            "astronomer Otto Vell, who had shown in the 1850s that the universe is expanding, it had cost about 40,000 "
            "pounds and had been delayed for years.")
    named = [p for p in _prompts(text) if "it had cost" in p]
    assert named and all(p.startswith("The Vell Telescope was carried") for p in named)
