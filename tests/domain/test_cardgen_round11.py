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


def test_half_a_million_is_whole_never_a_million():
    for text in ("In 1950 the fever killed 2.1 million people a year; today the figure is around half a million.",
                 "Today the number of sheep on the island is about half a million."):
        figures = _figures(text)
        assert "half a million" in figures and "a million" not in figures


def test_a_duration_in_two_units_is_whole():
    assert "3 minutes 58.2 seconds" in _figures("The Dutch runner Kees Vlot ran the course in 3 minutes 58.2 seconds at Utrecht.")


def test_a_tally_is_whole_and_a_rising_pair_is_no_tally():
    assert "five votes to four" in _figures("The Court ruled by five votes to four in the case of Harlan Pike.")
    assert "seven votes to two" in _figures("The Senate passed the bill by seven votes to two, and the Governor signed it.")
    assert not any("to ten" in f for f in _figures("The club grew from two members to ten, and the town noticed."))


def test_a_unit_of_measure_inside_the_number_is_whole():
    assert "a dollar and a half" in _figures("Afterwards the old sailor Ben Tully sold his maps for a dollar and a half each.")
    assert "an hour and a half" in _figures("The crossing to Vigo took about an hour and a half in calm weather.")
    assert not any("cake" in f for f in _figures("Tom Reed ate a cake and a half at the fair in Leeds."))
