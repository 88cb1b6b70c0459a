"""Round 10: "the following year" after a sentence with one year is that year plus one; with no year before, the card
leans on the text before it. Made-up sentences only (no text of the benchmark folders)."""
from studyapp.domain import cardgen


def _prompts(text):
    return [c.prompt for c in cardgen.generate(text)]


def test_the_following_year_is_written_out():
    text = ("In 1931 the chemist Karl Brenner sold his patent for green bottle glass to a Danish firm for 4,000 crowns. "
            "Brenner died the following year, aged 61, in a small house near the harbour at Ostby.\n")
    prompts = _prompts(text)
    assert any("died in 1932, aged {{c1::61}}" in p for p in prompts)
    assert not any("the following year" in p for p in prompts if "{{c1::61}}" in p)


def test_the_same_year_opening_a_sentence():
    text = ("The Ostby glassworks opened a second furnace in 1874 to meet orders from Copenhagen. The same year, the "
            "founder Karl Brenner hired the chemist Ole Brandt to improve the colour of the glass.\n")
    assert any(p.startswith("In 1874, the founder Karl Brenner hired the chemist {{c1::Ole Brandt}}") for p in _prompts(text))


def test_the_following_year_with_no_year_before_leans():
    text = ("The Ostby glassworks sold its patent for green bottle glass to a Danish firm for a large sum. "
            "Karl Brenner died the following year, aged 61, before a single bottle had been made.\n")
    assert not any(p.startswith("Karl Brenner died the following year") for p in _prompts(text))
