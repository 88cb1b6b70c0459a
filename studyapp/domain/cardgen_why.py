"""Why cards: a reason and what it explains, from a causal sentence's parse (pure).

Markers: "because" / "partly because" / "because of", "due to", "as a result of", "in order to",
"so that", "so" between two clauses ("A, so B": A is the reason for B), and a sentence opening with
"As a result," (the reason is the sentence before). The card asks "Why ...?" about the clause the
reason explains when the parse gives a clean question (`cardgen_ask.invert`), and is otherwise a
cloze of the reason ("... because {{c1::a blockade was an act of war}}.").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import cardgen_ask as ask
from .nlp import Sentence

MIN_REASON_WORDS = 3
MAX_REASON_WORDS = 30


@dataclass(frozen=True)
class Why:
    sentence: Sentence
    start: int            # the reason's offsets in the whole text (a cloze deletes exactly this)
    end: int
    answer: str           # "Because he feared ...", "To make them grow faster"
    question: str | None  # "Why did Kennedy reject an immediate attack?" (None: make a cloze)
    source_start: int     # the source (the sentence, or the one before it too for "As a result,")


def _span(sent: Sentence, tokens) -> tuple[int, int]:
    tokens = sorted((t for t in tokens if not t.is_space), key=lambda t: t.i)
    for n, t in enumerate(tokens[:-1]):  # a trailing ", which ..." is the writer's aside
        if t.text == "," and tokens[n + 1].lower_ in ("which", "who", "while", "whereas"):
            tokens = tokens[:n]
            break
        rest = tokens[n + 2:]
        if t.text == "," and tokens[n + 1].lower_ in ("and", "but") and any(
                u.dep_ in ("nsubj", "nsubjpass") and u.head in rest and u.head.dep_ == "conj" for u in rest):
            tokens = tokens[:n]  # "so that the leaks were hidden, and families collected ...": another clause
            break
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    if len(tokens) > 2 and tokens[0].pos_ == "ADV" and tokens[1].text == ",":
        tokens = tokens[2:]  # a list marker or connective: "First, there were substitutes"
    if not tokens:
        return 0, 0
    return sent.token_start(tokens[0]), sent.token_end(tokens[-1])


def _sentence_text(text: str, a: int, b: int) -> str:
    return " ".join(text[a:b].split())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _finds(sent: Sentence):
    """(marker tokens, reason tokens, explained verb, answer prefix) for each causal link."""
    doc = sent.tokens
    for tok in doc:
        low = tok.lower_
        nxt = tok.nbor(1).lower_ if tok.i + 1 < doc.end else ""
        if low == "because" and nxt == "of":
            of = tok.nbor(1)
            obj = next((c for c in of.children if c.dep_ == "pobj"), None)
            if obj is not None:
                yield [tok, of], list(obj.subtree), tok.head, "Because of "
        elif low == "because" and tok.dep_ == "mark" and tok.head.dep_ == "advcl":
            marks = [tok] + [t for t in tok.head.children if t.dep_ == "advmod" and t.i == tok.i - 1]
            reason = [t for t in tok.head.subtree if t not in marks]
            yield marks, reason, tok.head.head, "Because "
        elif low in ("due", "result") and nxt == "to" or low == "result" and nxt == "of":
            if low == "result" and not (tok.i >= 2 and doc.doc[tok.i - 2].lower_ == "as"):
                continue
            to = tok.nbor(1)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            head = tok.head if low == "due" else doc.doc[tok.i - 2].head
            if obj is not None and head.pos_ in ("VERB", "AUX") and head.lemma_ != "be":
                marks = [doc.doc[tok.i - 2], doc.doc[tok.i - 1], tok, to] if low == "result" else [tok, to]
                yield marks, list(obj.subtree), head, "Because of "
        elif low == "in" and nxt == "order" and tok.i + 2 < doc.end and doc.doc[tok.i + 2].lower_ == "to":
            verb = doc.doc[tok.i + 3] if tok.i + 3 < doc.end else None
            if verb is not None and verb.pos_ == "VERB":
                reason = [t for t in verb.subtree if t.i > tok.i + 2]
                yield [tok, tok.nbor(1), doc.doc[tok.i + 2]], reason, tok.head, "To "
        elif low == "so" and nxt == "that" and tok.head.pos_ in ("VERB", "AUX"):
            clause = tok.head
            reason = [t for t in clause.subtree if t.i > tok.i + 1]
            yield [tok, tok.nbor(1)], reason, clause.head, "So that "


def _so_links(sent: Sentence):
    """"A, so B": (reason tokens A, verb of B, the "so" token)."""
    for tok in sent.tokens:
        if tok.lower_ != "so" or tok.i + 1 >= sent.tokens.end or tok.nbor(1).lower_ == "that":
            continue
        prev = tok.nbor(-1) if tok.i > sent.tokens.start else None
        verb = tok.head
        if prev is None or prev.text not in (",", "and", ";") or verb.pos_ not in ("VERB", "AUX"):
            continue
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            first = verb.head
        else:  # "A, so B" parsed with A under B
            first = next((c for c in verb.children if c.dep_ in ("ccomp", "advcl", "parataxis")
                          and c.i < tok.i and ask._subject(c) is not None), None)
            if first is None:
                continue
        reason = [t for t in ask.own_clause(first) if t.i < prev.i]
        yield reason, verb, tok


def whys(text: str, sentences: list[Sentence], index: int, he: str | None = None) -> list[Why]:
    """The why cards of sentence `index`; `he`: who a "he"/"she" subject stands for."""
    sent = sentences[index]
    out: list[Why] = []
    for marks, reason, explained, prefix in _finds(sent):
        a, b = _span(sent, reason)
        words = len(text[a:b].split())
        if not MIN_REASON_WORDS <= words <= MAX_REASON_WORDS or explained.pos_ not in ("VERB", "AUX"):
            continue
        drop = {t.i for t in reason} | {t.i for t in marks}
        clause = [t for t in ask.own_clause(explained) if t.i not in drop]
        question = ask.invert(explained, clause, "Why", he) if explained.i < marks[0].i or \
            explained.dep_ == "ROOT" else None
        answer = prefix + _sentence_text(text, a, b)
        out.append(Why(sent, a, b, answer.rstrip(".") , question, sent.start))
    for reason, verb, so in _so_links(sent):
        a, b = _span(sent, reason)
        if not MIN_REASON_WORDS <= len(text[a:b].split()) <= MAX_REASON_WORDS:
            continue
        clause = [t for t in ask.own_clause(verb) if t.i > so.i]
        question = ask.invert(verb, clause, "Why", he)
        reason_text = _sentence_text(text, a, b)
        answer = "Because " + (reason_text[:1].lower() + reason_text[1:] if reason[0].pos_ != "PROPN"
                               else reason_text)
        out.append(Why(sent, a, b, answer, question, sent.start))
    first = sent.tokens[:3].text.lower()
    if index > 0 and re.match(r"as a result,", first + ","):
        prev = sentences[index - 1]
        prev_text = _sentence_text(text, prev.start, prev.end).rstrip(".")
        root = sent.tokens.root
        clause = [t for t in ask.own_clause(root) if t.i >= sent.tokens.start + 3]
        question = ask.invert(root, clause, "Why")
        if question and prev.paragraph == sent.paragraph and \
                MIN_REASON_WORDS <= len(prev_text.split()) <= MAX_REASON_WORDS:
            out.append(Why(sent, prev.start, prev.end, "Because " + prev_text[:1].lower() + prev_text[1:],
                           question, prev.start))
    return out
