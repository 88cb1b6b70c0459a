"""Quiz questions from cards (pure: randomness only from the `random.Random` passed in).

`make_quiz(cards, rng=..., count=..., types=...)` picks cards spread over the sections, makes
one question per card and spreads the question types: for each card the allowed type used least
so far among those the card supports (ties broken by the rng). The same seed gives the same quiz.

Question types:

* ``multiple_choice``: four distinct options, one right. Distractors: the card's own first, then
  generated ones (see `distractors`), then answers of other cards of the same category (people,
  organisations, places, treaties, events) or, for statements, of the same section and the deck.
* ``true_false``: a statement made from the card, true or (about half the time) made false by
  putting a distractor in place of the answer.
* ``typed``: recall; graded with `answers.check_answer`. Not offered for answers over six words.
* ``who_said``: cards with a `speaker`; options are other speakers of the deck plus a fallback
  list of sources.
* ``reason``: argument cards whose prompt asks why; options are answers of other argument cards,
  same section first.

A choice question is never made without four distinct options: the card falls back to another
type (typed, then true/false); a card that supports none is left out.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Sequence

from . import distractors as dx
from .answers import check_answer, fold
from .quizpools import (MAX_TYPED_WORDS, OPTION_COUNT, WHY_RE, Deck,
                        distractor_pool, own_distractors, word_count)

QUESTION_TYPES = ("multiple_choice", "true_false", "typed", "who_said", "reason")
CHOICE_TYPES = frozenset({"multiple_choice", "who_said", "reason"})
RECOGNITION_TYPES = frozenset({"multiple_choice", "true_false", "who_said", "reason"})
FALLBACK_SPEAKERS = (
    "RAND", "Mark Cozad", "Michael Peck", "Business Insider", "NATO", "The Pentagon",
    "The Kremlin", "Beijing's foreign ministry",
)
_BLANK_RE = re.compile(r"\[[^\[\]]*\]")
_PRONOUN_START = re.compile(r"(it|its|they|their|he|she|this|that|these|those)\b", re.IGNORECASE)
_ELLIPSIS_BLANK_RE = re.compile(r"\[\s*(?:\.\.\.|\u2026)\s*\]")


@dataclass(frozen=True)
class QuizCard:
    id: str
    kind: str  # "fact" | "argument"
    type: str  # "basic" | "cloze"
    prompt: str  # cloze: front text with the deletion shown as "[...]" or "[hint]"
    answer: str
    alternatives: tuple[str, ...] = ()
    explanation: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    category: str | None = None
    distractors: tuple[str, ...] = ()
    speaker: str | None = None
    fact: str | None = None  # fact group: cards sharing it test the same fact


@dataclass
class Question:
    type: str
    prompt: str
    options: list[str]
    answer: str
    card_id: str
    explanation: str = ""
    section: str = ""
    statement: str | None = None  # true_false: the statement judged
    accepted: tuple[str, ...] = ()  # typed: alternatives also accepted
    card_answer: str = ""  # the card's own answer (for true_false, the right value)
    category: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["accepted"] = list(self.accepted)
        data["tags"] = list(self.tags)
        return data


# --- text helpers -------------------------------------------------------------------------


def fill_blank(prompt: str, value: str) -> str | None:
    """The cloze front with its first blank filled, or None when it shows no blank."""
    match = _ELLIPSIS_BLANK_RE.search(prompt or "") or _BLANK_RE.search(prompt or "")
    if not match:
        return None
    return prompt[:match.start()] + value + prompt[match.end():]


def mask_speaker(text: str, speaker: str) -> str:
    """The text with the speaker's name (and surname alone) blanked out as "___"."""
    names = [speaker.strip()]
    words = [w for w in re.findall(r"[A-Z][\w.-]+", speaker) if len(w) > 2]
    if len(words) > 1:
        names.append(words[-1])
    for name in names:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "___", text)
    return text


def claim_of(card: QuizCard) -> str:
    """The claim a speaker made, as a full sentence where possible, the speaker masked."""
    claim = None
    if card.type == "cloze":
        claim = fill_blank(card.prompt, card.answer)
    if claim is None:
        if word_count(card.answer) >= 8 and not _PRONOUN_START.match(card.answer):
            claim = card.answer
        else:
            claim = f"{card.prompt.strip()} \u2014 {card.answer.strip()}"
    return mask_speaker(claim.strip(), card.speaker or "") if card.speaker else claim.strip()


def statement_for(card: QuizCard, value: str) -> str:
    """A declarative statement saying that the card's answer is `value`."""
    if card.type == "cloze":
        filled = fill_blank(card.prompt, value)
        if filled:
            return filled.strip()
    return f"{card.prompt.strip()} \u2014 {value.strip()}"



# --- question builders --------------------------------------------------------------------

def _base(card: QuizCard, qtype: str, prompt: str, options: list[str], answer: str,
          **extra) -> Question:
    return Question(type=qtype, prompt=prompt, options=options, answer=answer, card_id=card.id,
                    explanation=card.explanation, section=card.section, card_answer=card.answer,
                    category=card.category, tags=tuple(card.tags), **extra)


def _choice(card: QuizCard, qtype: str, prompt: str, right: str, wrong: list[str],
            rng: random.Random) -> Question | None:
    wrong = dx.distinct_from(wrong, [right])[:OPTION_COUNT - 1]
    if len(wrong) < OPTION_COUNT - 1:
        return None
    options = [right, *wrong]
    rng.shuffle(options)
    return _base(card, qtype, prompt, options, right)


def multiple_choice(card: QuizCard, deck: Deck, rng: random.Random) -> Question | None:
    if not card.answer.strip():
        return None
    return _choice(card, "multiple_choice", card.prompt, card.answer,
                   distractor_pool(card, deck, rng), rng)


def true_false(card: QuizCard, deck: Deck, rng: random.Random) -> Question | None:
    if not card.answer.strip():
        return None
    pool = distractor_pool(card, deck, rng)
    if not pool:
        return None
    truth = rng.random() < 0.5
    value = card.answer if truth else rng.choice(pool[:OPTION_COUNT - 1])
    statement = statement_for(card, value)
    if not truth and statement == statement_for(card, card.answer):
        return None  # the swap did not show in the statement
    return _base(card, "true_false", f"True or false? {statement}", ["True", "False"],
                 "True" if truth else "False", statement=statement)


def typed(card: QuizCard, deck: Deck, rng: random.Random) -> Question | None:
    if not card.answer.strip() or word_count(card.answer) > MAX_TYPED_WORDS:
        return None
    return _base(card, "typed", card.prompt, [], card.answer, accepted=tuple(card.alternatives))


def who_said(card: QuizCard, deck: Deck, rng: random.Random) -> Question | None:
    if not card.speaker or not card.speaker.strip() or dx.same_option(card.answer, card.speaker):
        return None  # no speaker, or the card already asks for the speaker
    others = [s for s in deck.speakers if not dx.same_option(s, card.speaker)]
    rng.shuffle(others)
    fallback = list(FALLBACK_SPEAKERS)
    rng.shuffle(fallback)
    verb = "argued" if card.kind == "argument" else "said"
    prompt = f"Who {verb}: \u201c{claim_of(card)}\u201d?"
    return _choice(card, "who_said", prompt, card.speaker.strip(), others + fallback, rng)


def reason(card: QuizCard, deck: Deck, rng: random.Random) -> Question | None:
    if card.kind != "argument" or not WHY_RE.search(card.prompt or "") or not card.answer.strip():
        return None
    wrong = own_distractors(card, rng) + deck.reason_pool(card, rng)
    return _choice(card, "reason", card.prompt, card.answer, wrong, rng)


BUILDERS = {
    "multiple_choice": multiple_choice,
    "true_false": true_false,
    "typed": typed,
    "who_said": who_said,
    "reason": reason,
}
FALLBACK_ORDER = ("typed", "true_false")


# --- the quiz -----------------------------------------------------------------------------

def spread_order(cards: Sequence[QuizCard], rng: random.Random) -> list[QuizCard]:
    """All cards, shuffled within their section, taken round-robin over the sections."""
    sections: dict[str, list[QuizCard]] = {}
    for card in cards:
        sections.setdefault(card.section or "", []).append(card)
    buckets = list(sections.values())
    for bucket in buckets:
        rng.shuffle(bucket)
    rng.shuffle(buckets)
    order: list[QuizCard] = []
    while any(buckets):
        for bucket in buckets:
            if bucket:
                order.append(bucket.pop())
    # one card per fact first: a second card on the same fact would give the first away
    seen: set[str] = set()
    first: list[QuizCard] = []
    later: list[QuizCard] = []
    for card in order:
        key = card.fact or card.id
        (later if key in seen else first).append(card)
        seen.add(key)
    return first + later


def _question_for(card: QuizCard, deck: Deck, allowed: list[str], used: Counter,
                  fact_types: set[tuple[str, str]], rng: random.Random) -> Question | None:
    # least-used type first; a type already asked about the same fact goes last
    fact = card.fact or card.id
    ranked = sorted(allowed, key=lambda t: ((fact, t) in fact_types, used[t], rng.random()))
    for qtype in ranked:
        question = BUILDERS[qtype](card, deck, rng)
        if question is not None:
            return question
    for qtype in FALLBACK_ORDER:
        if qtype not in allowed:
            question = BUILDERS[qtype](card, deck, rng)
            if question is not None:
                return question
    return None


def make_quiz(cards: Sequence[QuizCard], *, rng: random.Random, count: int | None = None,
              types: set[str] | frozenset[str] | None = None) -> list[Question]:
    """One question per chosen card; `count=None` uses every card; `types=None` allows all."""
    allowed = [t for t in QUESTION_TYPES if types is None or t in types]
    unknown = set(types or ()) - set(QUESTION_TYPES)
    if unknown:
        raise ValueError(f"unknown question types: {sorted(unknown)}")
    if not allowed or not cards or (count is not None and count <= 0):
        return []
    deck = Deck(cards)
    used: Counter = Counter()
    fact_types: set[tuple[str, str]] = set()
    questions: list[Question] = []
    for card in spread_order(cards, rng):
        if count is not None and len(questions) >= count:
            break
        question = _question_for(card, deck, allowed, used, fact_types, rng)
        if question is None:
            continue
        used[question.type] += 1
        fact_types.add((card.fact or card.id, question.type))
        questions.append(question)
    rng.shuffle(questions)
    return questions


# --- grading ------------------------------------------------------------------------------

_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})


def _plain(text: str) -> str:
    return " ".join(fold(text).split())


def grade(question: Question, given: str) -> tuple[bool, str]:
    """(correct, verdict) for an answer; verdict is "correct", "near" or "wrong".

    Typed answers go through `check_answer` (a near miss is not counted correct but keeps its
    "near" verdict, which `rating_for` maps to Hard). Choice answers must be the option's text.
    """
    given = given or ""
    if question.type == "typed":
        check = check_answer(given, question.answer, question.accepted)
        return check.verdict == "correct", check.verdict
    if question.type == "true_false":
        word = _plain(given)
        value = "True" if word in _TRUE_WORDS else "False" if word in _FALSE_WORDS else None
        ok = value == question.answer
        return ok, "correct" if ok else "wrong"
    ok = _plain(given) == _plain(question.answer) and bool(_plain(given))
    return ok, "correct" if ok else "wrong"


def rating_for(question_type: str, verdict: str) -> int:
    """FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy) for a quiz result.

    * wrong -> Again (1), whatever the type: the fact was not known.
    * typed (recall) correct -> Good (3): the learner produced the answer unaided, the same
      evidence as a flashcard answered right. Never Easy: a quiz cannot tell effort, and Easy
      stretches the interval the most.
    * typed near miss -> Hard (2): recalled, with a slip.
    * recognition correct (multiple_choice, true_false, who_said, reason) -> Hard (2): picking
      the answer from a list is weaker evidence than recall (and may be a guess), so it counts
      as a pass but lengthens the interval less than Good would.
    """
    if verdict not in ("correct", "near", "wrong"):
        raise ValueError(f"unknown verdict: {verdict!r}")
    if verdict == "wrong":
        return 1
    if question_type in RECOGNITION_TYPES:
        return 2
    if question_type == "typed":
        return 3 if verdict == "correct" else 2
    raise ValueError(f"unknown question type: {question_type!r}")
