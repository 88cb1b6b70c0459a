"""Whether a wrong option reads where the answer stood, by how the deck itself uses it (pure).

Generated decks have no hand-written wrong options for their terms, so a term question draws them from the
deck's other term answers, and those are not always of the answer's sort: "latent heat" offered among
"evaporator | condenser | compressor". The deck shows the difference in its own grammar: a part is written
with an article ("through the condenser"), a quantity or a concept without one ("energy, known as latent
heat"). So an option is refused where its article use differs from the gap's:

* a gap after "the", "a", "its" ... takes an option the deck writes with an article, never one it writes bare;
* a gap after a preposition, "as", or at the start of a sentence takes an option the deck writes bare, never
  one it writes with an article ("known as condenser" does not read).

The same holds for names of places, bodies, treaties and events: a town is written bare ("died in London"), a
building or an institution with "the" ("at the Royal Observatory"). Singular terms and such names are judged (a
plural term reads bare anyway; people are written bare), and only where the gap (and
the option in its own card) is a whole noun phrase: followed by punctuation, the end, or a function word. The
card's own distractors are the author's choice for its gap and are not judged.

A true/false statement swaps a value into the card's sentence; there a capital in mid-sentence marks a name,
so a lower-case term cannot replace a capitalised answer there (or the other way round).
"""
from __future__ import annotations

import re
from typing import Sequence

from . import quiztext
from .answers import fold
from .quizcards import QuizCard
from .quiztext import GAP

DETERMINERS = frozenset("a an the this that these those its their his our your my each every another".split())
#: words after which a noun phrase stands without an article of its own
BARE_BEFORE = frozenset(("as of in on at to from with by for into onto through without about under over between "
                         "among against during via like than").split())
#: what may follow a whole noun phrase: punctuation, the end, or a function word (not a noun it would modify)
_PHRASE_END = re.compile(r"\s*(?:[.,;:!?)\"\u201d\u2019]|$|(?:of|in|on|at|to|from|with|by|for|into|inside|outside|"
                         r"and|or|but|which|that|who|where|when|while|because|is|are|was|were|has|have|had|can|"
                         r"could|will|would|may|might|must|does|did|do)\b)", re.IGNORECASE)
_LAST_WORD = re.compile(r"([A-Za-z]+)[^A-Za-z]*$")


def article_use(before: str, after: str) -> str | None:
    """"article", "bare", or None (unknown): how the noun phrase between `before` and `after` is written."""
    if not _PHRASE_END.match(after):
        return None
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ".!?:;\u2014(\"\u201c":
        return "bare"
    last = _LAST_WORD.search(stripped)
    if last is None or stripped[-1] not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        return None  # after a comma or a quote mark: could be anything
    word = last.group(1).lower()
    return "article" if word in DETERMINERS else "bare" if word in BARE_BEFORE else None


def _sides(text: str, value: str) -> tuple[str, str] | None:
    match = _found(text, value)
    return (text[:match.start()], text[match.end():]) if match else None


def _found(text: str, value: str) -> re.Match | None:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text or "", re.IGNORECASE)


def own_gap(card: QuizCard) -> tuple[str, str] | None:
    """The text before and after the card's answer in its own cloze or statement."""
    if card.type == "cloze":
        gap = GAP.search(card.prompt or "")
        if gap:
            return card.prompt[:gap.start()], card.prompt[gap.end():]
    return _sides(card.statement or "", card.answer) if card.answer else None


#: answer kinds judged: terms, and names of things other than people ("the Royal Observatory" against "London")
JUDGED_KINDS = frozenset({"term", "place", "organisation", "treaty", "event"})


def _judged(value: str) -> bool:
    """A singular term, or a name (whose final s says nothing of its number: "United States")."""
    letters = [ch for ch in value if ch.isalpha()]
    if not letters or value.strip()[:4].lower() in ("the ", "a ", "an "):
        return False  # an option that brings its own article reads anywhere an article may stand
    return letters[0].isupper() or not quiztext.plural(value)


class ArticleUse:
    """How the deck writes each of its answers judged here: with an article or bare."""

    def __init__(self, cards: Sequence[QuizCard]):
        seen: dict[str, set[str]] = {}
        for card in cards:
            if card.category not in JUDGED_KINDS or not _judged(card.answer) or (sides := own_gap(card)) is None:
                continue
            if (use := article_use(*sides)) is not None:
                seen.setdefault(fold(card.answer), set()).add(use)
        self.use = {answer: next(iter(uses)) for answer, uses in seen.items() if len(uses) == 1}

    def flaw(self, card: QuizCard, option: str, stem: str) -> str | None:
        """Why `option` does not read in the gap of `stem` (a cloze stem with its gap), or None."""
        if (card.category not in JUDGED_KINDS or option in card.distractors or not _judged(option)
                or not _judged(card.answer)):
            return None
        gap = GAP.search(stem or "")
        wanted = article_use(stem[:gap.start()], stem[gap.end():]) if gap else None
        written = self.use.get(fold(option))
        if wanted is None or written is None or wanted == written:
            return None
        if wanted == "article":
            return f"'{option}' is written without an article in the deck: it does not read after the article here"
        return f"'{option}' is written with an article in the deck: it does not read here without one"

    def swap_flaw(self, card: QuizCard, value: str, truth: str) -> str | None:
        """Why `value`, put in place of the answer in the true statement `truth`, does not read there."""
        match = _found(truth, card.answer)
        if match is None:
            return None
        before, after = truth[:match.start()], truth[match.end():]
        if (card.category == "term" and re.search(r"[\w,;:]\s*$", before)
                and starts_upper(value) != starts_upper(match.group(0))):
            return f"'{value}' does not read in mid-sentence where '{card.answer}' stood (a name and a term)"
        return self.flaw(card, value, f"{before}[\u2026]{after}")


def starts_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and letters[0].isupper()
