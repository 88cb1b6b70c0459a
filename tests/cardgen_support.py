"""Helpers of the card generator's rule tests (tests/domain/test_cardgen_round*.py)."""
from __future__ import annotations

from studyapp.domain import nlp
from studyapp.domain.cardgen import generate


def entity_labels(text: str) -> dict[str, str]:
    """Each entity of the text and the label the reader gave it."""
    return {e.text: e.label for s in nlp.read(text).sentences for e in s.entities}


def prompts(text: str) -> list[str]:
    return [c.prompt for c in generate(text)]


def led(prompts: list[str], words: str, lead: str) -> list[str]:
    """The cards with `words` (a phrase that leans on the sentence before); each must start with its lead, the
    sentence before (`cardgen_lead`). Returns them, so a test can say whether there must be some."""
    cards = [p for p in prompts if words in p]
    assert all(p.startswith(lead) for p in cards), cards
    return cards
