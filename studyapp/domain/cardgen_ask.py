"""Questions made from a sentence's dependency parse (pure): "Who ...?", "When did ...?", "Why did ...?".

A question is made only when the parse makes it safe: the clause has a subject before its verb,
its verb takes "did/does/do" or inverts its own auxiliary, and nothing but the answer's phrase
(and a fronted phrase, which moves to the end) is left out. Otherwise `None`, and the caller makes
a cloze instead. Every function takes spaCy tokens and returns plain text.
"""
from __future__ import annotations

import re

SUBJECTS = ("nsubj", "nsubjpass", "expl")
_DO = {"VBD": "did", "VBZ": "does", "VBP": "do"}
_CLAUSE_DEPS = ("conj", "parataxis")


def _subject(verb):
    return next((c for c in verb.children if c.dep_ in SUBJECTS), None)


def own_clause(verb) -> list:
    """The verb's clause: its subtree without coordinated clauses that have their own subject, nor a
    clause before a colon or semicolon ("It also explains X: [the Himalayas are still rising]")."""
    drop: set[int] = set()
    for child in verb.children:
        if child.dep_ in ("ccomp", "parataxis") and child.i < verb.i and _subject(child) is not None and any(
                t.text in (":", ";") and t.head == verb and child.right_edge.i < t.i < verb.i for t in verb.children):
            drop.update(t.i for t in child.subtree)  # "It also explains X: the Himalayas are rising ..."
            continue
        if child.dep_ in _CLAUSE_DEPS and child.pos_ in ("VERB", "AUX") and _subject(child) is not None:
            drop.update(t.i for t in child.subtree)
            for left in verb.doc[verb.i + 1:child.left_edge.i]:
                if left.dep_ in ("cc", "punct") and left.head in (verb, child):
                    drop.add(left.i)
    return sorted((t for t in verb.subtree if t.i not in drop), key=lambda t: t.i)


def _text(tokens) -> str:
    out = ""
    tokens = list(tokens)
    for n, t in enumerate(tokens):
        out += t.text + t.whitespace_
        if not t.whitespace_ and n + 1 < len(tokens) and tokens[n + 1].i != t.i + 1 \
                and not tokens[n + 1].is_punct:
            out += " "
    return re.sub(r"\s+", " ", out).strip()


def _front(verb, front: list) -> list | None:
    """Tokens before the subject: one or more phrases of the verb ("In 1962,"), else None."""
    words = [t for t in front if not t.is_punct]
    if not words:
        return []
    phrases = [c for c in verb.children if c.dep_ in ("prep", "npadvmod") and c.i < words[-1].i + 1
               and c.left_edge.i >= words[0].i]
    covered = {t.i for c in phrases for t in c.subtree}
    if any(t.i not in covered for t in words):
        return None
    if any(c.dep_ == "prep" and not any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in phrases):
        return None  # "In" whose year the parse gave to the subject ("In 1962 Harry Hess ...")
    return _clean_tail(words)


def _place_front(parts: list[str], tail: list, front: list) -> None:
    """A fronted phrase goes to the end, unless the end has a comma clause (then it is left out) or a clause
    of its own that the phrase would then seem to belong to ("Who predicted that ... would hardly need to
    work in 1930?"): then it stays in front ("In 1930, who predicted that ...?")."""
    if front and any(t.dep_ in ("ccomp", "advcl") or t.dep_ == "conj" and t.pos_ in ("VERB", "AUX") for t in tail):
        parts[0] = parts[0].lower()
        words = _text(front)
        parts.insert(0, words[:1].upper() + words[1:] + ",")
    elif front and not any(t.text == "," for t in tail):
        parts.append(_lower_first(front))


def _lower_first(tokens) -> str:
    words = _text(tokens)
    first = tokens[0] if tokens else None
    if first is not None and (first.pos_ == "DET" or first.pos_ != "PROPN" and first.text != "I"
                              and not first.text.isupper() and not first.ent_type_):
        return words[:1].lower() + words[1:]
    return words


def _finish(text: str) -> str | None:
    text = re.sub(r"\s+([,.;:!?])", r"\1", text).strip().rstrip(",;:.").strip()
    if re.search(r"[()\[\]\"\u201c\u201d]", text):
        return None  # a bracket or quotation cut in two
    if re.search(r":\s+(?:when|where|while|because|if)\b", text, re.IGNORECASE):
        return None  # "When did X report a result: when he ...?": a second clause of time or reason inside
    return text + "?"


def _clean_tail(tokens) -> list:
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    return tokens


def invert(verb, clause: list, wh: str, he: str | None = None) -> str | None:
    """`wh` + the clause as a question: "Why did Kennedy reject an immediate attack?"

    `clause` holds the tokens to keep (in order), the verb among them. Tokens before the subject
    (a fronted phrase, "In 1962,") move to the end. `he`: the person a "he"/"she" subject stands
    for (without it, a pronoun subject makes no question).
    """
    subj = _subject(verb)
    if subj is None or subj.i > verb.i or subj.lower_ in ("this", "that", "there"):
        return None
    if subj.pos_ == "PRON" and not (he and subj.lower_ in ("he", "she", "it", "they")):
        return None
    keep = [t for t in clause if not (t.is_punct and t.text in "\"\u201c\u201d")]
    inside = {t.i for t in subj.subtree}
    subj_tokens = [t for t in keep if t.i in inside]
    if not subj_tokens or subj_tokens[-1].i - subj_tokens[0].i != len(subj_tokens) - 1 \
            or any(t.tag_ == "WDT" or t.tag_ == "WP" for t in keep):
        return None  # a subject in pieces (a parse that crosses itself), or a relative clause
    front = [t for t in keep if t.i < subj_tokens[0].i]
    rest = [t for t in keep if t.i > subj_tokens[-1].i]
    between = [t for t in rest if t.i < verb.i]
    after = [t for t in rest if t.i > verb.i]
    auxes = [t for t in between if t.head == verb and t.dep_ in ("aux", "auxpass")]
    if any(t.dep_ not in ("aux", "auxpass", "neg", "advmod") for t in between):
        return None
    if auxes and any(t.dep_ == "conj" and t.head == verb and t.pos_ in ("VERB", "AUX") and _subject(t) is None
                     and t.tag_ != verb.tag_ for t in after):
        return None  # "was born in Boston and grew up in Worcester": one auxiliary cannot serve both verbs
    if auxes:
        first = auxes[0]
        head = first.lower_
        middle = [t for t in between if t != first] + [verb]
    elif verb.lemma_ == "be" and verb.tag_ in ("VBD", "VBZ", "VBP"):
        head = verb.lower_
        middle = between
    elif verb.tag_ in _DO and verb.pos_ == "VERB":
        head = _DO[verb.tag_]
        middle = between + [None]
        shared = [t for t in after if t.dep_ == "conj" and t.head == verb and t.pos_ in ("VERB", "AUX")
                  and _subject(t) is None]
        if shared:
            return None  # "followed her sister and enrolled": one verb cannot take "did"
    else:
        return None
    front = _front(verb, front)
    if front is None:
        return None  # "But ...", "Instead, ...", a clause: the sentence leans on more than a phrase
    if any(t.text == "," and n + 1 < len(after) and after[n + 1].dep_ == "cc" and any(
            u.tag_ in ("VBD", "VBZ", "VBP") for u in after[n + 2:]) for n, t in enumerate(after)):
        return None  # "did Hochul halt the plan, ..., and later allowed ...": a second finite verb stays unasked
    if after and after[0].is_punct and any(not t.is_punct for t in after):
        return None  # "did the day come, later called ...": the answer left a hole
    parts = [wh, head, he if subj.pos_ == "PRON" else _lower_first(subj_tokens)]
    for t in middle:
        parts.append(verb.lemma_ if t is None else t.text)
    tail = _clean_tail(after)
    if tail:
        parts.append(_text(tail))
    _place_front(parts, tail, front)
    return _finish(" ".join(parts))


def who_question(verb, clause: list, subject_span: tuple[int, int]) -> str | None:
    """"Who ...?" when the person is the whole subject of the clause (titles and appositions included)."""
    subj = _subject(verb)
    if subj is None or subj.dep_ == "expl" or subj.i > verb.i:
        return None
    a, b = subject_span
    if not a <= subj.i < b or any(t.dep_ in ("conj", "cc", "appos", "relcl") for t in subj.subtree):
        return None  # an apposition or "who ..." clause says who the person is: the cloze keeps it
    keep = [t for t in clause if t.i > subj.right_edge.i and not (t.is_punct and t.text in "\"\u201c\u201d")]
    front = _front(verb, [t for t in clause if t.i < subj.left_edge.i])
    tail = _clean_tail(keep)
    if front is None or not tail or any(t.tag_ in ("WDT", "WP") for t in tail[:1]):
        return None
    if any(t.dep_ == "det" and t.lower_ in ("this", "these", "those", "that") for t in tail):
        return None  # "Who turned these soundings into maps?": the cloze keeps the context
    if any(u.dep_ == "cc" and u.i + 1 < len(u.doc) and u.nbor(1).ent_type_ == "PERSON" and any(
            t.i > u.i and t.tag_ in ("VBD", "VBZ", "VBP") for t in tail) for u in tail):
        return None  # "... was elected First Minister and Seamus Mallon ... became his deputy": a second subject
    if any(u.dep_ == "cc" and u.i > 0 and u.nbor(-1).ent_type_ == "DATE" and u.i + 1 < len(u.doc)
           and u.nbor(1).pos_ == "PROPN" for u in tail):
        return None  # "received the prize in 1902 and Laveran in 1907": a second subject with its verb left out
    parts = ["Who", _text(tail)]
    _place_front(parts, tail, front)
    return _finish(" ".join(parts))


_WHEN_PREPOSITIONS = frozenset({"in", "on", "at", "during"})  # a time "when" asks for ("by", "until", "since": not)


def prep_phrase(verb, start: int, end: int) -> list | None:
    """The phrase of `verb` that holds tokens start..end-1 ("on the morning of 16 October"), or None.

    Only a short phrase (the answer and at most four other words) directly under the verb.
    """
    token = verb.doc[start]
    while token.head != verb and token.head != token:
        token = token.head
    if token.head != verb or token.dep_ not in ("prep", "npadvmod", "pobj"):
        return None
    if token.dep_ == "prep" and token.lower_ not in _WHEN_PREPOSITIONS:
        return None  # "By 1948 they disagreed" is not "In what year did they disagree?"
    phrase = list(token.subtree)
    others = [t for t in phrase if not start <= t.i < end]
    if len(others) > 4 or any(t.ent_type_ and t.ent_type_ != "DATE" for t in others):
        return None
    return phrase


def date_wh(answer: str) -> str:
    """The question word for a date answer: "In what year", "In what decade", "On what date", "When"."""
    if re.match(r"^(?:1\d|20)\d\d(?:'?s)?$", answer):
        return "In what decade" if answer.endswith("s") else "In what year"
    return "On what date" if re.search(r"\d", re.sub(r"\d{4}", "", answer)) else "When"
