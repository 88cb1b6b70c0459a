"""Why cards, round 9: a denied reason, a control verb's infinitive, a cut quotation, an unnamed "them"."""
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
    cut = Why(None, a, text.index(" of their own"), "x", None, 0)   # the closing mark outside the blank
    whole = Why(None, a, text.index(", Brandt"), "x", None, 0)      # both marks inside
    assert not _sound(text, cut) and _sound(text, whole)
