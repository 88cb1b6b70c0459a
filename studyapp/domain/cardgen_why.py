"""Why cards: a reason and what it explains, from a causal sentence's parse (pure).

Markers: "because" / "partly because" / "because of", "due to", "as a result of", "in order to",
"so that", "so" between two clauses ("A, so B": A is the reason for B), and a sentence opening with
"As a result," (the reason is the sentence before). Round 6 (`ROUND6`): a purpose "to"-infinitive
that modifies the verb ("Germany moved its clocks forward to save coal": "To save coal"), a causal
"since" (not after a perfect verb: "has not flooded since ..." is time), and "The reason was that B"
after a sentence A (the reason for A, as "As a result,"). The card asks "Why ...?" about the clause the
reason explains when the parse gives a clean question (`cardgen_ask.invert`), and is otherwise a
cloze of the reason ("... because {{c1::a blockade was an act of war}}."). Round 8 (`cardgen_why2.ROUND8`):
more markers and reasons said before what they explain ("That is why", "therefore", "on the grounds that", a
reported reason, "What caused X?"); see `cardgen_why2`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import cardgen_ask as ask
from . import cardgen_why2 as why2
from .nlp import Sentence

MIN_REASON_WORDS = 3
MAX_REASON_WORDS = 30
PURPOSE_PENALTY = 0.20  # a purpose card comes after the sentence's key facts (cardgen scores: date .78, figure .72)
ROUND6 = True  # purpose infinitives, causal "since", "The reason was that" (docs/cardgen.md, Round 6)


@dataclass(frozen=True)
class Why:
    sentence: Sentence
    start: int            # the reason's offsets in the whole text (a cloze deletes exactly this)
    end: int
    answer: str           # "Because he feared ...", "To make them grow faster"
    question: str | None  # "Why did Kennedy reject an immediate attack?" (None: make a cloze)
    source_start: int     # the source (the sentence, or the one before it too for "As a result,")
    penalty: float = 0.0  # taken off the score: a purpose ranks below the sentence's names, dates and figures


def _span(sent: Sentence, tokens) -> tuple[int, int]:
    tokens = sorted((t for t in tokens if not t.is_space), key=lambda t: t.i)
    for n, t in enumerate(tokens[:-1]):  # a trailing ", which ..." is the writer's aside
        if t.text == "," and tokens[n + 1].lower_ in ("which", "who", "while", "whereas"):
            tokens = tokens[:n]
            break
        if why2.ROUND8 and t.text == "," and tokens[n + 1].tag_ == "VBG" and tokens[n + 1].dep_ == "advcl":
            tokens = tokens[:n]  # "to win back support, leaving out the clause": what else was done, not why
            break
        if t.text == "," and n + 2 < len(tokens) and tokens[n + 1].lower_ in ("not", "never") \
                and tokens[n + 2].lower_ == "because":
            tokens = tokens[:n]  # "because it brought trade, not because ...": the denied reason is no part of it
            break
        rest = tokens[n + 2:]
        if t.text == "," and tokens[n + 1].lower_ in ("and", "but") and any(
                u.dep_ in ("nsubj", "nsubjpass") and u.head in rest and u.head.dep_ == "conj" for u in rest):
            tokens = tokens[:n]  # "so that the leaks were hidden, and families collected ...": another clause
            break
    while tokens and (tokens[-1].is_punct or tokens[-1].pos_ == "CCONJ"):
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
            if tok.i > doc.start and tok.nbor(-1).lower_ in ("not", "never"):
                continue  # "..., not because they had been persuaded": the reason the writer denies
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
        elif ROUND6 and (purpose := _purpose(tok)) is not None:
            finite = {t.i for c in purpose.children if c.dep_ == "conj" and c.tag_ in ("VBD", "VBZ", "VBP")
                      for t in c.subtree} | {c.i for c in purpose.children if c.dep_ == "cc"}
            yield [tok, *(t for t in purpose.subtree if t.i in finite)], \
                [t for t in purpose.subtree if t.i != tok.i and t.i not in finite], purpose.head, "To "
        elif ROUND6 and low == "since" and tok.dep_ == "mark" and tok.head.dep_ == "advcl" and \
                not any(c.lemma_ == "have" and c.dep_ == "aux" for c in tok.head.head.children):
            yield [tok], [t for t in tok.head.subtree if t.i != tok.i], tok.head.head, "Because "
        elif low == "so" and nxt == "that" and tok.head.pos_ in ("VERB", "AUX"):
            clause = tok.head
            reason = [t for t in clause.subtree if t.i > tok.i + 1]
            yield [tok, tok.nbor(1)], reason, clause.head, "So that "


_DEGREE = frozenset({"order", "as", "more", "less", "little", "much", "enough", "too", "able", "first", "last", "only"})
# English nouns that take a "to"-infinitive as their complement ("their offer to fund the dam", "a plan to
# invade"): after one of these the infinitive says what the noun is, not why the verb happened. Grammar of
# English, not words of any text; the small parser often hangs such an infinitive on the verb instead.
_INFINITIVE_NOUNS = frozenset({
    "offer", "plan", "attempt", "decision", "effort", "promise", "bid", "right", "ability", "chance", "need",
    "order", "request", "proposal", "agreement", "refusal", "failure", "desire", "intention", "permission",
    "willingness", "determination", "wish", "tendency", "opportunity", "way", "power", "authority", "campaign",
    "plea", "call", "demand", "threat", "pledge", "commitment", "scheme", "move", "initiative", "mandate",
    "license", "licence", "freedom", "duty", "obligation", "reluctance", "readiness", "eagerness", "capacity",
    # what one is given or wins the means to do ("won a scholarship to study abroad": no reason for winning it)
    "scholarship", "fellowship", "grant", "contract", "commission", "loan", "subsidy", "permit", "visa", "invitation"})


# English verbs that take an object and then a "to"-infinitive that is no purpose of theirs: what the object is
# trusted, expected, allowed or made to do ("did not trust the king to keep his word"). Verbs of asking
# ("invited Louis to take the throne", "urged them to ...") are left out: what is asked is why one asks.
_CONTROL_VERBS = frozenset({
    "trust", "expect", "believe", "consider", "want", "allow", "permit", "forbid", "like", "prefer", "cause",
    "enable", "force", "compel", "oblige", "require", "teach"})

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG"})


def _label(sent: Sentence, token) -> str | None:
    at = sent.token_start(token)
    return next((e.label for e in sent.entities if e.start <= at < e.end), None)


_THING_PRONOUNS = frozenset({"it", "its", "they", "their", "them"})


def _left_behind(clause: list, sent: Sentence) -> bool:
    """Whether the question's clause keeps an "it"/"its"/"they" with no noun before it in the question, whose
    noun can be in the part of the sentence the question leaves out (a noun or name before the clause): the
    cloze shows it ("Why would its executive be shared ...?" -> "A ... Assembly ..., and its executive would be
    shared ..., so that {{...}}")."""
    first = min(t.i for t in clause)
    pronoun = next((t for t in sorted(clause, key=lambda t: t.i) if t.lower_ in _THING_PRONOUNS), None)
    return pronoun is not None and not any(t.pos_ in ("NOUN", "PROPN") and t.i < pronoun.i for t in clause) and any(
        t.pos_ in ("NOUN", "PROPN") for t in sent.tokens if t.i < first)


def _purpose(tok):
    """The verb of a purpose infinitive that `tok` ("to") opens: "moved its clocks forward to save coal",
    ", to collect eggs", "was built to protect London" (an adverbial clause of the verb, after its object
    or a passive verb; not "wanted to", "came to accept", "went on to lead", "the first woman to", "more
    to", "enough to", "in order to"; not inside a quotation, not of a copula)."""
    verb = tok.head
    if tok.tag_ != "TO" or tok.dep_ != "aux" or verb.dep_ != "advcl" or verb.pos_ != "VERB" or verb.left_edge.i != tok.i:
        return None
    head, doc = verb.head, tok.doc
    if head.pos_ not in ("VERB", "AUX") or head.i > tok.i or head.lemma_ in ("be", "become") or tok.i == 0 \
            or tok.nbor(-1).lower_ in _DEGREE or any(t.text in ('"', "\u201c", "\u201d") for t in tok.sent):
        return None
    if head.lemma_.lower() in _CONTROL_VERBS and any(c.dep_ == "dobj" and c.i < tok.i for c in head.children):
        return None  # "did not trust the king to keep his word": what they did not trust him to do, not why
    if tok.nbor(-1).lemma_.lower() in _INFINITIVE_NOUNS and tok.nbor(-1).pos_ == "NOUN":
        return None  # "withdrew their offer to fund the project": what the offer was, not why they withdrew it
    between = [t for t in doc[head.i + 1:tok.i] if not t.is_punct]
    passive = any(c.dep_ == "auxpass" for c in head.children)
    if any(t.dep_ == "acomp" for t in between) or any(c.dep_ == "acomp" and c.i < tok.i for c in head.children):
        return None  # "was willing, for a time, to bear its costs"
    if not passive and all(t.dep_ == "prt" for t in between):
        return None  # "came to accept", "went on to lead": no purpose
    return verb


def _reason_was(text: str, sentences: list[Sentence], index: int) -> Why | None:
    """"A. The reason was that B.": B is the reason for A (same paragraph)."""
    sent = sentences[index]
    root = sent.tokens.root
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if index == 0 or root.lemma_ != "be" or subj is None or subj.lemma_.lower() != "reason" \
            or not any(c.lower_ == "the" for c in subj.children) or subj.i != sent.tokens.start + 1:
        return None
    clause = next((c for c in root.children if c.dep_ in ("ccomp", "attr") and c.i > root.i), None)
    that = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"), None) if clause is not None else None
    prev = sentences[index - 1]
    if that is None or prev.paragraph != sent.paragraph:
        return None
    a, b = _span(sent, [t for t in clause.subtree if t.i != that.i])
    question = ask.invert(prev.tokens.root, ask.own_clause(prev.tokens.root), "Why")
    reason = _sentence_text(text, a, b)
    if not question or not MIN_REASON_WORDS <= len(reason.split()) <= MAX_REASON_WORDS:
        return None
    return Why(sent, a, b, "Because " + reason, question, prev.start)


def _colon_links(sent: Sentence):
    """"A was done: B" (a passive or negated clause, then a whole clause with its own subject after the
    colon): B explains A ("it was abandoned within a year: children were walking to school in the dark").
    Not a list, a quotation or an example after the colon, nor an active A ("reached 370 per cent: to keep")."""
    doc = sent.tokens
    for tok in doc:
        if tok.text != ":" or tok.i + 1 >= doc.end or tok.i == doc.start:
            continue
        after = [t for t in doc if t.i > tok.i and t.dep_ in ("nsubj", "nsubjpass") and t.head.i > tok.i
                 and t.head.pos_ in ("VERB", "AUX") and (t.head.tag_ in ("VBD", "VBZ", "VBP")
                                                        or any(c.dep_ in ("aux", "auxpass") for c in t.head.children))]
        before = [t for t in doc if t.i < tok.i and t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj", "ccomp")]
        verb = before[-1] if before else None
        if not after or verb is None or '"' in doc.text or "\u201c" in doc.text:
            continue
        if not any(c.dep_ in ("auxpass", "neg") for c in verb.children):
            continue
        yield [t for t in doc if t.i > tok.i], verb, tok


def _so_verb(so):
    """The verb a clause-opening "so" links: its head, or, when the parser hung "so" on a word of the next
    clause's subject ("so frost-free models run": "so" on "free"), the verb that subject belongs to."""
    verb = so.head
    while verb.pos_ not in ("VERB", "AUX") and verb.i > so.i and verb.dep_ in ("amod", "compound", "nsubj", "nsubjpass",
                                                                                 "npadvmod", "det", "nummod"):
        verb = verb.head
    return verb


def _so_links(sent: Sentence):
    """"A, so B": (reason tokens A, verb of B, the "so" token)."""
    for tok in sent.tokens:
        if tok.lower_ != "so" or tok.i + 1 >= sent.tokens.end or tok.nbor(1).lower_ == "that":
            continue
        prev = tok.nbor(-1) if tok.i > sent.tokens.start else None
        verb = _so_verb(tok)
        if prev is None or prev.text not in (",", "and", ";") or verb.pos_ not in ("VERB", "AUX"):
            continue
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            first = verb.head
        else:  # "A, so B" parsed with A under B
            first = next((c for c in verb.children if c.dep_ in ("ccomp", "advcl", "parataxis")
                          and c.i < tok.i and (ask._subject(c) is not None or why2.ROUND8 and any(
                              d.dep_ == "csubj" for d in c.children))), None)
            if first is None:
                continue
        reason = [t for t in ask.own_clause(first) if t.i < prev.i]
        if ROUND6:  # "A, and B, so C": both A and B ("she was older than most recruits, and she weighed less ...")
            reason += [t for c in first.children if c.dep_ == "conj" and c.i < prev.i and c.i != verb.i
                       for t in c.subtree if t.i < prev.i and t not in reason]
            reason += [c for c in first.children if c.dep_ == "cc" and c.i < prev.i and any(
                d.dep_ == "conj" and d.i > c.i and d.i < prev.i and d.i != verb.i for d in first.children)]
        yield reason, verb, tok


_QUOTE_MARKS = re.compile("[\"\u201c\u201d]")


def _sound(text: str, why: Why) -> bool:
    """A reason that cuts a quotation in two (one mark inside the blank, the other outside) or stands inside
    one, makes no card. (An answer's "them" the question does not name is `cardgen_anaphora.purpose_object`'s,
    in the shared check of what a card leans on.)"""
    if len(_QUOTE_MARKS.findall(text[why.start:why.end])) % 2 or \
            len(_QUOTE_MARKS.findall(text[why.sentence.start:why.start])) % 2:
        return False  # cut in two, or a reason inside a quotation (the speaker's words: the who-said card's)
    return True


def whys(text: str, sentences: list[Sentence], index: int, he: str | None = None) -> list[Why]:
    """The why cards of sentence `index`; `he`: who a "he"/"she" subject stands for."""
    return [w for w in _whys(text, sentences, index, he) if _sound(text, w)]


def _whys(text: str, sentences: list[Sentence], index: int, he: str | None = None) -> list[Why]:
    sent = sentences[index]
    out: list[Why] = []
    new = list(why2.finds(sent)) if why2.ROUND8 else []
    links = {so.i for _, _, so in _so_links(sent)}  # "A, so B to C": the purpose question of B leaves "so" out
    for marks, reason, explained, prefix in [*_finds(sent), *new]:
        a, b = _span(sent, reason)
        words = len(text[a:b].split()) + (marks[0].lower_ == "to")  # "To save energy": three words
        if not MIN_REASON_WORDS <= words <= MAX_REASON_WORDS or explained.pos_ not in ("VERB", "AUX"):
            continue
        drop = {t.i for t in reason} | {t.i for t in marks} | links
        if marks[0].lower_ == "to":  # "meet at the Pentagon to design ...": the place keeps its own card
            drop |= {t.i for p in explained.children if p.dep_ == "prep" and p.lower_ not in ("to", "into", "towards", "toward")
                     for o in p.children if o.dep_ == "pobj"
                     and _label(sent, o) in _PLACE_LABELS for t in p.subtree}
        clause = [t for t in ask.own_clause(explained) if t.i not in drop]
        if why2.ROUND8 and not any(t.dep_ == "det" and t.lower_ in ("this", "that", "these", "those") for t in reason):
            trimmed = why2.trim(clause, explained)  # not when the reason points back into the aside ("that claim")
            if len(trimmed) < len(clause) or any(m is marks for m, *_ in new):  # a question new in round 8: its date keeps its own card
                dates = {t.i for p in explained.children if p.dep_ == "prep" for o in p.children
                         if o.dep_ == "pobj" and _label(sent, o) == "DATE" for t in p.subtree}
                clause = [t for t in trimmed if t.i not in dates]
        question = ask.invert(explained, clause, "Why", he) if (explained.i < marks[0].i or explained.dep_ == "ROOT") \
            and not (marks[0].lower_ == "to" and explained.dep_ in ("relcl", "acl")) else None
        if ROUND6 and question and (_left_behind(clause, sent) or why2.ROUND8 and why2.object_pronoun(clause, explained)):
            question = None  # "..., and its executive would be shared ..., so that ...": the cloze keeps what "its" is
        answer = prefix + _sentence_text(text, a, b)
        purpose = marks[0].lower_ == "to"  # a bare purpose infinitive (not "in order to")
        if purpose and question is None and words - 1 < MIN_REASON_WORDS:
            continue  # "to {{test it}}": a short purpose makes a question or nothing
        if purpose and (explained.dep_ == "ccomp" or any(e.label == "PERSON" and a <= e.start < b for e in sent.entities)):
            continue  # a purpose someone reports ("worried that ... joined forces to ..."), or one naming a person
        out.append(Why(sent, a, b, answer.rstrip(".") , question, sent.start, PURPOSE_PENALTY if purpose else 0.0))
    for reason, verb, so in _so_links(sent):
        a, b = _span(sent, reason)
        if not MIN_REASON_WORDS <= len(text[a:b].split()) <= MAX_REASON_WORDS:
            continue
        purposes = {t.i for t in sent.tokens if ROUND6 and (p := _purpose(t)) is not None and p.head == verb
                    for t in [t, *p.subtree]}  # "so B to melt it": the purpose is its own card, its "it" unnamed
        clause = [t for t in ask.own_clause(verb) if t.i > so.i and t.i not in purposes]
        question = ask.invert(verb, clause, "Why", he)
        reason_text = _sentence_text(text, a, b)
        if why2.ROUND8 and reason_text.lower().startswith("because "):
            reason_text = reason_text[len("because "):]  # "Because A, B, so C": not "Because because"
        answer = "Because " + (reason_text[:1].lower() + reason_text[1:] if reason[0].pos_ != "PROPN"
                               else reason_text)
        out.append(Why(sent, a, b, answer, question, sent.start))
    for reason, verb, colon in _colon_links(sent) if ROUND6 else ():
        a, b = _span(sent, reason)
        if not MIN_REASON_WORDS <= len(text[a:b].split()) <= MAX_REASON_WORDS:
            continue
        subj = ask._subject(verb)
        clause = [t for t in ask.own_clause(verb) if t.i < colon.i]
        question = ask.invert(verb, clause, "Why", he) if subj is not None and subj.pos_ != "PRON" else None
        reason_text = _sentence_text(text, a, b)
        out.append(Why(sent, a, b, "Because " + (reason_text[:1].lower() + reason_text[1:] if reason[0].pos_ != "PROPN"
                                                 else reason_text), question, sent.start))
    if ROUND6 and (reason_was := _reason_was(text, sentences, index)) is not None:
        out.append(reason_was)
    if why2.ROUND8:  # "A. That is why B.", "A. For that reason B.", "A, which is why B" (`cardgen_why2`)
        out += [Why(sent, a, b, answer, question, start) for a, b, answer, question, start
                in why2.before_links(text, sentences, index) if MIN_REASON_WORDS <= len(text[a:b].split()) <= MAX_REASON_WORDS]
        out += [Why(sent, a, b, answer, question, start) for a, b, answer, question, start  # "Why ...? The answer is that B."
                in why2.answer_is(text, sentences, index) if MIN_REASON_WORDS <= len(text[a:b].split()) <= MAX_REASON_WORDS]
        # "X was caused by Y": "What caused X?"; "X explain Y by Z": "How do X explain Y?" -> "By Z"
        for reason, question in [*why2.caused(sent), *why2.explain_by(sent), *why2.by_means(sent), *why2.point_of(sent)]:
            a, b = _span(sent, reason)
            if MIN_REASON_WORDS <= len(text[a:b].split()) <= MAX_REASON_WORDS:
                out.append(Why(sent, a, b, _cap(_sentence_text(text, a, b)), question, sent.start))
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
