"""Round 10: a term the text uses four times or more is asked once, where the text introduces it (places and bodies
used that often stay out as guessable, as before). Made-up sentences only (no text of the benchmark folders)."""
from studyapp.domain import cardgen

_TEXT = (
    "Glassmakers in Ostby colour their bottles with a powder of iron and manganese salts known as Vellite. "
    "Vellite was first sold by the chemist Karl Brenner in a small shop on the harbour. "
    "A bottle coloured with Vellite keeps beer fresh for longer, because the green glass blocks the light. "
    "Today most breweries in the region still order Vellite by the tonne every spring.\n"
)


def _cards(text):
    return [c for c in cardgen.generate(text) if c.answer == "Vellite"]


def test_a_frequent_term_is_asked_where_it_is_introduced():
    cards = _cards(_TEXT)
    assert len(cards) == 1
    assert "known as {{c1::Vellite}}" in cards[0].prompt
