"""Terms a sentence names as the answer to a description (pure; round 12, helper R12), beside `cardgen_terms`.

Two English constructions put a term where a quiz asks for it, and the small model finds no entity there:

* **a specified description, then "is" and the term** (a specificational copula): "The process that makes
  the whole system work is osmosis", "What limits the speed is friction": the subject is a definite noun
  narrowed by a relative clause, an infinitive or an "of" phrase, or a free relative "What ...", and the
  complement after "is"/"was" is a bare noun phrase (no determiner: "is a cold mixture" describes, it does
  not name). The term is the complement's noun with the nouns and adjectives written before it;
* **an indefinite description, then "the" and its name** in apposition: "pumps a special liquid, the
  coolant, through ...": "a/an ... NOUN, the TERM," where TERM is one to three lower-case words ending in a
  noun, closed by a comma (`cardgen_terms` already takes a bare appositive and a capitalised name).

Each is a (first token, last token, strong) span as `cardgen_terms2.spans` gives; none is strong (a name or
number the model found stays).

A third, `long_names`: a name in title case joined by small words ("the Nobel Prize in Physiology or Medicine",
"a book titled A Feeling for the Wild", "the Protection of Birds Act") that the model left untagged or cut
into pieces is one name: a law when its words say so, an organisation when a body word does, else a term.
"""
from __future__ import annotations

from .nlp_kinds import LAW_HEAD, ORG_WORDS, PLACE_WORDS, TITLE_OF, says_its_kind
from .nlp_people import TITLES

_PEOPLE_WORDS = frozenset({"man", "woman", "person", "people", "men", "women", "leader", "king", "queen", "boy",
                           "girl", "child", "friend", "wife", "husband", "son", "daughter", "father", "mother"})
_NARROWING = frozenset({"relcl", "acl", "prep"})
_LINKS = frozenset({"of", "in", "or", "for", "the"})
_NUMBERS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})


def _phrase(noun) -> list:
    """The noun with the compound nouns and adjectives right before it ("latent heat", "reverse osmosis")."""
    words = [noun]
    while words[0].i > 0 and (left := words[0].nbor(-1)).head == noun and left.dep_ in ("compound", "amod") \
            and left.pos_ in ("NOUN", "ADJ", "PROPN") and left.is_alpha:
        words.insert(0, left)
    return words


def _lower_words(words) -> bool:
    return all(w.text.islower() and w.is_alpha for w in words) and not any(w.ent_type_ for w in words)


def _specified(sent) -> list[tuple[object, object, bool]]:
    """"The trick that makes X possible is evaporation": the bare complement of a specificational "is"."""
    root = sent.tokens.root
    if root.lemma_ != "be" or root.pos_ != "AUX":
        return []
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "csubj") and c.i < root.i), None)
    attr = next((c for c in root.children if c.dep_ == "attr" and c.i > root.i), None)
    if subj is None or attr is None or attr.pos_ != "NOUN" or attr.tag_ not in ("NN", "NNS"):
        return []
    if subj.dep_ == "csubj":
        if not any(t.lower_ == "what" and t.i == subj.left_edge.i for t in subj.subtree):
            return []
    elif not (subj.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children)
              and any(c.dep_ in _NARROWING and c.i > subj.i for c in subj.children)
              and subj.lemma_.lower() not in _PEOPLE_WORDS | ORG_WORDS | PLACE_WORDS):
        return []
    if any(c.dep_ in ("det", "poss", "nummod", "prep", "relcl", "acl") for c in attr.children):
        return []  # "is a mixture", "is the spread of ...": a description, not the term
    words = _phrase(attr)
    if not _lower_words(words) or len(words) > 4:
        return []
    return [(words[0], words[-1], False)]


def _indefinite_appos(sent) -> list[tuple[object, object, bool]]:
    """"a special fluid, the refrigerant, through ...": the name after an indefinite description."""
    out = []
    for tok in sent.tokens:
        if tok.dep_ != "appos" or tok.pos_ != "NOUN" or tok.i + 1 >= sent.tokens.end or tok.nbor(1).text != ",":
            continue
        noun = tok.head
        if noun.pos_ != "NOUN" or noun.i >= tok.i or noun.lemma_.lower() in _PEOPLE_WORDS | ORG_WORDS | PLACE_WORDS \
                or not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children):
            continue
        words = _phrase(tok)
        det = words[0].nbor(-1)
        if det.lower_ != "the" or det.head != tok or det.nbor(-1).text != "," or det.i - 2 != noun.i \
                or len(words) > 3 or not _lower_words(words) or any(c.i > tok.i for c in tok.children if c.dep_ != "punct"):
            continue
        out.append((words[0], words[-1], False))
    return out


def spans(sent) -> list[tuple[object, object, bool]]:
    """(first token, last token, strong) for the terms above in the sentence."""
    return _specified(sent) + _indefinite_appos(sent)


def _capital(tok) -> bool:
    return tok.is_alpha and (tok.text.istitle() or tok.text.isupper() and len(tok.text) > 1)


def _joins(toks, k: int) -> bool:
    """Whether toks[k] is a small word inside a title-case name: "of", "for", "or", "in" before a capitalised
    word ("the" only after "of"/"for": "Wealth of the Nations"); not "in" before a place ("Institute in Paris":
    a name and where it is) nor "and"/"to", which join two names."""
    word = toks[k]
    if k + 1 >= len(toks) or not word.text.islower() or word.lower_ not in _LINKS:
        return False
    nxt = toks[k + 1]
    if word.lower_ == "the":
        return toks[k - 1].lower_ in ("of", "for") and _capital(nxt)
    if word.lower_ == "in" and nxt.ent_type_ in ("GPE", "LOC", "FAC", "NORP"):
        return False
    return _capital(nxt) or nxt.lower_ == "the" and word.lower_ in ("of", "for") and k + 2 < len(toks) and _capital(toks[k + 2])


def long_names(sent, entities: list, make) -> list:
    """The sentence's entities with each long title-case name (two capitalised words or more around a small
    word) made one entity; a name the model already found whole, a person's title ("Duke of ...") or a run
    that starts the sentence are left alone."""
    toks, k, out = list(sent.tokens), 1, list(entities)
    while k < len(toks):
        if not _capital(toks[k]) or toks[k].lower_ in TITLES:
            k += 1
            continue
        end = k
        while end + 1 < len(toks) and (_capital(toks[end + 1]) or _joins(toks, end + 1)):
            end += 1
        run, k = toks[k:end + 1], end + 1
        capitals = [t for t in run if _capital(t)]
        if len(capitals) < 2 or not any(t.lower_ in _LINKS and t.text.islower() for t in run) or len(run) > 8 \
                or any(t.ent_type_ in _NUMBERS or t.ent_type_ == "PERSON" for t in run):
            continue
        a, b = sent.token_start(run[0]), sent.token_end(run[-1])
        clash = [e for e in out if e.start < b and a < e.end]
        name = sent.tokens.doc.text[run[0].idx:run[-1].idx + len(run[-1].text)]
        if len(clash) > 1 or any(e.start < a or e.end > b or (e.start, e.end) == (a, b) for e in clash) or TITLE_OF.match(name):
            continue  # two names ("the Great Plains of the United States"), one found whole or reaching past, an office
        label = "LAW" if LAW_HEAD.search(name) else "ORG" if says_its_kind(name) else "TERM"
        out = [e for e in out if e not in clash] + [make(a, b, label, name)]
    return sorted(out, key=lambda e: (e.start, e.end))
