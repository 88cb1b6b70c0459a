"""Quiz questions assembled from the notes' structure (pure: randomness only from the rng passed in).

`build_quiz(cards, rng=..., count=..., types=...)` picks cards spread over the sections, at most
one per fact and one per note, and asks each the least-used requested type it supports. Every
question passes the quality gate (`quizgate.check_question`) before it is kept, and the choice of
cards keeps what `quizgate.check_quiz` asks of a whole quiz (one card per fact and note, no stem
showing another question's answer). Only the requested types are made; when the deck cannot make as many as asked,
`QuizBuild.message` says how many of each type it can make. The same seed gives the same quiz.

A question type a card cannot support is not made from it:

* ``multiple_choice``: a card with an answer kind (`category`) and three wrong options of that
  kind (`quizpools.OptionPool`); not for why-questions (those are ``reason`` questions).
* ``true_false``: a card with a `statement` that contains its answer word for word; the false
  version puts a wrong option of the same kind in the answer's place.
* ``typed``: short answers (at most six words) that are not statements or reasons; a phrase of
  three or more words (not counting articles; not a name or figure) only with another accepted form.
* ``who_said``: a card with a `speaker` and a `claim`: "Who said or argued this: '<claim>'?".
* ``reason``: a card whose answer is a reason (category `reason`, or an argument card asking why).
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

from .answers import check_answer, fold
from .quizcards import NAME_CATEGORIES, OPTION_COUNT, Question, QuizCard, quiz_card
from .quizgate import CHOICE_TYPES, Flaw, check_question, mentions, stem_of, typing_flaw
from .quizpools import OptionPool
from .quiztext import swapped_part

__all__ = ["QUESTION_TYPES", "CHOICE_TYPES", "RECOGNITION_TYPES", "TYPE_NAMES", "Question", "QuizCard",
           "QuizBuild", "build_quiz", "make_quiz", "grade", "rating_for", "quiz_card"]

QUESTION_TYPES = ("multiple_choice", "true_false", "typed", "who_said", "reason")
RECOGNITION_TYPES = frozenset({"multiple_choice", "true_false", "who_said", "reason"})
TYPE_NAMES = {"multiple_choice": "multiple-choice", "true_false": "true/false", "typed": "typed-answer",
              "who_said": "who-said", "reason": "reason"}
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


# --- question builders --------------------------------------------------------------------

def _base(card: QuizCard, qtype: str, prompt: str, options: list[str], answer: str, **extra) -> Question:
    return Question(type=qtype, prompt=prompt, options=options, answer=answer, card_id=card.id,
                    explanation=card.explanation, section=card.section, card_answer=card.answer,
                    category=card.category, tags=tuple(card.tags), context=card.context, **extra)


def _choice(card: QuizCard, qtype: str, prompt: str, right: str, wrong: list[str],
            rng: random.Random) -> Question | None:
    if len(wrong) < OPTION_COUNT - 1:
        return None
    options = [right, *wrong[:OPTION_COUNT - 1]]
    rng.shuffle(options)
    return _base(card, qtype, prompt, options, right)


def multiple_choice(card: QuizCard, pool: OptionPool, rng: random.Random) -> Question | None:
    if not card.answer.strip() or not card.category or card.asks_why:
        return None
    return _choice(card, "multiple_choice", card.prompt, card.answer,
                   pool.wrong_options(card, card.prompt, rng), rng)


def _answer_span(statement: str, card: QuizCard) -> tuple[int, int, str] | None:
    """Where the statement says the answer word for word: (start, end, the form found)."""
    for form in card.accepted:
        for value in (form.strip(), _ARTICLE.sub("", form.strip())):
            if len(value) < 1:
                continue
            match = re.search(rf"(?<!\w){re.escape(value)}(?!\w)", statement, re.IGNORECASE)
            if match:
                return match.start(), match.end(), value
    return None


def _put_in(statement: str, span: tuple[int, int, str], value: str, card: QuizCard, pool: OptionPool) -> str:
    """The statement with `value` in the answer's place, its article and capital fitted."""
    start, end, _ = span
    before = statement[:start]
    if re.search(r"(?<!\w)(the|a|an)\s+$", before, re.IGNORECASE):
        value = _ARTICLE.sub("", value)              # the sentence has its own article
    first = value.split()[0] if value.split() else ""
    if not before.strip():
        value = value[:1].upper() + value[1:]        # the start of the sentence
    elif _ARTICLE.match(value) or (card.category not in NAME_CATEGORIES and not first.isupper()
                                   and first.casefold() not in pool.facts.proper):
        value = value[:1].lower() + value[1:]        # "the 1940s", "fight for each other" mid-sentence
    return before + value + statement[end:]


def true_false(card: QuizCard, pool: OptionPool, rng: random.Random) -> Question | None:
    statement = (card.statement or "").strip()
    if not statement or not card.answer.strip() or statement.endswith("?") or not card.category:
        return None
    span = _answer_span(statement, card)
    if span is None:
        return None
    def refuse(value: str) -> str | None:  # the gate's check of the statement as it would read
        shown = _put_in(statement, span, value, card, pool)
        return pool.facts.articles.swap_flaw(card, swapped_part(shown, statement), statement)

    wrong = pool.wrong_options(card, statement, rng, k=1, refuse=refuse)
    if not wrong:
        return None
    truth = rng.random() < 0.5
    shown = statement if truth else _put_in(statement, span, wrong[0], card, pool)
    return _base(card, "true_false", f"True or false? {shown}", ["True", "False"],
                 "True" if truth else "False", statement=shown)


def typed(card: QuizCard, pool: OptionPool, rng: random.Random) -> Question | None:
    if typing_flaw(card):
        return None
    return _base(card, "typed", card.prompt, [], card.answer, accepted=tuple(card.alternatives))


def who_said(card: QuizCard, pool: OptionPool, rng: random.Random) -> Question | None:
    if not card.speaker or not card.claim or not card.speaker.strip():
        return None
    prompt = f"Who said or argued this: \u201c{card.claim.strip()}\u201d?"
    return _choice(card, "who_said", prompt, card.speaker.strip(), pool.other_speakers(card, rng), rng)


def reason(card: QuizCard, pool: OptionPool, rng: random.Random) -> Question | None:
    if not card.asks_why or not card.answer.strip():
        return None
    return _choice(card, "reason", card.prompt, card.answer, pool.wrong_options(card, card.prompt, rng), rng)


BUILDERS = {
    "multiple_choice": multiple_choice,
    "true_false": true_false,
    "typed": typed,
    "who_said": who_said,
    "reason": reason,
}


# --- the quiz -----------------------------------------------------------------------------

@dataclass
class QuizBuild:
    """A quiz and how it was made: the questions, what was asked for and what the deck can make."""

    questions: list[Question]
    requested: int | None                      # number asked for (None: one per fact)
    types: tuple[str, ...]
    capacity: dict[str, int] = field(default_factory=dict)  # facts that can be asked as each type
    rejected: list[tuple[str, str, Flaw]] = field(default_factory=list)  # (card, type, flaw) stopped by the gate

    @property
    def short(self) -> bool:
        return self.requested is not None and len(self.questions) < self.requested

    @property
    def message(self) -> str | None:
        """What a learner or a script is told when fewer questions than asked could be made."""
        if not self.short and self.questions:
            return None
        made = len(self.questions)
        if len(self.types) == 1:
            name = TYPE_NAMES[self.types[0]]
            asked = f"{self.requested} {name} questions" if self.requested else f"a {name} quiz"
            return f"You asked for {asked}; these cards can make {made} (one per fact)."
        can = ", ".join(f"{self.capacity.get(t, 0)} {TYPE_NAMES[t]}" for t in self.types)
        asked = f"{self.requested} questions" if self.requested else "a quiz"
        return (f"You asked for {asked}; these cards can make {made} of the chosen types "
                f"(one per fact; facts that can be asked as each type: {can}).")


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
    return order


def _gated(card: QuizCard, qtype: str, pool: OptionPool, rng: random.Random,
           rejected: list | None) -> Question | None:
    question = BUILDERS[qtype](card, pool, rng)
    if question is None:
        return None
    flaws = check_question(question, card, pool.facts)
    if flaws:
        if rejected is not None:
            rejected.extend((card.id, qtype, flaw) for flaw in flaws)
        return None
    return question


def _capacity(cards: Sequence[QuizCard], pool: OptionPool, types: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for qtype in types:
        facts = {c.fact_group for c in cards
                 if any(_gated(c, qtype, pool, random.Random(seed), None) is not None for seed in range(3))}
        out[qtype] = len(facts)
    return out


def _clashes(card: QuizCard, question: Question, chosen: list[tuple[QuizCard, Question]]) -> bool:
    """Whether the question and one already chosen would give each other's answer away (a stem or the
    context line above it)."""
    stem = f"{card.context}\n{stem_of(question, card)}"
    for other_card, other in chosen:
        if mentions(stem, other_card.answer) or mentions(f"{other_card.context}\n{stem_of(other, other_card)}",
                                                         card.answer):
            return True
    return False


def build_quiz(cards: Sequence[QuizCard], *, rng: random.Random, count: int | None = None,
               types: set[str] | frozenset[str] | Sequence[str] | None = None,
               gate: bool = True) -> QuizBuild:
    """One question per chosen card, only of the requested types; `count=None`: one per fact.

    `gate=False` keeps questions the gate would stop (only to measure the builders)."""
    unknown = set(types or ()) - set(QUESTION_TYPES)
    if unknown:
        raise ValueError(f"unknown question types: {sorted(unknown)}")
    allowed = [t for t in QUESTION_TYPES if types is None or t in set(types)]
    build = QuizBuild([], count, tuple(allowed))
    if not allowed or not cards or (count is not None and count <= 0):
        return build
    pool = OptionPool(cards)
    used: Counter = Counter()
    groups: set[str] = set()
    chosen: list[tuple[QuizCard, Question]] = []
    for card in spread_order(cards, rng):
        if count is not None and len(chosen) >= count:
            break
        if card.fact_group in groups or card.note_group in groups:
            continue
        for qtype in sorted(allowed, key=lambda t: (used[t], rng.random())):
            if gate:
                question = _gated(card, qtype, pool, rng, build.rejected)
            else:
                question = BUILDERS[qtype](card, pool, rng)
            if question is not None and not (gate and _clashes(card, question, chosen)):
                break
        else:
            continue
        used[question.type] += 1
        groups |= {card.fact_group, card.note_group}
        chosen.append((card, question))
    build.questions = [q for _, q in chosen]
    rng.shuffle(build.questions)
    if build.short or not build.questions:
        build.capacity = _capacity(cards, pool, allowed)
    return build


def make_quiz(cards: Sequence[QuizCard], *, rng: random.Random, count: int | None = None,
              types: set[str] | frozenset[str] | None = None) -> list[Question]:
    """The questions of `build_quiz` (see there)."""
    return build_quiz(cards, rng=rng, count=count, types=types).questions


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
