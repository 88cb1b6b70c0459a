"""Deck files: one TOML file per deck in `cards/`, parsed and validated into plain objects.

Every problem is reported with the file, the line and the field, and a file with any problem
yields no deck at all: the caller imports all of it or nothing. See cards/README.md for the format.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from .notes import SLUG_RE, CardType, Note, NoteCard, validate_note
from .scheduler import parse_steps

DECK_FIELDS = {"id", "name", "description", "desired_retention", "new_per_day", "reviews_per_day",
               "learning_steps", "relearning_steps"}
SECTION_FIELDS = {"id", "title", "guide"}
CARD_FIELDS = {"id", "kind", "type", "section", "prompt", "answer", "text", "accept", "explanation", "tags",
               "paragraph", "category", "distractors", "speaker", "fact", "statement", "claim", "context"}
# The deck file's names for Note fields (every other card field is named as in the Note).
FILE_NAMES = {"note_key": "id", "alternatives": "accept", "fact_key": "fact"}
MAX_TEXT = 5000
#: Learning and relearning steps: at most this many, each at most a year (a step of 3000000d once made a
#: deck's study page fail for every learner: the due date overflowed the calendar).
MAX_STEPS = 10
MAX_STEP = timedelta(days=365)


def check_steps(text: str) -> tuple[timedelta, ...]:
    """Steps like '1m 10m 1d', parsed and bounded; ValueError with a message for the author otherwise."""
    if len(text) > 100:
        raise ValueError(f"is {len(text)} characters long; write at most {MAX_STEPS} steps like '1m 10m 1d'")
    steps = parse_steps(text)
    if len(steps) > MAX_STEPS:
        raise ValueError(f"has {len(steps)} steps; use at most {MAX_STEPS}")
    for token, step in zip(text.split(), steps):
        if step > MAX_STEP:
            raise ValueError(f"'{token}' is longer than a year; a step may be at most 365d")
    return steps


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DeckFileError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    title: str
    guide: str = ""


@dataclass
class DeckSpec:
    slug: str
    name: str
    description: str = ""
    desired_retention: float = 0.9
    new_per_day: int = 20
    reviews_per_day: int = 200
    learning_steps: str = "1m 10m"
    relearning_steps: str = "10m"
    sections: list[SectionSpec] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    source: str | None = None
    lines: dict[str, int] = field(default_factory=dict)   # note_key -> line of its [[card]]

    def cards(self) -> list[NoteCard]:
        return [card for note in self.notes for card in note.cards()]


class _LineIndex:
    """Finds the line of `key = ...` inside the n-th [[table]] (tomllib gives no positions)."""

    HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str):
        self.tables: dict[tuple[str, int], dict[str, int]] = {}
        self.headers: dict[tuple[str, int], int] = {}
        counts: dict[str, int] = {}
        current: tuple[str, int] = ("", 0)
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                    in_multiline = False
                continue
            header = self.HEADER.match(line)
            if header:
                name = header.group(2)
                index = counts.get(name, 0)
                counts[name] = index + 1
                current = (name, index)
                self.headers[current] = number
                self.tables[current] = {}
                continue
            key = self.KEY.match(line)
            if key:
                self.tables.setdefault(current, {}).setdefault(key.group(1), number)
                after = line.split("=", 1)[1]
                if after.count('"""') % 2 == 1 or after.count("'''") % 2 == 1:
                    in_multiline = True

    def line(self, table: str, index: int, key: str | None = None) -> int | None:
        if key is not None:
            found = self.tables.get((table, index), {}).get(key)
            if found:
                return found
        return self.headers.get((table, index))


def parse_file(path: str | Path) -> DeckSpec:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DeckFileError([Problem(str(path), None, None, f"cannot read the file ({exc.strerror})")]) from exc
    return parse_text(raw, str(path))


def parse_text(raw: bytes | str, filename: str = "<deck>") -> DeckSpec:
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DeckFileError([Problem(filename, None, None, f"not UTF-8 text (byte {exc.start})")]) from exc
    else:
        text = raw
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise DeckFileError([Problem(filename, line, None, f"not valid TOML: {exc}")]) from exc
    return _Validator(filename, _LineIndex(text)).deck(data)


class _Validator:
    def __init__(self, filename: str, lines: _LineIndex):
        self.filename = filename
        self.lines = lines
        self.problems: list[Problem] = []
        self.note_lines: dict[str, int | None] = {}

    def problem(self, table: str, index: int, key: str | None, message: str) -> None:
        label = key if table == "deck" else (f"{table}[{index + 1}].{key}" if key else f"{table}[{index + 1}]")
        self.problems.append(Problem(self.filename, self.lines.line(table, index, key), label, message))

    # -- typed getters -------------------------------------------------------------------------
    def text(self, table, index, data, key, required=False, default="", slug=False, limit=MAX_TEXT):
        value = data.get(key, None)
        if value is None:
            if required:
                self.problem(table, index, key, "is required")
            return default
        if not isinstance(value, str):
            self.problem(table, index, key, f"must be text, not {type(value).__name__}")
            return default
        value = value.strip()
        if "\x00" in value:
            self.problem(table, index, key, "contains a NUL character, which cannot be stored")
            return default
        if required and not value:
            self.problem(table, index, key, "must not be empty")
        if slug and value and not SLUG_RE.match(value):
            self.problem(table, index, key, f"'{value}' must be lowercase letters, digits and dashes")
        if len(value) > limit:
            self.problem(table, index, key, f"is {len(value)} characters long; the limit is {limit}")
        return value

    def choice(self, table, index, data, key, options, default=None, required=False):
        value = data.get(key, default)
        if value is None:
            if required:
                self.problem(table, index, key, "is required")
            return None
        if value not in options:
            self.problem(table, index, key, f"'{value}' must be one of: {', '.join(options)}")
            return default
        return value

    def number(self, table, index, data, key, kind, low, high, default):
        value = data.get(key, default)
        if value is None:
            return None
        ok = isinstance(value, kind) and not isinstance(value, bool)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if not ok:
            self.problem(table, index, key, f"must be a {'whole ' if kind is int else ''}number")
            return default
        if not (low <= value <= high):
            self.problem(table, index, key, f"{value} must be between {low} and {high}")
            return default
        return value

    def strings(self, table, index, data, key, pattern=None) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(table, index, key, "must be a list of text values")
            return ()
        out = tuple(v.strip() for v in value if v.strip())
        if any("\x00" in v for v in out):
            self.problem(table, index, key, "contains a NUL character, which cannot be stored")
            return ()
        for item in out:
            if pattern is not None and not pattern.match(item):
                self.problem(table, index, key, f"'{item}' is not a valid tag (letters, digits, - _ : .)")
        return out

    def unknown(self, table, index, data, allowed) -> None:
        for key in data:
            if key not in allowed:
                self.problem(table, index, key, f"unknown field (allowed: {', '.join(sorted(allowed))})")

    # -- tables ----------------------------------------------------------------------------------
    def deck(self, data: dict) -> DeckSpec:
        for key in data:
            if key not in ("deck", "section", "card"):
                self.problems.append(Problem(self.filename, None, key, "unknown table (use [deck], [[section]], [[card]])"))
        head = data.get("deck")
        if not isinstance(head, dict):
            self.problems.append(Problem(self.filename, 1, "deck", "the file needs a [deck] table with id and name"))
            head = {}
        self.unknown("deck", 0, head, DECK_FIELDS)
        spec = DeckSpec(
            slug=self.text("deck", 0, head, "id", required=True, slug=True),
            name=self.text("deck", 0, head, "name", required=True, limit=200),
            description=self.text("deck", 0, head, "description"),
            desired_retention=self.number("deck", 0, head, "desired_retention", float, 0.7, 0.99, 0.9),
            new_per_day=self.number("deck", 0, head, "new_per_day", int, 0, 9999, 20),
            reviews_per_day=self.number("deck", 0, head, "reviews_per_day", int, 0, 99999, 200),
            learning_steps=self.steps(head, "learning_steps", "1m 10m"),
            relearning_steps=self.steps(head, "relearning_steps", "10m"),
            source=self.filename,
        )
        spec.sections = self.sections(data.get("section", []))
        spec.notes = self.notes(data.get("card", []), {s.slug for s in spec.sections})
        spec.lines = {k: v for k, v in self.note_lines.items() if v is not None}
        if not spec.notes and not self.problems:
            self.problems.append(Problem(self.filename, None, "card", "the deck has no [[card]] entries"))
        if self.problems:
            raise DeckFileError(self.problems)
        return spec

    def steps(self, head: dict, key: str, default: str) -> str:
        value = self.text("deck", 0, head, key, default=default)
        try:
            check_steps(value)
        except ValueError as exc:
            self.problem("deck", 0, key, str(exc))
            return default
        return value

    def sections(self, entries) -> list[SectionSpec]:
        if not isinstance(entries, list):
            self.problems.append(Problem(self.filename, None, "section", "write sections as [[section]] tables"))
            return []
        out, seen = [], set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.problem("section", i, None, "write each section as a [[section]] table")
                continue
            self.unknown("section", i, entry, SECTION_FIELDS)
            slug = self.text("section", i, entry, "id", required=True, slug=True)
            if slug in seen:
                self.problem("section", i, "id", f"'{slug}' is used by an earlier section")
            seen.add(slug)
            out.append(SectionSpec(slug, self.text("section", i, entry, "title", required=True, limit=200),
                                   self.text("section", i, entry, "guide")))
        return out

    def notes(self, entries, section_slugs: set[str]) -> list[Note]:
        if not isinstance(entries, list):
            self.problems.append(Problem(self.filename, None, "card", "write cards as [[card]] tables"))
            return []
        out, seen = [], set()
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                self.problem("card", i, None, "write each card as a [[card]] table")
                continue
            key = entry.get("id")
            if isinstance(key, str) and key.strip() in seen:
                self.problem("card", i, "id", f"'{key.strip()}' is used by an earlier card; ids must be unique")
            if isinstance(key, str):
                seen.add(key.strip())
            note = self.note(i, entry, section_slugs)
            if note is not None:
                out.append(note)
                self.note_lines[note.note_key] = self.lines.line("card", i)
        return out

    def note(self, i: int, entry: dict, section_slugs: set[str]) -> Note | None:
        """One [[card]] through the one note validator, its problems placed at their lines."""
        self.unknown("card", i, entry, CARD_FIELDS)
        is_cloze = entry.get("type") == CardType.CLOZE
        if is_cloze:
            for stray in ("prompt", "answer"):
                if stray in entry:
                    self.problem("card", i, stray, "a cloze card has `text` with {{c1::...}} instead")
        elif "text" in entry:
            self.problem("card", i, "text", "only cloze cards have `text`; a basic card has prompt and answer")
        raw = {name: entry.get(FILE_NAMES.get(name, name)) for name in
               ("note_key", "kind", "type", "section", "answer", "explanation", "tags", "paragraph", "category",
                "alternatives", "distractors", "speaker", "claim", "statement", "fact_key", "context")}
        raw["prompt"] = entry.get("text") if is_cloze else entry.get("prompt")
        if is_cloze:
            raw["answer"] = None
        if raw["explanation"] is None:
            self.problem("card", i, "explanation", "is required")
        elif isinstance(raw["explanation"], str) and not raw["explanation"].strip():
            self.problem("card", i, "explanation", "must not be empty")
        if isinstance(raw["paragraph"], str):
            self.problem("card", i, "paragraph", "must be a whole number")
            raw["paragraph"] = None
        section = raw["section"]
        if isinstance(section, str) and section.strip() and section.strip() not in section_slugs:
            self.problem("card", i, "section", f"'{section.strip()}' is not the id of a [[section]] in this file")
            raw["section"] = None
        note, problems = validate_note(raw)
        for problem in problems:
            name = "text" if problem.field == "prompt" and is_cloze else FILE_NAMES.get(problem.field, problem.field)
            self.problem("card", i, name, problem.message)
        return note


def load_directory(directory: str | Path) -> list[DeckSpec]:
    """Every *.toml deck in a directory; all problems of all files together, or the decks."""
    specs, problems = [], []
    for path in sorted(Path(directory).glob("*.toml")):
        try:
            specs.append(parse_file(path))
        except DeckFileError as exc:
            problems.extend(exc.problems)
    slugs: dict[str, str] = {}
    for spec in specs:
        if spec.slug in slugs:
            problems.append(Problem(spec.source or "", None, "id", f"deck id '{spec.slug}' is also used by {slugs[spec.slug]}"))
        slugs[spec.slug] = spec.source or ""
    if problems:
        raise DeckFileError(problems)
    return specs
