"""Text tests the quiz modules share (pure): does a text state a value, what is it about.

All comparisons go through the one answer normalisation (`answers.normalise`, `canonical_word`).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .answers import canonical_word, fold, normalise

STOPWORDS = frozenset("""
a an the and or but nor of in on at to for from by with about as into onto over under after before
than then that this these those is are was were be been being it its they their them he she his her
him we our us you your i me my not no so if what which who whom whose when where why how do does did
done has have had can could would should will shall may might must also only just more most less very
much many any some each every all both other another such own same there here says said say saying
according while whether because since though although until up out off again once per via within
""".split())
GAP = re.compile(r"\[[^\[\]]*\]")


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[Counter, tuple[str, ...]]:
    norm = normalise(text or "")
    return Counter(norm.numbers), norm.words


def mentions(text: str, value: str) -> bool:
    """Whether `text` states `value`: its numbers all appear, and its words in a row."""
    v_numbers, v_words = _tokens(value)
    if not v_numbers and not v_words:
        return False
    t_numbers, t_words = _tokens(text)
    if v_numbers - t_numbers:
        return False
    if not v_words:
        return True
    n = len(v_words)
    return any(t_words[i:i + n] == v_words for i in range(len(t_words) - n + 1))


@lru_cache(maxsize=65536)
def subject_words(text: str) -> frozenset[str]:
    """Content words of a text (folded, one spelling, no stop words, no figures)."""
    words = re.findall(r"[^\W\d_]{3,}", fold(GAP.sub(" ", text or "")))
    return frozenset({canonical_word(w) for w in words if w not in STOPWORDS} - STOPWORDS)


def length_fits(candidate: str, answer: str) -> bool:
    """A wrong statement about as long as the answer, so that length gives nothing away."""
    a, c = len(answer.split()), len(candidate.split())
    return abs(a - c) <= max(2, a // 2)


def names_in(text: str, name: str, *, person: bool = False) -> bool:
    """Whether `text` already names `name`: all of it, or, for a person, the surname ("Wyatt" for
    "Frederick Wyatt"; not "River" for "The Holt River")."""
    words = name.split()
    last = words[-1] if len(words) > 1 and person else ""
    return mentions(text, name) or (len(last) > 2 and last[:1].isupper()
                                    and re.search(rf"(?<!\w){re.escape(last)}(?!\w)", text or "") is not None)


def length_cue(answer: str, wrong: list[str]) -> str | None:
    """"longest" or "shortest" when the answer stands out from every wrong option by its length (a
    quarter and at least 8 characters beyond all of them): test-wise learners pick the odd one out."""
    if not wrong:
        return None
    a, longest, shortest = len(answer), max(map(len, wrong)), min(map(len, wrong))
    if a > 1.25 * longest and a - longest >= 8:
        return "longest"
    if a < 0.75 * shortest and shortest - a >= 8:
        return "shortest"
    return None


def names_speaker(text: str, speaker: str) -> bool:
    """Whether `text` names `speaker` (the whole name, or its last word when that is a name)."""
    words = [w for w in re.findall(r"[\w'-]+", speaker) if len(w) > 2]
    for name in {speaker.strip(), *(words[-1:] if len(words) > 1 else [])}:
        if name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text or "", re.IGNORECASE):
            return True
    return False


def context_line(line: str | None, *answers: str, limit: int = 200) -> str | None:
    """A card's context line made from `line` (one line, at most `limit` characters), or None when it is
    empty or states one of the card's `answers` (its answer and accepted variants): a context line that
    gives the answer away is worse than none."""
    line = " ".join((line or "").split())[:limit]
    return line if line and not any(answer and mentions(line, answer) for answer in answers) else None


def swapped_part(statement: str, true_statement: str) -> str:
    """The part of `statement` that differs from `true_statement` (the value put in)."""
    start = 0
    while start < min(len(statement), len(true_statement)) and statement[start] == true_statement[start]:
        start += 1
    end = 0
    while (end < min(len(statement), len(true_statement)) - start
           and statement[-1 - end] == true_statement[-1 - end]):
        end += 1
    while start > 0 and statement[start - 1].isalnum():  # whole words: "Mark" against "Michael"
        start -= 1
    stop = len(statement) - end
    while stop < len(statement) and statement[stop].isalnum():
        stop += 1
    return statement[start:stop]


# The sort of place a name's last word says it is (general English geography, not any one article's): wrong
# options for a place are of the answer's sort, so "the Barents Sea" is not offered among cities.
_PLACE_SORTS = {
    "water": "sea ocean gulf bay strait channel sound lake river canal creek harbour harbor basin passage fjord "
             "lagoon estuary",
    "land": "mountain mountains hill hills range valley plateau desert peninsula island islands isle escarpment "
            "coast cape glacier shelf plain plains forest",
    "built": "bridge street road square park tower hall palace castle station airport port cathedral church "
             "museum stadium dam",
}
_PLACE_SORT = {word: sort for sort, words in _PLACE_SORTS.items() for word in words.split()}


def place_sort(name: str) -> str | None:
    """"water", "land" or "built" when the name ends with such a word ("Bedford Basin", "Niagara Escarpment"),
    else None (a bare name: a city, a country, a region)."""
    words = re.findall(r"[A-Za-z]+", name or "")
    return _PLACE_SORT.get(words[-1].lower()) if len(words) > 1 else None


def plural(phrase: str) -> bool:
    """Whether a term reads as plural by its last word ("circadian rhythms", "zeitgebers"; not "glass",
    "virus", "analysis", "melanopsin"): a plural option in a singular gap is ruled out at a glance."""
    words = re.findall(r"[A-Za-z]+", phrase or "")
    last = words[-1].lower() if words else ""
    return len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is", "ics", "ous"))

