"""Sentence boundaries for `nlp`: spaCy's sentences, repaired (pure; works on a parsed spaCy Doc).

* a quotation tail split off ('..." he said.'), a piece starting in lower case or of two tokens or
  fewer, and a piece after one that does not end a sentence are joined to the sentence before;
* initials: a token made only of capital initials ("A.A.L.", "R.") ends a sentence when the next
  word is capitalised but no name ("..., A.A.L. Her later years ..."), and does not end one when the
  next word is a name ("J. R. R. | Tolkien"), whatever the model decided; but a capital letter that the
  text elsewhere uses as the end of a name without a full stop ("the Model T was ...") ends a sentence
  before a capitalised word ("... introduced the Model T. | Henry Ford wanted ...");
* a court case's "v." ("In Plessy v. Ferguson the court ...") ends no sentence.
"""
from __future__ import annotations

import re

_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
_ENDS = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s*$")
_CASE = re.compile(r"\b[A-Z][\w'\u2019-]* vs?\.\s*$")  # "Plessy v." | "Ferguson": a court case's name goes on


def _open_quote(text: str) -> bool:
    return text.count("\u201c") > text.count("\u201d") or text.count('"') % 2 == 1


def _is_initials(token) -> bool:
    return bool(_INITIALS.match(token.text))


def _starts_sentence(token) -> bool:
    """A capitalised word after initials that begins a new sentence, not the name they belong to."""
    return token.text[:1].isupper() and token.pos_ not in ("PROPN", "PUNCT", "NUM")


def lettered_names(text: str) -> frozenset[str]:
    """Names that end in a capital letter with no full stop after it somewhere in the text ("Model T")."""
    return frozenset(re.findall(r"\b[A-Z][a-z]+ [A-Z](?![.\w'\u2019-])", text))


def _name_end(token, names: frozenset[str]) -> bool:
    """ "T." of "the Model T." when the text also writes "Model T" without the full stop."""
    return token.i > 0 and len(token.text) == 2 and _is_initials(token) \
        and f"{token.nbor(-1).text} {token.text[0]}" in names


def _pieces(doc, names: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """spaCy's sentences, split after initials that end a sentence."""
    out = []
    for sent in doc.sents:
        a = sent.start
        for token in sent[:-1]:
            nxt = doc[token.i + 1]
            if _is_initials(token) and token.i + 1 > a + 2 and (_starts_sentence(nxt) or _name_end(token, names)
                                                                 and nxt.text[:1].isupper()):
                out.append((a, token.i + 1))
                a = token.i + 1
        out.append((a, sent.end))
    return out


def sentence_spans(doc, names: frozenset[str] = frozenset()) -> list[list[int]]:
    """Token index ranges [start, end) of the sentences of a parsed block (`names`: `lettered_names`)."""
    spans: list[list[int]] = []
    for a, b in _pieces(doc, names):
        sent = doc[a:b]
        piece = sent.text.strip()
        if not piece:
            continue
        prev = doc[spans[-1][0]:spans[-1][1]] if spans else None
        prev_text = prev.text if prev is not None else ""
        tail = piece[:1].islower() or len(sent) <= 2 or len(piece.split()) <= 12  # '..." he said.'
        initials = prev is not None and _is_initials(prev[-1]) and sent[0].pos_ == "PROPN" and not _name_end(prev[-1], names)
        if spans and (_open_quote(prev_text) and (tail or len(prev_text.split()) + len(piece.split()) <= 50)
                      or piece[:1].islower() or len(sent) <= 2 or initials or _CASE.search(prev_text)
                      or not _ENDS.search(prev_text)):
            spans[-1][1] = b
        else:
            spans.append([a, b])
    return spans
