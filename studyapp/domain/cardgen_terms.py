"""Terms a text defines by apposition or by naming (pure; round 6, helper G).

The small model finds names, not terms: "non-homologous end joining", "COBOL", "encephalitis" or a
medicine "Called Casgevy" are never entities, or are taken for a nationality or a person. A term is
what a quiz about a technical text asks most. Three English patterns make one (`add`):

* **a description, then the term** in apposition: "The quick way, non-homologous end joining, glues ...",
  "The result, COBOL, drew ...", "A rare brain disease, subacute sclerosing panencephalitis, can ...":
  the appositive is a bare noun phrase (no determiner, at most five words) after a common noun with a
  determiner;
* **the term, then a description**: "develops encephalitis, a swelling of the brain", "Cas9, an enzyme
  from ...": a bare word (no determiner, no person's name, not a place or body) followed by an
  appositive "a/an NOUN";
* **a name given**: the object of "called"/"named" that the model took for a person, body or
  nationality ("Called Casgevy, it treats ...") when the text never uses it as a person's name.

The new entity takes the label TERM (category "term"); an overlapping DATE, number or real name stays.
"""
from __future__ import annotations

from dataclasses import replace

from . import cardgen_terms2, cardgen_terms3
from .nlp_kinds import ORG_WORDS, PLACE_WORDS, kind_word

_NAMING = frozenset({"call", "name", "dub", "term", "label"})
_NUMBERS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
_KEEP = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL", "PERSON", "GPE",
                   "LOC", "FAC", "LAW", "EVENT"})
_PEOPLE = frozenset({"man", "woman", "person", "people", "scientist", "engineer", "doctor", "chemist", "physicist",
                     "leader", "president", "minister", "son", "daughter", "wife", "husband", "friend", "officer"})


_NOT_IN = ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "NUM", "PART", "PUNCT")


def _bare(words) -> bool:
    """A bare noun phrase: one to five content words (hyphens allowed), no determiner or number, no name of a
    person, place or body, written in lower case or capitals ("non-homologous end joining", "COBOL")."""
    content = [w for w in words if w.text != "-"]
    return 1 <= len(content) <= 5 and content[-1].pos_ in ("NOUN", "PROPN") and all(w.pos_ not in _NOT_IN or w.text == "-" for w in words) \
        and all(not w.ent_type_ or w.ent_type_ == "NORP" for w in words) \
        and all(w.text.islower() or w.text.isupper() or "-" in w.text or any(c.isdigit() for c in w.text)
                for w in content)


def _described(noun) -> bool:
    """A common noun with a determiner or possessive ("The quick way", "Her later language"), not a body, place
    or person noun ("the company, Sony," names a body)."""
    return noun.pos_ == "NOUN" and any(c.dep_ in ("det", "poss") for c in noun.children) \
        and noun.lemma_.lower() not in ORG_WORDS | PLACE_WORDS | _PEOPLE


def _term_spans(sent) -> list[tuple[object, object]]:
    out = []
    toks = list(sent.tokens)
    for k, tok in enumerate(toks):
        if tok.text != "," or k == 0:
            continue
        before = toks[k - 1]
        close = next((m for m in range(k + 1, min(k + 8, len(toks))) if toks[m].text in (",", ";", ".")), None)
        if close is not None and close > k + 1 and _described(before) and toks[close].text == "," \
                and _bare(toks[k + 1:close]) and close + 1 < len(toks) and toks[close + 1].pos_ in ("VERB", "AUX"):
            out.append((toks[k + 1], toks[close - 1]))  # "The quick way, non-homologous end joining, glues"
            continue
        nxt = toks[k + 1:k + 4]
        defined = nxt and nxt[0].lower_ == "the" and any(  # "appeasement, the policy of giving in"
            t.pos_ == "NOUN" and any(c.lower_ == "of" for c in t.children) for t in nxt[1:])
        if nxt and (nxt[0].lower_ in ("a", "an") or defined) \
                and any(t.pos_ == "NOUN" and t.lemma_.lower() not in _PEOPLE for t in nxt[1:]) \
                and before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("dobj", "pobj", "attr") \
                and before.tag_ not in ("NNS", "NNPS") and not any(c.dep_ in ("det", "poss") for c in before.children):
            first = before
            while first.i > toks[0].i and (first.nbor(-1).text == "-" or (first.nbor(-1).pos_ in ("NOUN", "ADJ", "PROPN")
                                                                          or first.i - 1 > toks[0].i  # "of childbed fever"
                                                                          and first.nbor(-2).pos_ in ("ADP", "DET"))
                                            and first.nbor(-1).dep_ in ("compound", "amod")):
                first = first.nbor(-1)  # "X-ray crystallography", "yellow fever"; not "developed silicosis"
            start = first.i - toks[0].i
            if _bare(toks[start:k]) and not any(c.dep_ == "conj" for t in nxt for c in t.children):
                out.append((toks[start], before))  # "develops encephalitis, a swelling of the brain"
    return out


def add(sent, entities: list, make, person_names) -> list:
    """The sentence's entities with the terms above added; `make(start, end, label, text)` builds one."""
    new, strong = [], []
    for first, last in _term_spans(sent):
        a, b = sent.token_start(first), sent.token_end(last)
        new.append(make(a, b, "TERM", sent.tokens.doc.text[first.idx:last.idx + len(last.text)]))
    for first, last, firm in [*cardgen_terms2.spans(sent, person_names), *cardgen_terms3.spans(sent)]:  # "a drug called X"
        a, b = sent.token_start(first), sent.token_end(last)
        term = make(a, b, "TERM", sent.tokens.doc.text[first.idx:last.idx + len(last.text)])
        (strong if firm else new).append(term)
    for token in sent.tokens:  # "Called Casgevy, it treats ...": a name given, no person
        if token.dep_ == "oprd" and token.head.lemma_ in _NAMING and token.pos_ == "PROPN":
            ent = next((e for e in entities if e.start <= sent.token_start(token) < e.end
                        and e.label in ("PERSON", "ORG", "NORP")), None)
            if ent is not None and ent.text not in person_names and len(ent.text.split()) == 1:
                new.append(make(ent.start, ent.end, "TERM", ent.text))
    out = cardgen_terms3.long_names(sent, entities, make)  # "the Nobel Prize in Physiology or Medicine"
    for term in strong:  # a name the text gives a thing: no person, body or place the model guessed
        clash = [e for e in out if e.start < term.end and term.start < e.end]
        if any(e.label in _NUMBERS or e.label in ("TERM", "LAW", "EVENT", "FAC") or kind_word(e.text, None)
               or e.label == "PERSON" and e.text in person_names and (e.start, e.end) == (term.start, term.end)
               for e in clash):  # "the Vienna Convention", "the River Thames" say their own kind
            continue
        out = [e for e in out if e not in clash] + [term]
    for term in new:
        clash = [e for e in out if e.start < term.end and term.start < e.end]
        if any(e.label in _KEEP and not (e.label == "PERSON" and e.text == term.text and e.text not in person_names)
               or e.label == "TERM" for e in clash):
            continue
        out = [e for e in out if e not in clash] + [term]
    return sorted(out, key=lambda e: (e.start, e.end))


def companies(sentences) -> None:
    """A one-word "person" that is the first word of a body the text names ("Ford" beside "the Ford Motor
    Company") is that body where the sentence says "it"/"its" after it or puts it after "at" ("Ford moved
    production from its plant", "labour turnover at Ford"). Changes the sentences' entities in place."""
    firsts = {e.text.split()[0] for s in sentences for e in s.entities
              if e.label == "ORG" and len(e.text.split()) > 1 and e.text.split()[-1].lower() in ORG_WORDS}
    for sent in sentences:
        changed = []
        for e in sent.entities:
            if e.label == "PERSON" and e.text in firsts:
                toks = [t for t in sent.tokens if sent.token_start(t) >= e.end]
                before = [t for t in sent.tokens if sent.token_end(t) <= e.start]
                if any(t.lower_ in ("it", "its") for t in toks) or before and before[-1].lower_ == "at":
                    e = replace(e, label="ORG")
            changed.append(e)
        sent.entities = changed
