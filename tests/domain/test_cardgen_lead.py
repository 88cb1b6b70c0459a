"""Card generator: a card whose sentence leans on the one before carries that sentence as its lead
(`cardgen_lead`, round 7). Made-up sentences only; each test fails without its rule."""
from __future__ import annotations

from studyapp.domain import cardtext
from studyapp.domain.cardgen import analyse, generate

from cardgen_support import led
from cardgen_support import prompts as _prompts


def test_a_card_that_leans_carries_the_sentence_before_as_its_lead():
    text = ("Economists have long argued about what counts as runaway inflation. In a study published in 1971, the "
            "Danish economist Lars Holm defined it as a rise of more than 40 per cent a month.")
    cards = [c for c in generate(text) if "defined it" in c.prompt]
    assert cards and led([c.prompt for c in cards], "defined it", "Economists have long argued")
    for c in cards:  # the quiz's true statement is the card's whole text, lead included
        assert c.note.plain_statement() == cardtext.strip_markup(c.prompt).strip()
    assert not any(c.prompt.startswith("Economists") and "{{c1::" not in c.prompt.split(". ", 1)[1] for c in cards)


def test_an_opening_that_continues_a_story_needs_a_sentence_before():
    assert not _prompts("At the end, 40 of the farms kept the new plough, and 12 sold it within a year.")
    text = ("The Vell plough trial ran for two years on farms along the river. "
            "At the end, 40 of the farms kept the new plough, and 12 sold it within a year.")
    assert led(_prompts(text), "At the end", "The Vell plough trial ran")
    assert any("{{c1::40}}" in p for p in _prompts(text))
    assert _prompts("At the end of 1921 the Vell mill employed 400 weavers and 60 dyers.")  # not an opening that leans


def test_a_lead_that_shows_the_answer_is_not_used():
    text = ("A plough trial began in March 2019 with 52 farms along the Vell. At the end, 40 of the 52 farms kept "
            "the new plough.")
    prompts = _prompts(text)
    assert any(p.startswith("A plough trial began") and "{{c1::40}}" in p for p in prompts)
    assert not any("{{c1::52}} farms kept" in p or "of the {{c1::52}}" in p for p in prompts)


def test_a_lead_that_leans_itself_is_not_used():
    text = "These ploughs were heavy and slow. At the end, 40 farms in Vell kept the ploughs for another year."
    assert not any("At the end" in p for p in _prompts(text))


def test_a_lead_with_a_he_that_follows_no_name_is_not_used():
    text = ("In 1850 the Vell mill was sold, and he left the town for good. At the end, 40 of its looms were "
            "moved to Dorn by barge.")
    assert not any("At the end" in p for p in _prompts(text))


def test_there_after_a_place_in_its_own_sentence_does_not_lean():
    text = "The French engineer Paul Ravel signed for Panama in 1903, although he had not lived there for years."
    assert any("1903" in p and ("{{c1::" in p or p.startswith("In what year")) for p in _prompts(text))
    assert not _prompts("The French engineer Paul Ravel signed the treaty in 1903, although he had not lived there for years.")


def test_that_before_a_noun_after_a_verb_is_a_conjunction():
    text = "To prove that cobalt was present, the chemist Lena Holm heated the ore for 90 hours in 1902."
    assert any("{{c1::1902}}" in p for p in _prompts(text))


def test_a_body_is_led_only_by_a_name_of_its_own_kind():
    text = ("From 1893 Karl Ohm directed the Bureau of Standards in Vell, where he brought in the metric system. "
            "In 1906 Karl Ohm was proposed for the Hartmann Prize, but the committee chose Otto Lind.")
    assert not any("Bureau of Standards" in p and "the committee" in p for p in _prompts(text))
    text = ("In 1905 the Hartmann Committee asked chemists across Europe for nominations. "
            "In 1906 Karl Ohm was proposed for the Hartmann Prize, but the committee chose Otto Lind.")
    assert any("the Hartmann Committee chose" in p for p in _prompts(text))  # named, `cardgen_context`


def test_a_place_word_is_led_only_by_one_place():
    text = ("The Port of Malmo and the Port of Ystad both shipped the sugar abroad. "
            "The port handled 9,000 tonnes in 1925.")
    assert not any("handled" in p for p in _prompts(text))


def test_a_card_put_back_in_the_queue_gets_its_lead_once():
    text = ("In 1987 twenty countries signed the Vell Accord, which required cuts in coal mining. "
            "Later amendments, agreed in Oslo in 1990 and in Bergen in 1992, turned the cuts into a complete ban.")
    prompts = _prompts(text)
    assert led(prompts, "turned the cuts", "In 1987 twenty countries signed")
    assert not any(p.count("In 1987 twenty countries") > 1 for p in prompts)


def test_a_deletion_glued_to_a_word_is_dropped():
    prompts = _prompts("In 1871 Karl Ohm predicted two missing metals, which he called eka-boron and eka-silicon.")
    assert not any("eka-{{c1::" in p for p in prompts)
    prompts = _prompts("The Vell fair ran on 26 and 27 August 1883 and drew about 9,000 visitors from the coast.")
    assert not any("{{c1::26}}" in p for p in prompts)
    prompts = _prompts("In 1912 the king sent a 30,000-strong army to the northern border to guard the mines.")
    assert any("{{c1::30,000}}-strong" in p for p in prompts)


def test_what_keeps_a_leaning_card_out_is_said():
    dropped = analyse("At the end, 40 of the farms kept the new plough, and 12 sold it within a year.").dropped
    assert any("cannot lead" in d.reason for d in dropped)


def test_the_lead_says_who_she_is_when_it_is_about_her():
    text = ("Nora Vell was born in Dorn in 1910, and she trained as a weaver in Ghent. Ada Brandt, a rival designer, "
            "said she would never match the Dutch looms.\n\n"  # two women: the card's "she" is not resolved alone
            "Nora Vell's colleagues told her that the loom could not be made faster. In 1952 she finished a loom "
            "called the Vell Mark II, which wove twice as fast as the old ones.")
    assert led(_prompts(text), "In 1952 she finished", "Nora Vell's colleagues told her")
    assert any("{{c1::1952}}" in p for p in _prompts(text))


def test_a_lead_whose_she_follows_a_man_s_name_is_not_used():
    text = ("Ruth Ames studied law in Boston and in Paris. President Harry Truman then appointed her to the Tariff "
            "Board, where she served until 1953. In her last years she taught at Cornell University in Ithaca.")
    assert not any(p.startswith("President Harry Truman") and "her last years" in p for p in _prompts(text))


def test_it_is_the_subject_of_the_lead():
    text = ("The Vell Canal outlived the railway it had been built to rival. It now carries mainly pleasure boats, "
            "and its offices remain in Dorn.")
    assert led(_prompts(text), "its offices remain", "The Vell Canal outlived")


def test_a_group_by_its_trade_a_later_one_and_a_country_s_bank_lean():
    text = ("From May to June 2021, 40 bakeries in Vell cut the working week to four days. The researchers, from the "
            "University of Dorn, found that sales fell by about 3 per cent.")
    assert led(_prompts(text), "The researchers", "From May to June 2021")
    text = ("The first tunnel under the Vell was begun in 1880. A later attempt was abandoned in 1912, when the "
            "money ran out.")
    assert led(_prompts(text), "A later attempt", "The first tunnel under the Vell")
    text = ("Ostria sold the last of its gold reserves in 1925. By 1931 the central bank was printing notes worth "
            "a million crowns.")
    assert led(_prompts(text), "the central bank", "Ostria sold the last")


def test_a_subject_he_continues_the_lead_s_subject():
    # two men the text shows to be "he": the card's "He" is the lead's subject, not its object
    text = ("Anton Fisk was elected mayor of Vell in 1919, and he kept the post until his death. Otto Brandt led the "
            "miners' union, and he organised the strike of 1920.\n\n"
            "The mayor of Vell, Anton Fisk, decided to meet Otto Brandt in person. "
            "He travelled to Dorn on 15 September 1921 with two clerks.")
    assert led(_prompts(text), "He travelled to Dorn", "The mayor of Vell, Anton Fisk, decided")
    assert any("{{c1::15 September 1921}}" in p for p in _prompts(text))


# -- round 8: more openings that tell the reader to look back ---------------------------------------------

def test_a_time_counted_from_the_sentence_before_needs_that_sentence():
    alone = "Two years later the Vell mill employed 400 weavers and 60 dyers in its new hall."
    assert not _prompts(alone)  # later than what?
    text = "The Vell mill opened in 1850 on the north bank of the river. " + alone
    assert led(_prompts(text), "Two years later", "The Vell mill opened")
    # a later time inside the sentence, about its own event, leans on nothing
    inside = "In 1853 the mill hired Anna Lind, who became its manager two years later, and 60 dyers."
    assert any("{{c1::1853}}" in p or "{{c1::60}}" in p for p in _prompts(inside))


def test_an_argument_s_second_step_and_a_that_is_why_need_what_came_before():
    for opening in ("Second, ", "Finally, ", "Moreover, "):  # the step marker is left off the card
        prompts = _prompts(opening + "the Vell tax raised 40 million crowns for the mill towns in 1921.")
        assert prompts and all(p.startswith("The Vell tax") for p in prompts), opening
    assert not _prompts("That is why the Vell council closed 12 of its 40 schools in 1921.")
    assert not _prompts("That was a heavy loss, and the Vell council closed 12 schools in 1921.")  # "that" stands alone
    # not a step of an argument, nor a "that" standing for something said before
    assert _prompts("Second Street in Vell lost 12 of its 40 shops to the flood of 1921.")
    assert _prompts("The Vell council said that 12 of its 40 schools would close in 1921.")
