"""Who said it: quoted speech and its speaker, from the parse (pure).

A quotation of five words or more, with a verb of speaking outside the quotation marks, becomes a
`Quote`: the speaker is the verb's subject ("Rusk told a colleague", "said James Collins"), or
the object of "according to". The speaker is resolved:

* a surname or first name -> the full name used in the text (`nlp.People.canonical`);
* "he" / "she" -> a person only when unambiguous (`cardgen_refer.Referents.person`: the one person
  of the paragraph so far that can be that pronoun, shown by the text to be it);
* "they", "the report", "the study", ... -> the one organisation of the nearest sentence naming one.

Anything else ("a spokesman", "the president") is left unresolved and makes no who-said card.

Round 6 (`ROUND6`): a quotation that ends a reported clause ("Henry Ford later wrote that the
five-dollar day was "one of the finest ..."") makes a card whose claim is the whole clause after
"that", without the marks ("the five-dollar day was one of the finest ..."), when the clause's subject
is no pronoun; and a quotation a colon introduces after a noun of saying with its owner ("One of her
sayings is still quoted: "..."", "Its statement put the point bluntly: "..."") is the owner's.

Round 7 (`ROUND7`): a short quotation ending a reported clause of five words or more; "called/declared/described as
OBJECT "..."" (claim "OBJECT was ..."); a message signed with a person's name; "the Pope" as the one "Pope X".
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .cardgen_refer import PERSONAL, Referents
from .nlp import Entity, Reading, Sentence
from .nlp_kinds import ORG_WORDS
from .nlp_people import TITLES

SPEECH_VERBS = frozenset({
    "say", "tell", "write", "warn", "argue", "add", "note", "explain", "insist", "declare", "announce",
    "recall", "claim", "state", "conclude", "admit", "observe", "remark", "reply", "answer", "ask",
    "predict", "promise", "urge", "complain", "acknowledge", "suggest", "testify", "report", "describe",
})
DOCUMENT_NOUNS = frozenset({"report", "study", "paper", "survey", "document", "statement", "review",
                            "analysis", "agency", "ministry", "department", "group", "company", "firm",
                            "committee", "organisation", "organization", "government", "institute"})
MIN_WORDS = 5
LONG_WORDS = 45
_QUOTE = re.compile(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"]+)\"")
_WINDOW = 4
ROUND6 = True  # reported clauses ending in a quotation, colon-introduced sayings (docs/cardgen.md, Round 6)
SAYING_NOUNS = frozenset({"saying", "words", "line", "motto", "remark", "statement", "reply", "verdict", "message",
                          "advice", "maxim", "slogan", "conclusion", "comment", "answer", "quip", "dictum"})
ROUND7 = True  # short quotations in reported clauses, "called X "..."", signed messages, "the Pope" (docs/cardgen.md)
_CALLED = re.compile(r"\b(called|declared|pronounced|described)\s+((?:the\s+)?[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,3}?)\s+(as\s+)?$")
_PRONOUNS = frozenset({"it", "they", "this", "that", "these", "those", "he", "she", "we", "i", "you", "there"})


@dataclass(frozen=True)
class Quote:
    sentence: Sentence
    speaker: str
    person: bool          # a person (else an organisation)
    claim: str            # the quoted words, in the speaker's voice
    verb: str             # "said", "wrote", "warned", ...
    fragment: bool        # the quotation continues a sentence of the writer's ("warned that "...")
    resolved: bool        # the speaker was a pronoun or "the report"
    spans: tuple[tuple[int, int], ...]  # the quoted text's offsets in the whole text


def quote_spans(text: str, sent: Sentence) -> list[tuple[int, int]]:
    return [(m.start(g), m.end(g)) for m in _QUOTE.finditer(text, sent.start, sent.end) for g in [1 if m[1] is not None else 2]]


def _entity_at(sent: Sentence, start: int, end: int) -> Entity | None:
    return next((e for e in sent.entities if e.start <= start and end <= e.end + 3), None)


class Speakers:
    """Walks the sentences in order, remembering who the passage is about.

    Whether a person is "he" or "she" is learnt from the text itself: a sentence whose only person
    is P and that also says "he"/"his"/"him" (or "she"/"her") votes for P, and so does the next
    sentence when its subject is that pronoun.
    """

    def __init__(self, reading: Reading):
        self.reading = reading
        self.subjects: list[list[str]] = []   # per sentence: people who are main-clause subjects
        self.last_org: str | None = None
        self.mentions = Counter(reading.people.canonical(e.text) for s in reading.sentences
                                for e in s.entities if e.label == "PERSON")
        self.gender: dict[str, Counter] = {}
        self.vote_of: dict[int, Counter] = {}  # sentence start -> the votes it cast, (person, pronoun)
        previous, lead = None, (self.mentions.most_common(1) or [(None, 0)])[0][0]  # the person the text is about
        follows: list[tuple[str, str, int]] = []  # (person, pronoun, sentence start) of a next sentence
        bound: list[tuple[str, str]] = []  # (person, pronoun) read in a relative clause on the person
        for sent in reading.sentences:
            people = {reading.people.canonical(e.text) for e in sent.entities if e.label == "PERSON"}
            words = {t.lower_ for t in sent.tokens}
            subject = next((t for t in sent.tokens if t.dep_ in ("nsubj", "nsubjpass")
                            and t.head == sent.tokens.root), None)
            ent = subject is not None and _entity_at(sent, sent.token_start(subject), sent.token_end(subject))
            main = reading.people.canonical(ent.text) if ent and ent.label == "PERSON" else None
            # "Truman appointed her to ..., where she served. In her last years she ...": someone else of
            # that gender is here, so neither this sentence nor the next one's pronoun says P's gender
            other = {t.lower_ for t in sent.tokens if t.lower_ in ("him", "her") and t.dep_ in ("dobj", "dative", "pobj")}
            poss = {t.lower_ for t in sent.tokens if t.lower_ in ("his", "her") and t.dep_ == "poss"}
            if main and len(people) == 1:  # the only person, and the subject: "P ... when he ..."
                votes = self.gender.setdefault(main, Counter())
                cast = self.vote_of.setdefault(sent.start, Counter())  # not evidence for itself
                # a reflexive of the subject's own verb is the subject even beside an object "him" ("X spent
                # long hours in the caissons himself, and ... left him paralysed")
                own = {t.lower_ for t in sent.tokens if t.lower_ in ("himself", "herself")
                       and next((a for a in t.ancestors if a.pos_ in ("VERB", "AUX")), None) == subject.head}
                cast[main, "he"] += len(words & {"he", "his", "himself"}) if "him" not in other else len(own & {"himself"})
                # a lone possessive "her" beside P may be the woman the text is about (not evidence, nor its "She ...")
                cast[main, "she"] += (len(words & {"she", "hers", "herself"}) + ("her" in poss and main == lead)) \
                    if "her" not in other else len(own & {"herself"})
                votes.update({"he": cast[main, "he"], "she": cast[main, "she"]})
            if len(people) == 1:
                bound += self._bound(reading, sent)
            if previous and subject is not None and subject.lower_ in ("he", "she"):
                follows.append((previous, subject.lower_, sent.start))
            previous = main if len(people) == 1 and not other and (main == lead or "her" not in poss) else None
        for person, pronoun, start in follows:  # a weaker sign: not against the person's own sentences
            if not self.gender.get(person, Counter())["she" if pronoun == "he" else "he"]:
                self.gender.setdefault(person, Counter())[pronoun] += 1
                self.vote_of.setdefault(start, Counter())[person, pronoun] += 1
        for person, pronoun in bound:  # only when the text knows nobody else of that gender, nor P as the other
            if not self.gender.get(person, Counter())["she" if pronoun == "he" else "he"] and not any(
                    votes[pronoun] for other, votes in self.gender.items() if other != person):
                self.gender.setdefault(person, Counter())[pronoun] += 1
        opener = self._paragraph_openers(reading)
        self.refer = Referents(reading, self.gender, self.vote_of, _WINDOW, opener)

    @staticmethod
    def _bound(reading: Reading, sent: Sentence) -> list[tuple[str, str]]:
        """"P, who ... until her death": a his/her inside a relative clause on the sentence's only person. The
        grammar binds it to P unless the text knows someone else of that gender (checked by the caller), so it
        says P's gender in this sentence too (unlike the other votes, which are kept out of their own sentence)."""
        out = []
        for ent in (e for e in sent.entities if e.label == "PERSON"):
            for tok in sent.tokens:
                if tok.lower_ in ("his", "her") and tok.dep_ == "poss" and any(
                        a.dep_ == "relcl" and ent.start <= sent.token_start(a.head) < ent.end for a in tok.ancestors):
                    out.append((reading.people.canonical(ent.text), PERSONAL[tok.lower_]))
        return out

    def _paragraph_openers(self, reading: Reading) -> str | None:
        """A biography's convention: a paragraph whose first person is a subject "he"/"she" goes on about
        the person the headline names. When two paragraphs or more open so, all with the same pronoun,
        and nothing in the text shows the headline's person to be the other, each such pronoun is a vote
        for that person (not evidence for its own sentence, `vote_of`), and that person is returned:
        such a paragraph's first pronoun is that person (`Referents._recent_subject`)."""
        headline = set(re.findall(r"\w+", reading.titles()))
        named = [p for p, _ in self.mentions.most_common() if headline & set(p.split())]
        if not named:
            return None
        main, openers = named[0], []
        paragraphs: dict[int, list[Sentence]] = {}
        for sent in reading.sentences:
            paragraphs.setdefault(sent.paragraph, []).append(sent)
        for paragraph in sorted(paragraphs):
            for sent in paragraphs[paragraph]:
                people = [sent.token_start(t) for t in sent.tokens for e in sent.entities
                          if e.label == "PERSON" and e.start <= sent.token_start(t) < e.end]
                first = next((t for t in sent.tokens if t.lower_ in ("he", "she") and t.dep_ in ("nsubj", "nsubjpass")
                              and not any(at < sent.token_start(t) for at in people)), None)
                if first is not None:
                    openers.append((first.lower_, sent.start))
                if people or first is not None:
                    break
        pronouns = {p for p, _ in openers}
        if len(openers) < 2 or len(pronouns) != 1:
            return None
        (pronoun,) = pronouns
        if self.gender.get(main, Counter())["she" if pronoun == "he" else "he"]:
            return None
        for _, start in openers:
            self.gender.setdefault(main, Counter())[pronoun] += 1
            self.vote_of.setdefault(start, Counter())[main, pronoun] += 1
        return main

    def _fits(self, person: str, pronoun: str | None) -> bool:
        """Whether the text shows that `pronoun` can stand for `person` (no evidence: no)."""
        if pronoun is None:
            return True
        votes = self.gender.get(person, Counter())
        other = "she" if pronoun == "he" else "he"
        return votes[pronoun] > votes[other]

    def name(self, text: str) -> str:
        """The full name a mention stands for here: among several, the one the passage is about."""
        people = self.reading.people
        matches = people.matches(text) if len(text.split()) == 1 else []
        if len(matches) > 1:
            recent = Counter(p for names in self.subjects[-_WINDOW:] for p in names if p in matches)
            if recent:
                return max(recent, key=lambda p: (recent[p], self.mentions[p], p))
        return people.canonical(text)

    def salient_person(self, pronoun: str | None = None) -> str | None:
        """Who "he"/"she" stands for: most often a subject in the last four sentences, of that gender."""
        recent = Counter(p for people in self.subjects[-_WINDOW:] for p in people if self._fits(p, pronoun))
        if not recent:
            return None
        return max(recent, key=lambda p: (recent[p], self.mentions[p], p))

    def see(self, sent: Sentence) -> None:
        """Record the sentence (call after its cards are made)."""
        people = []
        root = sent.tokens.root
        main = {root} | set(root.conjuncts)
        for token in sent.tokens:
            if token.dep_ in ("nsubj", "nsubjpass") and token.head in main:
                ent = _entity_at(sent, sent.token_start(token), sent.token_end(token))
                if ent is not None and ent.label == "PERSON":
                    people.append(self.name(ent.text))
                elif token.lower_ in ("he", "she"):
                    person = self.salient_person(token.lower_)
                    if person:
                        people.append(person)
        self.subjects.append(people)
        orgs = [e for e in sent.entities if e.label == "ORG"]
        if orgs:
            self.last_org = orgs[-1].text

    def resolve(self, sent: Sentence, token) -> tuple[str | None, bool, bool]:
        """(speaker, is a person, resolved from a pronoun or a description) for a subject token."""
        ent = _entity_at(sent, sent.token_start(token), sent.token_end(token))
        if ent is None and token.pos_ == "NOUN":  # "The American geologist Rollin Chamberlin complained"
            named = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            ent = _entity_at(sent, sent.token_start(named), sent.token_end(named)) if named is not None else None
        people = self.reading.people
        if ent is not None and ent.label in ("PERSON", "ORG"):
            if ent.label == "PERSON" or people.is_person(ent.text):
                return self.name(ent.text), True, False
            return ent.text, False, False
        low = token.lower_
        if ROUND7 and low in TITLES and any(c.lower_ == "the" for c in token.children):
            return self._titled(low), True, True
        if low in ("he", "she"):
            return self.refer.person(sent, token), True, True
        if low == "they" or (token.pos_ == "NOUN" and token.lemma_.lower() in DOCUMENT_NOUNS | ORG_WORDS
                             and any(c.lower_ == "the" for c in token.children)):
            return self.refer.organisation(sent, token), False, True
        return None, False, False


    def _titled(self, title: str) -> str | None:
        """"the Pope": the one person the text names right after that title ("Pope Innocent III")."""
        text, n = self.reading.text, len(title) + 1
        found = {self.reading.people.canonical(e.text) for s in self.reading.sentences for e in s.entities if e.label == "PERSON"
                 and (text[max(0, e.start - n):e.start].lower() == title + " " or e.text.lower().startswith(title + " "))}
        return found.pop() if len(found) == 1 else None


def _speech_verb(sent: Sentence, spans: list[tuple[int, int]]):
    def outside(tok) -> bool:
        a = sent.token_start(tok)
        return not any(s <= a < e for s, e in spans)

    verbs = [t for t in sent.tokens if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_VERBS and outside(t)]
    according = [t for t in sent.tokens if t.lower_ == "according" and outside(t)]
    if not verbs and not according:
        return None, None
    first = spans[0][0]
    if verbs:
        verb = min(verbs, key=lambda t: abs(sent.token_start(t) - first))
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and outside(c)), None)
        if subj is not None:
            return verb, subj
    for acc in according:
        to = next((c for c in acc.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        if obj is not None:
            by = next((c for c in obj.subtree if c.lower_ == "by"), None)
            pobj = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
            return None, pobj or obj
    return None, None


def quotes_in(reading: Reading, sent: Sentence, speakers: Speakers) -> list[Quote]:
    text = reading.text
    spans = quote_spans(text, sent)
    long_spans = [(a, b) for a, b in spans if len(text[a:b].split()) >= MIN_WORDS]
    if ROUND7 and spans and (found := _signed(reading, sent, long_spans) or _round7(reading, sent, speakers, spans, long_spans)):
        return found
    if not long_spans:
        return []
    verb, subj = _speech_verb(sent, long_spans)
    if subj is None:
        return _introduced(reading, sent, speakers, long_spans) if ROUND6 else []
    speaker, person, resolved = speakers.resolve(sent, subj)
    if not speaker:
        return []
    claim = " ".join(" ".join(text[a:b].split()).strip().rstrip(",;:") for a, b in long_spans)
    before = text[sent.start:long_spans[0][0]].rstrip("\u201c\" ")
    fragment = claim[:1].islower() and before.lower().endswith("that")
    if claim[:1].islower() and not fragment:
        reported = _reported(text, sent, verb, long_spans) if ROUND6 and verb is not None else None
        if reported is None:
            return []  # a piece of someone's sentence ("described as more ..."), not a claim
        claim, fragment = reported, True
    if verb is None or verb.lemma_ in ("tell", "add", "report", "answer") or verb.tag_ != "VBD":
        word = "said"
    else:
        word = verb.lower_
    return [Quote(sent, speaker, person, claim, word, fragment, resolved, tuple(long_spans))]


def _reported(text: str, sent: Sentence, verb, spans: list[tuple[int, int]]) -> str | None:
    """The clause after "that" of a speech verb, up to the end of a quotation it ends with, without the
    quotation marks ("the five-dollar day was one of the finest ..."), or None (its subject a pronoun:
    "that it was "the day ..."", or the quotation not inside the clause)."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if ROUND7 and clause is None:  # "told a visitor who knew him that ...": the parse hangs the clause lower down
        clause = next((c for c in verb.subtree if c.dep_ == "ccomp" and c.head.dep_ == "relcl"), None)
    that = next((c for c in clause.children if c.dep_ == "mark" and c.lower_ == "that"), None) if clause is not None else None
    if that is None:
        return None
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    start, end = sent.token_end(that), spans[-1][1]
    if subj is None or subj.lower_ in _PRONOUNS or not sent.token_start(clause.left_edge) <= spans[0][0] \
            or spans[0][0] > sent.token_end(clause.right_edge) or end - start > 400:
        return None
    words = re.sub(r"[\u201c\u201d\"]", "", text[start:end])
    return " ".join(words.split()).strip().rstrip(",;:")


def _introduced(reading: Reading, sent: Sentence, speakers: Speakers, spans: list[tuple[int, int]]) -> list[Quote]:
    """A quotation a colon introduces after a noun of saying and its owner: "One of her sayings is still
    quoted by programmers: "..."" (her: the one person the pronoun can be), "Its statement put it bluntly:"."""
    text = reading.text
    before = text[sent.start:spans[0][0]].rstrip("\u201c\" ")
    if not before.endswith(":"):
        return []
    colon = sent.start + len(before) - 1
    nouns = [t for t in sent.tokens if sent.token_start(t) < colon and t.pos_ == "NOUN"
             and t.lemma_.lower() in SAYING_NOUNS]
    owner = next((c for n in nouns for c in n.children if c.dep_ == "poss"), None)
    if owner is None:
        return []
    if owner.lower_ in ("his", "her"):
        speaker, person, resolved = _owner(reading, sent, speakers, owner), True, True
    elif owner.lower_ in ("its", "their"):
        speaker, person, resolved = speakers.refer.organisation(sent, owner), False, True
    else:
        speaker, person, resolved = speakers.resolve(sent, owner)
    claim = " ".join(" ".join(text[a:b].split()).strip().rstrip(",;:") for a, b in spans)
    if not speaker or claim[:1].islower():
        return []
    return [Quote(sent, speaker, person, claim, "said", False, resolved, tuple(spans))]


def _owner(reading: Reading, sent: Sentence, speakers: Speakers, token) -> str | None:
    """Who a possessive "his"/"her" stands for: as `Referents.person` finds it, else the one person named
    in the paragraph before it whom the text shows to be that pronoun, else (no one named there can be
    that pronoun: "President Barack Obama awarded her ... One of her sayings") the person the text is
    about (`Referents.main`) when the text shows them to be that pronoun."""
    found = speakers.refer.person(sent, token)
    if found:
        return found
    pronoun = "he" if token.lower_ == "his" else "she"
    at = sent.token_start(token)
    named = {reading.people.canonical(e.text) for s in reading.sentences if s.paragraph == sent.paragraph
             for e in s.entities if e.label == "PERSON" and e.start < at}
    fits = {p for p in named if speakers._fits(p, pronoun)}
    if len(fits) == 1 and len(named) == 1:
        return fits.pop()
    main = speakers.refer.main
    return main if not fits and main and speakers._fits(main, pronoun) else None


def _round7(reading: Reading, sent: Sentence, speakers: Speakers, spans, long_spans) -> list[Quote]:
    """"X called Y "the greatest ..."" -> "Y was the greatest ..."; "told ... that Y was "..."" ending the sentence."""
    text, verb, claim = reading.text, None, None
    a, b = spans[-1]
    m = _CALLED.search(text[sent.start:a].rstrip("\u201c\""))
    if m and (m.group(1) == "described") == bool(m.group(3)) and not {m[2].split()[0].lower(), m[2].split()[-1].lower()} \
            & _PRONOUNS and (m[2][:1].isupper() or m[2].startswith("the ")) and len(text[a:b].split()) >= 3 \
            and text[a:b][:1].islower():
        verb = next((t for t in sent.tokens if sent.token_start(t) == sent.start + m.start(1)), None)
        claim = f"{m[2]} {'was' if verb is not None and verb.tag_ == 'VBD' else 'is'} {' '.join(text[a:b].split()).rstrip(',;:.')}"
    elif not long_spans:
        verb, _ = _speech_verb(sent, spans)
        claim = _reported(text, sent, verb, spans) if verb is not None else None
        if claim is None or len(claim.split()) < MIN_WORDS or text[b:sent.end].strip("\u201d\" .,;!?"):
            return []
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")] if verb is not None and claim else []
    speaker, person, resolved = next((r for c in subjects if (r := speakers.resolve(sent, c))[0]), (None, False, False))
    lemma = verb.lemma_ if verb is not None else ""
    word = verb.lower_ if speaker and verb.tag_ == "VBD" and lemma not in ("tell", "add", "report", "answer", "call", "describe") else "said"
    return [Quote(sent, speaker, person, claim, word, True, resolved, tuple(spans))] if speaker else []


def _signed(reading: Reading, sent: Sentence, spans) -> list[Quote]:
    """A message whose last quoted sentence is a person's name alone: that person's ("... Antarctic. Amundsen.")."""
    for a, b in spans:
        body, _, name = reading.text[a:b].rstrip(". ").rpartition(". ")
        if body and re.fullmatch(r"[A-Z][\w'-]+(?: [A-Z][\w'-]+)?", name) and reading.people.is_person(name) \
                and len(body.split()) >= MIN_WORDS - 1:
            return [Quote(sent, reading.people.canonical(name), True, " ".join(body.split()), "wrote", False, False, ((a, b),))]
    return []
