"""The quiz's view of a card: one `NoteCard` with what questions are built from (pure).

`quiz_card(note_card, section)` reads the note's structure (`category`, `statement`, `claim`,
`speaker`, `alternatives`, `distractors`); nothing here takes a prompt apart. Quiz modules work on
`QuizCard` only, so they never import each other in a circle.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from . import cardtext
from . import distractors as dx
from .notes import NAME_KINDS, NUMERIC_KINDS, AnswerKind, CardKind, CardType, NoteCard

MAX_TYPED_WORDS = 6
OPTION_COUNT = 4
#: a prompt that asks for a reason
WHY_RE = re.compile(r"^\s*(why\b|what (reason|explains)\b|for what reason\b|how come\b)", re.IGNORECASE)
NAME_CATEGORIES = frozenset(k.value for k in NAME_KINDS)
NUMERIC_CATEGORIES = frozenset(k.value for k in NUMERIC_KINDS)
LONG_CATEGORIES = frozenset({AnswerKind.STATEMENT.value, AnswerKind.REASON.value})


@dataclass(frozen=True)
class QuizCard:
    id: str                       # the card's stable key ("note" or "note.c2")
    kind: str                     # "fact" | "argument"
    type: str                     # "basic" | "cloze"
    prompt: str                   # cloze: the text with the tested deletion shown as "[…]" or "[hint]"
    answer: str
    alternatives: tuple[str, ...] = ()
    explanation: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    category: str | None = None   # AnswerKind value: the kind of the answer
    distractors: tuple[str, ...] = ()
    speaker: str | None = None
    claim: str | None = None      # what the speaker says, in their voice (who-said questions)
    statement: str | None = None  # the fact as a true sentence (true/false questions)
    fact: str | None = None       # sibling group
    note: str | None = None       # the note the card comes from
    context: str = ""             # the card's context line (what it is about), shown above the question

    @property
    def fact_group(self) -> str:
        return self.fact or self.note or self.id

    @property
    def note_group(self) -> str:
        return self.note or self.id

    @property
    def accepted(self) -> tuple[str, ...]:
        return (self.answer, *self.alternatives)

    @property
    def asks_why(self) -> bool:
        return self.category == AnswerKind.REASON.value or (
            self.kind == CardKind.ARGUMENT.value and bool(WHY_RE.search(self.prompt or "")))


def infer_category(answer: str, category: str | None) -> str | None:
    """The answer's kind: the authored one, else a year or number when the answer plainly is one."""
    if category:
        return category
    if dx.is_year_answer(answer):
        return AnswerKind.YEAR.value
    numbers = dx.written_numbers(answer)
    if numbers and len(answer.split()) <= 4 and not any(n.is_year or n.decade for n in numbers):
        return AnswerKind.NUMBER.value
    return None


def quiz_card(card: NoteCard, section: str = "") -> QuizCard:
    """The quiz view of one card of a note. A cloze card's prompt shows its own deletion as a gap."""
    note = card.note
    cloze = note.type == CardType.CLOZE
    prompt = cardtext.cloze_plain(note.prompt, card.cloze_ord or 1) if cloze else note.prompt
    category = card.category.value if card.category is not None else None
    return QuizCard(
        id=card.key, kind=note.kind.value, type=note.type.value, prompt=prompt, answer=card.answer,
        alternatives=tuple(note.alternatives) if not cloze or category else (),
        explanation=note.explanation, section=section or note.section or "", tags=tuple(note.tags),
        category=infer_category(card.answer, category), distractors=tuple(card.distractors),
        speaker=note.speaker, claim=note.claim, statement=note.plain_statement(), fact=note.fact,
        note=note.note_key, context=note.context or "",
    )


@dataclass
class Question:
    type: str
    prompt: str
    options: list[str]
    answer: str
    card_id: str
    explanation: str = ""
    section: str = ""
    statement: str | None = None            # true_false: the statement judged
    accepted: tuple[str, ...] = ()          # typed: alternatives also accepted
    card_answer: str = ""                   # the card's own answer (for true_false, the right value)
    category: str | None = None
    tags: tuple[str, ...] = ()
    context: str = ""                       # the card's context line, shown above the prompt

    def to_dict(self) -> dict:
        data = asdict(self)
        data["accepted"] = list(self.accepted)
        data["tags"] = list(self.tags)
        return data
