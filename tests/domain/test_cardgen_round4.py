"""Card generator: general rules added after the round-4 held-out texts (docs/cardgen.md, "Round 4").
Made-up sentences only; each test fails without its rule."""
from __future__ import annotations

from studyapp.domain.cardgen import generate


def _prompts(text: str) -> list[str]:
    return [c.prompt for c in generate(text)]


def test_a_this_or_that_subject_leans_on_the_sentence_before():
    text = ("The treaty gave the island a special status for many years.\n\n"
            "That status ended in August 1961, when the republic annexed the northern provinces.\n\n"
            "The new harbour at Brindon opened in August 1961 after years of delay.")
    prompts = _prompts(text)
    assert not any("status ended" in p or "status end" in p for p in prompts)
    assert any("harbour" in p and "1961" in p for p in [c.prompt + c.answer for c in generate(text)])


def test_a_date_after_by_or_until_is_no_when_question():
    text = ("By 1948 the two governments disagreed about the future of the border region.\n\n"
            "In 1952 the two governments signed a trade agreement in the capital.")
    cards = generate(text)
    by = [c for c in cards if "disagree" in c.prompt]
    assert by and all(c.type == "cloze" and c.prompt.startswith("By {{c1::1948}}") for c in by)
    assert any(c.prompt.startswith("In what year did the two governments sign") for c in cards)


def test_they_and_it_need_a_noun_of_their_number_that_is_not_their_own_clause_s_subject():
    text = ("The probes carry small radio transmitters. Because the probes spin quickly, the magnetic field "
            "makes their antennas drift by about 12 degrees a day.\n\n"
            "The committee issued a strict rule in 1990. President Tom Harlow ordered it dropped on 3 May 2001, "
            "and trade grew quickly afterwards.")
    prompts = _prompts(text)
    assert not any("Tom Harlow" in p and "ordered it" in p for p in prompts)
    assert not any(p.startswith("Why does the magnetic field make their antennas") for p in prompts)
    assert any("Because the probes spin quickly" in p and "{{c1::12}}" in p for p in prompts)
