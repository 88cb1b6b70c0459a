"""Cards that need the sentence before through a definite noun phrase (pure; round 6).

A paragraph names its subject once and then says "the city", "the trial", "this number". A card made
from such a sentence does not read alone. Two things are worked out once per text:

* **named** (`Context.cuts`): a bare "the city"/"the company" (a kind noun of places or bodies, see
  `_NAMED_KINDS`) whose paragraph names exactly one thing of that kind in the nearest sentence before
  that names any, and which its own sentence does not name, becomes that name ("The city ran a
  seven-month trial ..." after "In Stockholm ..." -> "Stockholm ran a seven-month trial ...");
* **leaning** (`Context.leans`): any other bare definite noun phrase that points back: "this/that/
  these/those NOUN" and "such NOUNs" with nothing after them saying which; "the NOUN" when the
  paragraph's sentences before (up to three) use the same noun ("a seven-month trial ... the trial")
  or name something of that noun's kind ("the Harvard Mark I ... the machine"); an opening "Instead"
  or an "afterwards". The card is dropped.

A bare noun phrase is a determiner, at most a word that does not say which ("final", "original",
"new"), and the noun, with no "of"-phrase, relative clause or apposition after it. A noun of the
headline ("the barrier" in a text headed "The Thames Barrier") is the subject of the text and never
leans. These are English words, not any text's.
"""
from __future__ import annotations

import re

from .cardgen_pick import leans_on_one, named_in

_DETS = ("the", "this", "that", "these", "those")
_VAGUE = frozenset({"final", "original", "new", "first", "initial", "whole", "entire", "latter", "former",
                    "next", "overall", "full", "old", "actual", "eventual", "resulting"})
_PLACE = ("GPE",)
_BODY = ("ORG",)
_THING = ("NAME", "PRODUCT", "TERM", "LAW")
_PEOPLE = frozenset({"team", "crew", "group", "family", "staff", "couple", "pair"})  # "the team" of the people named
# kind nouns -> the entity labels of what they may stand for (English words, not any text's names)
_NAMED_KINDS = {**dict.fromkeys(("city", "town", "capital", "village", "country", "port", "colony"), _PLACE),
                **dict.fromkeys(("company", "firm", "corporation", "carmaker", "manufacturer", "bank", "airline",
                                 "agency", "party", "union", "university", "institute", "council", "committee"), _BODY)}
_THING_KINDS = dict.fromkeys((
    "machine", "computer", "device", "car", "ship", "vessel", "vaccine", "drug", "medicine", "treatment",
    "plan", "scheme", "programme", "program", "project", "law", "act", "bill", "treaty", "agreement", "accord",
    "report", "book", "paper", "structure", "bridge", "barrier", "dam", "canal", "tower", "building", "model",
    "product", "language", "zone", "mission", "campaign"), _THING)
_BACK = 3  # sentences of the paragraph looked back at
_YEAR = re.compile(r"1[0-9]{3}|20[0-9]{2}")
_STEP = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "same": 0}  # "the following year" after 1962
_THEN = frozenset({"year", "month", "week", "day", "decade", "summer", "winter", "spring", "autumn", "time"})
# nouns for something the text has just said (a plan, an idea, a finding): a bare "the idea" is the one before
_SAID = frozenset({"idea", "decision", "move", "measure", "step", "result", "outcome", "finding", "discovery",
                   "proposal", "scheme", "strategy", "suggestion", "argument", "claim", "theory", "conclusion"})


def _bare(noun) -> str | None:
    """The determiner of a bare definite noun phrase ("the city", "this number", "the original plan"), or None."""
    after = noun.nbor(1) if noun.i + 1 < len(noun.doc) else None
    if noun.pos_ != "NOUN" or noun.ent_type_ or noun.dep_ == "compound" or after is not None \
            and after.pos_ in ("NOUN", "PROPN") and (noun.head == after or after.dep_ in (noun.dep_, "appos")):  # "the guide RNA"
        return None
    det = None
    for c in noun.children:
        if c.dep_ == "det" and c.lower_ in _DETS and c.i < noun.i:
            det = c
        elif c.dep_ == "amod" and c.lower_ in _VAGUE and c.i < noun.i or c.is_punct and c.i > noun.i:
            continue
        else:
            return None  # "the land of the estuary", "the cell that ...", "the guide RNA", "his plan"
    return det.lower_ if det is not None else None


def _such(token) -> bool:
    return token.lower_ == "such" and token.dep_ in ("amod", "predet") and token.head.pos_ == "NOUN" \
        and token.head.tag_ == "NNS" and not any(c.lower_ == "as" for c in token.head.children)


def _main(noun) -> bool:
    """In the main clause: not inside a relative, adverbial or complement clause nor a prepositional phrase
    ("call this effect ...", "this number is ..."; not "a lecture that challenged this view")."""
    return not any(t.dep_ in ("relcl", "acl", "advcl", "pcomp", "prep", "pobj") or t.dep_ == "ccomp" and t.i > t.head.i
                   for t in [noun, *noun.ancestors])  # a clause before ";" may be parsed as the other's ccomp


def _unquoted(sent) -> list:
    """The sentence's tokens outside quotation marks (one pass)."""
    out, curly, straight = [], 0, False
    for t in sent.tokens:
        if not (curly > 0 or straight):
            out.append(t)
        curly += t.text.count("\u201c") - t.text.count("\u201d")
        straight ^= t.text.count('"') % 2 == 1
    return out


def title_nouns(titles: str) -> frozenset[str]:
    """The singular nouns of the title and headings, lower case ("bridge" of "The Building of the Brooklyn Bridge";
    not "charges" of "Congestion Charges Work": a plural names a kind, not the one thing "the charge" would be)."""
    if not titles.strip():
        return frozenset()
    from .nlp import pipeline  # the loaded model (no import cycle at module level)

    return frozenset(t.lower_ for t in pipeline()(titles) if t.tag_ in ("NN", "NNP") and t.is_alpha)


class Context:
    def __init__(self, text: str, sentences, titles: str = "", cuts=None):
        self.text, self.sentences = text, sentences
        self.subject_words = {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]+", titles)}
        if sentences:  # "Krakatoa was a small volcanic island": "the island" is the text's subject
            self.subject_words |= {t.lemma_.lower() for t in sentences[0].tokens if t.pos_ == "NOUN"
                                   and t.dep_ in ("nsubj", "attr") and t.head.dep_ == "ROOT"}
        self.titles = titles
        self.title_nouns = title_nouns(titles)
        self.cuts: dict[int, list[tuple[int, int, str]]] = {k: list(v) for k, v in (cuts or {}).items()}
        self._leaning: set[int] = set()
        self._lean_at: dict[int, int] = {}  # sentence start -> the last token that leans (for a trimmed card)
        self._whole_leans: dict[int, bool] = {}  # `leans_on_one` of the sentence, and of its part after a trim
        self._rest_leans: dict[int, bool] = {}
        self._intro: dict[int, set[str]] = {}
        self._trim: dict[int, int] = {}  # sentence start -> the token index after a trimmed opening time phrase
        for i, sent in enumerate(sentences):
            before = [s for s in sentences[max(0, i - _BACK):i] if s.paragraph == sent.paragraph]
            self._whole_leans[sent.start] = leans_on_one(sent.tokens, self.title_nouns)
            self._read(sent, before)
            self._year_after(sent, sentences[i - 1] if i and sentences[i - 1].paragraph == sent.paragraph else None)
            self._trim_opening(sent)
            if sent.start in self._trim:
                self._rest_leans[sent.start] = leans_on_one(sent.tokens.doc[self._trim[sent.start]:sent.tokens.end], self.title_nouns)

    def leans(self, sent, at: int | None = None) -> bool:
        """Whether a card of the sentence needs the sentence before (`cardgen_pick.leans_on_one` too). `at`: where a
        cloze's answer starts; a card whose answer lies after a trimmed opening ("Later that year", "Production
        ended soon afterwards, and") drops that opening and leans only if the rest does (not a why card's question)."""
        k = self._trim.get(sent.start)
        if at is not None and k is not None and at >= sent.token_start(sent.tokens.doc[k]):
            return self._lean_at.get(sent.start, -1) >= k or self._rest_leans[sent.start]
        return sent.start in self._leaning or self._whole_leans[sent.start]

    def kind_leaning(self, sent) -> tuple[str, tuple[str, ...]] | None:
        """The place or body noun the sentence leans on ("the committee") and the entity labels it stands for."""
        at = self._lean_at.get(sent.start)
        nouns = [sent.tokens.doc[at]] if at is not None else [t for t in sent.tokens if _bare(t)]  # "The port handled ..."
        for noun in nouns:
            lemma = noun.lemma_.lower()
            if lemma in _NAMED_KINDS:
                return lemma, _NAMED_KINDS[lemma]
        return None

    def _year_after(self, sent, prev) -> None:
        """ "Silver died the following year" after a sentence with one year (1962): "Silver died in 1963". "The
        following/next/previous/same year" of a sentence with no year of its own becomes that year when the sentence
        before names exactly one; with none there, the card leans on it (with several, the lead says which)."""
        if any(_YEAR.fullmatch(t.text) for t in sent.tokens):
            return  # "adopted the change in 1918 but repealed it the following year": said on the card
        for noun in sent.tokens:
            if noun.lower_ != "year" or noun.dep_ == "compound":
                continue
            kids = [c for c in noun.children if c.i < noun.i]
            step = next((_STEP[c.lower_] for c in kids if c.lower_ in _STEP), None)
            if step is None or [c.lower_ for c in kids if c.dep_ == "det"] != ["the"] or len(kids) != 2 \
                    or any(c.i > noun.i and c.dep_ in ("prep", "relcl", "acl") for c in noun.children):
                continue  # "the year of the flood", "the following year's harvest"
            years = {int(t.text) for t in (prev.tokens if prev is not None else []) if _YEAR.fullmatch(t.text)
                     and t.ent_type_ == "DATE"}
            if len(years) != 1:
                if not years:
                    self._lean(sent, noun)  # which year is in a sentence further back
                return
            year = str(next(iter(years)) + step)
            first = min(kids, key=lambda c: c.i)
            a, b = sent.token_start(first), sent.token_end(noun)
            if any(x < b and a < y for x, y, _ in self.cuts.get(sent.start, [])):
                return
            prep = first.i > sent.tokens.start and first.nbor(-1).dep_ == "prep" and first.nbor(-1).lower_ in ("in", "by", "until", "during")
            at_start = first.i == sent.tokens.start
            text = year if prep else ("In " if at_start else "in ") + year
            self.cuts.setdefault(sent.start, []).append((a, b, text))
            return

    def _trim_opening(self, sent) -> None:
        """ "Later that year Trimble and John Hume were awarded ...": a card without the opening time phrase reads
        alone ("Trimble and John Hume were awarded ..."), when the phrase is all before the main verb's subject."""
        toks, root = list(sent.tokens), sent.tokens.root
        subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        start = subj.left_edge.i if subj is not None else None
        time = next((t for t in toks[:4] if t.lemma_.lower() in _THEN and t.dep_ in ("npadvmod", "pobj", "advmod")), None)
        if time is not None and (start is None or start > time.i + 3):  # "Later that year Trimble and John Hume ...": a
            skip = {u.i for c in time.children if c.dep_ in ("appos", "conj", "cc") for u in c.subtree}  # parse with no subject
            span = [t for t in time.subtree if t.i not in skip]
            if span[0].i == toks[0].i and span[-1].i - span[0].i == len(span) - 1:
                start = span[-1].i + 1 + (toks[0].doc[span[-1].i + 1].text == "," if span[-1].i + 1 < toks[-1].i else 0)
        if start is None or start <= toks[0].i or start > toks[-1].i:
            return self._trim_clause(sent)
        opening = [t for t in toks if t.i < start]
        if any(t.ent_type_ and t.ent_type_ != "DATE" for t in opening):
            return self._trim_clause(sent)  # "In Paris that year": a card on Paris would keep "that year"
        if not any(t.lower_ in ("that", "the") and t.dep_ == "det" and t.head.lemma_.lower() in _THEN for t in opening) \
                and not any(t.lower_ == "later" and any(c.like_num or c.lower_ in ("years", "months") for c in t.subtree)
                            for t in opening) or any(t.ent_type_ == "DATE" and t.like_num for t in opening):
            return self._trim_clause(sent)  # "That year", "Two years later" (no date of its own: "In May of that year")
        first = toks[0].doc[start]
        if not self._whole_leans[sent.start] or leans_on_one(sent.tokens.doc[first.i:sent.tokens.end], self.title_nouns):
            return self._trim_clause(sent)  # "The following year, ..." does not lean: no trim
        k = first.i - toks[0].i
        a = sent.token_start(toks[0])
        if first.pos_ in ("PRON", "PROPN") or first.text[:1].isupper():
            self.cuts.setdefault(sent.start, []).append((a, sent.token_start(first), ""))
        else:
            self.cuts.setdefault(sent.start, []).append((a, sent.token_end(first), first.text[:1].upper() + first.text[1:]))
        self._trim[sent.start] = toks[0].i + k

    def _trim_clause(self, sent) -> None:
        """ "Production ended soon afterwards, and Ford's factories were closed ...": when everything that leans is in
        a first clause joined by ", and" to a clause with its own subject, a card on the second clause starts there."""
        toks, root = list(sent.tokens), sent.tokens.root
        last = self._lean_at.get(sent.start)
        if last is None and not self._whole_leans[sent.start]:
            return
        for conj in (c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
            subj = next((c for c in conj.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.pos_ == "PRON" or subj.left_edge.i < 2:
                continue
            first = subj.left_edge
            joint = toks[0].doc[first.i - 2:first.i]
            if [t.text for t in joint] != [",", "and"] or (last or -1) >= first.i \
                    or leans_on_one(toks[0].doc[first.i:sent.tokens.end], self.title_nouns):
                continue
            a, b = sent.token_start(toks[0]), sent.token_end(first)
            if any(t.pos_ == "PRON" for t in toks if t.i < first.i) \
                    or any(x < b and a < y for x, y, _ in self.cuts.get(sent.start, [])):
                return  # a he/she or a name of the first clause would be rewritten there, and the trim lost
            text = first.text if first.pos_ == "PROPN" or first.text[:1].isupper() else first.text[:1].upper() + first.text[1:]
            self.cuts.setdefault(sent.start, []).append((a, b, text))
            self._trim[sent.start] = first.i
            return

    def _lean(self, sent, token) -> None:
        self._leaning.add(sent.start)
        self._lean_at[sent.start] = max(self._lean_at.get(sent.start, -1), token.i)

    def _read(self, sent, before) -> None:
        tokens = _unquoted(sent)  # quoted words are the speaker's
        for t in tokens:
            if t.lower_ in ("afterwards", "afterward", "thereafter") and t.dep_ == "advmod" or _such(t):
                self._lean(sent, t)  # "Production ended soon afterwards": after what? "first saw such repeats"
        cut = [(a, b) for a, b, _ in self.cuts.get(sent.start, [])]
        for noun in tokens:
            det = _bare(noun)
            lemma = noun.lemma_.lower()
            if det is None or any(a <= sent.token_start(noun) < b for a, b in cut) or lemma in _PEOPLE \
                    or any(t.dep_ == "relcl" for t in noun.ancestors) \
                    or {lemma, noun.lower_.rstrip("s")} & self.subject_words:
                continue  # named ("the caisson disease"), people ("the team"), "X, who studied the trial", the text's subject
            if det != "the":
                if det in ("this", "that") and noun.tag_ == "NN" and _main(noun) \
                        and lemma not in ("time", "year", "day", "week", "month", "way"):
                    self._lean(sent, noun)  # "Scientists call this effect ...", "this number is ..."
                continue
            if any(t.i < noun.i and t.lemma_.lower() == lemma and t.pos_ == "NOUN" for t in tokens):
                continue  # "a trial ... and the trial": said on the card
            name = self._named(sent, noun, before)
            if name:
                det_tok = next(c for c in noun.children if c.dep_ == "det")
                self.cuts.setdefault(sent.start, []).append((sent.token_start(det_tok), sent.token_end(noun), name))
                continue
            if self._points_back(sent, noun, before) or lemma in _SAID and noun.tag_ == "NN" and before:
                self._lean(sent, noun)

    def _named(self, sent, noun, before) -> str | None:
        """The one name of the noun's kind in the nearest sentence before that names any."""
        labels = _NAMED_KINDS.get(noun.lemma_.lower())
        if labels is None or noun.tag_ != "NN" or any(e.label in labels for e in sent.entities):
            return None  # "Berlin ... the western half of the city": the city is on the card
        for prev in reversed(before):
            names = {e.text for e in prev.entities if e.label in labels}
            if not names:
                continue
            if len(names) > 1:  # "in the harbour of Halifax, Nova Scotia" under "The Halifax Explosion": the title's
                names = {n for n in names if named_in(n, self.titles)}  # place is the city the text is about
            if len(names) != 1:
                return None
            (name,) = names
            if name in sent.tokens.text:
                return None
            if labels == _BODY and noun.lemma_.lower() not in name.lower():
                return None  # "the committee" is no "Bureau of Weights and Measures": a body only by its own kind word
            # ("the company" -> "the Ford Motor Company", "the committee" -> "the Nobel Committee")
            at = next(e.start for e in prev.entities if e.text == name)
            if self.text[max(0, at - 4):at].lower() == "the ":  # "the Ford Motor Company"
                first = next(c for c in noun.children if c.dep_ == "det").i == sent.tokens.start
                return ("The " if first else "the ") + name
            return name
        return None

    def _introduced(self, sent) -> set[str]:
        """The nouns the sentence introduces with "a/an" (computed once per sentence)."""
        if sent.start not in self._intro:
            self._intro[sent.start] = {t.lemma_.lower() for t in sent.tokens if t.pos_ == "NOUN" and any(
                c.dep_ == "det" and c.lower_ in ("a", "an") for c in t.children)}
        return self._intro[sent.start]

    def _points_back(self, sent, noun, before) -> bool:
        """Whether the paragraph's sentences before use the noun or name something of its kind."""
        lemma = noun.lemma_.lower()
        if any(lemma in self._introduced(prev) for prev in before):
            return True  # "a seven-month trial ... the trial": introduced in the sentence before
        labels = _NAMED_KINDS.get(lemma) or _THING_KINDS.get(lemma)
        return bool(labels) and noun.tag_ == "NN" and any(e.label in labels for prev in before[-2:] for e in prev.entities) \
            and not any(e.label in labels for e in sent.entities)


bare, unquoted = _bare, _unquoted  # for `cardgen_refer` (a title person's sentence with a bare "the NOUN" subject)
