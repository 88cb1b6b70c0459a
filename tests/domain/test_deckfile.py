import textwrap

import pytest

from studyapp.domain.deckfile import DeckFileError, load_directory, parse_file, parse_text

from support import CARDS_DIR

GOOD = textwrap.dedent('''\
    [deck]
    id = "mini"
    name = "Mini deck"

    [[section]]
    id = "one"
    title = "One"
    guide = """
    Some **guide** text.
    """

    [[card]]
    id = "basic-1"
    kind = "fact"
    type = "basic"
    section = "one"
    prompt = "When was the treaty signed?"
    answer = "2001"
    accept = ["in 2001"]
    explanation = "The friendship treaty."
    tags = ["date"]
    paragraph = 3
    category = "year"

    [[card]]
    id = "cloze-1"
    type = "cloze"
    section = "one"
    text = "The PLA sent {{c1::3,200}} soldiers to {{c2::Vostok 2018::which exercise}}."
    explanation = "Few troops."
    ''')


def test_valid_file_gives_notes_and_cards():
    spec = parse_text(GOOD, "mini.toml")
    assert spec.slug == "mini" and [s.slug for s in spec.sections] == ["one"]
    cards = spec.cards()
    assert [c.key for c in cards] == ["basic-1", "cloze-1.c1", "cloze-1.c2"]
    assert cards[1].answer == "3,200" and cards[2].answer == "Vostok 2018"
    assert cards[1].note.fact == cards[2].note.fact == "cloze-1"  # cloze siblings share their fact
    assert cards[0].alternatives == ("in 2001",)


def problems_of(text):
    with pytest.raises(DeckFileError) as info:
        parse_text(text, "broken.toml")
    return info.value.problems


def test_missing_answer_names_file_line_and_field():
    broken = GOOD.replace('answer = "2001"\n', "")
    [problem] = problems_of(broken)
    assert problem.file == "broken.toml"
    assert problem.field == "card[1].answer"
    assert problem.line == GOOD.splitlines().index("[[card]]") + 1  # the card's header line
    assert "broken.toml:" in str(problem) and "is required" in str(problem)


def test_bad_value_points_at_its_own_line():
    broken = GOOD.replace('kind = "fact"', 'kind = "opinion"')
    [problem] = problems_of(broken)
    assert problem.line == broken.splitlines().index('kind = "opinion"') + 1
    assert problem.field == "card[1].kind" and "must be one of" in problem.message


def test_toml_syntax_error_has_a_line():
    broken = GOOD.replace('name = "Mini deck"', 'name = "Mini deck')
    [problem] = problems_of(broken)
    assert problem.line == 3 and "not valid TOML" in problem.message


def test_unknown_section_duplicate_id_and_empty_cloze_are_all_reported():
    broken = (GOOD.replace('section = "one"\nprompt', 'section = "two"\nprompt')
              .replace('id = "cloze-1"', 'id = "basic-1"'))
    problems = problems_of(broken + '\n[[card]]\nid = "c3"\ntype = "cloze"\ntext = "No deletion here"\nexplanation = "x"\n')
    messages = [str(p) for p in problems]
    assert any("'two' is not the id of a [[section]]" in m for m in messages)
    assert any("used by an earlier card" in m for m in messages)
    assert any("has no deletion" in m for m in messages)


def test_unknown_field_is_refused():
    [problem] = problems_of(GOOD.replace('paragraph = 3', 'paragraf = 3'))
    assert problem.field == "card[1].paragraf" and "unknown field" in problem.message


def test_distractor_equal_to_answer_is_refused():
    [problem] = problems_of(GOOD.replace('category = "year"', 'category = "year"\ndistractors = ["2001", "1991"]'))
    assert problem.field == "card[1].distractors"


def test_not_utf8():
    [problem] = problems_of(b"[deck]\nid = \"x\xff\"\n")
    assert "UTF-8" in problem.message


def test_a_folder_with_one_broken_file_yields_nothing(tmp_path):
    (tmp_path / "a.toml").write_text(GOOD)
    (tmp_path / "b.toml").write_text(GOOD.replace('id = "mini"', 'id = "other"').replace('answer = "2001"\n', ""))
    with pytest.raises(DeckFileError) as info:
        load_directory(tmp_path)
    assert all("b.toml" in p.file for p in info.value.problems)


def test_the_article_deck_is_valid_and_large_enough():
    spec = parse_file(CARDS_DIR / "china-russia.toml")
    cards = spec.cards()
    assert len(cards) >= 60
    assert {c.kind for c in cards} == {"fact", "argument"}
    assert {c.type for c in cards} == {"basic", "cloze"}
    assert all(c.explanation and c.section for c in cards)
    assert len({c.key for c in cards}) == len(cards)
    assert all(s.guide.strip() for s in spec.sections)


def test_nul_characters_are_refused_with_their_field():
    [problem] = problems_of(GOOD.replace('answer = "2001"', 'answer = "20\\u000001"'))
    assert problem.field == "card[1].answer" and "NUL" in problem.message


@pytest.mark.parametrize("steps,message", [
    ("3000000d", "learning_steps: '3000000d' is longer than a year; a step may be at most 365d"),
    ("366d", "learning_steps: '366d' is longer than a year"),
    (" ".join(["1m"] * 11), "learning_steps: has 11 steps; use at most 10"),
    ("1m soon", "learning_steps: 'soon' is not a step"),
])
def test_learning_steps_are_bounded(steps, message):
    text = GOOD.replace('name = "Mini deck"', f'name = "Mini deck"\nlearning_steps = "{steps}"')
    with pytest.raises(DeckFileError) as caught:
        parse_text(text, "mini.toml")
    assert message in str(caught.value) and "mini.toml:" in str(caught.value)


def test_steps_at_the_bounds_are_fine():
    text = GOOD.replace('name = "Mini deck"', 'name = "Mini deck"\nlearning_steps = "1m 10m 1h 1d 2d 3d 7d 30d 90d 365d"')
    assert parse_text(text, "mini.toml").learning_steps.endswith("365d")
