"""Helpers of the card generator's rule tests (tests/domain/test_cardgen_round*.py)."""
from __future__ import annotations

from studyapp.domain import nlp
from studyapp.domain.cardgen import generate


def entity_labels(text: str) -> dict[str, str]:
    """Each entity of the text and the label the reader gave it."""
    return {e.text: e.label for s in nlp.read(text).sentences for e in s.entities}


def prompts(text: str) -> list[str]:
    return [c.prompt for c in generate(text)]
