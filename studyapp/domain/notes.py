"""The one note model: what an author writes, what every writer saves, what quizzes are built from.

A *note* is one entry an author writes (a `[[card]]` in a deck file, a row of a CSV, a card in the
editor, an accepted generator candidate). A basic note gives one card; a cloze note gives one card per
deletion number. Field names are the `cards` table's column names; only the edges rename them (deck
files: `id`/`text`/`accept`/`fact`; CSV and .apkg: front/back).

`validate_note` is the only validator: the deck-file loader, the CSV/.apkg readers, the card form and
the generator call it and report its problems in their own terms (file:line:field, a form field, a
CSV line and column). Its limits are `LIMITS`; `cards/README.md` quotes them.

Quiz material (issue: questions assembled from structure, not from string surgery):

* `category`: the kind of answer (`AnswerKind`); distractors come only from answers of the same kind.
* `statement`: a plain, true, declarative sentence of the fact (true/false questions). For a basic
  note it should contain the answer (or an accepted variant) word for word, so that a false version can
  be made by putting a distractor in its place. A cloze note's statement defaults to its text with every
  deletion filled in.
* `claim`: what `speaker` says or argues, in the speaker's voice, without the speaker's name
  ("who said it" questions). A note without a claim makes no who-said question.
* `alternatives`: other answers a typed answer accepts; `distractors`: wrong answers of the same kind.

`context`: a short line shown on the card itself, above its front, wherever the card is shown (study,
quizzes, the editor's preview, CSV and .apkg exports): what the card is about when its front leans on it
("The Halifax Explosion of 1917" above "How many people did the blast kill?"). Generated cards carry their
article's title; authored cards that stand alone leave it empty.

Pure: no Flask, no database.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from . import cardtext


class CardType(StrEnum):
    BASIC = "basic"
    CLOZE = "cloze"


class CardKind(StrEnum):
    FACT = "fact"
    ARGUMENT = "argument"


class CardStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class DeckStatus(StrEnum):
    DRAFT = "draft"          # learners do not see it (a generated deck before the instructor publishes it)
    PUBLISHED = "published"


class CardState(IntEnum):
    """A learner's state for a card (the `state` columns). NEW means no row: never answered."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


class AnswerKind(StrEnum):
    """What kind of thing a card's answer is. Multiple-choice options are drawn from one kind only."""

    YEAR = "year"                  # 2001, the 1950s
    DATE = "date"                  # 14 October 1962, July 2001
    NUMBER = "number"              # 3,200 troops, 25 exercises, 75 years
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    TREATY = "treaty"
    EVENT = "event"                # a named event: Vostok 2018, the Cuban missile crisis
    TERM = "term"                  # a concept or short noun phrase: interoperability, command and control
    REASON = "reason"              # why something is so: a clause or short sentence
    STATEMENT = "statement"        # any other longer answer: a claim, a description


#: Answer kinds whose answers are names (options are names of the same kind from the deck).
NAME_KINDS = frozenset({AnswerKind.PERSON, AnswerKind.ORGANISATION, AnswerKind.PLACE, AnswerKind.TREATY,
                        AnswerKind.EVENT})
#: Answer kinds whose answers are figures (options are made from the number itself).
NUMERIC_KINDS = frozenset({AnswerKind.YEAR, AnswerKind.DATE, AnswerKind.NUMBER})

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
TAG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.\-]{0,63}$")


@dataclass(frozen=True)
class Limits:
    """One set of limits for every writer (characters, or items for lists)."""

    note_key: int = 64
    prompt: int = 2000
    answer: int = 1000
    explanation: int = 3000
    statement: int = 1000
    claim: int = 1000
    speaker: int = 120
    context: int = 200
    item: int = 200            # one alternative or distractor
    alternatives: int = 20
    distractors: int = 10
    tags: int = 30
    fact_key: int = 64
    paragraph: int = 100_000
    cloze_number: int = cardtext.MAX_CLOZE     # {{c1::...}} up to {{c99::...}}, as Anki


LIMITS = Limits()


@dataclass(frozen=True)
class Note:
    """One authored entry. `prompt` is the question (basic) or the text with its deletions (cloze)."""

    note_key: str
    type: CardType = CardType.BASIC
    kind: CardKind = CardKind.FACT
    prompt: str = ""
    answer: str = ""                       # basic only; a cloze card's answer is its deletion
    explanation: str = ""
    section: str | None = None             # slug of the deck's section
    tags: tuple[str, ...] = ()
    paragraph: int | None = None           # source block of the article (blank-line blocks from 1)
    category: AnswerKind | None = None     # kind of the answer (a cloze: of its c1 deletion)
    alternatives: tuple[str, ...] = ()
    distractors: tuple[str, ...] = ()
    speaker: str | None = None
    claim: str | None = None
    statement: str | None = None
    fact_key: str | None = None            # sibling group; defaults to note_key
    context: str | None = None             # shown above the front: what the card is about

    @property
    def fact(self) -> str:
        return self.fact_key or self.note_key

    def cards(self) -> list[NoteCard]:
        if self.type == CardType.BASIC:
            return [NoteCard(self, None)]
        return [NoteCard(self, n) for n in cardtext.cloze_numbers(self.prompt)]

    def with_changes(self, **changes) -> Note:
        return replace(self, **changes)

    def plain_statement(self) -> str | None:
        """The true statement of the fact: authored, or a cloze's text with every deletion filled in."""
        if self.statement:
            return self.statement
        if self.type == CardType.CLOZE:
            return cardtext.strip_markup(self.prompt).strip() or None
        return None


NOTE_FIELDS = frozenset(Note.__dataclass_fields__)


@dataclass(frozen=True)
class NoteCard:
    """One card of a note: the note and its cloze number (None for a basic note)."""

    note: Note
    cloze_ord: int | None

    def __getattr__(self, name: str):
        # The note's fields read through the card (card.prompt, card.kind, ...).
        if name in NOTE_FIELDS or name == "fact":
            return getattr(self.note, name)
        raise AttributeError(name)

    @property
    def key(self) -> str:
        return self.note.note_key if self.cloze_ord is None else f"{self.note.note_key}.c{self.cloze_ord}"

    @property
    def answer(self) -> str:
        if self.cloze_ord is None:
            return self.note.answer
        return cardtext.cloze_answer(self.note.prompt, self.cloze_ord)

    @property
    def category(self) -> AnswerKind | None:
        """A cloze note's category (and distractors) describe its first deletion only."""
        if self.cloze_ord is None or self.cloze_ord == min(cardtext.cloze_numbers(self.note.prompt), default=1):
            return self.note.category
        return None

    @property
    def distractors(self) -> tuple[str, ...]:
        return self.note.distractors if self.category is not None else ()


# -- validation ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldProblem:
    field: str      # a Note field name; edges translate it (deck file `text`, CSV `front`, ...)
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"



def fold_option(text: str) -> str:
    """Comparison key for answers and options: case, spacing and trailing punctuation folded."""
    return re.sub(r"\s+", " ", cardtext.strip_markup(text or "")).strip().strip(".").casefold()


class _Checker:
    def __init__(self, raw: Mapping[str, object]):
        self.raw = raw
        self.problems: list[FieldProblem] = []

    def add(self, name: str, message: str) -> None:
        self.problems.append(FieldProblem(name, message))

    def text(self, name: str, limit: int, *, required: bool = False) -> str:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.add(name, "is required")
            return ""
        if not isinstance(value, str):
            self.add(name, f"must be text, not {type(value).__name__}")
            return ""
        value = value.strip()
        if "\x00" in value:
            self.add(name, "contains a NUL character, which cannot be stored")
            return ""
        if required and not value:
            self.add(name, "must not be empty")
        if len(value) > limit:
            self.add(name, f"is {len(value):,} characters long; the limit is {limit:,}")
        return value

    def slug(self, name: str, limit: int, *, required: bool = False) -> str:
        value = self.text(name, limit, required=required)
        if value and not SLUG_RE.match(value):
            self.add(name, f"'{value}' must be lowercase letters, digits and dashes (at most 64)")
        return value

    def choice(self, name: str, enum: type[StrEnum], default: StrEnum | None) -> StrEnum | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return enum(value)
        except ValueError:
            self.add(name, f"'{value}' must be one of: {', '.join(e.value for e in enum)}")
            return default

    def strings(self, name: str, *, limit_items: int, pattern: re.Pattern | None = None) -> tuple[str, ...]:
        value = self.raw.get(name, ())
        if value is None:
            return ()
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            self.add(name, "must be a list of text values")
            return ()
        items = tuple(v.strip() for v in value if v.strip())
        if any("\x00" in v for v in items):
            self.add(name, "contains a NUL character, which cannot be stored")
            return ()
        if len(items) > limit_items:
            self.add(name, f"has {len(items)} values; the limit is {limit_items}")
        for item in items:
            if len(item) > LIMITS.item:
                self.add(name, f"'{item[:40]}…' is over {LIMITS.item} characters")
            elif pattern is not None and not pattern.match(item):
                self.add(name, f"'{item}' is not a valid tag (letters, digits, - _ : .)")
        return items

    def paragraph(self) -> int | None:
        value = self.raw.get("paragraph")
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool):
            self.add("paragraph", "must be a whole number")
            return None
        if not 1 <= value <= LIMITS.paragraph:
            self.add("paragraph", f"{value} must be between 1 and {LIMITS.paragraph:,}")
            return None
        return value


def validate_note(raw: Mapping[str, object], *, sections: set[str] | None = None) -> tuple[Note | None, list[FieldProblem]]:
    """Check one note given as a mapping of Note field names; the note, or None and its problems.

    `sections`: the deck's section slugs, when the caller knows them (an unknown one is a problem).
    Unknown keys are the caller's business (each edge has its own vocabulary).
    """
    c = _Checker(raw)
    note_key = c.slug("note_key", LIMITS.note_key, required=True)
    type_ = c.choice("type", CardType, CardType.BASIC)
    kind = c.choice("kind", CardKind, CardKind.FACT)
    prompt = c.text("prompt", LIMITS.prompt, required=True)
    answer = c.text("answer", LIMITS.answer)
    if type_ == CardType.CLOZE:
        _check_cloze(c, prompt, answer)
        answer = ""
    elif not answer and not any(p.field == "answer" for p in c.problems):
        c.add("answer", "is required for a basic card")
    if type_ == CardType.BASIC and prompt and cardtext.CLOZE_RE.search(prompt):
        c.add("prompt", "has a {{c1::...}} deletion; choose the cloze type or remove it")
    explanation = c.text("explanation", LIMITS.explanation)
    section = c.slug("section", 64) or None
    if section is not None and sections is not None and section not in sections:
        c.add("section", f"'{section}' is not a section of this deck")
    tags = c.strings("tags", limit_items=LIMITS.tags, pattern=TAG_RE)
    category = c.choice("category", AnswerKind, None)
    alternatives = c.strings("alternatives", limit_items=LIMITS.alternatives)
    distractors = c.strings("distractors", limit_items=LIMITS.distractors)
    speaker = c.text("speaker", LIMITS.speaker) or None
    claim = c.text("claim", LIMITS.claim) or None
    statement = c.text("statement", LIMITS.statement) or None
    fact_key = c.slug("fact_key", LIMITS.fact_key) or None
    context = c.text("context", LIMITS.context) or None
    if context and "\n" in context:
        c.add("context", "must be one line")
    if fact_key == note_key:
        fact_key = None

    answers = {fold_option(a) for a in (answer, *alternatives) if a}
    if type_ == CardType.CLOZE and prompt:
        first = min(cardtext.cloze_numbers(prompt), default=None)
        if first is not None:
            answers.add(fold_option(cardtext.cloze_answer(prompt, first)))
    folded = [fold_option(d) for d in distractors]
    if any(d in answers for d in folded):
        c.add("distractors", "must not contain the answer or an accepted variant")
    if len(set(folded)) != len(folded):
        c.add("distractors", "has the same option twice")
    if claim and not speaker:
        c.add("claim", "needs a speaker (who says it)")
    if claim and speaker and _names(claim, speaker):
        c.add("claim", f"names its speaker '{speaker}'; write it in the speaker's voice without the name")
    if statement:
        if cardtext.CLOZE_RE.search(statement):
            c.add("statement", "must be plain text, without {{c1::...}} deletions")
        elif statement.rstrip().endswith("?"):
            c.add("statement", "must be a statement, not a question")

    paragraph = c.paragraph()
    if c.problems:
        return None, c.problems
    return Note(note_key=note_key, type=type_, kind=kind, prompt=prompt, answer=answer,  # type: ignore[arg-type]
                explanation=explanation, section=section, tags=tags, paragraph=paragraph,
                category=category, alternatives=alternatives, distractors=distractors,  # type: ignore[arg-type]
                speaker=speaker, claim=claim, statement=statement, fact_key=fact_key,
                context=context), c.problems


def _check_cloze(c: _Checker, prompt: str, answer: str) -> None:
    if answer:
        c.add("answer", "a cloze card has no separate answer: its deletions are the answers")
    if not prompt:
        return
    written = {m.group(1): cardtext.cloze_number(m.group(1)) for m in cardtext.CLOZE_RE.finditer(prompt)}
    if not written:
        c.add("prompt", "has no deletion; write one like {{c1::answer}} or {{c1::answer::hint}}")
    out_of_range = sorted({digits for digits, n in written.items() if not 1 <= n <= LIMITS.cloze_number}, key=len)
    if out_of_range:
        shown = out_of_range[0] if len(out_of_range[0]) <= 8 else out_of_range[0][:6] + "…"
        c.add("prompt", f"deletion c{shown} must be numbered from c1 to c{LIMITS.cloze_number}")
    for n in sorted({n for n in written.values() if 1 <= n <= LIMITS.cloze_number}):
        if not cardtext.cloze_answer(prompt, n).strip():
            c.add("prompt", f"deletion c{n} is empty")


def _names(text: str, speaker: str) -> bool:
    """Whether `text` names `speaker` (the whole name or its last word, as a word)."""
    words = speaker.split()
    for name in {speaker, words[-1]} if words else set():
        if len(name) > 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            return True
    return False


def note_to_dict(note: Note) -> dict:
    """A plain dict of the note (JSON-safe), field names as the columns."""
    return {name: (list(value) if isinstance(value, tuple) else
                   value.value if isinstance(value, StrEnum) else value)
            for name, value in ((f, getattr(note, f)) for f in Note.__dataclass_fields__)}

