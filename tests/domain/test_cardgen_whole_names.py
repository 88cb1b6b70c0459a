"""A blank never leaves part of a name outside, whatever the model tagged (made-up text): a capital "The" in
mid-sentence belongs to the name ("The Chronicle"), a place joined by "upon" is one place, a model name keeps its
number, and a title that a capital "The" opens is not cut at either end."""
from __future__ import annotations

import re

import pytest

from studyapp.domain.cardgen import generate

TEXT = """Bridges of the North

The engineer Walter Penhale was born in 1841 in the mill town of Carrow. In 1902 the ageing engineer wrote a long \
letter to The Chronicle about the collapse of the new railway bridge at Elmford.
When Penhale was still a boy, the family moved to Ashby upon Trent in 1850, where he went to the grammar school and \
learned surveying from his uncle.
In May 1936 the prototype Fokker Vx 212 flew, and a year later the Harland He 178 crossed the sea for the first time \
over the airfield at Carrow, carrying the engineer's grandson as a passenger.
In 1865 Penhale published his results in a book, The Causes, Course and Cure of Bridge Failure, which was read by \
every railway company in Britain.
"""


@pytest.fixture(scope="module")
def candidates():
    return generate(TEXT)


def test_a_capital_the_in_mid_sentence_stays_with_its_name(candidates):
    for c in candidates:
        assert c.answer != "Chronicle", c.prompt
        assert not re.search(r"\w.*\bThe \{\{c1::", c.prompt), c.prompt


@pytest.mark.parametrize("part", ["Ashby", "Trent", "212", "178", "Fokker Vx", "Harland He", "Causes, Course",
                                  "The Causes, Course", "Cure of Bridge Failure", "Bridge Failure"])
def test_no_blank_takes_part_of_a_name(candidates, part):
    assert all(c.answer != part for c in candidates), [c.prompt for c in candidates if c.answer == part]


def test_the_newspaper_is_asked_whole(candidates):
    assert any(c.answer == "The Chronicle" for c in candidates), [c.answer for c in candidates]
