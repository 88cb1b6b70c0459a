"""More why cards (round 8, pure): causal phrases, reported reasons, reasons stated before what they explain.

* Phrases of cause or exchange before a noun: "thanks to", "owing to", "on account of", "because of" + a clause
  ("Because of X"); "in return for", "for fear of" (the answer keeps the phrase: "In return for guaranteed pay");
  "after" + an objection ("after complaints about dark mornings": "After complaints ...").
* Before a clause: "on the grounds that B" ("Because B"), "for fear that B"; a participle of saying after a clause
  (", saying/arguing/claiming that B": "Saying that B", the reason its subject gave); a "because" clause the
  parser joined as "and".
* A reason in the sentence before: "A. That/This is (one/the) reason why B.", "A. For that/this reason(,) B.",
  "A. X therefore/thus B." (the reason for B is A, as after "As a result,"), ", which is (one reason) why B" and
  ", which explains why B" in one sentence, and the text's own "Why ...?" answered by "(Part of) the answer is
  that B". The answer is A without an opening connective ("Instead", "However,"); a reason whose subject is
  "this"/"that"/"he"/"she" makes none, an "it"/"they" subject only when the question names its own subject with a
  noun (the pronoun can only be that noun), and a question with a pronoun before any noun ("their clinic") none.
* Other questions of reason: "X was caused by Y" -> "What caused X?"; "X explain Y by Z" -> "How do X explain Y?";
  "X VERBs by VERB-ing Z" -> "How does X VERB?"; "This is the point of X: B" / "The aim of X was to B" -> "What is
  the point of X?".
* `trim`: a why question leaves out a trailing ", which ..." / ", asking ..." aside.

Each returns plain tuples; `cardgen_why.whys` makes the cards (`Why`). `ROUND8 = False` turns all of it off.
"""
from __future__ import annotations

import re

from . import cardgen_ask as ask
from .nlp import Sentence

ROUND8 = True  # docs/cardgen.md, round 8

# (words, answer prefix): a noun phrase follows
_PREP_PHRASES = (
    (("thanks", "to"), "Because of "),
    (("owing", "to"), "Because of "),
    (("on", "account", "of"), "Because of "),
    (("in", "return", "for"), "In return for "),
    (("for", "fear", "of"), "For fear of "),
)
# (words, answer prefix): a clause follows ("on the grounds that it had been forced on the king")
_CLAUSE_PHRASES = (
    (("in", "order", "that"), "So that "),
    (("on", "the", "grounds", "that"), "Because "),
    (("on", "the", "ground", "that"), "Because "),
    (("for", "fear", "that"), "For fear that "),
)
# a participle of saying after a clause gives the reason its subject gave ("halted the plan, saying that ...")
_REPORTING = frozenset({"saying", "arguing", "claiming", "insisting", "complaining", "explaining"})  # not "warning": no reason
# "after" + one of these says what made someone act ("dropped the plan after opposition from ...")
_OBJECTIONS = frozenset({"complaint", "protest", "opposition", "pressure", "criticism", "objection", "outcry",
                         "lobbying", "petition", "appeal", "demand", "request", "warning"})
_CONNECTIVES = frozenset({"instead", "however", "therefore", "thus", "also", "then", "moreover", "furthermore",
                          "meanwhile", "so", "but", "and", "yet", "still", "indeed"})
_THEREFORE = frozenset({"therefore", "consequently", "hence", "thus"})
_BAD_SUBJECTS = frozenset({"this", "that", "these", "those", "he", "she", "him", "her", "i", "we", "you"})
_THEY = frozenset({"it", "they", "its", "their"})


def _at(doc, i: int, words: tuple[str, ...]) -> bool:
    return i + len(words) <= doc.end and all(doc.doc[i + n].lower_ == w for n, w in enumerate(words))


def finds(sent: Sentence):
    """(marker tokens, reason tokens, explained verb, answer prefix), as `cardgen_why._finds`."""
    doc = sent.tokens
    for tok in doc:
        for words, prefix in _PREP_PHRASES:
            if not _at(doc, tok.i, words):
                continue
            last = doc.doc[tok.i + len(words) - 1]
            obj = next((c for c in last.children if c.dep_ == "pobj"), None)
            head = tok.head if tok.dep_ in ("prep", "advmod", "npadvmod", "xcomp", "advcl", "acl") else None
            while head is not None and head.pos_ not in ("VERB", "AUX") and head.dep_ in ("prep", "pobj"):
                head = head.head  # "in return for": "for" hangs on "return", "return" on "in"
            if obj is None or head is None or head.pos_ not in ("VERB", "AUX") or head.lemma_ == "be":
                continue
            yield list(doc.doc[tok.i:tok.i + len(words)]), list(obj.subtree), head, prefix
        if tok.lower_ == "because" and tok.i + 1 < doc.end and tok.nbor(1).lower_ == "of":
            clause = next((c for c in [*tok.nbor(1).children, *tok.children] if c.dep_ == "pcomp"
                           and c.i > tok.i + 1), None)  # "because of where ..."
            if clause is not None and not any(c.dep_ == "pobj" for c in tok.nbor(1).children):
                yield [tok, tok.nbor(1)], list(clause.subtree), tok.head, "Because of "
        if tok.lower_ == "because" and tok.dep_ == "mark" and tok.head.dep_ == "conj" and tok.i > doc.start \
                and tok.nbor(-1).text == "," and tok.head.head.pos_ in ("VERB", "AUX") and tok.head.head.i < tok.i:
            yield [tok], [t for t in tok.head.subtree if t.i > tok.i], tok.head.head, "Because "  # parsed as "and"
        if tok.lower_ in _REPORTING and tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.i > doc.start \
                and tok.nbor(-1).text == "," and tok.head.pos_ == "VERB" and tok.head.i < tok.i:
            said = next((c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i), None)
            that = next((c for c in said.children if c.dep_ == "mark" and c.i == tok.i + 1), None) if said is not None else None
            if that is not None:  # "halted the plan, saying that it would cost families too much"
                later = {t.i for c in said.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and not any(
                    d.dep_ in ("nsubj", "nsubjpass", "mark") for d in c.children) and doc.doc[c.left_edge.i - 1].text in (",", "and")
                         for t in doc.doc[c.left_edge.i - 2:c.right_edge.i + 1]}  # ", and later allowed ...": the main subject's
                yield [tok, that, *(doc.doc[i] for i in sorted(later))], \
                    [t for t in said.subtree if t.i > that.i and t.i not in later], tok.head, \
                    tok.text[:1].upper() + tok.text[1:] + " that "
        if tok.lower_ == "so" and _at(doc, tok.i, ("so", "as", "to")) and tok.i + 3 < doc.end:
            verb = doc.doc[tok.i + 3]  # "lowered the sails so as to slow the ship": a purpose
            if verb.pos_ == "VERB" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i < tok.i:
                yield list(doc.doc[tok.i:tok.i + 3]), [t for t in verb.subtree if t.i > tok.i + 2], verb.head, "To "
        if tok.lower_ == "after" and tok.dep_ == "prep" and tok.head.pos_ == "VERB":
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.lemma_.lower() in _OBJECTIONS and not any(c.dep_ in ("det", "poss") for c in obj.children):
                more = [t for c in tok.children if c.dep_ in ("cc", "conj") for t in c.subtree]  # "and from within ..."
                yield [tok], sorted([*obj.subtree, *more], key=lambda t: t.i), tok.head, "After "
        for words, prefix in _CLAUSE_PHRASES:
            if not _at(doc, tok.i, words):
                continue
            that = doc.doc[tok.i + len(words) - 1]
            verb = that.head
            if that.dep_ != "mark" or verb.pos_ not in ("VERB", "AUX") or verb.i <= that.i:
                continue
            head = tok.head if tok.dep_ == "prep" else None
            if head is None or head.pos_ not in ("VERB", "AUX"):
                continue
            yield list(doc.doc[tok.i:tok.i + len(words)]), [t for t in verb.subtree if t.i > that.i], head, prefix


def reason_text(text: str, sent: Sentence) -> tuple[int, int, str] | None:
    """(start, end, "Because ...") for a whole sentence given as a reason, or None when it would not read
    alone on a card: it opens with a connective ("Instead it treats ...": "it treats ...")."""
    tokens = [t for t in sent.tokens if not t.is_space]
    if len(tokens) > 2 and tokens[0].lower_ in _CONNECTIVES and tokens[0].dep_ in ("advmod", "cc"):
        tokens = tokens[2:] if tokens[1].text == "," else tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    root = sent.tokens.root
    subj = ask._subject(root)
    if subj is not None and subj.lower_ in _BAD_SUBJECTS:
        return None
    a, b = sent.token_start(tokens[0]), sent.token_end(tokens[-1])
    body = " ".join(text[a:b].split())
    if tokens[0].pos_ != "PROPN" and tokens[0].text != "I":
        body = body[:1].lower() + body[1:]
    return a, b, "Because " + body


def _pronoun_ok(reason_sent: Sentence, verb) -> bool:
    """An "it"/"they" subject of the reason is read as the question's subject, so that must be a noun."""
    subj = ask._subject(reason_sent.tokens.root)
    if subj is None or subj.lower_ not in _THEY:
        return True
    own = ask._subject(verb)
    return own is not None and own.pos_ in ("NOUN", "PROPN")


def trim(clause: list, verb=None) -> list:
    """The clause without a trailing aside after its verb: ", which/who ..." (a relative clause makes no
    question) or ", asking him to ..." (a participle clause: what else was done)."""
    after = verb.i if verb is not None else -1
    cut = next((n for n, t in enumerate(clause[:-1]) if t.text == "," and t.i > after and (
        clause[n + 1].tag_ in ("WDT", "WP") or clause[n + 1].tag_ == "VBG" and clause[n + 1].dep_ in ("advcl", "xcomp"))), None)
    return clause[:cut] if cut is not None else clause


_main = trim


def object_pronoun(clause: list, verb) -> bool:
    """The question's verb has "it"/"them" for its object while the sentence names nouns before the clause
    ("The Parliament passed the law, but the Association challenged it, arguing ..."): what it stands for is
    in the part the question leaves out, so the cloze keeps it."""
    first = min(t.i for t in clause)
    return any(t.head == verb and t.dep_ in ("dobj", "dative") and t.lower_ in ("it", "them") for t in clause) and any(
        t.pos_ in ("NOUN", "PROPN") for t in verb.sent if t.i < first)


def _dangles(clause: list) -> bool:
    """A pronoun in the question with no noun before it there ("Why was their clinic safer?")."""
    first = next((t for t in clause if t.tag_ in ("PRP", "PRP$")), None)
    return first is not None and not any(t.pos_ in ("NOUN", "PROPN") and t.i < first.i for t in clause)


def caused(sent: Sentence):
    """(cause tokens, question) for "X was/had been caused by Y": "What caused X?" -> "Y"."""
    for verb in sent.tokens:
        if verb.lemma_ != "cause" or verb.tag_ != "VBN" or not any(c.dep_ == "auxpass" for c in verb.children):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        cause = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subj is None or cause is None or subj.pos_ not in ("NOUN", "PROPN") or subj.i > verb.i:
            continue
        aux = [c.lower_ for c in verb.children if c.dep_ == "aux"]
        tense = "What had caused" if "had" in aux else "What has caused" if aux in (["has"], ["have"]) else \
            "What caused" if not aux else None
        subject = list(subj.subtree)
        if len(subject) == 2 and subject[0].lower_ == "the":
            continue  # "What had caused the blast?": a bare "the NOUN" leans on the sentence before
        if tense is None or _dangles(subject) or any(t.tag_ in ("WDT", "WP") or t.is_punct for t in subject):
            continue
        words = ask._lower_first(subject)
        yield list(cause.subtree), f"{tense} {words}?"


def _why_word(sent: Sentence):
    """The "why" of "That is (one reason) why B" opening the sentence, or of ", which is ... why B"."""
    doc = sent.tokens
    for tok in doc:
        if tok.lower_ != "why" or tok.i < doc.start + 2:
            continue
        before = [t for t in doc.doc[doc.start:tok.i]]
        words = [t.lower_ for t in before]
        is_at = next((n for n, w in enumerate(words) if w in ("is", "was", "'s", "explains", "explained")), None)
        if is_at is None:
            continue
        middle = words[is_at + 1:]
        if middle not in ([], ["one", "reason"], ["the", "reason"], ["a", "reason"], ["another", "reason"],
                          ["part", "of", "the", "reason"], ["the", "main", "reason"], ["one", "of", "the", "reasons"]):
            continue
        if words[is_at].startswith("explain") and middle:
            continue
        lead = words[:is_at]
        if lead in (["that"], ["this"]):
            yield tok, None
        elif len(lead) >= 3 and lead[-2:] == [",", "which"]:
            yield tok, before[is_at - 2]  # the comma: the reason is the clause before it
    return


def before_links(text: str, sentences: list[Sentence], index: int):
    """(start, end, answer, question, source_start) for reasons given before what they explain."""
    sent = sentences[index]
    doc = sent.tokens
    prev = sentences[index - 1] if index > 0 else None
    same = prev is not None and prev.paragraph == sent.paragraph
    for why, comma in _why_word(sent):
        verb = why.head
        if why.dep_ != "advmod" or verb.pos_ not in ("VERB", "AUX") or verb.i < why.i:
            continue
        clause = _main([t for t in ask.own_clause(verb) if t.i > why.i])
        question = ask.invert(verb, clause, "Why") if not _dangles(clause) else None
        if not question:
            continue
        if comma is None and same and _pronoun_ok(prev, verb):
            found = reason_text(text, prev)
            if found:
                yield (*found, question, prev.start)
        elif comma is not None:
            tokens = [t for t in doc if t.i < comma.i and not t.is_space]
            if not tokens or ask._subject(doc.root) is None or ask._subject(doc.root).lower_ in _BAD_SUBJECTS | _THEY:
                continue
            a, b = sent.token_start(tokens[0]), sent.token_end(tokens[-1])
            body = " ".join(text[a:b].split())
            if tokens[0].pos_ != "PROPN" and tokens[0].text != "I":
                body = body[:1].lower() + body[1:]
            yield a, b, "Because " + body, question, sent.start
    therefore = next((c for c in doc.root.children if c.dep_ == "advmod" and c.lower_ in _THEREFORE), None)
    skip = None
    if same and therefore is not None:  # "A. The engineers therefore set the clocks slow.": A is why
        skip = {therefore.i} | {t.i for t in doc if t.is_punct and abs(t.i - therefore.i) == 1 and t.i != doc.end - 1}
    words = [t.lower_ for t in doc[:3]]
    if same and words[:1] == ["for"] and words[1:3] in (["that", "reason"], ["this", "reason"], ["these", "reasons"],
                                                         ["those", "reasons"]):  # "A. For that reason B.": A is why
        skip = {t.i for t in doc[:3]} | ({doc[3].i} if len(doc) > 3 and doc[3].text == "," else set())
    if skip is not None:  # the question is the sentence without its link word, the reason the sentence before
        root = doc.root
        clause = _main([t for t in ask.own_clause(root) if t.i not in skip])
        question = ask.invert(root, clause, "Why") if not _dangles(clause) else None
        found = reason_text(text, prev) if question and _pronoun_ok(prev, root) else None
        if found:
            yield (*found, question, prev.start)


def answer_is(text: str, sentences: list[Sentence], index: int):
    """(start, end, answer, question, source_start) for the text's own "Why ...?" answered by the next sentence:
    "Why should fewer hours not mean less work? Part of the answer is that B." -> "Partly because B"."""
    sent = sentences[index]
    doc = sent.tokens
    root = doc.root
    subj = ask._subject(root)
    prev = sentences[index - 1] if index > 0 else None
    if prev is None or prev.paragraph != sent.paragraph or root.lemma_ != "be" or subj is None \
            or subj.left_edge.i != doc.start:
        return
    noun = subj if subj.lower_ != "part" else next((o for p in subj.children if p.lower_ == "of" for o in p.children
                                                   if o.dep_ == "pobj"), None)
    asked = " ".join(prev.text_of(text).split())
    if noun is None or noun.lemma_.lower() not in ("answer", "reason", "explanation") or not re.fullmatch(r"Why [^?]+\?", asked):
        return
    clause = next((c for c in root.children if c.dep_ in ("ccomp", "attr") and c.i > root.i), None)
    that = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"), None) if clause is not None else None
    if that is None:
        return
    tokens = [t for t in clause.subtree if t.i > that.i and not t.is_space]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if tokens:
        a, b = sent.token_start(tokens[0]), sent.token_end(tokens[-1])
        yield a, b, ("Partly because " if subj.lower_ == "part" else "Because ") + " ".join(text[a:b].split()), asked, prev.start


def explain_by(sent: Sentence):
    """(reason tokens, question) for "X explain(s) Y by Z": "How do historians usually explain Y?" -> "By Z"."""
    for verb in sent.tokens:
        if verb.lemma_ != "explain" or verb.pos_ != "VERB":
            continue
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        by = next((c for c in [*verb.children, *(obj.children if obj is not None else ())] if c.dep_ == "prep"
                   and c.lower_ == "by" and c.i > verb.i), None)  # the parser may hang "by" on the object
        subj = ask._subject(verb)
        if by is None or obj is None or subj is None or subj.pos_ == "PRON" or not any(
                c.dep_ in ("pobj", "pcomp") for c in by.children):
            continue
        reason = list(by.subtree)
        clause = [t for t in ask.own_clause(verb) if t.i not in {r.i for r in reason}]
        question = ask.invert(verb, trim(clause, verb), "How")
        if question and not _dangles(clause):
            yield reason, question


def by_means(sent: Sentence):
    """(means tokens, question) for "X VERBs Y by VERB-ing Z" in a main clause: "How does penicillin work?" ->
    "By blocking the enzymes ..." (not after a pronoun or a bare "the NOUN" subject, nor with "it"/"them" left in)."""
    for by in sent.tokens:
        verb = by.head
        gerund = next((c for c in by.children if c.dep_ == "pcomp" and c.tag_ == "VBG"), None)
        if by.lower_ != "by" or by.dep_ != "prep" or gerund is None or verb.pos_ != "VERB" or verb.i > by.i \
                or verb.dep_ not in ("ROOT", "conj") or verb.lemma_ == "explain":
            continue
        subj = ask._subject(verb)
        if subj is None or subj.pos_ not in ("NOUN", "PROPN") or [t.lower_ for t in subj.subtree][:1] == ["the"] \
                and len(list(subj.subtree)) == 2:
            continue
        reason = list(by.subtree)
        clause = trim([t for t in ask.own_clause(verb) if t.i not in {r.i for r in reason}], verb)
        if _dangles(clause) or any(t.lower_ in ("it", "them", "this", "that") and t.dep_ in ("dobj", "nsubj") for t in clause):
            continue
        question = ask.invert(verb, clause, "How")
        first = subj.left_edge
        at = sent.token_start(first)
        if question and first.i == sent.tokens.start and first.pos_ == "PROPN" and not first.text.isupper() \
                and not any(e.start <= at < e.end for e in sent.entities):
            question = question.replace(f" {first.text} ", f" {first.text.lower()} ", 1)  # "How does penicillin work?"
        if question:
            yield reason, question


_AIMS = frozenset({"point", "aim", "purpose", "goal", "object", "objective"})


def point_of(sent: Sentence):
    """(answer tokens, question) for "This is the point of X: B" and "The aim of X is to B / that B":
    "What is the point of the measure?" -> "B"."""
    doc = sent.tokens
    root = doc.root
    if len(doc) > 2 and doc[0].lower_ in ("this", "that") and doc[1].lemma_ == "be":
        root = doc[1]  # the parser may make "This is the point of X" a clause of B's verb
    if root.lemma_ != "be" or root.tag_ not in ("VBZ", "VBD"):
        return
    subj = ask._subject(root)
    attr = next((c for c in root.children if c.dep_ == "attr"), None)
    colon = next((t for t in doc if t.text == ":" and t.i > root.i), None)
    if subj is not None and subj.lower_ in ("this", "that") and attr is not None and attr.lemma_ in _AIMS \
            and colon is not None and colon.i == attr.right_edge.i + 1:
        noun = attr  # "This is the point of the measure: B"
        answer = [t for t in doc if t.i > colon.i]
    elif subj is not None and subj.lemma_ in _AIMS and subj.left_edge.i == doc.start and colon is None:
        noun = subj  # "The aim of the scheme was to cut traffic"
        comp = next((c for c in root.children if c.dep_ in ("xcomp", "ccomp", "attr") and c.i > root.i), None)
        if comp is None or comp.pos_ not in ("VERB", "AUX"):
            return
        answer = [t for t in comp.subtree if t.lower_ != "that" or t.head != comp]
    else:
        return
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    det = next((c for c in noun.children if c.dep_ in ("det", "poss")), None)
    if of is None or det is None or det.lower_ not in ("the",) or _dangles(list(of.subtree)):
        return
    phrase = "the " + ask._text([noun, *of.subtree])
    yield answer, f"What {root.lower_} {phrase}?"
