"""CSV/TSV decks with Anki's text-import conventions, and the HTML <-> Markdown conversions."""
from __future__ import annotations

import pytest

from studyapp.domain.notes import LIMITS
from studyapp.interop.common import ExportNote, ImportFileError
from studyapp.interop.csvdeck import read_csv, write_csv
from studyapp.interop.htmltext import html_to_markdown, markdown_to_html


def fronts(parsed):
    return [(n.front, n.back) for n in parsed.notes]


@pytest.mark.parametrize("raw", [
    b"Q1\tA1\nQ2\tA2\n",
    b"Q1;A1\nQ2;A2\n",
    b"Q1,A1\nQ2,A2\n",
    b"#separator:Semicolon\nQ1;A1\nQ2;A2\n",
    b"#separator:|\nQ1|A1\nQ2|A2\n",
    b"front,back\nQ1,A1\nQ2,A2\n",
    b"\xef\xbb\xbfQuestion;Answer\r\nQ1;A1\r\nQ2;A2\r\n",
])
def test_separators_and_header_rows(raw):
    assert fronts(read_csv(raw)) == [("Q1", "A1"), ("Q2", "A2")]


def test_quoted_cells_commas_and_line_numbers():
    parsed = read_csv(b'front,back\n"Q, with comma","multi\nline"\n"Q2",\nQ3,A3\n')
    assert fronts(parsed) == [("Q, with comma", "multi\nline"), ("Q3", "A3")]
    assert [n.where for n in parsed.notes] == ["line 2", "line 5"]
    assert [(p.where, p.field) for p in parsed.rejected] == [("line 4", "back")]


def test_anki_header_lines_are_honoured():
    raw = (b"#separator:tab\n#html:true\n#tags column:1\n#deck:Rivers\n"
           b"geo section::rivers kind::argument\tThe <b>Volga</b> &amp; <i>Don</i>\tRussia<br>south\tvolga\n")
    parsed = read_csv(raw, "r.txt")
    n = parsed.notes[0]
    assert (n.front, n.back, n.tags, n.section, n.kind, n.key) == \
        ("The **Volga** & *Don*", "Russia\nsouth", ("geo",), "rivers", "argument", "volga")
    assert parsed.deck_name == "Rivers" and n.where == "line 5"
    named = read_csv(b"#columns:tags;answer;question;explanation\nx;A;Q;E\n")
    assert (named.notes[0].front, named.notes[0].back, named.notes[0].explanation) == ("Q", "A", "E")
    plain = read_csv(b"front\tback\nA <b>tag</b>\tx\n")       # without #html:true the text is taken as it is
    assert plain.notes[0].front == "A <b>tag</b>"


def test_cloze_rows_and_tags():
    parsed = read_csv(b"{{c1::Paris}} is in {{c2::France}}\tCapitals\ta  b a\tparis\n")
    n = parsed.notes[0]
    assert (n.type, n.explanation, n.back, n.tags, n.key) == ("cloze", "Capitals", "", ("a", "b"), "paris")
    odd = read_csv("Q\tA\tCafé bad/tag ::x\n".encode())
    assert odd.notes[0].tags == ("Cafe", "bad-tag", "x")


def test_rows_with_problems_are_rejected_with_their_line_and_field():
    raw = (b"front,back,tags,id,section,explanation\n"
           b",A,,,,\n"
           b"Q,,,,,\n"
           b"Q,A,,Bad Id,,\n"
           b"Q,A,,,Bad Section,\n"
           b"{{c1::}},x,,,,\n"
           b"Q,A,,dup,,\n"
           b"Q2,A2,,dup,,\n"
           b"Q,A,,,,,extra\n"
           b"Q\x00,A,,,,\n"
           + b"Q," + b"x" * 1001 + b",,,,\n")
    parsed = read_csv(raw, "bad.csv")
    found = [(p.where, p.field) for p in parsed.rejected]
    assert found == [("line 2", "front"), ("line 3", "back"), ("line 4", "id"), ("line 5", "section"),
                     ("line 6", "front"), ("line 9", None), ("line 10", "front"), ("line 11", "back"), ("line 8", "id")]
    assert str(parsed.rejected[0]) == "bad.csv, line 2: front: must not be empty"
    assert [n.key for n in parsed.notes] == ["dup"]


@pytest.mark.parametrize("raw,message", [
    (b"", "has no rows"),
    (b"#html:true\n", "has no rows"),
    (b"Caf\xe9,cr\xe8me\n", "f.csv, line 1: is not UTF-8 text (byte 3)"),
    (b"a\nb\nc\n", "every row has one column"),
    (b"#columns:front,back,colour\nQ,A,red\n", "unknown column 'colour'"),
    (b"#separator:wiggle\nQ,A\n", "separator: 'wiggle' is not a separator"),
    (b"#tags column:9\nQ,A\n", "tags column: '9' must be a column number"),
    (b"#columns:back,tags\nA,t\n", "no column holds the front"),
])
def test_files_that_cannot_be_used(raw, message):
    with pytest.raises(ImportFileError) as caught:
        read_csv(raw, "f.csv")
    assert message in str(caught.value)


def test_the_writer_speaks_ankis_header_and_reads_back():
    notes = [ExportNote("k1", "basic", "argument", "Why **so**?\nTwo lines", "Because <b> & *that*", "E", ("t1", "t2"), "s"),
             ExportNote("k2", "cloze", "fact", "The {{c1::*Volga*::river}} & {{c2::Don}}", "", "Rivers", (), None)]
    text = write_csv(notes, lambda n: f"guid-{n.key}", deck_name="My\tdeck")
    lines = text.splitlines()
    assert lines[:6] == ["#separator:tab", "#html:true", "#tags column:3", "#notetype column:7", "#guid column:8",
                         "#deck:My deck"]
    assert lines[6] == "#columns:front\tback\ttags\tid\tsection\texplanation\tnotetype\tguid\tstatement\tclaim\tspeaker\tcontext"
    assert lines[7].split("\t")[:3] == ["Why <b>so</b>?<br>Two lines", "Because &lt;b&gt; &amp; <i>that</i>",
                                        "t1 t2 section::s kind::argument"]
    back = read_csv(text.encode(), "x.csv").notes
    assert [(n.key, n.type, n.front, n.back, n.explanation, n.tags, n.section, n.kind or "fact", n.guid) for n in back] == \
        [(e.key, e.type, e.front, e.back, e.explanation, e.tags, e.section, e.kind, f"guid-{e.key}") for e in notes]


@pytest.mark.parametrize("html,markdown", [
    ("<b>bold</b> and <strong>strong</strong>", "**bold** and **strong**"),
    ("<i>it</i> <em>em</em>", "*it* *em*"),
    ("one<br>two<br/>three<br />four", "one\ntwo\nthree\nfour"),
    ("<div>line 1</div><div>line 2</div>", "line 1\nline 2"),
    ("<p>para 1</p><p>para 2</p>", "para 1\n\npara 2"),
    ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
    ('<a href="https://e.org/x">link</a> <a href="javascript:alert(1)">bad</a>', "[link](https://e.org/x) bad"),
    ("<script>alert(1)</script><style>p{}</style>x<img src=a onerror=b>", "x"),
    ("&lt;tag&gt; &amp; &quot;q&quot; &#39;s&nbsp;x", "<tag> & \"q\" 's x"),
    ("[sound:a.mp3]Word", "Word"),
    ('<span style="color:red">red</span>', "red"),
])
def test_anki_html_to_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


@pytest.mark.parametrize("text", ["**a** *b* x_y 2 * 3", "l1\nl2\n\n- item", "a & <b> [t](https://e.org)",
                                  "{{c1::**Volga**::river}} c", "'quotes' \"double\""])
def test_markdown_survives_the_trip_through_anki_html(text):
    assert html_to_markdown(markdown_to_html(text)) == text


def test_statement_claim_and_speaker_travel_through_csv():
    notes = [ExportNote("k1", "basic", "argument", "Who argued it?", "Ada", "", (), None,
                        statement="Ada argued for the wall.", claim="The wall keeps the sea out.", speaker="Ada")]
    back = read_csv(write_csv(notes, lambda n: "g").encode(), "x.csv").notes
    assert [(n.statement, n.claim, n.speaker) for n in back] == [("Ada argued for the wall.",
                                                                  "The wall keeps the sea out.", "Ada")]


def test_the_reader_checks_with_the_one_validator_and_its_limits():
    at_limit = b"Q," + b"x" * LIMITS.answer + b"\n"
    over = b"Q," + b"x" * (LIMITS.answer + 1) + b"\n"
    assert read_csv(at_limit, "f.csv").rejected == []
    (problem,) = read_csv(over, "f.csv").rejected
    assert problem.field == "back" and f"the limit is {LIMITS.answer:,}" in problem.message
    (claim,) = read_csv(b"front,back,claim\nQ,A,It is so.\n", "f.csv").rejected
    assert claim.field == "claim" and "needs a speaker" in claim.message
    (named,) = read_csv(b"front,back,claim,speaker\nQ,A,Lind says so.,Ada Lind\n", "f.csv").rejected
    assert named.field == "claim" and "names its speaker" in named.message


def test_a_csv_over_the_row_cap_is_refused_whole(monkeypatch):
    from studyapp.interop import csvdeck

    monkeypatch.setattr(csvdeck, "MAX_NOTES", 2)
    assert len(read_csv(b"Q1,A\nQ2,A\n", "f.csv").notes) == 2
    with pytest.raises(ImportFileError) as caught:
        read_csv(b"Q1,A\nQ2,A\nQ3,A\n", "f.csv")
    assert "line 3" in str(caught.value) and "has more than 2 rows" in str(caught.value)
