"""The quality gate every generated question passes before a learner sees it (pure).

* `check_question(question, card, facts)`: the flaws of one question: options distinct (after the
  answer normalisation: case, punctuation, number format, spelling), four for a choice question, of
  the answer's kind and fitting the stem; no wrong option that is also true according to the deck
  (`DeckFacts.also_true`); a stem (or context line) that does not give its answer away; a true/false statement that is
  a sentence, true when marked true and false when marked false; a who-said claim that does not name
  its speaker.
* `check_quiz(questions, cards, types)`: the flaws of a whole quiz: two questions on one fact or one
  note, a type that was not asked for, one question's stem giving away another's answer.

The generator (`quizgen`) draws options with the same predicates and then runs the gate on every
question it makes; a question with a flaw is never shown (the card is asked another way, or not).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz

from . import distractors as dx
from . import quiztext
from .answers import fold, normalise
from .quizcards import (
    LONG_CATEGORIES,
    MAX_TYPED_WORDS,
    NAME_CATEGORIES,
    NUMERIC_CATEGORIES,
    OPTION_COUNT,
    Question,
    QuizCard,
)
from .quizsorts import ArticleUse
from .quizsorts import starts_upper as _starts_upper
from .quiztext import GAP as _GAP
from .quiztext import length_cue, length_fits, mentions, names_in, names_speaker, subject_words, swapped_part

__all__ = ["CHOICE_TYPES", "DeckFacts", "Flaw", "check_question", "check_quiz", "length_fits", "mentions",
           "option_kind_flaw", "source_form_flaw", "stem_fit_flaw", "stem_of"]

CHOICE_TYPES = frozenset({"multiple_choice", "who_said", "reason"})
MONTHS = frozenset("january february march april may june july august september october november december".split())
_STEM_KINDS = (  # what a question's wording asks for, and the answer kinds that fit it
    (re.compile(r"^\s*(who|whom)\b", re.I), {"person", "organisation"}),
    (re.compile(r"\b(in )?(what|which) (year|decade)\b|^\s*when\b", re.I), {"year", "date"}),
    (re.compile(r"^\s*how (many|much|long|far|large|big)\b", re.I), {"number", "year", "date"}),
    (re.compile(r"^\s*where\b", re.I), {"place"}),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
#: a sentence opening that points back to text the learner does not see
_NEEDS_CONTEXT = re.compile(r"^\W*(for this reason|for that reason|this is why|that is why|therefore|thus|hence|"
                            r"as a result|in addition|moreover|furthermore|however|also|but|and|so)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Flaw:
    check: str       # a short name: "options", "kind", "also-true", "give-away", "statement", ...
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def stem_of(question: Question, card: QuizCard) -> str:
    if question.type == "true_false":
        return question.statement or ""
    if question.type == "who_said":
        return card.claim or ""
    return question.prompt


# --- what the deck says is true -----------------------------------------------------------

class DeckFacts:
    """The deck's true sentences, to tell a wrong option from one that is also right.

    Each card contributes its statement, claim, explanation and (basic) its prompt with its answer.
    A word is *distinctive* when few cards use it (at most max(2, 15 %) of them), so shared words
    such as the deck's main subjects do not make two sentences look related.
    """

    RELATED_WORDS = 2  # distinctive words a sentence must share with a stem to be about its subject

    def __init__(self, cards: Sequence[QuizCard]):
        self.cards = list(cards)
        self.by_group: dict[str, list[QuizCard]] = {}
        for card in self.cards:
            self.by_group.setdefault(card.fact_group, []).append(card)
            if card.note_group != card.fact_group:
                self.by_group.setdefault(card.note_group, []).append(card)
        self.sentences: list[tuple[QuizCard, str, set[str]]] = []
        df: Counter = Counter()
        for card in self.cards:
            words: set[str] = set()
            for text in self.texts(card):
                for sentence in _SENTENCE_END.split(text):
                    found = subject_words(sentence)
                    words |= found
                    self.sentences.append((card, sentence, found))
            df.update(words)
        self.articles = ArticleUse(self.cards)  # how the deck writes its terms: with an article or bare
        limit = max(2, int(0.15 * len(self.cards)))
        self.distinctive = {w for w, n in df.items() if n <= limit}
        # words the deck writes with a capital in mid-sentence: names ("Chinese", "Taiwan")
        self.proper = {m.group(1).casefold() for card in self.cards for text in (*self.texts(card), card.prompt)
                       for m in re.finditer(r"(?<=[a-z,;] )([A-Z][\w'-]*)", text or "")}

    @staticmethod
    def texts(card: QuizCard) -> list[str]:
        basic = f"{card.prompt} {card.answer}" if card.type == "basic" else None
        return [t for t in (card.statement, card.claim, card.explanation, basic) if t]

    def siblings(self, card: QuizCard) -> list[QuizCard]:
        group = {c.id: c for c in self.by_group.get(card.fact_group, []) + self.by_group.get(card.note_group, [])}
        return [c for c in group.values() if c.id != card.id]

    def related(self, stem: str, sentence_words: set[str]) -> bool:
        shared = subject_words(stem) & sentence_words & self.distinctive
        return len(shared) >= self.RELATED_WORDS

    def also_true(self, card: QuizCard, option: str, stem: str) -> str | None:
        """Why `option` would also be a right answer to `stem` according to the deck, or None."""
        if any(dx.same_option(option, a) for a in card.accepted if a):
            return f"'{option}' is the answer or an accepted variant"
        for other in self.siblings(card):
            if any(dx.same_option(option, a) for a in other.accepted if a):
                return f"'{option}' is the answer of '{other.id}', a card of the same fact"
        if any(mentions(text, option) for text in self.texts(card)):
            return f"'{option}' appears in the card's own statement or explanation"
        for other, sentence, words in self.sentences:
            if other.id != card.id and mentions(sentence, option) and self.related(stem, words):
                return f"'{option}' is also true according to '{other.id}': \u201c{sentence.strip()}\u201d"
        return None

    def also_said_by(self, card: QuizCard, speaker: str) -> str | None:
        """Why `speaker` could also be said to have made `card`'s claim, or None."""
        if dx.same_option(speaker, card.speaker or ""):
            return f"'{speaker}' is the speaker"
        if any(names_speaker(text, speaker) for text in self.texts(card)):
            return f"the card's own text names '{speaker}'"
        for other, sentence, _ in self.sentences:  # the deck ties the two sources (a co-author and his report)
            if card.speaker and names_speaker(sentence, speaker) and names_speaker(sentence, card.speaker):
                return f"'{other.id}' names '{speaker}' together with '{card.speaker}'"
        claim_words = subject_words(card.claim or "") & self.distinctive
        for other in self.cards:
            if other.id == card.id or not other.speaker or not dx.same_option(other.speaker, speaker):
                continue
            for text in (other.claim, other.statement):
                if not text:
                    continue
                if (fuzz.token_set_ratio(fold(text), fold(card.claim or "")) >= 80
                        or len(claim_words & subject_words(text)) >= 3):
                    return f"'{speaker}' says much the same in '{other.id}'"
        return None


# --- one option ---------------------------------------------------------------------------

def option_kind_flaw(card: QuizCard, option: str, *, form: bool = True) -> str | None:
    """Why `option` is not of the answer's kind and form, or None (`form=False`: a value put into a
    sentence, whose capital follows the sentence)."""
    category, answer = card.category, card.answer
    if not option.strip() or "{{" in option or _GAP.search(option) or option.rstrip().endswith("?"):
        return f"'{option}' is not an answer"
    numbers, answer_numbers = dx.written_numbers(option), dx.written_numbers(answer)
    if category == "year":
        wanted_decade = any(n.decade for n in answer_numbers)
        if not any((n.is_year or n.decade) and n.decade == wanted_decade for n in numbers):
            return f"'{option}' is not a {'decade' if wanted_decade else 'year'}"
    elif category == "number":
        if not numbers and not (not answer_numbers and normalise(option).numbers):  # in words: "ten to twelve days"
            return f"'{option}' is not a figure"
        if ("%" in answer or "per cent" in answer) != ("%" in option or "per cent" in option):
            return f"'{option}' and the answer are not both percentages"
    elif category == "date":
        if not numbers and not (set(fold(option).split()) & MONTHS):
            return f"'{option}' is not a date"
    elif category in NAME_CATEGORIES or category == "term":
        if len(option.split()) > max(MAX_TYPED_WORDS, len(answer.split()) + 2):
            return f"'{option}' is too long for a {category}"
        if bool(numbers) != bool(answer_numbers) and category != "event":
            return f"'{option}' and the answer are not the same kind of {category}"
        if category in NAME_CATEGORIES and _starts_upper(answer) and not _starts_upper(option):
            return f"'{option}' is not a name"
        if category == "place" and quiztext.place_sort(option) != quiztext.place_sort(answer):
            return f"'{option}' is not the same sort of place as '{answer}'"
        if category == "person" and form and (len(option.split()) == 1) != (len(answer.split()) == 1):
            return f"'{option}' and '{answer}' are not written in the same form (a full name, a single name)"
        if category in NAME_CATEGORIES and ("," in option) != ("," in answer):
            return f"'{option}' and '{answer}' are not written in the same form"
    elif category in LONG_CATEGORIES:
        if not length_fits(option, answer):
            return f"'{option}' is much longer or shorter than the answer"
    if form and category in LONG_CATEGORIES | {"term"} and _starts_upper(option) != _starts_upper(answer):
        return f"'{option}' is not written in the same form as the answer (a sentence or a phrase)"
    return None


def source_form_flaw(option: str, speaker: str) -> str | None:
    """Why a who-said option is not written like the speaker's name (a name, no added description)."""
    if (not _starts_upper(option) or len(option.split()) > MAX_TYPED_WORDS or ("," in option) != ("," in speaker)
            or option.rstrip().endswith((".", "?"))):
        return f"'{option}' is not written like the name '{speaker}'"
    return None


def stem_fit_flaw(card: QuizCard, option: str, stem: str) -> str | None:
    """Why `option` does not read in the stem: a gap mid-sentence takes the answer's case, and a gap
    after "a"/"an" an option that starts like the answer (vowel or not); a name the stem already has is
    no option ("[…], Le Medec and Wyatt were charged": not "Frederick Wyatt")."""
    if card.category in NAME_CATEGORIES and names_in(f"{card.context}\n{stem}", option, person=card.category == "person"):
        return f"'{option}' is already named in the question"
    gap = _GAP.search(stem or "") if card.type == "cloze" else None
    if gap is None:
        return None
    before = stem[:gap.start()]
    if card.category == "term" and re.match(r"\s*(?:[.,;:!?)\"\u201d]|$)", stem[gap.end():]) \
            and quiztext.plural(option) != quiztext.plural(card.answer) \
            and option not in card.distractors:  # the gap is the noun, not a modifier; the author's own options read
        return f"'{option}' and '{card.answer}' are not both singular or both plural"
    if re.search(r"\b(?:aged|age of)\s*$", before) and any(n.value > 100 for n in dx.written_numbers(option)):
        return f"'{option}' is no one's age"
    mid_sentence = bool(re.search(r"[\w,;:]\s*$", before))
    if (card.category not in NAME_CATEGORIES and mid_sentence and not option[:1].isdigit()
            and _starts_upper(option) != _starts_upper(card.answer)):
        return f"'{option}' does not read in the sentence"
    if re.search(r"(?<!\w)an?\s*$", before, re.IGNORECASE):
        vowel = lambda text: text.strip()[:1].lower() in "aeiou"  # noqa: E731
        if vowel(option) != vowel(card.answer):
            return f"'{option}' does not follow the article before the gap"
    return None


def stem_kind_flaw(card: QuizCard, stem: str) -> str | None:
    """Why the stem's wording asks for another kind of answer than the card's, or None."""
    if card.type != "basic" or not card.category:
        return None
    for pattern, kinds in _STEM_KINDS:
        if pattern.search(stem or ""):
            return None if card.category in kinds else (
                f"the question asks for a {'/'.join(sorted(kinds))}, the answer is a {card.category}")
    return None


def typing_flaw(card: QuizCard) -> str | None:
    """Why the card's answer cannot fairly be typed and graded, or None."""
    words = len(card.answer.split())
    if not words:
        return "there is no answer to type"
    if card.category in LONG_CATEGORIES or card.asks_why or words > MAX_TYPED_WORDS:
        return "the answer is a sentence: too long to type"
    if (len(normalise(card.answer).words) > 2 and not card.alternatives and card.category not in NAME_CATEGORIES
            and card.category not in NUMERIC_CATEGORIES):
        return "a phrase of three or more words with no other accepted form has too many right wordings to grade"
    return None


def gives_away(stem: str, card: QuizCard) -> str | None:
    for value in card.accepted:  # the stem, or the card's context line shown above it
        for where, text in (("stem", stem), ("context line", card.context)):
            if value and text and mentions(text, value):
                return f"the {where} contains its answer '{value}'"
    return None


# --- one question -------------------------------------------------------------------------

def check_question(question: Question, card: QuizCard, facts: DeckFacts) -> list[Flaw]:
    """Every flaw of one question (an empty list: the question may be shown)."""
    flaws: list[Flaw] = []
    add = lambda check, message: flaws.append(Flaw(check, message))  # noqa: E731
    stem = stem_of(question, card)
    if question.card_id != card.id:
        add("card", f"the question is about '{question.card_id}', not '{card.id}'")
    if _NEEDS_CONTEXT.search(stem or ""):
        add("context", f"the stem points back to text the learner does not see: \u201c{stem[:40]}\u2026\u201d")
    if question.type in CHOICE_TYPES:
        options = question.options
        if len(options) != OPTION_COUNT:
            add("options", f"{len(options)} options instead of {OPTION_COUNT}")
        if sum(1 for o in options if o == question.answer) != 1:
            add("options", "the answer is not among the options exactly once")
        for i, a in enumerate(options):
            if any(dx.same_option(a, b) for b in options[i + 1:]):
                add("options", f"'{a}' is offered twice (after normalising)")
        wrong = [o for o in options if o != question.answer]
    else:
        wrong = []
    if question.type == "multiple_choice":
        if card.asks_why or not card.category:
            add("kind", "a multiple-choice question needs an answer kind (a why-question is a reason question)")
        for option in options:
            if problem := (option_kind_flaw(card, option) or stem_fit_flaw(card, option, stem)
                           or facts.articles.flaw(card, option, stem)):
                add("kind", problem)
        if problem := stem_kind_flaw(card, stem):
            add("kind", problem)
    if question.type == "reason":
        if not card.asks_why:
            add("kind", "a reason question needs a card that asks why")
        for option in wrong:
            if not length_fits(option, card.answer):
                add("kind", f"'{option}' is much longer or shorter than the answer")
    if question.type in ("multiple_choice", "reason"):
        for option in wrong:
            if reason := facts.also_true(card, option, stem):
                add("also-true", reason)
        if reason := gives_away(stem, card):
            add("give-away", reason)
        if (card.asks_why or card.category in LONG_CATEGORIES | {"term"}) and (cue := length_cue(question.answer, wrong)):
            add("length", f"the answer is the {cue} option by far: its length gives it away")
    if question.type == "typed":
        if question.options:
            add("options", "a typed question has no options")
        if problem := typing_flaw(card):
            add("kind", problem)
        if reason := gives_away(stem, card):
            add("give-away", reason)
        if problem := stem_kind_flaw(card, stem):
            add("kind", problem)
    if question.type == "who_said":
        if not card.claim or not card.speaker or question.answer != card.speaker:
            add("who-said", "a who-said question needs the card's speaker and claim")
        elif names_speaker(card.claim, card.speaker) or names_speaker(card.context, card.speaker):
            add("give-away", f"the claim or the card's context line names its speaker '{card.speaker}'")
        if card.claim and (card.claim.rstrip().endswith("?") or card.claim not in question.prompt):
            add("who-said", "the stem does not quote the card's claim as a statement")
        for option in wrong:
            if reason := facts.also_said_by(card, option):
                add("also-true", reason)
            if problem := source_form_flaw(option, card.speaker or ""):
                add("kind", problem)
    if question.type == "true_false":
        flaws += _true_false_flaws(question, card, facts)
    return flaws


def _true_false_flaws(question: Question, card: QuizCard, facts: DeckFacts) -> list[Flaw]:
    flaws: list[Flaw] = []
    statement, truth = question.statement or "", card.statement or ""
    if question.options != ["True", "False"] or question.answer not in ("True", "False"):
        flaws.append(Flaw("options", "a true/false question offers True and False"))
    if not truth or statement.rstrip().endswith("?") or (card.type == "basic" and card.prompt in statement):
        flaws.append(Flaw("statement", "the statement is not a plain sentence of the card's fact"))
        return flaws
    if question.answer == "True":
        if fold(statement) != fold(truth):
            flaws.append(Flaw("statement", "a 'True' statement must be the card's own statement"))
        return flaws
    if any(mentions(statement, a) for a in card.accepted if a):
        flaws.append(Flaw("statement", "the false statement still states the right answer"))
    value = swapped_part(statement, truth)
    if not value.strip():
        flaws.append(Flaw("statement", "the false statement is the true one"))
    elif problem := (option_kind_flaw(card, value, form=False) or stem_fit_flaw(card, value, truth)
                     or facts.articles.swap_flaw(card, value, truth)):
        flaws.append(Flaw("kind", problem))
    elif reason := facts.also_true(card, value, truth):
        flaws.append(Flaw("also-true", reason))
    return flaws


# --- a quiz -------------------------------------------------------------------------------

def specific(answer: str) -> bool:
    """An answer worth hiding from the rest of a quiz: a figure, a name or a phrase of 3+ words."""
    norm = normalise(answer)
    bare = re.sub(r"^(the|a|an)\s+", "", answer.strip(), flags=re.IGNORECASE)
    return bool(norm.numbers) or _starts_upper(bare) or len(norm.words) >= 3


def check_quiz(questions: Sequence[Question], cards: dict[str, QuizCard],
               types: Iterable[str] | None = None) -> list[Flaw]:
    """Flaws of a whole quiz: one fact or note twice, an unasked type, a stem giving another away."""
    flaws: list[Flaw] = []
    allowed = set(types) if types is not None else None
    facts: dict[str, str] = {}
    notes: dict[str, str] = {}
    for q in questions:
        card = cards[q.card_id]
        if allowed is not None and q.type not in allowed:
            flaws.append(Flaw("types", f"'{q.card_id}' is asked as {q.type}, which was not asked for"))
        for seen, key, what in ((facts, card.fact_group, "fact"), (notes, card.note_group, "note")):
            if key in seen:
                flaws.append(Flaw("siblings", f"'{q.card_id}' and '{seen[key]}' test one {what}"))
            seen[key] = q.card_id
    for q in questions:
        card = cards[q.card_id]
        if not specific(card.answer):
            continue
        for other in questions:
            shown = f"{cards[other.card_id].context}\n{stem_of(other, cards[other.card_id])}"
            if other is not q and mentions(shown, card.answer):
                flaws.append(Flaw("give-away", f"'{other.card_id}' shows the answer of '{q.card_id}'"))
    return flaws
