"""Wrong options for quiz questions, drawn only from answers of the same kind (pure).

`OptionPool(cards)` holds the deck's cards and what it says is true (`quizgate.DeckFacts`).
`wrong_options(card, stem, rng)` gives distinct wrong answers of the card's kind, best first:

1. the note's own `distractors` (authored, of the same kind);
2. for years, dates and figures, values made from the answer (`distractors.numeric_distractors`);
3. for names and terms, answers of other cards of the same kind, the same section first (never
   for statements and reasons: another question's answer is a wrong option ruled out at a glance).

Every candidate passes the gate's option checks (`quizgate.option_kind_flaw`, `stem_fit_flaw`,
`DeckFacts.also_true`, the article use of `quizsorts.ArticleUse`) before it is offered. Randomness only from the `random.Random` passed in.
"""
from __future__ import annotations

import random
from typing import Callable, Iterable, Sequence

from . import distractors as dx
from .quizcards import LONG_CATEGORIES, NUMERIC_CATEGORIES, OPTION_COUNT, QuizCard
from .quizgate import DeckFacts, length_fits, option_kind_flaw, source_form_flaw, stem_fit_flaw
from .quiztext import length_cue


def unique(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        value = (value or "").strip()
        if value and not any(dx.same_option(value, o) for o in out):
            out.append(value)
    return out


class OptionPool:
    """The deck's cards, grouped for drawing options."""

    def __init__(self, cards: Sequence[QuizCard]):
        self.cards = list(cards)
        self.facts = DeckFacts(self.cards)
        self.speakers = unique(c.speaker for c in self.cards if c.speaker)
        people = [name for c in self.cards if c.category == "person" for name in (c.answer, *c.distractors)]
        bodies = [name for c in self.cards if c.category == "organisation" for name in (c.answer, *c.distractors)]
        self.sources = unique([*self.speakers, *people, *bodies])  # people speak before bodies do

    def _deck_answers(self, card: QuizCard, fits, rng: random.Random) -> list[str]:
        pool: list[str] = []
        for same_section in (True, False):
            answers = [c.answer for c in self.cards
                       if c.id != card.id and fits(c) and (c.section == card.section) == same_section]
            rng.shuffle(answers)
            pool += answers
        return pool

    def candidates(self, card: QuizCard, rng: random.Random) -> list[str]:
        own = list(card.distractors)
        rng.shuffle(own)
        pool = own
        if card.category in NUMERIC_CATEGORIES:
            pool += dx.numeric_distractors(card.answer, rng, year=card.category != "number", k=6, window=6)
        # Statements and reasons are written for their question: other cards' answers to other questions
        # would be wrong options that a learner rules out at a glance, so only the note's own are used.
        if card.category and card.category not in NUMERIC_CATEGORIES | LONG_CATEGORIES and not card.asks_why:
            pool += self._deck_answers(card, lambda c: c.category == card.category and not c.asks_why, rng)
        return pool

    def wrong_options(self, card: QuizCard, stem: str, rng: random.Random,
                      k: int = OPTION_COUNT - 1, refuse: Callable[[str], str | None] | None = None) -> list[str]:
        """Up to `k` distinct wrong options of the card's kind that the gate accepts for `stem` (and `refuse`
        does not); for a phrase or a sentence, ones whose lengths do not single the answer out, when the pool
        has them."""
        chosen: list[str] = []
        spare = 5 * k if card.asks_why or card.category in LONG_CATEGORIES | {"term"} else 0
        for option in self.candidates(card, rng):
            option = (option or "").strip()
            if not option or any(dx.same_option(option, o) for o in [*card.accepted, *chosen] if o):
                continue
            if option_kind_flaw(card, option) if not card.asks_why else not length_fits(option, card.answer):
                continue
            if (stem_fit_flaw(card, option, stem) or self.facts.articles.flaw(card, option, stem)
                    or self.facts.also_true(card, option, stem) or (refuse is not None and refuse(option))):
                continue
            chosen.append(option)
            if len(chosen) == k + spare:
                break
        if spare and length_cue(card.answer, chosen[:k]):   # the closest lengths, in the shuffled order
            near = sorted(chosen, key=lambda o: abs(len(o) - len(card.answer)))[:k]
            return [o for o in chosen if o in near]
        return chosen[:k]

    def other_speakers(self, card: QuizCard, rng: random.Random, k: int = OPTION_COUNT - 1) -> list[str]:
        """Up to `k` other sources: an attribution note's own distractors, the deck's other speakers,
        then people and bodies the deck names."""
        speakers = [s for s in self.speakers if not dx.same_option(s, card.speaker or "")]
        rest = [s for s in self.sources if s not in speakers and not dx.same_option(s, card.speaker or "")]
        rng.shuffle(speakers)
        # an attribution note (its answer is its speaker) brings its author's chosen wrong sources
        own = list(card.distractors) if dx.same_option(card.answer, card.speaker or "") else []
        rng.shuffle(own)
        chosen: list[str] = []
        for name in own + speakers + rest:
            if (any(dx.same_option(name, o) for o in chosen) or self.facts.also_said_by(card, name)
                    or source_form_flaw(name, card.speaker or "")):
                continue
            chosen.append(name)
            if len(chosen) == k:
                break
        return chosen
