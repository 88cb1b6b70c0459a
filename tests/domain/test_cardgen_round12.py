"""Round 12 (helper R12): terms and places as answers, and "A, so B" when the parser hangs "so" on B's subject.

Every sentence here is made up; each test fails on the code before round 12 (docs/cardgen.md, "Round 12").
"""
from studyapp.domain import cardgen, nlp
from studyapp.domain.cardgen_why import whys


def _cards(text: str) -> list:
    return cardgen.generate(text)


def _clozes(text: str) -> list[str]:
    return [c.note.prompt for c in _cards(text) if c.note.type == "cloze"]


def test_so_hung_on_the_next_subject_still_links_two_clauses():
    text = ("Notes\n\nDust clogs the filters and makes the engine less efficient, so desert-ready trucks run a small "
            "fan for a few minutes every hour to clear it. The rest of the year is quiet in the region.")
    whys_ = [c for c in _cards(text) if c.reason == "why"]
    assert any(c.note.prompt == "Why do desert-ready trucks run a small fan for a few minutes every hour?"
               and c.note.answer == "Because dust clogs the filters and makes the engine less efficient" for c in whys_)


def test_purpose_question_leaves_the_linking_so_out():
    text = ("Notes\n\nDust clogs the filters and makes the engine less efficient, so desert-ready trucks run a small "
            "fan every hour to clear the dust from the filters.")
    reading = nlp.read(text)
    found = [(w.question, w.answer) for i in range(len(reading.sentences)) for w in whys(text, reading.sentences, i)]
    assert ("Why do desert-ready trucks run a small fan every hour?", "To clear the dust from the filters") in found


def test_specificational_is_gives_the_term():
    text = ("How Planets Move\n\nThe force that keeps the planets in their orbits around the sun is gravity. "
            "Astronomers have measured the orbits for centuries with growing precision.")
    assert "The force that keeps the planets in their orbits around the sun is {{c1::gravity}}." in _clozes(text)


def test_free_relative_what_is_gives_the_term():
    text = ("How Sledges Work\n\nWhat limits the speed of a loaded sledge on flat snow is friction. "
            "Teams of dogs pulled the sledges across the frozen plains for weeks.")
    assert "What limits the speed of a loaded sledge on flat snow is {{c1::friction}}." in _clozes(text)


def test_description_is_no_term():
    text = ("How Planets Move\n\nThe path that a planet follows around the sun is a slightly flattened circle. "
            "Astronomers have measured the orbits for centuries with growing precision.")
    assert not any("{{c1::circle}}" in p or "flattened circle}}" in p for p in _clozes(text))


def test_indefinite_description_then_its_name():
    text = ("Cooling a Server Room\n\nThe pump pushes a cold liquid, the coolant, through a network of copper pipes "
            "behind each rack. Engineers check the pipes every month for small leaks.")
    assert ("The pump pushes a cold liquid, the {{c1::coolant}}, through a network of copper pipes behind each rack."
            in _clozes(text))


def test_rare_word_used_often_is_asked_where_it_first_appears():
    text = ("Glass Beads\n\nEach batch of cullet was sorted by colour before it went into the furnace. The cullet came "
            "from broken bottles collected in the town. Buyers liked beads made from cullet because they were cheap. "
            "Old cullet was stored in wooden barrels behind the kilns.")
    prompts = _clozes(text)
    assert "Each batch of {{c1::cullet}} was sorted by colour before it went into the furnace." in prompts
    assert sum("{{c1::cullet}}" in p or "{{c1::Old cullet}}" in p for p in prompts) == 1


def test_the_first_country_to_is_the_answer():
    text = ("Votes for Women\n\nNorway was the first country in Europe to give all women the vote in national "
            "elections, in 1913. Campaigners in other countries studied its example closely.")
    prompts = _clozes(text)
    assert ("{{c1::Norway}} was the first country in Europe to give all women the vote in national elections, in 1913."
            in prompts)


def test_a_place_that_acts_in_a_dated_clause_is_the_answer():
    text = ("Window Taxes\n\nFinland abolished the tax on windows in 1921 after a long campaign by farmers and builders. "
            "The tax had been unpopular for decades across the region.")
    assert ("{{c1::Finland}} abolished the tax on windows in 1921 after a long campaign by farmers and builders."
            in _clozes(text))


def test_a_place_that_acts_without_a_year_stays_out():
    text = ("Window Taxes\n\nFinland saw the tax on windows as a burden on farmers and builders alike. "
            "The tax had been unpopular for decades across the region.")
    assert not any("{{c1::Finland}}" in p for p in _clozes(text))


def test_a_long_title_case_name_is_one_answer():
    text = ("Coloured Glass\n\nThe chemist Anna Lindqvist won the Wolf Prize in Chemistry for a new kind of "
            "coloured glass. The laboratory later moved to a larger building.")
    assert any("{{c1::Wolf Prize in Chemistry}}" in p for p in _clozes(text))


def test_a_name_and_where_it_is_stay_two():
    text = ("Glass Chemistry\n\nIn 1921 the young chemist Anna Lindqvist joined the Glass Institute in Stockholm as "
            "an assistant. Her first paper on coloured glass appeared two years later.")
    assert not any("Institute in Stockholm}}" in p for p in _clozes(text))


def test_a_place_doing_a_dated_deed_gets_room_beside_two_dates():
    text = ("Votes and Taxes\n\nNorway gave all women the vote in national elections in 1913, and Denmark followed two "
            "years later in 1915. The change had been debated for decades across the region.")
    prompts = _clozes(text)
    assert sum("{{c1::19" in p for p in prompts) == 2
    assert any(p.startswith("{{c1::Norway}} gave all women the vote") for p in prompts)
