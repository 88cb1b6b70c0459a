"""What the card generator reads of a text: a headline the first sentence repeats is no caption."""
from __future__ import annotations

from studyapp.domain import cardgen, cardtext, textscan

LEAD = """The Ardmore Canal Lift

The Ardmore Canal Lift raises boats 24 metres between two canals in a single movement. It opened in 2003 and replaced a flight of eleven locks.

Boats used to need most of a day to pass the old locks.
"""


def test_a_headline_repeated_by_the_first_sentence_keeps_the_lead_paragraph():
    _, dropped = textscan.kept_segments(LEAD)
    reasons = {LEAD[s:e]: why for (s, e), why in dropped.items()}
    assert reasons == {"The Ardmore Canal Lift": "title line"}
    answers = {c.note.answer or cardtext.cloze_answer(c.note.prompt, 1) for c in cardgen.generate(LEAD)}
    assert {"24", "2003"} <= answers, answers


def test_a_caption_that_copies_a_body_sentence_is_still_dropped():
    text = ("A dam\n\nThe dam was finished in 1969 after eleven years of work.\n\n"
            "The dam was finished in 1969 after eleven years of work.Photo: Archive\n")
    _, dropped = textscan.kept_segments(text)
    assert sorted(why for why in dropped.values()) == ["caption", "caption", "title line"]
