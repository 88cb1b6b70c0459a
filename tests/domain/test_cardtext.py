import pytest

from studyapp.domain import cardtext

from payloads import XSS_PAYLOADS, unsafe_markup


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_cannot_carry_script(payload):
    assert unsafe_markup(cardtext.render_markdown(payload)) == []
    assert unsafe_markup(cardtext.render_markdown(payload, inline=True)) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_cloze_cannot_carry_script(payload):
    for text in ("{{c1::" + payload + "::" + payload + "}} and " + payload, "{{c1::" + payload + "}}"):
        for reveal in (False, True):
            assert unsafe_markup(cardtext.render_cloze(text, 1, reveal=reveal)) == []


def test_the_inertness_check_itself_catches_script():
    assert unsafe_markup('<img src=x onerror="alert(1)">')
    assert unsafe_markup('<a href="javascript:alert(1)">x</a>')
    assert unsafe_markup("<script>alert(1)</script>")


def test_markdown_subset():
    out = cardtext.render_markdown("**bold** and *it*\n- one\n- two\n\n[RAND](https://www.rand.org)")
    assert "<strong>bold</strong>" in out and "<em>it</em>" in out and "<li>one</li>" in out
    assert 'href="https://www.rand.org"' in out and 'rel="noopener noreferrer nofollow"' in out


def test_cloze_front_hides_only_its_own_deletion():
    text = "Sent {{c1::3,200}} soldiers to {{c2::Vostok 2018::which exercise}}"
    assert cardtext.render_cloze(text, 2, reveal=False) == (
        '<p>Sent 3,200 soldiers to <span class="cloze">[which exercise]</span></p>\n')
    assert '<span class="cloze">[…]</span>' in cardtext.render_cloze(text, 1, reveal=False)
    assert '<span class="cloze-answer">Vostok 2018</span>' in cardtext.render_cloze(text, 2, reveal=True)
    assert cardtext.cloze_numbers(text) == [1, 2]
    assert cardtext.cloze_plain(text, 1) == "Sent […] soldiers to Vostok 2018"
    assert cardtext.cloze_hint(text, 2) == "which exercise"


def test_cloze_numbers_too_long_to_convert_count_as_too_large():
    huge, endless = "9" * 30, "9" * 5000                      # int() of 5,000 digits raises in Python 3.11
    text = f"{{{{c{huge}::a}}}} and {{{{c{endless}::b}}}} and {{{{c007::c}}}}"
    assert cardtext.cloze_numbers(text) == [7, cardtext.TOO_LARGE]
    assert cardtext.cloze_number("0" * 40 + "12") == 12 and cardtext.cloze_number("1234567") == cardtext.TOO_LARGE
    assert cardtext.cloze_plain(text, 7) == "a and b and […]"
    assert "cloze" in cardtext.render_cloze(text, cardtext.TOO_LARGE, reveal=False)


@pytest.mark.parametrize("digits,shown", [("100", "c100"), ("0", "c0"), ("9" * 30, "c999999…"), ("9" * 5000, "c999999…")])
def test_the_validator_names_an_out_of_range_cloze_number(digits, shown):
    from studyapp.domain.notes import validate_note

    note, problems = validate_note({"note_key": "n", "type": "cloze", "prompt": f"{{{{c{digits}::x}}}} and {{{{c1::y}}}}"})
    assert note is None
    assert f"prompt: deletion {shown} must be numbered from c1 to c99" in [str(p) for p in problems]
