"""Wrong-but-plausible options for quiz questions (pure; randomness only from a passed `random.Random`).

* Figures ("About 3,200", "2,600-mile-long", "25%"): the number is scaled (halved, doubled,
  x10, /10, +-25 %, x1.5, x3 ...), rounded to the precision it was written with, printed in the
  same style (thousands separators kept) and put back into the surrounding text.
* Figures in words ("ten to twelve days"): the same values written back in words, a range moved as a
  whole ("twenty to twenty-four days"; `cardgen_figures.options`).
* Years (1969): decades around it (1959, 1979, 1989 ...), never after `MAX_YEAR`; decades
  ("1850s") move by decades.
* Everything else is drawn from other cards' answers by the quiz module.

`same_option` decides when two options would read as the same answer, so that a question never
offers two alike or a distractor equal to the answer.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import cardgen_figures
from .answers import normalise

MAX_YEAR = 2030
MIN_YEAR = 1000

# a written number: 3,200 | 3200 | 3.2 | 1850s ; not part of a word such as "C2"
NUMBER_RE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(s\b)?(?![\d])")
_PERCENT_AFTER = re.compile(r"\s*(%|percent\b|per cent\b)", re.IGNORECASE)
# Nearer factors first: a tenfold option ("242 hours" for a 24.2-hour day) is often absurd, so it comes last.
_FIGURE_FACTORS = (
    Decimal("0.5"), Decimal(2), Decimal("0.75"), Decimal("1.25"), Decimal("1.5"), Decimal(3),
    Decimal(10), Decimal("0.1"), Decimal("0.25"), Decimal(4),
)
_DECADE_STEPS = (-30, -20, -10, 10, 20, 30)
_YEAR_SMALL_STEPS = (-5, 5, -3, 3, -2, 2, -1, 1)


@dataclass(frozen=True)
class WrittenNumber:
    start: int
    end: int
    digits: str  # as written, with separators
    fraction: str  # ".2" or ""
    decade: bool

    @property
    def value(self) -> Decimal:
        return Decimal(self.digits.replace(",", "") + self.fraction)

    @property
    def is_year(self) -> bool:
        return (not self.fraction and "," not in self.digits and len(self.digits) == 4
                and MIN_YEAR <= int(self.digits) <= 2100)


def written_numbers(text: str) -> list[WrittenNumber]:
    return [WrittenNumber(m.start(), m.end(), m.group(1), m.group(2) or "", bool(m.group(3)))
            for m in NUMBER_RE.finditer(text or "")]


def option_key(text: str) -> str:
    """Normalised form used to tell options apart."""
    norm = normalise(text)
    return " ".join(norm.numbers + norm.words)


def same_option(a: str, b: str) -> bool:
    """True when two options would read as the same answer ("3,200" and "About 3,200", "RAND"
    and "RAND Corp.", "Cozad" and "Mark Cozad", "WHO" and "World Health Organization")."""
    if _acronym_of(a, b) or _acronym_of(b, a):
        return True
    na, nb = normalise(a), normalise(b)
    if (na.numbers + na.words) == (nb.numbers + nb.words):
        return True
    if na.numbers != nb.numbers:
        return False
    wa = set(na.words) - _ORG_SUFFIXES
    wb = set(nb.words) - _ORG_SUFFIXES
    if not wa or not wb:
        return not wa and not wb
    return wa <= wb or wb <= wa


_ORG_SUFFIXES = frozenset({"corp", "corporation", "inc", "ltd", "co", "llc", "plc"})
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "on", "in", "to", "a", "an", "&"})


def _acronym_of(short: str, name: str) -> bool:
    """`short` is the capital initials of `name`'s words ("WHO", "World Health Organization"; "NATO")."""
    short = short.strip().removeprefix("the ").strip(".")
    words = re.findall(r"[\w&]+", re.sub(r"['\u2019]s\b", "", name))
    initials = "".join(w[0] for w in words if w.lower() not in _SMALL_WORDS)
    return 2 <= len(short) <= 8 and short.isupper() and short.isalpha() and len(initials) >= 2 \
        and short.upper() == initials.upper() and name.strip() != short


def distinct_from(candidates: list[str], existing: list[str]) -> list[str]:
    """The candidates, in order, that are unlike `existing` and each other."""
    out: list[str] = []
    for cand in candidates:
        cand = (cand or "").strip()
        if not cand or not option_key(cand):
            continue
        if any(same_option(cand, other) for other in existing + out):
            continue
        out.append(cand)
    return out


def _significant_digits(number: WrittenNumber) -> int:
    digits = number.digits.replace(",", "")
    if number.fraction:
        return len((digits + number.fraction[1:]).lstrip("0")) or 1
    return len(digits.lstrip("0").rstrip("0")) or 1


def _round_sig(value: Decimal, sig: int) -> Decimal:
    if value == 0:
        return value
    exponent = value.adjusted() - sig + 1
    quantum = Decimal(1).scaleb(exponent)
    return value.quantize(quantum, rounding=ROUND_HALF_UP) if exponent < 0 else \
        (value / quantum).to_integral_value(rounding=ROUND_HALF_UP) * quantum


def _format_like(value: Decimal, number: WrittenNumber) -> str:
    decimals = len(number.fraction) - 1 if number.fraction else 0
    if decimals:
        text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
        integral, _, frac = text.partition(".")
    else:
        integral, frac = str(int(value)), ""
    original = int(number.digits.replace(",", ""))
    use_commas = "," in number.digits or (original < 1000 and int(integral) >= 1000)
    if use_commas:
        integral = f"{int(integral):,}"
    return integral + (f".{frac}" if frac else "")


def figure_values(number: WrittenNumber, *, percent: bool = False) -> list[str]:
    """Other values for a figure, same form and magnitude, in order of preference."""
    value = number.value
    sig = max(_significant_digits(number), 2)
    integer = not number.fraction
    seen = {_format_like(value, number)}
    out: list[str] = []
    steps: list[Decimal] = [value * f for f in _FIGURE_FACTORS]
    if integer and value < 20:  # a small count or hour: near values first, no tenfold ("eleven at night")
        steps = [value + d for d in (1, -1, 2, -2)] + [value * f for f in _FIGURE_FACTORS if Decimal("0.5") <= f <= 2] \
            + [value + d for d in (3, 5)]
    for cand in steps:
        cand = _round_sig(cand, sig)
        if integer:
            cand = cand.to_integral_value(rounding=ROUND_HALF_UP)
        if cand <= 0 or (integer and cand < 1) or (percent and cand > 100):
            continue
        text = _format_like(cand, number)
        if text in seen or Decimal(text.replace(",", "")) == value:
            continue
        seen.add(text)
        out.append(text)
    return out


def year_values(number: WrittenNumber) -> list[str]:
    """Other years (or decades) around a year, never after MAX_YEAR."""
    year = int(number.digits)
    if number.decade:
        cands = [year + s for s in _DECADE_STEPS]
        return [f"{c}s" for c in cands if MIN_YEAR <= c and c <= (MAX_YEAR // 10) * 10]
    decades = [year + s for s in _DECADE_STEPS if MIN_YEAR <= year + s <= MAX_YEAR]
    if len(decades) >= 4:
        return [str(c) for c in decades]
    small = [year + s for s in _YEAR_SMALL_STEPS if MIN_YEAR <= year + s <= MAX_YEAR]
    return [str(c) for c in decades + small]


def pick_number(answer: str, *, prefer_year: bool) -> WrittenNumber | None:
    numbers = written_numbers(answer)
    if not numbers:
        return None
    if prefer_year:
        years = [n for n in numbers if n.is_year or n.decade]
        return years[0] if years else None
    plain = [n for n in numbers if not n.is_year and not n.decade]
    return plain[0] if plain else numbers[0]


def numeric_distractors(answer: str, rng: random.Random, *, year: bool, k: int = 3,
                        window: int = 6) -> list[str]:
    """Up to `k` figures or years like the one in `answer`, with its surrounding text kept.

    `rng` picks `k` of the first `window` candidates so the answer is not always the middle value.
    """
    number = pick_number(answer, prefer_year=year)
    if number is None and not year and not written_numbers(answer):  # a figure in words: "ten to twelve days"
        pool = cardgen_figures.options(answer, lambda n: figure_values(WrittenNumber(0, len(str(n)), str(n), "", False)))
        pool = pool[:max(window, k)]
        return sorted(rng.sample(pool, min(k, len(pool))), key=pool.index)
    if number is None:
        return []
    if not year and (moved := _range_values(answer)) is not None:  # "300 to 1,000 metres" moves as a whole
        pool = moved[:max(window, k)]
        return sorted(rng.sample(pool, min(k, len(pool))), key=pool.index)
    if number.is_year or number.decade:
        values = year_values(number)
    else:
        percent = bool(_PERCENT_AFTER.match(answer, number.end))
        values = figure_values(number, percent=percent)
    pool = values[:max(window, k)]
    chosen = rng.sample(pool, min(k, len(pool)))
    # keep the preference order of the pool for readability before the caller shuffles
    chosen.sort(key=pool.index)
    return [answer[:number.start] + v + answer[number.end:] for v in chosen]


_RANGE_JOIN = re.compile(r"\s*(?:to|-|\u2013|\u2014|and)\s*")


def _range_values(answer: str) -> list[str] | None:
    """Other ranges for a range of two figures ("300 to 1,000 metres"): both ends scaled alike, none that
    overlaps the answer's (which would be partly true); None when the answer is not such a range."""
    plain = [n for n in written_numbers(answer) if not n.is_year and not n.decade]
    if len(plain) != 2 or not _RANGE_JOIN.fullmatch(answer[plain[0].end:plain[1].start]):
        return None
    low, high = plain
    out = []
    for text in figure_values(low):
        factor = Decimal(text.replace(",", "")) / low.value
        top = _round_sig(high.value * factor, max(_significant_digits(high), 2))
        top = top if high.fraction else top.to_integral_value(rounding=ROUND_HALF_UP)
        if Decimal(text.replace(",", "")) <= high.value and top >= low.value:
            continue
        out.append(answer[:low.start] + text + answer[low.end:high.start] + _format_like(top, high) + answer[high.end:])
    return out


def is_year_answer(answer: str) -> bool:
    """The answer is (mostly) a year or decade: "1969", "In 1969", "the 1850s"."""
    numbers = written_numbers(answer)
    if len(numbers) != 1 or not (numbers[0].is_year or numbers[0].decade):
        return False
    rest = (answer[:numbers[0].start] + answer[numbers[0].end:]).split()
    return len(rest) <= 2
