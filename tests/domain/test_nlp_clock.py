"""Round 10: a time of day ("at 7:45 in the morning") is a fact a card asks; a duration stays a quantity.
Made-up sentences only (no text of the benchmark folders)."""
from studyapp.domain import cardgen, nlp


def test_a_clock_time_is_an_entity_and_a_card():
    text = ("The ferry Vella left Ostby harbour at 7:45 in the morning on 3 May 1921 with 212 passengers and a cargo "
            "of salt fish on board.\n")
    ents = [(e.text, e.label) for s in nlp.read(text).sentences for e in s.entities]
    assert ("7:45", "TIME") in ents
    assert any("{{c1::7:45}}" in c.prompt for c in cardgen.generate(text))


def test_a_duration_is_no_clock():
    text = "The crossing to Vell took nearly 56 hours in the winter storms of 1921, twice the usual time.\n"
    assert not any(e.label == "TIME" for s in nlp.read(text).sentences for e in s.entities)
