"""Checking a typed answer against a card's answer (pure: no I/O, no clock).

`check_answer(given, answer, accepted)` returns an `AnswerCheck` with a verdict of "correct",
"near" or "wrong", a score from 0 to 100 and the accepted form that matched.

This is the one normalisation of answers: typed quiz answers, option comparison in quizzes
(`distractors.same_option`) and the card generator all use it. Both sides are normalised the same
way before comparing:

* case, accents (NFKD, combining marks dropped), curly quotes, apostrophes ("People's" ->
  "peoples"), hyphens and other punctuation;
* one spelling per word: British and American variants ("defence"/"defense", "organisation"/
  "organization", -ise/-ize, -our/-or, -tre/-ter, -ogue/-og and a short list of pairs) and plurals
  ("exercises" -> "exercise") fold together, on both sides (`canonical_word`); "1950's" is "1950s";
* articles ("the", "a", "an") wherever they stand, and hedges ("about", "around", "roughly",
  "approximately", "some", "almost", "nearly", "~", ...) at the start or in front of a number;
* numbers: "3200", "3,200", "3 200", "3.2 thousand", "3.2k" and "three thousand two hundred"
  all become the number 3200 ("a million" and "1 million" one million, "half a million" 500000);
  "25%" and "25 per cent" become 25 percent; "1850s" stays a decade.

Rules, decided here once:

* Numbers decide first. If the expected answer holds numbers, the given answer must hold exactly
  the same numbers (as a multiset, compared as numbers); otherwise the verdict is "wrong" with
  score 0. 3,200 against 3,300 or 1969 against 1979 is wrong, never near: a figure is either
  remembered or not. When the numbers agree and nothing else is left on one side ("About 3,200"
  against "3200 soldiers"), the answer is correct; when words remain on both sides they are
  compared as text, but the verdict is at least "near".
* Text is scored with rapidfuzz: the best of `ratio` and `token_sort_ratio` (word order does not
  matter). `token_set_ratio` credits an answer that is a part or a superset of the expected one
  ("Cozad" for "Mark Cozad"), but that credit is capped below the "correct" line, so a partial
  answer is at best "near", and only while it has at most twice as many words (+1) as the
  expected one. Pass the short form in `accepted` when it should count in full.
* Thresholds: score >= 90 is "correct", >= 75 is "near", below is "wrong".
* A one-word answer has no room for typos: anything but an exact match is at most "near", so
  "Cozadd" for "Cozad" is "near" (ratio 91). Longer answers may carry a slip and still be correct
  ("Busines Insider" scores 97).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Sequence

from rapidfuzz import fuzz

CORRECT_AT = 90.0
NEAR_AT = 75.0
PARTIAL_CAP = 89.0  # highest score a part/superset answer can reach through token_set_ratio

ARTICLES = frozenset({"the", "a", "an"})
HEDGES = frozenset({
    "about", "around", "roughly", "approximately", "approx", "some", "almost", "nearly", "~",
    "circa", "ca", "estimated", "over", "under", "just", "only", "maybe", "perhaps",
})
SCALES = {
    "hundred": Decimal(100), "thousand": Decimal(1000), "k": Decimal(1000),
    "million": Decimal(10) ** 6, "mn": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9, "trillion": Decimal(10) ** 12,
}
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_NUMBERS = {w: i for i, w in enumerate(_UNITS)}
WORD_NUMBERS.update({w: 20 + 10 * i for i, w in enumerate(_TENS)})

# 3,200 | 3 200 | 3200 | 3.2 ; then an optional scale word, a decade "s" or a percent sign.
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+(?![\d,])|\d+)(\.\d+)?"
    r"(?:(s)\b|\s*(%|percent\b|per cent\b)|\s*(hundred|thousand|million|billion|trillion)\b"
    r"|(k|bn|mn)\b)?(?![\w])"
)


@dataclass(frozen=True)
class AnswerCheck:
    verdict: str  # "correct" | "near" | "wrong"
    score: float  # 0..100
    matched: str | None  # the accepted form that matched best; None when wrong

    @property
    def correct(self) -> bool:
        return self.verdict == "correct"

    def to_dict(self) -> dict:
        return {"verdict": self.verdict, "score": round(self.score, 1), "matched": self.matched}


@dataclass(frozen=True)
class Normalised:
    """An answer reduced to comparable parts: its numbers and its remaining words."""

    numbers: tuple[str, ...]
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def full(self) -> str:
        return " ".join(self.numbers + self.words)


def fold(text: str) -> str:
    """Lower case without accents, with typographic quotes and dashes made plain."""
    # casefold the decomposed text before dropping marks: some marks fold to letters (the Greek
    # ypogegrammeni folds to iota), so folding first and last gives the same result either way.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return text.casefold()


# British and American spellings of one word: both sides of a comparison are rewritten the same way,
# so a rule only has to map the two spellings together, not to produce a real word.
SPELLING_PAIRS = {
    "grey": "gray", "programme": "program", "judgement": "judgment", "manoeuvre": "maneuver",
    "aluminium": "aluminum", "tyre": "tire", "travelled": "traveled", "travelling": "traveling",
    "traveller": "traveler", "cancelled": "canceled", "cancelling": "canceling", "modelling": "modeling",
    "modelled": "modeled", "labelled": "labeled", "fuelled": "fueled", "signalled": "signaled",
    "counsellor": "counselor", "jewellery": "jewelry", "enrol": "enroll", "fulfil": "fulfill",
    "skilful": "skillful", "plough": "plow", "sceptical": "skeptical", "sceptic": "skeptic",
    "mould": "mold", "moustache": "mustache", "pyjamas": "pajamas", "storey": "story",
}
_SPELLING_RULES = (
    (re.compile(r"isation"), "ization"),                                 # organisation
    (re.compile(r"^(\w{3,})is(e|ed|es|ing|er|ers)$"), r"\1iz\2"),       # recognise, organised
    (re.compile(r"^(\w{2,})ys(e|ed|es|ing)$"), r"\1yz\2"),              # analyse
    (re.compile(r"^(\w{2,})our(s|ed|ing|ite|ites|able|er|ers)?$"), r"\1or\2"),  # colour, favourite
    (re.compile(r"^(\w*[fct])ence(s)?$"), r"\1ense\2"),                 # defence, licence
    (re.compile(r"^(\w{2,})([tb])re$"), r"\1\2er"),                      # centre, fibre
    (re.compile(r"^(\w{3,})ogue(s)?$"), r"\1og\2"),                     # catalogue
)
_PLURAL_RULES = (
    (re.compile(r"^(\w{2,})ies$"), r"\1y"),                              # countries
    (re.compile(r"^(\w{2,}(?:ss|x|z|ch|sh))es$"), r"\1"),                # classes, taxes, marches
    (re.compile(r"^(\w{2,}[^sui\W])s$"), r"\1"),                         # exercises, allies' -> ally
)


@lru_cache(maxsize=65536)
def canonical_word(word: str) -> str:
    """One spelling for a folded word: American spelling, singular ("defences" -> "defense")."""
    word = SPELLING_PAIRS.get(word, word)
    for rule, replacement in _PLURAL_RULES:
        word, done = rule.subn(replacement, word)
        if done:
            break
    word = SPELLING_PAIRS.get(word, word)
    for rule, replacement in _SPELLING_RULES:
        word = rule.sub(replacement, word)
    return word


def _format_decimal(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def _number_token(match: re.Match) -> tuple[str, str]:
    """(canonical number, trailing word) for one `_NUMBER_RE` match."""
    digits, fraction, decade, percent, scale_word, scale_short = match.groups()
    try:
        value = Decimal(digits.replace(",", "").replace(" ", "") + (fraction or ""))
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return match.group(0), ""
    if decade:
        return _format_decimal(value) + "s", ""
    scale = scale_word or scale_short
    if scale:
        value *= SCALES[scale]
    return _format_decimal(value), ("percent" if percent else "")


def _words_to_numbers(tokens: list[str]) -> list[str]:
    """Replace runs of number words ("twenty five", "three thousand") by digits."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in WORD_NUMBERS:
            out.append(tokens[i])
            i += 1
            continue
        total, current = 0, 0
        j = i
        while j < len(tokens):
            tok = tokens[j]
            if tok in WORD_NUMBERS:
                current += WORD_NUMBERS[tok]
            elif tok in ("hundred",) and j > i:
                current = max(current, 1) * 100
            elif tok in ("thousand", "million", "billion", "trillion") and j > i:
                total += max(current, 1) * int(SCALES[tok])
                current = 0
            elif tok == "and" and j > i and j + 1 < len(tokens) and tokens[j + 1] in WORD_NUMBERS:
                pass
            else:
                break
            j += 1
        out.append("#" + str(total + current))
        i = j
    return out


def _scale_articles(tokens: list[str]) -> list[str]:
    """"a million" is one million and "half a million" half of one: the article before a scale word is its
    number ("a thousand immigrants", "1,000 immigrants" and "one thousand immigrants" are the same answer)."""
    out: list[str] = []
    for i, tok in enumerate(tokens):
        scale = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in ("a", "an") and scale in SCALES and not scale.isdigit() and len(scale) > 2:
            if out and out[-1] == "half":
                out[-1] = "#" + _format_decimal(SCALES[scale] / 2)
                tokens[i + 1] = ""  # the scale is spent
                continue
            tok = "one"
        if tok:
            out.append(tok)
    return out


@lru_cache(maxsize=65536)
def normalise(text: str) -> Normalised:
    """Split an answer into sorted numbers and the remaining normalised words."""
    folded = fold(text).replace("~", " ~ ")
    folded = re.sub(r"(?<=\d)'s\b", "s", folded)  # "1950's" is "1950s"
    # hyphens join words and numbers ("Tsentr-2019", "2,600-mile-long"): make them spaces,
    # but keep a leading minus on a number alone.
    folded = re.sub(r"(?<=\w)-(?=\w)", " ", folded)
    marked: list[str] = []
    pos = 0
    for m in _NUMBER_RE.finditer(folded):
        marked.append(folded[pos:m.start()])
        number, extra = _number_token(m)
        marked.append(f" #{number} {extra} ")
        pos = m.end()
    marked.append(folded[pos:])
    flat = "".join(marked)
    flat = flat.replace("'", "")
    flat = re.sub(r"[^\w#~ ]+", " ", flat)
    tokens = _words_to_numbers(_scale_articles(flat.split()))
    tokens = [canonical_word(t) for t in tokens if t not in ARTICLES]
    # hedges: at the start, or right before a number
    kept: list[str] = []
    for idx, tok in enumerate(tokens):
        if tok in HEDGES:
            rest = tokens[idx + 1:]
            leading = all(t in HEDGES for t in tokens[:idx])
            before_number = bool(rest) and rest[0].startswith("#")
            if leading or before_number:
                continue
        kept.append(tok)
    if kept and kept[0] in ("more", "less", "fewer") and len(kept) > 1 and kept[1] == "than":
        kept = kept[2:]
    numbers = tuple(sorted(t[1:] for t in kept if t.startswith("#")))
    words = tuple(t for t in kept if not t.startswith("#"))
    return Normalised(numbers, words)


def text_score(given: str, expected: str) -> float:
    """Fuzzy score of two normalised word strings (0..100), partial answers capped below 90."""
    if not given and not expected:
        return 100.0
    if not given or not expected:
        return 0.0
    if given == expected or given.replace(" ", "") == expected.replace(" ", ""):
        return 100.0
    score = max(fuzz.ratio(given, expected), fuzz.token_sort_ratio(given, expected))
    partial = fuzz.token_set_ratio(given, expected)
    # a part or a superset earns credit, but listing many words to cover the answer does not
    if partial > score and len(given.split()) <= 2 * len(expected.split()) + 1:
        score = max(score, min(partial, PARTIAL_CAP))
    if " " not in expected and score >= CORRECT_AT:
        score = min(score, PARTIAL_CAP)  # one word: a typo is a near miss
    return float(score)


def _compare(given: Normalised, expected: Normalised) -> tuple[str, float]:
    if expected.numbers or given.numbers:
        if Counter(given.numbers) != Counter(expected.numbers):
            return "wrong", 0.0
        if not given.words or not expected.words:
            return "correct", 100.0
        score = text_score(given.text, expected.text)
        if score >= CORRECT_AT:
            return "correct", score
        return "near", max(score, NEAR_AT)
    score = text_score(given.text, expected.text)
    if score >= CORRECT_AT:
        return "correct", score
    if score >= NEAR_AT:
        return "near", score
    return "wrong", score


_RANK = {"correct": 2, "near": 1, "wrong": 0}


def check_answer(given: str, answer: str, accepted: Sequence[str] = ()) -> AnswerCheck:
    """Compare a typed answer with the expected answer and its accepted alternatives."""
    given_norm = normalise(given or "")
    if not given_norm.numbers and not given_norm.words:
        return AnswerCheck("wrong", 0.0, None)
    best: tuple[int, float, str] | None = None
    forms = [answer, *[a for a in accepted if a and a.strip()]]
    for form in forms:
        expected = normalise(form)
        if not expected.numbers and not expected.words:
            continue
        verdict, score = _compare(given_norm, expected)
        key = (_RANK[verdict], score)
        if best is None or key > best[:2]:
            best = (_RANK[verdict], score, form)
    if best is None:
        return AnswerCheck("wrong", 0.0, None)
    rank, score, form = best
    verdict = {2: "correct", 1: "near", 0: "wrong"}[rank]
    return AnswerCheck(verdict, round(score, 1), form if rank else None)
