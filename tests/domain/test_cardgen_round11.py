"""Round 11: whole race and record times are figures (made-up sentences)."""
from studyapp.domain.cardgen_figures import SPLIT_TIME
from studyapp.domain.nlp import read


def _figures(text: str) -> list[str]:
    return [e.text for s in read(text, "Running").sentences for e in s.entities if e.label == "QUANTITY"]


def test_a_race_time_with_tenths_is_one_whole_figure():
    text = "In 1931 the Danish runner Per Olsen ran the long course in 4:12.7 at Aarhus."
    assert "4:12.7" in _figures(text)


def test_hours_minutes_seconds_is_one_whole_figure():
    text = "The Kenyan runner Tom Ekai finished the marathon in 2:06:41 on a cold morning."
    assert "2:06:41" in _figures(text)


def test_a_time_of_day_and_a_score_are_no_race_time():
    assert not SPLIT_TIME.search("The shop opened at 8:30 and the vote went 3:2.")
    assert not SPLIT_TIME.search("version 1:23.45.6 of the file")  # a dotted code, not a time
    assert SPLIT_TIME.search("He ran 3:59.4 there.").group() == "3:59.4"
