"""Why cards: an infinitive that says what a scholarship, grant or contract is for is no reason."""
from __future__ import annotations

from studyapp.domain import cardgen

TEXT = """The Lindqvist Observatory

Elsa Varga won a scholarship to study astronomy in Uppsala, and she later built a telescope in her village.

The town council won a grant to repair the harbour wall. The builders closed the road to protect the workers from falling stones.
"""


def test_what_a_scholarship_or_grant_is_for_is_no_reason_but_a_purpose_still_is():
    whys = [c for c in cardgen.generate(TEXT) if c.reason == "why"]
    texts = " | ".join(f"{c.note.prompt} => {c.note.answer}" for c in whys)
    assert "study astronomy" not in texts.split("=>", 1)[-1] and "Why did Elsa Varga win" not in texts, texts
    assert "repair the harbour wall" not in " ".join(c.note.answer for c in whys), texts
    assert any("protect the workers" in (c.note.answer + c.note.prompt) for c in whys), texts
