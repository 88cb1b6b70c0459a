"""What a card leans on that the older checks let through (pure; round 9, issue 10).

* **A role noun is no referent** (`role_before`): "As a woman she could not join ..." does not say who she is; only
  a definite or owned role noun ("her father ... him") names someone.
* **A purpose's object** (`purpose_object`): a why card asks "Why did Eisenhower send soldiers of the 101st Airborne
  Division?" and answers "To escort them inside". The infinitive's understood subject is the verb's subject or
  object (the soldiers escort), so its "them" is never that subject or object (that would be "themselves"); when the
  question names nothing else it could be, what "them" stands for was in the part of the sentence the question left
  off.

These are rules of English grammar, not any text's words.
"""
from __future__ import annotations

import re

_OBJECTS = {"it": False, "them": True, "him": None, "her": None}  # pronoun -> plural (None: a person)


def purpose_object(sent, fields: dict) -> str | None:
    """The object pronoun of a why card's purpose answer ("To escort them inside") that nothing in the question can
    stand for: only the controller of the infinitive (the asking verb's subject or object) fits it, or nothing."""
    answer, question = fields.get("answer") or "", fields.get("prompt") or ""
    if not answer.startswith("To "):
        return None
    words = set(re.findall(r"[\w'-]+", question))
    for m in re.finditer(r"\b(it|them|him|her)\b", answer):
        word = m.group(1)
        tok = next((t for t in sent.tokens if t.lower_ == word and t.dep_ in ("dobj", "pobj", "dative")), None)
        if tok is None:
            continue
        verb = tok.head if tok.dep_ != "pobj" else tok.head.head
        if verb.dep_ not in ("advcl", "xcomp", "acl", "relcl") or verb.tag_ != "VB":
            continue  # not an infinitive of purpose
        ruled = {u.i for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj") for u in c.subtree}
        plural = _OBJECTS[word]
        fits = [t for t in sent.tokens if t.i < tok.i and t.i not in ruled and t.text in words
                and (t.pos_ == "PROPN" and t.ent_type_ != "PERSON" and plural is not None
                     or t.pos_ == "NOUN" and (plural is None or (t.tag_ == "NNS") == plural)
                     or plural is None and t.ent_type_ == "PERSON")]
        if not fits:
            return m.group(1)
    return None


def demonstrative_subject(sent, quoted: set[int]):
    """A "this"/"that"/"these"/"those" standing alone as a subject of the main clause, outside quotation marks ("That
    is real harm", "Within an hour these reach the liver"): what it stands for is in the sentence before. Not "those
    who ..." or "those of ...", which say which."""
    root = sent.tokens.root
    for t in sent.tokens:
        if t.lower_ in ("this", "that", "these", "those") and t.pos_ == "PRON" and t.tag_ == "DT" \
                and (t.dep_ in ("nsubj", "nsubjpass") or t.dep_ == "dobj" and t.lower_ != "that") and t.i not in quoted \
                and (t.head == root or t.head.dep_ == "conj" and t.head.head == root) \
                and not any(c.dep_ in ("relcl", "acl", "prep") for c in t.children):
            return t
    return None


def both_alone(sent, quoted: set[int]):
    """A "both" standing alone for "the two" without naming them in its sentence ("installed both during five
    spacewalks"): not "both X and Y", "both of the ...", nor "both sides" (a pair the noun names)."""
    for t in sent.tokens:
        if t.lower_ == "both" and t.i not in quoted and t.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") \
                and not any(u.lower_ == "and" and u.i > t.i for u in sent.tokens) \
                and not any(c.lower_ == "of" for c in t.children):
            return t
    return None


def aside(child) -> bool:
    """A phrase or clause after a noun set off by a comma, which does not say which one ("these measures, together with
    better drugs, cut ...", "that bottle, sold in corner shops for a few pounds, was ...")."""
    return child.dep_ in ("prep", "acl", "relcl") and child.left_edge.i > 0 and child.doc[child.left_edge.i - 1].text == ","


def role_before(head: str, gender: str, roles: dict[str, str], names: list[str]) -> bool:
    """A role noun of the gender that names someone on the card before the pronoun: an owned or definite one ("her
    father ... him", "the widow ... she"), or an indefinite one said of a person named after it ("As a boy Frederick
    Douglass was sent ... teaching him"); not a kind said of the pronoun's own person ("As a woman she could not join
    ...") nor anyone at all ("an honour it had never given a woman. ... named her")."""
    for m in re.finditer(r"(\w+)\s+(?=(\w+)\b)", head):
        if roles.get(m.group(2).lower()) != gender:
            continue
        if m.group(1).lower() not in ("a", "an") or any(n and n in head[m.end():] for n in names):
            return True
    return False


_AGENT_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent|male)$")


def agent(noun, roles: dict[str, str]) -> bool:
    """A common noun that can own a "his"/"her": a person's role ("the mother"), a noun naming the person beside it
    ("The economist Marc Levinson"), or one of the English agent nouns by their ending ("the astronomer", "the
    president", "the male"). Not "The final blow came in July 1214, when his allies were defeated": whose allies?"""
    return noun.lemma_.lower() in roles or bool(_AGENT_SUFFIX.search(noun.lemma_.lower())) \
        or any(t.ent_type_ == "PERSON" for t in noun.subtree)


_ASPECT = frozenset({"begin", "start", "end", "finish", "continue", "resume", "stop", "cease", "halt", "follow"})


def bare_event(sent):
    """The subject of a verb that says a thing began or ended ("Construction began at Rome on 4 July 1817",
    "Work resumed in May") when it is a bare singular noun with nothing to say of what: what was built is in the
    sentence before."""
    root = sent.tokens.root
    if root.lemma_.lower() not in _ASPECT:
        return None
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ != "NOUN" or subj.tag_ != "NN" or subj.ent_type_ or any(
            c.dep_ != "punct" for c in subj.children):  # "American work began in 1904" says whose
        return None
    return subj
