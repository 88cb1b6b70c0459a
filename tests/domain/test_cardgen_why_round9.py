"""Why cards, round 9: a denied reason, a control verb's infinitive, a cut quotation, an unnamed "them"."""
from types import SimpleNamespace

from studyapp.domain import cardgen
from studyapp.domain.cardgen_why import Why, _sound


def _whys(text: str) -> list[tuple[str, str]]:
    return [(c.prompt, c.answer) for c in cardgen.generate("A Title\n\n" + text) if c.reason == "why"]


def test_a_reason_the_writer_denies_is_no_reason():
    text = ("The historian Anna Wendt has argued that the villagers accepted the new road because it brought trade to "
            "their market, not because the council had persuaded them in advance.")
    assert not any("persuaded" in a for _, a in _whys(text))


def test_what_someone_is_trusted_to_do_is_no_purpose():
    text = "The merchants of the guild did not trust the young duke to keep his promises about the harbour tolls."
    assert not any(p.startswith("Why did the merchants") for p, _ in _whys(text))


def test_a_reason_that_cuts_a_quotation_makes_no_card():
    text = 'Rents suit taxation because they are an income "without any labour of their own", Brandt wrote.'
    a = text.index("they are")
    sentence = SimpleNamespace(start=0)
    cut = Why(sentence, a, text.index(" of their own"), "x", None, 0)   # the closing mark outside the blank
    whole = Why(sentence, a, text.index(", Brandt"), "x", None, 0)      # both marks inside
    assert not _sound(text, cut) and _sound(text, whole)


def _prompts(text: str) -> list[str]:
    return [c.prompt for c in cardgen.generate("A Title\n\n" + text)]


def test_no_question_leaves_a_second_finite_verb_behind():
    text = ("Mayor Elsa Brandt cancelled the tunnel scheme in June 1998, saying that it would cost the town too much, "
            "and later approved a smaller bridge over the river.")
    assert not any(p.startswith("When did") and "approved" in p for p in _prompts(text))


def test_the_end_of_a_month_range_is_no_answer():
    text = "From March to {{c1::October 1921}}, 40 ships of the northern fleet carried grain to the southern ports."
    assert not any("to {{c1::October 1921}}" in p for p in _prompts(text.replace("{{c1::", "").replace("}}", "")))


def test_the_base_of_a_rate_is_no_answer():
    text = "In the northern valleys, two to four of every 1,000 miners who worked the deep seams died of the disease."
    assert not any("{{c1::1,000}}" in p for p in _prompts(text))


def test_no_who_question_over_a_gapped_second_subject():
    text = "Anna Roth received the Harlan Medal in 1902 and Brenner in 1907, each for work on the river fevers."
    assert not any(p.startswith("Who received") for p in _prompts(text))


def test_a_reason_inside_a_quotation_is_the_speakers_and_makes_no_why_card():
    text = '"No family gives up a second car because the council says so," Margaret Hale said at the meeting.'
    assert not _whys(text)  # the who-said card asks for these words


def test_a_number_in_a_title_is_no_figure():
    text = "In 1831 the publisher Ernst Vogel issued Thirty-Six Views of Lake Constance, a series of prints."
    assert not any("{{c1::Thirty-Six}}" in p for p in _prompts(text))


def test_the_end_of_a_title_is_no_answer():
    # a real print's title (the model knows it as a work of art) in a made-up sentence
    text = "The album includes The Great Wave off Kanagawa, in which a dark wave curls over three fishing boats."
    assert not any("{{c1::Kanagawa}}" in p for p in _prompts(text))
