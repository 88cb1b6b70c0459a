"""Kind words (`nlp_kinds`, round 8): a named event, a landform; and a ship described just after its name."""
from __future__ import annotations

from studyapp.domain import nlp, nlp_kinds


def _label(text: str, name: str) -> str | None:
    return next((e.label for s in nlp.read(text).sentences for e in s.entities if e.text == name), None)


def test_a_named_war_or_battle_is_an_event():
    assert nlp_kinds.kind_word("First Barons' War", None) == "EVENT"
    assert nlp_kinds.kind_word("Battle of Hastings", None) == "EVENT"
    assert nlp_kinds.kind_word("Niagara Escarpment", None) == "LOC"
    # the model calls these organisations
    assert _label("The Great Vell Rebellion followed, and the rebels burnt the mill at Dorn in 1341.",
                  "Great Vell Rebellion") == "EVENT"
    assert _label("The Dorn Uprising followed in 1341, and the rebels burnt the mill.", "Dorn Uprising") == "EVENT"


def test_a_ship_named_just_before_its_description_is_a_named_thing():
    # ", the ship that ...": `nlp_people.things_stay_things`, the one place this is decided
    text = "Amundsen planned to drift across the North Pole in the Fram, the ship that Fridtjof Nansen lent him."
    assert _label(text, "Fram") == "NAME"  # the model tags it an organisation
