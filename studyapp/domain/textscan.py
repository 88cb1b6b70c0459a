"""Reading an article's text for the card generator: blocks and the lines worth reading (pure).

Everything keeps offsets into the original text, so what is handed on (`kept_segments`, then
sentences from `nlp`) is exactly the text of the article (`text[start:end]`).

What is dropped before any card is looked for, and why:

* title lines: a one-line block without final punctuation (the headline, subheads), Markdown
  headings, setext underlines;
* bullet lines (``•``, ``-``, ``*``, ``1.``): summaries restate the body in fragments;
* captions: a line that appears twice, or that another line begins with (pictures are
  often captioned with a copy of a body sentence plus a credit), and photo credits
  ("Name/Getty Images", "Photo: ...");
* bylines, author bios ("X is a defense writer ...", the whole block), and furniture such as
  "Read the original article", "Follow him on Twitter", "Sign up", "Advertisement".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK_SPLIT = re.compile(r"\n[ \t\r]*\n")
_TERMINAL = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")
_BULLET = re.compile(r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043*+\-]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s|[=\-]{3,}\s*$|!\[)")
_CREDIT = re.compile(
    r"(?:[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)*\s*/\s*(?:Getty Images|AP|AFP|Reuters|EPA|"
    r"Shutterstock|Bloomberg|Alamy|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*\s+(?:Images|Photos?|Pictures|Media))"
    r"|\((?:AP|AFP|Reuters)\s+Photo[^)]*\))\s*$"
    r"|^\s*(?:Photo|Image|Picture|Credit|Photograph|Caption)s?\s*(?:credit)?\s*:",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"^\s*(?:By\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*(?:,.*)?$|Written by\b|Author:|"
    r"Read (?:the )?(?:original|more|next)\b|Related\s*:|Advertisement\s*$|Sign up\b|Subscribe\b|"
    r"Share (?:this|on)\b|Follow (?:him|her|them|us|me)\b|Updated\b|Published\b)",
)
_BIO = re.compile(
    r"^\s*[A-Z][\w'-]+(?:\s+[A-Z][\w.'-]+){1,3}\s+is\s+(?:an?|the)\s+(?:[\w-]+\s+){0,4}"
    r"(?:writer|journalist|reporter|editor|correspondent|author|columnist|contributor|"
    r"analyst|fellow|professor|researcher)\b"
)
_URL = re.compile(r"https?://\S+|www\.\S+|\]\([^)]*\)")


@dataclass(frozen=True)
class Block:
    number: int  # 1-based, counting non-empty blank-line-separated blocks
    start: int
    end: int


def blocks(text: str) -> list[Block]:
    out: list[Block] = []
    pos = 0
    for match in [*_BLOCK_SPLIT.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[pos:end].strip():
            out.append(Block(len(out) + 1, pos, end))
        pos = match.end() if match else len(text)
    return out


def _lines(text: str, block: Block) -> list[tuple[int, int]]:
    out = []
    pos = block.start
    for line in text[block.start:block.end].split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _squash(text: str) -> str:
    return " ".join(text.split())


def _caption_lines(text: str, all_lines: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Lines repeated verbatim, or a sentence that another line starts with (caption + credit). A headline
    that the first sentence repeats ("Marie Curie" / "Marie Curie was a physicist ...") is no caption: the
    shorter line must end like a sentence."""
    squashed = {span: _squash(text[span[0]:span[1]]) for span in all_lines}
    out: set[tuple[int, int]] = set()
    by_text: dict[str, list[tuple[int, int]]] = {}
    for span, line in squashed.items():
        by_text.setdefault(line, []).append(span)
    for line, spans in by_text.items():
        if len(spans) > 1 and len(line.split()) >= 3:
            out.update(spans)
    ordered = sorted(squashed.items(), key=lambda kv: len(kv[1]))
    for i, (span, line) in enumerate(ordered):
        if len(line.split()) < 3 or not _TERMINAL.search(line):
            continue
        for other_span, other in ordered[i + 1:]:
            if other.startswith(line) and other != line:
                out.update((span, other_span))
    return out


def is_title_line(line: str, *, alone: bool, next_line: str | None) -> bool:
    """A headline or subhead: no final punctuation, standing alone or before a new line."""
    if _TERMINAL.search(line):
        return False
    if alone:
        return True
    return len(line) < 60 and next_line is not None and next_line[:1].isupper()


def dropped_line_reason(line: str, *, alone: bool, next_line: str | None) -> str | None:
    if _HEADING.search(line):
        return "heading"
    if _BULLET.search(line):
        return "bullet"
    if _CREDIT.search(line):
        return "photo credit"
    if _FURNITURE.search(line):
        return "byline or page furniture"
    if is_title_line(line, alone=alone, next_line=next_line):
        return "title line"
    return None


def kept_segments(text: str) -> tuple[list[tuple[Block, int, int]], dict[tuple[int, int], str]]:
    """Runs of kept lines as (block, start, end), and the reason each dropped line was dropped."""
    all_blocks = blocks(text)
    block_lines = {b.number: _lines(text, b) for b in all_blocks}
    captions = _caption_lines(text, [s for spans in block_lines.values() for s in spans])
    dropped: dict[tuple[int, int], str] = {}
    segments: list[tuple[Block, int, int]] = []
    for block in all_blocks:
        spans = block_lines[block.number]
        if _BIO.search(text[spans[0][0]:spans[0][1]]):
            dropped.update({s: "author bio" for s in spans})
            continue
        run: list[tuple[int, int]] = []
        for i, span in enumerate(spans):
            line = text[span[0]:span[1]]
            nxt = text[spans[i + 1][0]:spans[i + 1][1]] if i + 1 < len(spans) else None
            reason = "caption" if span in captions else dropped_line_reason(
                line, alone=len(spans) == 1, next_line=nxt)
            if reason:
                dropped[span] = reason
                if run:
                    segments.append((block, run[0][0], run[-1][1]))
                run = []
            else:
                run.append(span)
        if run:
            segments.append((block, run[0][0], run[-1][1]))
    return segments, dropped


def url_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _URL.finditer(text)]
