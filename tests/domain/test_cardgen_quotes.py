"""Who-said cards from quotations the round-6 rules missed (`cardgen_quotes.ROUND7`): a short quotation ending a
reported clause, "called/declared OBJECT "..."", a signed message, and "the Pope" as the one "Pope X"."""
from __future__ import annotations

from studyapp.domain.cardgen import generate


def who_said(text: str) -> dict[str, str]:
    return {c.prompt: c.answer for c in generate(text) if c.reason == "quote"}


def test_a_short_quotation_ending_a_reported_clause_is_the_claim():
    text = ("The bridge was first proposed in 1850. In 1856 the mayor Henrietta Vollmer told a reporter who met "
            "her that the plan was \"an expensive folly\".")
    assert who_said(text) == {"Who said that \u201cthe plan was an expensive folly\u201d?": "Henrietta Vollmer"}


def test_a_quotation_in_the_middle_of_a_clause_is_no_claim():
    text = "In 1847 the surgeon Tomas Varga concluded that nurses were spreading \"bad air\" from ward to ward."
    assert who_said(text) == {}


def test_called_object_quotation_says_the_object_was_the_quoted_words():
    text = "In 1962 the historian Lord Ashby called the Reform Act \"the greatest peaceful change of its age\"."
    found = who_said(text)
    assert list(found) == ["Who said that \u201cthe Reform Act was the greatest peaceful change of its age\u201d?"]
    assert list(found.values())[0].endswith("Ashby")


def test_called_it_makes_no_card():
    assert who_said("In 1962 the historian Lord Ashby called it \"the greatest peaceful change of its age\".") == {}


def test_the_title_alone_is_the_one_person_named_with_it_and_declared_keeps_its_verb():
    text = ("The duke appealed to Pope Gregory X for help. In August 1272 the Pope declared the treaty \"void and "
            "of no force for ever\", and the war went on.")
    found = who_said(text)
    assert list(found) == ["Who declared that \u201cthe treaty was void and of no force for ever\u201d?"]
    assert list(found.values())[0].endswith("Gregory X")


def test_a_message_signed_with_a_person_s_name_is_that_person_s():
    text = ("Marta Nilsen sailed south in 1910. In October her rival received a telegram in Hobart: \"Have the honour "
            "to report ship sailing south. Nilsen.\"")
    assert who_said(text) == {"Who wrote: \u201cHave the honour to report ship sailing south\u201d?": "Marta Nilsen"}


def test_the_organisation_noun_as_speaker_is_the_organisation_just_named():
    text = ("On 3 March 1994 the Northern Fisheries Council closed the bay to trawlers. \"No vessel may fish within ten "
            "miles of the reef until the stocks recover,\" the council announced.")
    assert list(who_said(text).values()) == ["Northern Fisheries Council"]
