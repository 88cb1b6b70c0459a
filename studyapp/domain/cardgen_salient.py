"""Rare words as key terms: the concepts an article teaches that are not names (pure).

The entity cards ask about names, dates and figures; a teacher's key facts also include the article's
technical words: the drug ("artemisinin"), the disease ("scurvy"), the mechanism ("aeroelastic
flutter"). What marks such a word in any article is that it is rare in English at large: a common noun
whose frequency in general English (wordfreq's Zipf scale, a mix of books, news, web and subtitles) is
below `RARE`, once per million words. A frequent word ("liver", "bridge") is left to the entity cards:
without a name or a figure in it, a cloze of a common word is mostly guessable or trivial.

A term is the rare noun with the modifiers that make the concept ("sweet wormwood", "cerebral
malaria"), or the noun a rare modifier names ("plesiosaur skeleton" stays "plesiosaur": the rare word
is the fact). Never inside a name, a date or a figure the text already has; two terms per sentence at
most, the rarest first. The cards are made by `cardgen._entity` like the named terms (label RARE, reason "concept", category
term), so the same checks apply: too little context, the answer elsewhere in the sentence, a term used
often or in the headline. Their base score is the lowest, so they take only the room a sentence's name,
date and figure cards leave.
"""
from __future__ import annotations

import functools
import re

from .nlp import Entity

RARE = 3.0           # Zipf: once per million words of general English
PER_SENTENCE = 2
_ARGUMENT = frozenset({"dobj", "pobj", "attr", "nsubj", "nsubjpass", "appos", "conj", "oprd", "dative", "acomp"})
_MODIFIERS = frozenset({"amod", "compound"})
_UNKNOWN = frozenset({"PROPN", "ADJ", "ADV", "X"})
_NOUN_PLACE = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "compound"})  # not conj/attr: "confused and unsteady"
TECHNICAL = 4.0      # an adjective rarer than this is part of the term ("aplastic anaemia"); "severe", "new" are not
_QUOTES = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")


@functools.lru_cache(maxsize=20000)
def rarity(word: str) -> float:
    """Zipf frequency of a word in general English (0 = never seen; 7 = "the")."""
    from wordfreq import zipf_frequency  # its lists load on the first article (0.2 s)
    return zipf_frequency(word.lower(), "en")


def _rare(token) -> bool:
    """A rare common noun. The small model often tags a word it does not know as a proper noun, an
    adjective or an adverb ("isolated artemisinin/ADV"): a lower-case word in a noun's place counts."""
    if not token.is_alpha or len(token.text) < 4 or token.is_stop:
        return False
    if token.pos_ != "NOUN" and not (token.pos_ in _UNKNOWN and token.is_lower and token.dep_ in _NOUN_PLACE):
        return False
    if any(c.dep_ == "nummod" for c in token.children) or token.i and token.nbor(-1).pos_ == "NUM":
        return False  # a unit after a number ("two micrometres", "60 centimetres"): the figure is the fact
    if token.dep_ == "nsubj" and token.tag_ == "NNS" and not any(c.dep_ == "det" for c in token.children):
        return False  # a bare plural subject ("Rescuers struggled", "Epidemiologists describe"): a class of people
    return max(rarity(token.text), rarity(token.lemma_)) < RARE


def _span(token) -> tuple[int, int]:
    """Token range of the term: the rare noun and the adjectives and nouns right before it."""
    first = token.i
    for child in sorted((c for c in token.lefts if c.dep_ in _MODIFIERS), key=lambda c: -c.i):
        if child.i != first - 1 or child.pos_ not in ("ADJ", "NOUN", "PROPN") or not child.is_alpha:
            break
        if child.pos_ == "ADJ" and rarity(child.text) >= TECHNICAL:
            break  # "severe anaemia" -> "anaemia", "a single landmass" -> "landmass"
        first = child.i
    return first, token.i + 1


def terms(sent) -> list[Entity]:
    """The sentence's rare non-name nouns as RARE entities, the rarest first (at most `PER_SENTENCE`)."""
    taken = [(e.start, e.end) for e in sent.entities]
    taken += [(sent.start + m.start(), sent.start + m.end()) for m in _QUOTES.finditer(sent.tokens.text)]  # quoted words
    found: list[tuple[float, Entity]] = []
    for token in sent.tokens:
        if not _rare(token) or token.ent_type_:
            continue
        head = token
        if token.dep_ == "compound" and token.head.pos_ == "NOUN":
            head = token.head  # "plesiosaur skeleton": the phrase's role is the head noun's
        if head.dep_ not in _ARGUMENT:
            continue
        first, last = _span(token)
        doc = sent.tokens.doc
        a, b = sent.token_start(doc[first]), sent.token_end(doc[last - 1])
        if any(s < b and a < e for s, e in taken):
            continue
        taken.append((a, b))
        found.append((rarity(token.text), Entity(a, b, "RARE", doc.text[doc[first].idx:doc[last - 1].idx + len(doc[last - 1].text)])))
    return [e for _, e in sorted(found, key=lambda f: (f[0], f[1].start))[:PER_SENTENCE]]
