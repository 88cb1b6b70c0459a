"""A deck written back in the `cards/` TOML format (cards/README.md), readable by `deckfile.parse_text`.

Takes the domain's own DeckSpec, so load -> dump -> load gives the same deck: text is written as
TOML basic strings (multi-line ones for text with line breaks), every escape TOML needs is made.
"""
from __future__ import annotations

from ..domain.deckfile import DeckSpec
from ..domain.notes import CardType, Note

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _escape(text: str, multiline: bool) -> str:
    out = []
    for ch in text:
        if multiline and ch in "\n\t":
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def string(text: str) -> str:
    if "\n" in text:
        return '"""\n' + _escape(text, multiline=True) + '"""'
    return '"' + _escape(text, multiline=False) + '"'


def strings(values) -> str:
    return "[" + ", ".join(string(v) for v in values) + "]"


def _number(value: float) -> str:
    text = repr(float(value))
    return text if "e" not in text else f"{value:.6f}"


def dump_deck(spec: DeckSpec, header: str | None = None) -> str:
    lines: list[str] = []
    if header:
        lines += [f"# {line}".rstrip() for line in header.splitlines()] + [""]
    lines += [
        "[deck]",
        f"id = {string(spec.slug)}",
        f"name = {string(spec.name)}",
        f"description = {string(spec.description)}",
        f"desired_retention = {_number(spec.desired_retention)}",
        f"new_per_day = {int(spec.new_per_day)}",
        f"reviews_per_day = {int(spec.reviews_per_day)}",
        f"learning_steps = {string(spec.learning_steps)}",
        f"relearning_steps = {string(spec.relearning_steps)}",
    ]
    for section in spec.sections:
        lines += ["", "[[section]]", f"id = {string(section.slug)}", f"title = {string(section.title)}"]
        if section.guide:
            lines.append(f"guide = {string(section.guide)}")
    for note in spec.notes:
        lines += ["", *_card(note)]
    return "\n".join(lines) + "\n"


def _card(note: Note) -> list[str]:
    lines = ["[[card]]", f"id = {string(note.note_key)}", f"kind = {string(note.kind)}",
             f"type = {string(note.type)}"]
    if note.section:
        lines.append(f"section = {string(note.section)}")
    if note.type == CardType.CLOZE:
        lines.append(f"text = {string(note.prompt)}")
    else:
        lines += [f"prompt = {string(note.prompt)}", f"answer = {string(note.answer)}"]
    if note.alternatives:
        lines.append(f"accept = {strings(note.alternatives)}")
    lines.append(f"explanation = {string(note.explanation)}")
    if note.category:
        lines.append(f"category = {string(note.category)}")
    if note.paragraph is not None:
        lines.append(f"paragraph = {int(note.paragraph)}")
    if note.tags:
        lines.append(f"tags = {strings(note.tags)}")
    if note.distractors:
        lines.append(f"distractors = {strings(note.distractors)}")
    if note.speaker:
        lines.append(f"speaker = {string(note.speaker)}")
    if note.statement:
        lines.append(f"statement = {string(note.statement)}")
    if note.claim:
        lines.append(f"claim = {string(note.claim)}")
    if note.fact_key and note.fact_key != note.note_key:
        lines.append(f"fact = {string(note.fact_key)}")
    if note.context:
        lines.append(f"context = {string(note.context)}")
    return lines
