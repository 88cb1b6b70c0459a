"""Round 10: the generator knows the article's title (shown on every card as its context line).

Made-up sentences only (no text of the benchmark folders).
"""
from studyapp.domain import cardgen, nlp
from studyapp.domain.cardgen_context import title_nouns

_TEXT = (
    "Engineers from Carlsbrook built a concrete wall across the valley of the Rell in 1924 for the county water "
    "board.\n\nThe dam had been open for barely four months.\n"
)


def _prompts(text, title=None):
    return [c.prompt for c in cardgen.generate(text, title=title)]


def test_generate_takes_a_title():
    assert cardgen.generate("", title="Anything") == []
    assert isinstance(cardgen.analyse(_TEXT, title="The Collapse of the Marlow Dam").candidates, list)


def test_the_title_subject_needs_no_lead():
    # "The dam" is the dam the title names: the card stands under its context line, without the sentence before
    titled = _prompts(_TEXT, "The Collapse of the Marlow Dam")
    assert "The dam had been open for barely {{c1::four months}}." in titled
    untitled = _prompts(_TEXT)
    assert "The dam had been open for barely {{c1::four months}}." not in untitled


def test_a_plural_title_names_a_kind_not_the_thing():
    # "Why Dams Fail" is about dams in general: "the dam" is still the one of the sentence before
    assert "The dam had been open for barely {{c1::four months}}." not in _prompts(_TEXT, "Why Dams Fail")


def test_a_headline_line_and_a_given_title_agree():
    headed = "The Collapse of the Marlow Dam\n\n" + _TEXT
    assert _prompts(headed) == _prompts(headed, "The Collapse of the Marlow Dam")
    assert "The dam had been open for barely {{c1::four months}}." in _prompts(headed)


def test_the_given_title_counts_as_a_headline():
    reading = nlp.read(_TEXT, "The Collapse of the Marlow Dam")
    assert "Marlow Dam" in reading.titles()
    assert nlp.read("The Marlow Dam\n\n" + _TEXT, "The Marlow Dam").title == ""  # said once, not twice


def test_title_nouns_are_the_singular_nouns():
    nouns = title_nouns("Congestion Charges Work: The Building of the Brooklyn Bridge")
    assert "bridge" in nouns and "building" in nouns
    assert "charges" not in nouns and "charge" not in nouns
    assert title_nouns("") == frozenset()


_FLOOD = ("On the night of 3 March 1952, a dam on the river Dene burst in the hills between Leeds and Bradford. "
          "The water covered a whole district of the city, drowned nearly 300 people and destroyed about 1,200 homes.\n")


def test_the_city_is_the_title_place_among_two():
    # two cities in the sentence before: "the city" is the one the title names
    titled = _prompts(_FLOOD, "The Leeds Flood of 1952")
    assert any("a whole district of Leeds, drowned nearly {{c1::300}} people" in p for p in titled)
    assert not any("district of Leeds" in p for p in _prompts(_FLOOD))
    assert not any("district of Bradford" in p for p in _prompts(_FLOOD, "The Bradfordshire Dams"))


_GLASS = ("The bowls she made for the Danish court in 1834 were sold in Copenhagen for ten times the price of ordinary glass.\n\nAnna Vell was "
          "born in Ostby in 1801. She ran a small glass workshop on the harbour from 1820 until her death.\n")


def test_she_is_the_title_person():
    # the title names Anna Vell, no lead names her and no one else could be "she": the card stands under its context line
    titled = _prompts(_GLASS, "Anna Vell, Glassmaker of Ostby")
    assert any(p.startswith("The bowls she made") for p in titled)
    assert not any(p.startswith("The bowls she made") for p in _prompts(_GLASS))


def test_she_is_not_the_title_person_when_another_woman_is_named():
    text = "Maria Holm opened a rival glass shop in Ostby in 1830. " + _GLASS
    assert not any(p.startswith("The bowls she made") for p in _prompts(text, "Anna Vell, Glassmaker of Ostby"))



def test_the_title_person_does_not_cover_a_bare_the_noun_subject():
    # "The couple" is not said by the title: the card still leans on the text before it
    text = _GLASS.replace("The bowls she made", "The couple sold the bowls she made")
    assert not any(p.startswith("The couple sold") for p in _prompts(text, "Anna Vell, Glassmaker of Ostby"))


_CLOCK = ("In every cell of the fly, the clock is a small body of about 2,000 proteins near the nucleus. It receives "
          "chemical signals from a protein called velinase, which builds up in the dark.\n")


def test_it_continues_the_title_subject_beside_a_complement():
    # "the clock is a small body ...": "It" could be the body, unless the title says the text is about the clock
    titled = _prompts(_CLOCK, "The Clock in the Cell")
    assert "The clock receives chemical signals from a protein called {{c1::velinase}}, which builds up in the dark." in titled
    assert not any(p.startswith("The clock receives") for p in _prompts(_CLOCK))
