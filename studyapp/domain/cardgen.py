"""Candidate cards from an article's text (plain or Markdown). Pure, deterministic, no network.

`generate(text)` returns `Candidate`s, best first; `analyse(text)` also says what was dropped and why. The text is
read by spaCy's small English model (`nlp.read`: sentences, repaired entities, the people named); furniture
(headlines, bullets, bylines, captions, bios) is dropped first (`textscan`). Every candidate carries a validated
`Note` with its quiz material: `category`, `statement` (the true sentence), for who-said cards `speaker` + `claim`.

Candidates, per sentence (rules and measured quality: docs/cardgen.md): **why** (`cardgen_why`): "Why ...?" from
the parse, else a cloze of the reason; **quote** (`cardgen_quotes`): "Who said: “...”?", speaker resolved;
**date**, **figure**, **person**, **organisation**, **place**, **event**, **treaty**, **term**: a whole entity
(`nlp`); "Who ...?" / "When ...?" when the parse allows (`cardgen_ask`), else a cloze.

A card whose sentence leans on the one before ("the researchers", "it", "At the end") carries that sentence as its
lead (`cardgen_lead`); an argument's "Second," or "Moreover," is left off. Dropped (reasons in `analyse`): too little
context, an answer repeated in its sentence, a name used four times or more, a place not the point of its clause, a
sentence leaning on one that cannot lead it, a pronoun with no referent in the card or its lead (`cardgen_refer`), a
deletion glued to a word, a second card on one name or fact, an answer a better card of the sentence shows,
near-duplicates, over two cards from a sentence (three: 30+ words, a new person, a place doing a dated deed). Score:
P(a teacher keeps the card as it stands), learned from labels (`cardgen_rank`); `BASE_SCORE` orders drafts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import cardgen_ask as ask
from . import cardgen_figures, cardgen_it, cardgen_lead, cardgen_rank, cardgen_salient, nlp, nlp_kinds, textscan
from . import cardgen_pick as pick
from .cardgen_pick import clause_of, named_in, place_is_point, same_answer, separate_fact, short_fact, shows, span_root
from .cardgen_quotes import Speakers, quotes_in
from .cardgen_types import Analysis, Candidate, Dropped  # noqa: F401  (Candidate: re-exported)
from .cardgen_why import whys
from .notes import AnswerKind, validate_note

MIN_CONTEXT_WORDS = 6
DUPLICATE_AT = 85
FREQUENT = 4
PER_SENTENCE = 2
SECOND_CARD = 0.10  # score taken off a second (third) card of one sentence's fact
LONG_SENTENCE = 45
BASE_SCORE = {"why": 0.85, "quote": 0.80, "date": 0.78, "person": 0.74, "figure": 0.72, "term": 0.72, "event": 0.70,
              "treaty": 0.70, "organisation": 0.62, "place": 0.52, "concept": 0.50}
_REASON_OF = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
              "EVENT": "event", "LAW": "treaty", "DATE": "date", "CARDINAL": "figure", "QUANTITY": "figure",
              "PERCENT": "figure", "MONEY": "figure", "TIME": "figure", "TERM": "term", "NAME": "term", "RARE": "concept"}
_KIND_OF = {"person": AnswerKind.PERSON, "organisation": AnswerKind.ORGANISATION, "place": AnswerKind.PLACE,
            "event": AnswerKind.EVENT, "treaty": AnswerKind.TREATY, "figure": AnswerKind.NUMBER,
            "term": AnswerKind.TERM, "concept": AnswerKind.TERM}
_LEANS = re.compile(r"^(?:They|Their|The (?:first|second|third|fourth|last|latter|former),)\s")
_LEANS_WHY = "the sentence leans on the one before (They ..., The first, ...)"
_PRONOUN_START = re.compile(r"^(?:He|She|It|They|This|These|Those|Its|Their|His|Her|Both)\b")
_YEARISH = re.compile(r"^(?:1\d|20)\d\d(?:'?s)?$")


def _squash(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> int:
    return len(re.findall(r"[\w'\u2019]+", text))


def _slug(text: str, limit: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")


@dataclass
class _Draft:
    """A candidate before its note is validated."""

    sentence: nlp.Sentence
    reason: str
    score: float
    fields: dict
    answer: str
    name: str | None = None      # canonical name, for one card per name
    source_start: int | None = None
    position: int = 0            # where the answer is in the text (ties: the earlier first)
    clause: int | None = None    # the verb heading the answer's clause (`cardgen_pick.clause_of`)
    leans: str | None = None     # why the sentence needs the one before: a lead (`cardgen_lead`) or no card
    led: bool = False            # the lead is on the card
    first: bool = False          # a place that was "the first ... to" or did a dated deed (`cardgen_pick.named_doer`)


class _Generator:
    def __init__(self, text: str, title: str | None = None):
        self.text = text
        self.reading = nlp.read(text, title)
        self.people = self.reading.people
        self.drafts: list[_Draft] = []
        self.dropped: list[Dropped] = []
        blocks = textscan.blocks(text)
        for (s, e), why in sorted(self.reading.dropped_lines.items()):
            block = next((b.number for b in blocks if b.start <= s < b.end), None)
            self.dropped.append(Dropped(text[s:e], block, why))
        self.titles = self.reading.titles()
        self.counts: dict[str, int] = {}  # mentions of each name in the text (people are not counted)
        for sent in self.reading.sentences:
            for ent in sent.entities:
                if ent.label != "PERSON" and ent.text not in self.counts:
                    self.counts[ent.text] = pick.mentions(text, ent.text)

    def _drop(self, sent: nlp.Sentence, reason: str, answer: str | None = None) -> None:
        self.dropped.append(Dropped(sent.text_of(self.text), sent.paragraph, reason, answer))

    def _source(self, sent: nlp.Sentence) -> str:
        return sent.text_of(self.text)

    def _adjust(self, sent: nlp.Sentence, cloze: bool) -> float:
        source = self._source(sent)
        adjust = -0.15 if _words(source) > LONG_SENTENCE else 0.0
        if cloze and _PRONOUN_START.match(source):
            adjust -= 0.10
        return adjust

    # --- quotes ------------------------------------------------------------------------------------
    def _quote(self, quote) -> None:
        sent = quote.sentence
        lead = f"Who {quote.verb} that" if quote.fragment else f"Who {quote.verb}:"
        statement = (f"{quote.speaker} {quote.verb} that \u201c{quote.claim}\u201d" if quote.fragment
                     else f"{quote.speaker} {quote.verb}: \u201c{quote.claim}\u201d")
        score = BASE_SCORE["quote"] + self._adjust(sent, False) - (0.05 if quote.resolved else 0.0)
        score -= 0.10 if len(quote.claim.split()) > 45 else 0.0
        alternatives = [last] if quote.person and (last := pick.surname(quote.speaker)) else []
        prompt = f"{lead} \u201c{quote.claim.rstrip('.')}\u201d?"
        self.drafts.append(_Draft(sent, "quote", score, dict(
            type="basic", kind="argument", prompt=prompt, answer=quote.speaker,
            category="person" if quote.person else "organisation", speaker=quote.speaker, claim=quote.claim,
            statement=statement, alternatives=alternatives, explanation=_squash(self._source(sent))),
            quote.speaker))

    # --- why ---------------------------------------------------------------------------------------
    def _why(self, why) -> None:
        sent = why.sentence
        source_text = self.text[why.source_start:sent.end]
        reason_text = _squash(self.text[why.start:why.end])
        leans = "the sentence leans on the one before (such a ..., the same ...)" if self.speakers.refer.context.leans(sent) else None
        if why.question:
            fields = dict(type="basic", prompt=why.question, answer=why.answer,
                          alternatives=[reason_text] if reason_text != why.answer else [],
                          explanation=_squash(source_text))
            score = BASE_SCORE["why"] + 0.05 - why.penalty
        elif why.source_start == sent.start and not _LEANS.match(self._source(sent)):
            fields = dict(type="cloze", prompt=self._cloze(sent, why.start, why.end))
            score = BASE_SCORE["why"] - 0.05 - why.penalty
        else:
            return
        statement = _squash(source_text) if why.question else self._statement(sent)
        fields.update(kind="argument", category="reason", statement=statement)
        self.drafts.append(_Draft(sent, "why", score + self._adjust(sent, why.question is None), fields,
                                  reason_text, source_start=why.source_start, leans=leans))

    # --- entities ----------------------------------------------------------------------------------
    def _he(self, sent: nlp.Sentence) -> str | None:
        """The person a "he"/"she" subject of the sentence's main verb stands for."""
        root = sent.tokens.root
        subj = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ not in ("he", "she"):
            return None
        return self.speakers.refer.person(sent, subj)

    def _it(self, sent: nlp.Sentence) -> str | None:
        """The thing an "it" subject of the sentence's main verb stands for (`cardgen_it`)."""
        root = sent.tokens.root
        subj = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ not in ("it", "they"):
            return None
        at = sent.token_start(subj)
        name = next((name for a, _, name in self.speakers.refer.things.get(sent.start, []) if a == at), None)
        return "the " + name[4:] if name and name.startswith("The ") else name  # inside a question

    def _cloze(self, sent: nlp.Sentence, a: int, b: int) -> str:
        """The sentence with text[a:b] deleted; its subject "he"/"she" becomes the person's name."""
        return self._render(sent, (a, b, "{{c1::" + self.text[a:b] + "}}"))

    def _statement(self, sent: nlp.Sentence) -> str:
        return self._render(sent)

    def _render(self, sent: nlp.Sentence, deletion: tuple[int, int, str] | None = None) -> str:
        """The sentence with a deletion and the main verb's resolved "he"/"she" subject named, wherever it
        stands ("As a boy Frederick Douglass was sent to ...")."""
        cuts = [deletion] if deletion else []
        cuts = cardgen_lead.without_connective(self.text, sent, cuts)  # "Second, a fund ..." -> "A fund ..."
        subj = next((c for c in sent.tokens.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        name = self._he(sent) if subj is not None else None
        if name:
            s, e = sent.token_start(subj), sent.token_end(subj)
            if not any(a < e and s < b for a, b, _ in cuts):
                cuts.append((s, e, name))
        other = cardgen_it.person_cut(self.speakers.refer, sent, bool(name))  # "..., and he answered"
        if other and not any(a < other[1] and other[0] < b for a, b, _ in cuts):
            cuts.append(other)
        for s, e, thing in self.speakers.refer.things.get(sent.start, []):  # "Stalin lifted the blockade"
            if not any(a < e and s < b for a, b, _ in cuts):
                cuts.append((s, e, thing))
        out, pos = "", sent.start
        for a, b, piece in sorted(cuts):
            out += self.text[pos:a] + piece
            pos = b
        return _squash(out + self.text[pos:sent.end])

    def _token_range(self, sent: nlp.Sentence, ent: nlp.Entity) -> tuple[int, int] | None:
        toks = [t for t in sent.tokens if ent.start <= sent.token_start(t) < ent.end]
        return (toks[0].i, toks[-1].i + 1) if toks else None

    def _entity(self, sent: nlp.Sentence, ent: nlp.Entity, quoted: list[tuple[int, int]]) -> None:
        reason = _REASON_OF.get(ent.label)
        if reason is None:
            return
        answer = ent.text
        source = self._source(sent)
        if any(s <= ent.start < e for s, e in quoted):
            return  # inside a quotation: the who-said card tests it
        rng = self._token_range(sent, ent)
        if rng is None:
            return
        if _words(source) - _words(answer) < MIN_CONTEXT_WORDS and not short_fact(sent.tokens.root, reason, rng):
            self._drop(sent, "too little context", answer)
            return
        again = answer.split()[-1] if reason == "person" else answer
        if len(re.findall(rf"(?<![\w]){re.escape(again)}(?![\w])", source)) > 1 or pick.gives_itself_away(answer, sent, reason):
            self._drop(sent, "answer appears elsewhere in the sentence", answer)
            return
        head, root = sent.tokens.doc[rng[1] - 1], span_root(sent.tokens.doc, *rng)
        if pick.cuts_a_name(sent.tokens, rng, title_before=reason == "person") or pick.one_of_a_list(sent.tokens, rng) \
                or pick.glued(self.text, ent.start, ent.end):
            self._drop(sent, "the deletion cuts a name, a numbered pair or a list of numbers short", answer)
            return
        if reason not in ("date", "figure") and head.dep_ in ("compound", "amod") and head.head.pos_ == "NOUN":
            return  # a name used as a modifier ("Jupiter missiles"): not a fact about the name
        if reason == "figure" and (idle := cardgen_figures.idle(self.text, ent.start, answer)):
            return self._drop(sent, idle, answer)
        if reason == "place" and not place_is_point(root):
            self._drop(sent, "a place that is not the point of its clause", answer)
            return
        if reason == "organisation" and len(answer.split()) == 1 and root.dep_ == "pobj" and root.head.lower_ == "of" \
                and root.head.head.lemma_.lower() == "member":
            self._drop(sent, "name used often or in the title: guessable", answer)  # "members of Congress"
            return
        name = None
        if reason in ("place", "organisation", "event", "term", "treaty", "concept") and (
                self.counts.get(answer, pick.mentions(self.text, answer)) >= FREQUENT and not (
                    reason in ("term", "concept") and pick.first_mention(self.text, answer, ent.start)) or named_in(answer, self.titles)
                or reason == "place" and len(answer.split()) > 1 and named_in(answer.split()[-1], self.titles)):
            self._drop(sent, "name used often or in the title: guessable", answer)
            return
        if reason == "person":
            name = self.speakers.name(answer)
        elif reason in ("organisation", "place", "event", "treaty", "term", "concept"):
            name = answer
        category = (AnswerKind.YEAR if _YEARISH.match(answer) else AnswerKind.DATE) if reason == "date" else _KIND_OF[reason]
        first = reason == "place" and pick.named_doer(root)  # "Austria was the first member ... to", "Peru did X in 1921"
        score = BASE_SCORE[reason] + self._adjust(sent, True) + 0.15 * (first and pick.first_to(root))
        if reason == "figure" and (re.fullmatch(r"\d", answer) or cardgen_figures.small(answer)):
            score -= 0.20
        alternatives: list[str] = cardgen_figures.variants(answer) if reason == "figure" else []  # "10-12 days"
        if reason == "person":
            if name != answer:
                alternatives.append(name)
            if (last := pick.surname(name)) and last != answer:
                alternatives.append(last)  # not "III" of "Innocent III"
        fields = dict(type="cloze", prompt=self._cloze(sent, ent.start, ent.end), category=category.value,
                      alternatives=alternatives, statement=self._statement(sent))
        question = self._question(sent, rng, reason, answer, self._he(sent) or self._it(sent))
        leans = not question and _LEANS.match(source) and not self._it(sent) or self.speakers.refer.context.leans(sent, ent.start)
        if question:
            fields = dict(type="basic", prompt=question, answer=name if reason == "person" else answer,
                          category=category.value, statement=self._statement(sent), explanation=self._statement(sent),
                          alternatives=[a for a in [answer, *alternatives] if a != (name or answer)])
            score += 0.05
        fields["kind"] = "fact"
        self.drafts.append(_Draft(sent, reason, score, fields, answer, name, position=ent.start, clause=clause_of(root),
                                  first=first, leans=_LEANS_WHY if leans else None))

    def _question(self, sent: nlp.Sentence, rng: tuple[int, int], reason: str, answer: str,
                  he: str | None = None) -> str | None:
        root = sent.tokens.root
        if root.pos_ not in ("VERB", "AUX") or '"' in self._source(sent) or "\u201c" in self._source(sent):
            return None
        subj = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if any(subj is None or a != sent.token_start(subj) for a, _, _ in self.speakers.refer.things.get(sent.start, [])):
            return None  # an object or possessive "it" the cloze names ("Stalin lifted the blockade")
        if cardgen_it.person_cut(self.speakers.refer, sent, bool(he)):
            return None  # "in her honour": the cloze names her
        clause = ask.own_clause(root)
        whole = [t for t in sent.tokens if not t.is_punct and not t.is_space]
        if any(t not in clause for t in whole):
            return None  # a second clause with its own subject: the cloze keeps it
        if reason == "person":
            return ask.who_question(root, clause, rng)
        if reason == "date":
            phrase = ask.prep_phrase(root, *rng)
            if phrase is None or any(a.dep_ == "npadvmod" for a in sent.tokens.doc[rng[0]].ancestors):
                return None  # "..., the last in May 2009": not when the main verb happened
            drop = {t.i for t in phrase}
            kept = [t for t in clause if t.i not in drop]
            wh = ask.date_wh(answer)
            if any(t.ent_type_ == "DATE" and re.search(r"\d", t.text) or wh == "When" and t.lower_ == "when" for t in kept):
                return None  # another date stays in the question: "... in 1855 and ...?"; "When did ... come when ...?"
            return ask.invert(root, kept, wh, he)
        return None

    # --- choosing ----------------------------------------------------------------------------------
    def _choose(self) -> list[Candidate]:
        ranked = sorted(self.drafts, key=lambda d: (-round(d.score, 3), d.sentence.start, d.position, d.answer))
        kept: list[tuple[_Draft, Candidate]] = []
        names: set[str] = set()
        per_sentence: dict[int, int] = {}
        queue, deferred = list(ranked), set()
        while queue:
            draft = queue.pop(0)
            sent = draft.sentence
            source = self.text[draft.source_start if draft.source_start is not None else sent.start:sent.end]
            out = cardgen_lead.put_lead(self, draft) if draft.reason != "quote" else None
            if out:
                self._drop(sent, out, draft.answer)
                continue
            if draft.name and draft.reason != "quote" and draft.name in names:
                self._drop(sent, "name already asked about", draft.answer)
                continue
            twin = next((c for d, c in kept if d.reason == draft.reason and same_answer(d.answer, draft.answer)
                         and (c.source == source or fuzz.token_set_ratio(c.source, source) >= DUPLICATE_AT)), None)
            if twin is not None:
                self._drop(sent, "near-duplicate", draft.answer)
                continue
            new_person = draft.reason == "person" and draft.name not in names
            siblings = [(d, c) for d, c in kept if d.sentence is sent]
            if any(shows(c, draft.answer) for _, c in siblings):
                self._drop(sent, "a better card from the sentence shows this answer", draft.answer)
                continue
            facts = [(d.reason, d.clause) for d, _ in siblings if d.reason not in ("why", "quote")]
            verdict = "yes" if draft.reason in ("why", "quote") else separate_fact(
                draft.reason, draft.clause, new_person, facts)
            if verdict == "later" and id(draft) not in deferred and not draft.first:  # after the cards of other clauses
                deferred.add(id(draft))
                queue.append(draft)
                continue
            if verdict == "no":
                self._drop(sent, "the sentence already has a card on this fact", draft.answer)
                continue
            new_kind = (draft.reason == "figure" or draft.reason in ("organisation", "treaty")
                        and nlp_kinds.says_its_kind(draft.answer)) and all(d.reason != draft.reason for d, _ in siblings)
            room = PER_SENTENCE + new_person + (_words(source) > 30) + (new_kind and _words(source) >= 20)
            clauses = {d.clause for d, _ in siblings if d.reason not in ("why", "quote")}
            room += draft.clause is not None and None not in clauses and draft.clause not in clauses \
                and draft.reason in ("date", "figure", "person") and room < 3  # a key fact of a third clause
            room += new_person and not any(d.name == draft.name for d in queue)  # the person's last chance
            room += draft.first  # a place that did the clause's dated deed: a fact of its own
            if per_sentence.get(sent.start, 0) >= room:
                self._drop(sent, "sentence already has two cards", draft.answer)
                continue
            key = f"{draft.reason}-{sent.start}-{_slug(draft.answer)}".strip("-")[:64].strip("-")
            raw = {**draft.fields, "note_key": key, "paragraph": sent.paragraph, "fact_key": f"s{sent.start}"}
            note, problems = validate_note(raw)
            if note is None:
                self._drop(sent, "invalid note: " + "; ".join(str(p) for p in problems), draft.answer)
                continue
            if draft.name and draft.reason != "quote":
                names.add(draft.name)
            per_sentence[sent.start] = per_sentence.get(sent.start, 0) + 1
            score = draft.score - (SECOND_CARD if per_sentence[sent.start] > 1 else 0.0)
            kept.append((draft, Candidate(note, source, sent.paragraph,
                                          draft.source_start if draft.source_start is not None else sent.start,
                                          draft.reason, round(min(max(score, 0.0), 1.0), 3))))
        # the score becomes the learned chance a teacher keeps the card (`cardgen_rank`), best first
        self.features, out = cardgen_rank.rescore(self.text, [(c, d.led) for d, c in kept])
        return out

    def run(self) -> Analysis:
        speakers = self.speakers = Speakers(self.reading)
        sentences = self.reading.sentences
        context = speakers.refer.context
        self.leads = cardgen_lead.Leads(sentences, self._statement, lambda s: bool(context.leans(s) or _LEANS.match(self._source(s))),
                                        context.subject_words, speakers.refer.things,
                                        {w: speakers.refer.gender(p) for p in [*self.people.full, *self.people.single] for w in p.split()})
        for i, sent in enumerate(sentences):
            quotes = quotes_in(self.reading, sent, speakers)
            for quote in quotes:
                self._quote(quote)
            quoted = [span for q in quotes for span in q.spans]
            for why in whys(self.text, sentences, i, self._he(sent)):
                self._why(why)
            for ent in [*sent.entities, *cardgen_salient.terms(sent)]:  # names, dates, figures; rare words
                self._entity(sent, ent, quoted)
            speakers.see(sent)
        candidates = self._choose()
        return Analysis(candidates, self.dropped, self.features)


def analyse(text: str, title: str | None = None) -> Analysis:
    """Candidates (best first) and everything dropped with its reason. `title`: the article's title (shown on
    every card as its context line); without it, the text's own headline line, when it has one."""
    return _Generator(text or "", title).run()


def generate(text: str, title: str | None = None) -> list[Candidate]:
    """Candidate cards from an article, best first (the same list for the same text and title)."""
    return analyse(text, title).candidates
