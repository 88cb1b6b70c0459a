"""Round 10: a person named beside the subject noun ("The Danish chemist Ole Brandt ... he") is the subject a later
"he"/"his" may stand for; not when the subject noun is someone's ("His assistant, Karl Meyer, ... his").

Made-up sentences only (no text of the benchmark folders).
"""
from studyapp.domain import cardgen


def _prompts(text):
    return [c.prompt for c in cardgen.generate(text)]


def test_the_named_subject_is_he():
    text = ("The salt tax was first proposed in 1920 by the mayor, Maria Holm, who said it would pay for the schools. "
            "The Danish economist Ole Brandt spent decades studying the question, and in his 1931 book The Price of "
            "Salt he argued that taxes hide the true cost of food.\n")
    assert any("{{c1::Ole Brandt}}" in p for p in _prompts(text))


def test_a_possessive_subject_keeps_his_unresolved():
    text = ("Anton Vell ran the clinic at Ostby for ten years. Later, after a quarrel about money and beds, "
            "his assistant, Karl Meyer, refused to renew his contract, and in 1850 he left the town for good.\n")
    assert not any("{{c1::Karl Meyer}}" in p and not p.startswith("Anton Vell") for p in _prompts(text))
