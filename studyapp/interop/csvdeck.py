"""CSV/TSV decks with Anki's text-import conventions.

Reading: the separator is taken from a `#separator:` line or detected (tab, then semicolon or
comma); `#html:true` means fields are HTML (converted to our Markdown); `#tags column:N`,
`#columns:`, `#guid column:N` and `#deck:` are honoured, other `#` header lines are ignored. A header
row naming the columns is optional. Without names, columns are: front, back, tags, id, section,
explanation. Tags are space-separated; `section::slug` and `kind::argument` tags set those fields.

Writing: what Anki's File > Import reads as it is (mixed Basic and Cloze rows through a notetype
column, our note key as a GUID column so a second import updates instead of duplicating) and what
`read_csv` reads back to the same notes.
"""
from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .common import (
    MAX_NOTES,
    UPLOAD_LIMIT,
    ExportNote,
    ImportFileError,
    ImportNote,
    ImportProblem,
    ParsedUpload,
    check_note,
    duplicates_rejected,
)
from .htmltext import html_to_markdown, markdown_to_html
from .sqlitebox import megabytes

COLUMNS = ("front", "back", "tags", "id", "section", "explanation")
ALIASES = {
    "front": "front", "question": "front", "prompt": "front", "text": "front",
    "back": "back", "answer": "back",
    "tags": "tags", "tag": "tags",
    "id": "id", "key": "id", "note": "id",
    "section": "section",
    "explanation": "explanation", "extra": "explanation", "back extra": "explanation",
    "kind": "kind", "guid": "guid", "notetype": "notetype", "note type": "notetype",
    "statement": "statement", "claim": "claim", "speaker": "speaker", "context": "context",
}
SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
HEADER_RE = re.compile(r"^#([A-Za-z ]+):(.*)$")


#: The longest physical line a CSV may have (a note's fields are a few thousand characters at most).
MAX_LINE_BYTES = 1024 * 1024
BOM = b"\xef\xbb\xbf"


def _fail(filename: str, where: str | None, field: str | None, message: str) -> ImportFileError:
    return ImportFileError([ImportProblem(filename, where, field, message)])


def _lines(stream: BinaryIO, filename: str, max_bytes: int) -> Iterator[str]:
    """The file's lines, decoded one at a time (memory bounded by MAX_LINE_BYTES), ending in "\n".

    Stops with a clear message past `max_bytes` in all, at a line over MAX_LINE_BYTES or at bytes that
    are not UTF-8. Old Mac line ends (a bare CR) count as line ends, as before.
    """
    offset, number = 0, 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        if offset == 0 and raw.startswith(BOM):
            raw, offset = raw[len(BOM):], len(BOM)
        if len(raw) > MAX_LINE_BYTES:
            raise _fail(filename, f"line {number}", None, f"is longer than {MAX_LINE_BYTES // 1024:,} KB; "
                                                          "is this really a CSV file?")
        if offset + len(raw) > max_bytes:
            raise _fail(filename, f"line {number}", None, f"the file is larger than {megabytes(max_bytes)}; "
                                                          "split it into smaller files")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _fail(filename, f"line {number}", None, f"is not UTF-8 text (byte {offset + exc.start}); "
                                                          "save the file as UTF-8") from exc
        offset += len(raw)
        if "\r" not in text:
            yield text
            continue
        pieces = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        split = [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
        number += len(split) - 1
        yield from split


def _detect(line: str) -> str:
    if "\t" in line:
        return "\t"
    outside = re.sub(r'"[^"]*"', "", line)
    return ";" if outside.count(";") > outside.count(",") else ","


def _header(lines: Iterator[str]) -> tuple[dict[str, str], int, list[str]]:
    """Anki's `#key:value` lines at the top of the file, how many lines they take, and the lines read past them
    up to the first non-blank one (for separator detection; they are read again as rows)."""
    found, used, ahead = {}, 0, []
    for line in lines:
        match = HEADER_RE.match(line.rstrip("\n"))
        if not match:
            ahead.append(line)
            break
        found[match.group(1).strip().lower()] = match.group(2).strip()
        used += 1
    if ahead and not ahead[0].strip():
        for line in lines:
            ahead.append(line)
            if line.strip():
                break
    return found, used, ahead


def _separator(value: str) -> str | None:
    if value.lower() in SEPARATORS:
        return SEPARATORS[value.lower()]
    return value if len(value) == 1 else None


def _names(cells: list[str]) -> list[str] | None:
    """Column names if every cell names a known column and one of them is the front."""
    names = [ALIASES.get(c.strip().lower()) for c in cells]
    if cells and all(names) and "front" in names:
        return names
    return None


def read_csv(source: bytes | BinaryIO, filename: str = "upload.csv", *, max_bytes: int = UPLOAD_LIMIT) -> ParsedUpload:
    """The notes of a CSV/TSV file (bytes or a binary file), read as a stream.

    Memory stays bounded: lines are decoded one at a time and rows checked as they come; reading stops
    at MAX_NOTES rows, at `max_bytes` or at a line over MAX_LINE_BYTES, with a clear message.
    """
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source
    lines = _lines(stream, filename, max_bytes)
    header, skip, ahead = _header(lines)

    def fail(where, field, message):
        raise _fail(filename, where, field, message)

    sep = None
    if "separator" in header:
        sep = _separator(header["separator"])
        if sep is None:
            fail("line 1", "separator", f"'{header['separator'][:20]}' is not a separator Anki knows "
                                        "(tab, comma, semicolon, space, pipe, colon or one character)")
    first = next((line for line in ahead if line.strip()), None)
    if first is None:
        fail(None, None, "has no rows: the file is empty")
    sep = sep or _detect(first)
    is_html = header.get("html", "false").lower() in ("true", "1", "yes")
    names: list[str] | None = None
    if "columns" in header:
        raw_names = next(csv.reader([header["columns"]], delimiter=sep))
        names = [ALIASES.get(c.strip().lower()) for c in raw_names]
        unknown = [c for c, n in zip(raw_names, names) if n is None]
        if unknown:
            fail("line 1", "columns", f"unknown column '{unknown[0][:40]}' (known: {', '.join(sorted(set(ALIASES)))})")

    def checked(found: list[str]) -> list[str]:
        found = _with_guid(header, found)
        if "front" not in found:
            fail("line 1", "columns", "no column holds the front (name one 'front', 'text' or 'question')")
        return found

    if names is not None:
        names = checked(names)
    notes: list[ImportNote] = []
    problems: list[ImportProblem] = []
    data_rows, several_columns, first_data_line = 0, False, None
    for line, cells in _rows(itertools.chain(ahead, lines), sep, filename, skip):
        where = f"line {line}"
        if names is None:
            named = _names(cells)
            names = checked(named or _positional(header, filename))
            if named:
                continue
        if not any(c.strip() for c in cells):
            continue
        data_rows += 1
        first_data_line = first_data_line or line
        several_columns = several_columns or len([c for c in cells if c.strip()]) >= 2
        if data_rows > MAX_NOTES:
            fail(where, None, f"has more than {MAX_NOTES:,} rows; split the file")
        extra = [c for c in cells[len(names):] if c.strip()]
        if extra:
            problems.append(ImportProblem(filename, where, None,
                                          f"has {len(cells)} columns; expected at most {len(names)} ({', '.join(names)})"))
            continue
        fields = {name: cell for name, cell in zip(names, cells) if name != "notetype"}
        if is_html:
            fields = {k: (html_to_markdown(v) if k in ("front", "back", "explanation") else v) for k, v in fields.items()}
        else:
            fields = {k: formula_unquoted(v) for k, v in fields.items()}
        note, bad = check_note(filename, where, fields)
        problems.extend(bad)
        if note:
            notes.append(note)
    if data_rows == 0:
        fail(None, None, "has no rows: only header lines")
    if not notes and not several_columns:
        fail(f"line {first_data_line}", "columns",
             f"every row has one column; separate front and back with a tab, comma or semicolon ({_label(sep)} was used)")
    notes, duplicate_problems = duplicates_rejected(filename, notes)
    return ParsedUpload(filename, "csv", notes, problems + duplicate_problems, deck_name=header.get("deck") or None)


def _with_guid(header: dict[str, str], names: list[str]) -> list[str]:
    column = header.get("guid column")
    if column and column.isdigit() and 0 < int(column) <= 64:
        names = _put(names, int(column), "guid")
    return names


def _rows(lines: Iterable[str], sep: str, filename: str, skip: int) -> Iterator[tuple[int, list[str]]]:
    """(line number a row starts on, its cells), one at a time (a quoted cell may span lines)."""
    reader = csv.reader(lines, delimiter=sep, quotechar='"')
    previous = 0
    try:
        for row in reader:
            yield skip + previous + 1, row
            previous = reader.line_num
    except csv.Error as exc:
        raise _fail(filename, f"line {skip + previous + 1}", None, f"cannot be read as CSV: {exc}") from exc


def _label(sep: str) -> str:
    return {v: k for k, v in SEPARATORS.items()}.get(sep, repr(sep))


def _put(names: list[str], column: int, name: str) -> list[str]:
    names = [n for n in names if n != name]
    while len(names) < column - 1:
        names.append("notetype")   # padding columns that are ignored
    return names[:column - 1] + [name] + names[column - 1:]


def _positional(header: dict[str, str], filename: str) -> list[str]:
    column = header.get("tags column")
    if column is None:
        return list(COLUMNS)
    if not column.isdigit() or not 0 < int(column) <= len(COLUMNS):
        raise ImportFileError([ImportProblem(filename, "line 1", "tags column",
                                             f"'{column[:20]}' must be a column number from 1 to {len(COLUMNS)}")])
    others = [c for c in COLUMNS if c != "tags"]
    return _put(others, int(column), "tags")


EXPORT_COLUMNS = ("front", "back", "tags", "id", "section", "explanation", "notetype", "guid", "statement", "claim",
                  "speaker", "context")


def write_csv(notes: list[ExportNote], guid_of, deck_name: str | None = None) -> str:
    """Tab-separated, HTML fields, with the header lines Anki reads. `guid_of(note)` gives its Anki GUID."""
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n#tags column:3\n#notetype column:7\n#guid column:8\n")
    if deck_name:
        out.write(f"#deck:{_one_line(deck_name)}\n")
    out.write("#columns:" + "\t".join(EXPORT_COLUMNS) + "\n")
    writer = csv.writer(out, delimiter="\t", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for note in notes:
        tags = list(note.tags)
        if note.section:
            tags.append(f"section::{note.section}")
        if note.kind != "fact":
            tags.append(f"kind::{note.kind}")
        if note.type == "cloze":
            back, explanation = markdown_to_html(note.explanation), ""
        else:
            back, explanation = markdown_to_html(note.back), markdown_to_html(note.explanation)
        writer.writerow([markdown_to_html(note.front), back, " ".join(tags), note.key, note.section or "",
                         explanation, "Cloze" if note.type == "cloze" else "Basic", guid_of(note),
                         _one_line(note.statement or ""), _one_line(note.claim or ""), _one_line(note.speaker or ""),
                         _one_line(note.context or "")])
    return out.getvalue()


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- the spreadsheet CSV ------------------------------------------------------------------------------
SPREADSHEET_COLUMNS = ("front", "back", "explanation", "tags", "id", "section", "kind", "statement", "claim", "speaker",
                       "context")
#: A cell a spreadsheet would run as a formula starts with one of these (OWASP's list, as the class export).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """The cell as a spreadsheet shows it as text: a leading apostrophe before = + - @ tab or CR."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def formula_unquoted(value: str) -> str:
    """`formula_safe` undone on import: the apostrophe it added goes, other apostrophes stay."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def write_spreadsheet(notes: list[ExportNote]) -> str:
    """Real comma-separated values for a spreadsheet: a header row, the Markdown as typed in the editor,
    formula-like cells neutralised. `read_csv` reads it back to the same notes (the apostrophes removed)."""
    out = io.StringIO()
    out.write("\ufeff")                                          # Excel reads UTF-8 only with a BOM
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SPREADSHEET_COLUMNS)
    for note in notes:
        back, explanation = ("", note.explanation) if note.type == "cloze" else (note.back, note.explanation)
        row = [note.front, back, explanation, " ".join(note.tags), note.key, note.section or "", note.kind,
               note.statement or "", note.claim or "", note.speaker or "", note.context or ""]
        writer.writerow([formula_safe(cell) for cell in row])
    return out.getvalue()
