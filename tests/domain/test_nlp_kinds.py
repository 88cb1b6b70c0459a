"""Kind words (`nlp_kinds`, round 8): a named event, a landform, and a name described just after it."""
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


def test_a_name_described_just_after_takes_the_description_s_kind():
    assert nlp_kinds.kind_word("Fram", None, ", the ship that Nansen lent him.") == "NAME"
    assert nlp_kinds.kind_word("Madeira", None, ", an island off the coast of Africa") == "LOC"
    assert nlp_kinds.kind_word("Vellco", None, ", a small company in Dorn,") == "ORG"
    # the head of "the head of the authority" is "head", not "authority"; an "of" group is no kind
    assert nlp_kinds.kind_word("Osama Rabie", None, ", the head of the authority, said") is None
    assert nlp_kinds.kind_word("Denisovans", None, ", an extinct group of ancient humans.") is None
    text = "In 1903 Karl Holm sailed north in the Vesla, the ship that his brother had built at Dorn for 40,000 crowns."
    assert _label(text, "Vesla") in (None, "NAME")
