"""Card text: a small Markdown subset rendered with markdown-it-py, sanitised with nh3, and Anki-style clozes.

Clozes are written as Anki writes them: `{{c1::answer}}` or `{{c1::answer::hint}}`. A note with
deletions c1..cn makes n cards; card n hides deletion n and shows the others as plain text.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "code", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_CLASSES = {"span": {"cloze", "cloze-answer"}}
URL_SCHEMES = {"http", "https", "mailto"}


@lru_cache(maxsize=2)
def _markdown(breaks: bool = True) -> MarkdownIt:
    # commonmark core with raw HTML off: whatever is typed is text, and nh3 cleans the output again.
    # Cards keep a typed line break (breaks=True); prose such as a study guide folds it (Markdown paragraphs).
    md = MarkdownIt("commonmark", {"html": False, "breaks": breaks, "linkify": False})
    md.disable(["image", "heading", "lheading", "table", "fence", "code", "hr", "html_block", "html_inline"],
               ignoreInvalid=True)
    return md


def sanitize(html_text: str) -> str:
    return nh3.clean(
        html_text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=8192)
def render_markdown(text: str, inline: bool = False, breaks: bool = True) -> str:
    """Markdown subset (bold, italics, lists, line breaks, links) to safe HTML.

    `breaks=False` folds a single line break into a space, as Markdown paragraphs do: for prose wrapped in its
    source file (a study guide), where a break would show mid-sentence.
    Cached by text: a deck's cards are rendered again and again on the study loop's hot path."""
    md = _markdown(breaks)
    rendered = md.renderInline(text or "") if inline else md.render(text or "")
    return sanitize(rendered)


#: Deletion numbers run from c1 to c99, as in Anki; a number with more digits than this is never converted
#: (Python refuses int() of over 4,300 digits, and a 30-digit one overflows a database column).
MAX_CLOZE = 99
_MAX_DIGITS = 6
#: What a deletion number too long to convert counts as: above every limit.
TOO_LARGE = 10**_MAX_DIGITS


def cloze_number(digits: str) -> int:
    """A deletion's number from its digits; TOO_LARGE for one longer than six digits (leading zeros aside)."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= _MAX_DIGITS else TOO_LARGE


def cloze_numbers(text: str) -> list[int]:
    return sorted({cloze_number(m.group(1)) for m in CLOZE_RE.finditer(text or "")})


def cloze_answer(text: str, number: int) -> str:
    """The hidden text of deletion `number` (several deletions with one number are joined)."""
    parts = [m.group(2) for m in CLOZE_RE.finditer(text) if cloze_number(m.group(1)) == number]
    return " … ".join(parts)


def cloze_hint(text: str, number: int) -> str | None:
    for m in CLOZE_RE.finditer(text):
        if cloze_number(m.group(1)) == number and m.group(3):
            return m.group(3)
    return None


_MARK_OPEN, _MARK_CLOSE = "\x02", "\x03"


def _cloze_marked(text: str, number: int, reveal: bool) -> str:
    def replace(match: re.Match) -> str:
        n, answer, hint = cloze_number(match.group(1)), match.group(2), match.group(3)
        if n != number:
            return answer
        shown = answer if reveal else f"[{hint}]" if hint else "[…]"
        return f"{_MARK_OPEN}{shown}{_MARK_CLOSE}"

    return CLOZE_RE.sub(replace, text)


def cloze_plain(text: str, number: int, reveal: bool = False) -> str:
    """Plain text of a cloze card (for quizzes and exports): the deletion as [...] or revealed."""
    return _cloze_marked(text, number, reveal).replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")


@lru_cache(maxsize=8192)
def render_cloze(text: str, number: int, reveal: bool) -> str:
    """Safe HTML of a cloze card's front (reveal=False) or back (reveal=True)."""
    marked = _cloze_marked(text, number, reveal)
    rendered = render_markdown(marked)
    css = "cloze-answer" if reveal else "cloze"
    rendered = rendered.replace(_MARK_OPEN, f'<span class="{css}">').replace(_MARK_CLOSE, "</span>")
    return sanitize(rendered)


def strip_markup(text: str) -> str:
    """Text without Markdown emphasis markers or clozes, for search and plain exports."""
    text = CLOZE_RE.sub(lambda m: m.group(2), text or "")
    text = re.sub(r"(\*\*|__|\*|_)(\S.*?\S|\S)\1", r"\2", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return html.unescape(text)
