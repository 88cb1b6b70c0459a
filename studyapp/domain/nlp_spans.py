"""Span helpers for `nlp`'s entity repair (pure; spaCy tokens in, tokens or booleans out): an entity without
its article or trailing punctuation, the figure inside a numeric entity, and whether a span is glued to a word."""
from __future__ import annotations

import re

FRACTION = r"half|halves|thirds|quarters|fifths|sixths|sevenths|eighths|ninths|tenths|dozen"

NUMERIC_WORD = re.compile(r"^(?:\d[\d,.]*%?|hundred|thousand|million|billion|trillion|per|cent|percent|%|"
                           rf"[$\u00a3\u20ac\u00a5]|{FRACTION})$", re.IGNORECASE)


def trim_the(ent_tokens) -> list:
    tokens = list(ent_tokens)
    while tokens and tokens[0].lower_ in ("the", "a", "an"):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_space or tokens[-1].is_punct or tokens[-1].text in ("'s", "\u2019s")):
        tokens = tokens[:-1]
    return tokens


def numeric_core(ent_tokens) -> list:
    tokens = [t for t in ent_tokens]
    while tokens and (not (NUMERIC_WORD.match(tokens[0].text) or tokens[0].like_num) or tokens[0].lower_ in (
            "first", "last") and len(tokens) > 1 and re.match(r"\d", tokens[1].text)):  # "at first 50 pence": 50
        tokens = tokens[1:]
    while tokens and not NUMERIC_WORD.match(tokens[-1].text):
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[-1].lower_ == "per":  # "50 kilometres per [hour]": the unit is no figure
        tokens = tokens[:-1]
        while tokens and not NUMERIC_WORD.match(tokens[-1].text):
            tokens = tokens[:-1]
    return tokens


def glued(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return before.isalnum() or before == "-" or after.isalnum() or after == "-"
