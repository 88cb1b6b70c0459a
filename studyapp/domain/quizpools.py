"""Distractor pools for quiz questions: which wrong answers a card can be offered with.

Split from `quizgen` to keep each module small. Pure; randomness only from the `random.Random`
passed in. Figures and years are generated (`distractors`); names and statements are drawn from
other cards of the deck, leaving out cards that test the same fact (`QuizCard.fact`).
"""
from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Iterable, Sequence

from . import distractors as dx

if TYPE_CHECKING:  # pragma: no cover
    from .quizgen import QuizCard

NAME_CATEGORIES = frozenset({"person", "organisation", "place", "treaty", "event"})
MAX_TYPED_WORDS = 6
OPTION_COUNT = 4
WHY_RE = re.compile(r"\b(why|what reason|which reason|reasons?|because|what explains|how come)\b",
                    re.IGNORECASE)


def word_count(text: str) -> int:
    return len((text or "").split())


def answer_form(card: QuizCard) -> str:
    """What the answer looks like: "year", "figure", "name" or "statement".

    The category is a hint; the answer's own shape decides (a card filed under "event" whose
    answer is "1,600" is a figure, one under "person" whose answer is a sentence a statement).
    """
    answer = card.answer or ""
    words = word_count(answer)
    if dx.is_year_answer(answer) or (card.category == "year" and words <= 4
                                     and dx.pick_number(answer, prefer_year=True)):
        return "year"
    if dx.written_numbers(answer) and (words <= MAX_TYPED_WORDS or card.category == "number"):
        return "figure"
    if card.category in NAME_CATEGORIES and words <= 5:
        return "name"
    return "statement"


def length_fits(candidate: str, answer: str) -> bool:
    """A wrong statement of about the same length as the answer, so length gives nothing away."""
    a, c = word_count(answer), word_count(candidate)
    return abs(a - c) <= max(2, a // 2)



# --- distractor pools ---------------------------------------------------------------------

class Deck:
    """Lookups over the whole deck used to draw distractors."""

    def __init__(self, cards: Sequence[QuizCard]):
        self.cards = list(cards)
        self.speakers = self._unique(c.speaker for c in self.cards if c.speaker)

    @staticmethod
    def _unique(values: Iterable[str]) -> list[str]:
        out: list[str] = []
        for v in values:
            v = v.strip()
            if v and not any(dx.same_option(v, o) for o in out):
                out.append(v)
        return out

    def others(self, card: QuizCard, predicate) -> list[QuizCard]:
        """Other cards matching `predicate`, leaving out those testing the same fact."""
        return [c for c in self.cards if c.id != card.id and predicate(c)
                and not (card.fact and c.fact == card.fact)]

    def answer_pool(self, card: QuizCard, rng: random.Random) -> list[str]:
        """Other cards' answers fit to stand in for this card's answer, best groups first:
        names of the same category, or statements of about the same length (same section,
        then the deck). Figures and years are generated, not drawn from the deck."""
        form = answer_form(card)
        if form == "name":
            def fits(c: QuizCard) -> bool:
                return c.category == card.category and answer_form(c) == "name"
        elif form == "statement":
            def fits(c: QuizCard) -> bool:
                return answer_form(c) == "statement" and length_fits(c.answer, card.answer)
        else:
            return []
        pool: list[str] = []
        for same_section in (True, False):
            answers = [c.answer for c in self.others(card, fits)
                       if (c.section == card.section) == same_section]
            rng.shuffle(answers)
            pool += answers
        return pool

    def reason_pool(self, card: QuizCard, rng: random.Random) -> list[str]:
        groups = [self.others(card, lambda c: c.kind == "argument" and c.section == card.section),
                  self.others(card, lambda c: c.kind == "argument" and c.section != card.section)]
        pool: list[str] = []
        for group in groups:
            # cards that are themselves reasons read best as wrong reasons
            answers = [c.answer for c in group if WHY_RE.search(c.prompt)]
            rest = [c.answer for c in group if not WHY_RE.search(c.prompt)]
            rng.shuffle(answers)
            rng.shuffle(rest)
            pool += answers + rest
        return pool


def own_distractors(card: QuizCard, rng: random.Random) -> list[str]:
    own = dx.distinct_from(list(card.distractors), [card.answer])
    if len(own) > OPTION_COUNT - 1:
        own = rng.sample(own, OPTION_COUNT - 1)
    return own


def distractor_pool(card: QuizCard, deck: Deck, rng: random.Random) -> list[str]:
    """Distinct wrong answers for a card in order of preference (own, generated, deck)."""
    pool = own_distractors(card, rng)
    form = answer_form(card)
    if form in ("year", "figure"):
        pool += dx.numeric_distractors(card.answer, rng, year=form == "year")
    pool += deck.answer_pool(card, rng)
    return dx.distinct_from(pool, [card.answer])
