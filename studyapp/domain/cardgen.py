"""Candidate cards from an article's text (plain or Markdown). Pure, deterministic, no network.

`generate(text)` returns `Candidate`s, best first; `analyse(text)` also says what was dropped
and why, for review screens and tests.

Candidates:

* cloze deletions (`{{c1::...}}`) on sentences that carry a figure, a date, a named person,
  organisation, place, treaty or event, or a short quoted phrase ("more 'parallel' than 'joint'");
* attribution cards for quoted claims: "Who said: "..."?" with the speaker found by
  ""...," X said / told / warned / noted", "said X", "according to X", "X said: "..."".
  "the report" / "the study" and "he" / "she" stand for the last organisation or person quoted;
  a bare surname is completed from the full name used earlier ("Cozad" -> "Mark Cozad").

Dropped (see `textscan` for lines dropped before any of this): a cloze that leaves fewer than
six words of context; an answer that also appears elsewhere in its sentence (the card would
give itself away); a place named five times or more (guessable: "Russia" in an article on
Russia), and any later mention of an organisation or person named that often; near-duplicates
(same answer, sources alike by rapidfuzz token_set_ratio >= 85): the better-scored one stays.

Every cloze answer is a verbatim slice of its source sentence, and `source` is the sentence
exactly as in the text. `paragraph` counts blank-line-separated blocks from 1, as given.

Score (0-1): a base by kind (figure .80, date .75, attribution .70, person .70, treaty .70,
event .65, organisation .60, quoted phrase .55, place .50), plus .05 for 8-35 words of context,
minus .10 for a long sentence (> 45 words, .20 over 60), minus .10 for a name mentioned three
or four times, minus .20 for a single-digit figure, minus .05 for a speaker resolved from "the
report" or "he".
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz

from . import namescan as ns
from . import textscan as ts
from .answers import normalise

MIN_CONTEXT_WORDS = 6
DUPLICATE_AT = 85
FREQUENT = 5
MAX_QUOTE_WORDS = 45
BASE_SCORE = {"figure": 0.80, "date": 0.75, "quote": 0.70, "named person": 0.70, "treaty": 0.70,
              "event": 0.65, "named organisation": 0.60, "quoted phrase": 0.55, "named place": 0.50}


@dataclass
class Candidate:
    type: str  # "cloze" | "basic"
    prompt: str
    answer: str
    source: str
    paragraph: int
    reason: str
    score: float
    category: str
    start: int = 0  # offset of the source in the text

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Dropped:
    text: str
    paragraph: int | None
    reason: str
    answer: str | None = None


@dataclass
class Analysis:
    candidates: list[Candidate]
    dropped: list[Dropped]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> int:
    return len(re.findall(r"[\w'\u2019]+", text))


def _mentions(text: str, name: str) -> int:
    return len(re.findall(rf"(?<![\w]){re.escape(name)}(?![\w])", text))


def cloze_prompt(source: str, start: int, end: int) -> str:
    return _squash(source[:start] + "{{c1::" + source[start:end] + "}}" + source[end:])


class _Generator:
    def __init__(self, text: str):
        self.text = text
        self.sentences, dropped_lines = ts.sentences(text)
        self.dropped: list[Dropped] = []
        number_of = {b.number: b for b in ts.blocks(text)}
        for (s, e), why in sorted(dropped_lines.items()):
            block = next((n for n, b in number_of.items() if b.start <= s < b.end), None)
            self.dropped.append(Dropped(text[s:e], block, why))
        self.urls = ts.url_spans(text)
        sents = [text[s.start:s.end] for s in self.sentences]
        self.people = ns.find_people(text, sents)
        self.seen_names: set[str] = set()
        self.last_org: str | None = None
        self.last_person: str | None = None
        self.candidates: list[Candidate] = []
        self._counts: dict[tuple[str, bool], int] = {}

    # --- helpers ---------------------------------------------------------------------------
    def _count(self, name: str, *, place: bool = False) -> int:
        """Mentions of a name in the whole text (places with their other names), memoised."""
        key = (name, place)
        if key not in self._counts:
            self._counts[key] = ns.entity_mentions(self.text, name) if place else _mentions(self.text, name)
        return self._counts[key]

    def _drop(self, sentence: ts.Sentence, reason: str, answer: str | None = None) -> None:
        self.dropped.append(Dropped(self.text[sentence.start:sentence.end], sentence.paragraph,
                                    reason, answer))

    def _in_url(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.urls)

    def _context_adjust(self, source: str, answer: str) -> float:
        context = _words(source) - _words(answer)
        total = _words(source)
        adjust = 0.05 if 8 <= context <= 35 else 0.0
        if total > 60:
            adjust -= 0.20
        elif total > 45:
            adjust -= 0.10
        return adjust

    # --- cloze candidates ------------------------------------------------------------------
    def _cloze(self, sentence: ts.Sentence, found: ns.Found, sentence_text: str,
               lead: int) -> None:
        source = sentence_text.strip()
        start, end = found.span.start - lead, found.span.end - lead
        answer = source[start:end]
        if not answer.strip() or "\n" in answer or self._in_url(sentence.start + found.span.start,
                                                                 sentence.start + found.span.end):
            return
        if _words(source) - _words(answer) < MIN_CONTEXT_WORDS:
            self._drop(sentence, "too little context", answer)
            return
        if _mentions(source, answer) > 1:
            self._drop(sentence, "answer appears elsewhere in the sentence", answer)
            return
        score = BASE_SCORE[found.reason] + self._context_adjust(source, answer)
        if found.category in ("person", "organisation", "place", "treaty", "event"):
            mentions = self._count(answer)
            if found.category == "place":
                mentions = self._count(answer, place=True)
                if mentions >= FREQUENT:
                    self._drop(sentence, "place named too often to test", answer)
                    return
            name = ns.entity(ns.canonical_speaker(answer, self.people))
            if name in self.seen_names or (answer.isupper() and any(
                    ns.initials(seen) == answer for seen in self.seen_names)):
                self._drop(sentence, "name already tested at its first mention", answer)
                return
            self.seen_names.add(name)
            if mentions >= 3:
                score -= 0.10
        if found.category == "person" and " " not in answer and answer not in self.people \
                and not any(p.split()[-1] == answer for p in self.people):
            score -= 0.15  # a lone capitalised word: a weaker guess at a name
        if found.category == "number":
            value = normalise(answer).numbers
            if value and value[0].isdigit() and len(value[0]) == 1:
                score -= 0.20
        self.candidates.append(Candidate(
            type="cloze", prompt=cloze_prompt(source, start, end), answer=answer, source=source,
            paragraph=sentence.paragraph, reason=found.reason, score=round(min(max(score, 0), 1), 3),
            category=found.category, start=sentence.start + lead))

    def _sentence_candidates(self, sentence: ts.Sentence, attributed: bool) -> None:
        raw = self.text[sentence.start:sentence.end]
        lead = len(raw) - len(raw.lstrip())
        if ts.is_bio(raw):
            self._drop(sentence, "byline or author bio")
            return
        names = ns.names(raw, text=self.text, known_people=self.people)
        if attributed:
            # the attribution card asks for the speaker; names outside the quote are its frame
            quoted = [(s - sentence.start, e - sentence.start) for s, e in
                      ns.quote_spans(self.text, sentence.segment_start, sentence.segment_end)]
            names = [n for n in names if any(s <= n.span.start and n.span.end <= e for s, e in quoted)]
        numbers = [f for f in ns.figures_and_dates(raw)
                   if not any(n.span.start <= f.span.start and f.span.end <= n.span.end
                              for n in names)]
        phrases = [ns.Found(ns.Span(m.start(1), m.start(1) + len(m.group(1).rstrip(",. ")),
                                    m.group(1).rstrip(",. ")), "statement", "quoted phrase")
                   for m in ns.SHORT_QUOTE.finditer(raw) if 1 <= len(m.group(1).split()) <= 5]
        for found in sorted(names + numbers + phrases, key=lambda f: f.span.start):
            self._cloze(sentence, found, raw, lead)

    # --- attribution -----------------------------------------------------------------------
    def _speaker(self, raw: str, generic: bool) -> tuple[str | None, bool]:
        raw = raw.strip()
        low = raw.lower()
        if low in ("he", "she"):
            return self.last_person, True
        if low == "they" or re.fullmatch(ns._GENERIC, low):
            return self.last_org, True
        match = re.match(r"(?:the\s+)?(.+?)\s+(?:report|study|paper)$", raw)
        if match:
            raw = match.group(1)
        name = ns.canonical_speaker(raw, self.people)
        return (name if name and name[0].isupper() else None), generic

    def _is_person(self, speaker: str) -> bool:
        words = speaker.split()
        if speaker in ns.KNOWN_ORGS or speaker.isupper() or words[-1] in ns.ORG_SUFFIXES:
            return False
        return speaker in self.people or 2 <= len(words) <= 3

    def _remember(self, speaker: str) -> None:
        if self._is_person(speaker):
            self.last_person = speaker
        else:
            self.last_org = speaker

    def _according_to(self, clause: str) -> str | None:
        by = re.search(r"\bby\s+(.+)$", clause)
        part = by.group(1) if by else clause
        runs = ns.name_runs(part)
        return ns.sentence_slice(part, runs[0]) if runs else None

    def _attributions(self, sentence: ts.Sentence) -> bool:
        """Attribution cards for quotes closed or opened in this sentence; True if any speaker."""
        attributed = False
        quotes = ns.quote_spans(self.text, sentence.segment_start, sentence.segment_end)
        for q_start, q_end in quotes:
            closes_here = sentence.start <= q_end < sentence.end
            opens_here = sentence.start <= q_start - 1 < sentence.end
            if not (closes_here or opens_here):
                continue
            quote = _squash(self.text[q_start:q_end]).rstrip(",; ")
            speaker, generic = None, False
            if closes_here:
                after = self.text[q_end + 1:sentence.end]
                m = ns.AFTER_QUOTE.match(after)
                if m and m.group("acc"):
                    speaker, generic = self._speaker(self._according_to(m.group("acc")) or "", False)
                elif m:
                    speaker, generic = self._speaker(m.group("who") or m.group("who2"), False)
            if speaker is None and opens_here:
                before = self.text[sentence.start:q_start - 1]
                m = ns.BEFORE_QUOTE.search(before)
                if m:
                    speaker, generic = self._speaker(m.group("who"), False)
            if speaker is None:
                continue
            attributed = True
            self._remember(speaker)
            if _words(quote) < 6:
                continue
            words = quote.split()
            shown = quote if len(words) <= MAX_QUOTE_WORDS else " ".join(words[:MAX_QUOTE_WORDS]) + " \u2026"
            source = self.text[sentence.start:sentence.end].strip()
            category = "person" if self._is_person(speaker) else "organisation"
            score = BASE_SCORE["quote"] + (-0.05 if generic else 0.0)
            score += -0.10 if _words(quote) > MAX_QUOTE_WORDS else 0.0
            score += -0.10 if quote[:1].islower() else 0.0  # a fragment, not a whole claim
            self.candidates.append(Candidate(
                type="basic", prompt=f"Who said: \u201c{shown}\u201d?", answer=speaker,
                source=source, paragraph=sentence.paragraph, reason="quote",
                score=round(min(max(score, 0), 1), 3), category=category,
                start=sentence.start))
        return attributed

    # --- merging ---------------------------------------------------------------------------
    def _merge(self) -> list[Candidate]:
        ranked = sorted(self.candidates, key=lambda c: (-c.score, c.start, c.answer, c.prompt))
        kept: list[Candidate] = []
        keys: dict[str, str] = {}
        for cand in ranked:
            if cand.answer not in keys:
                norm = normalise(cand.answer)
                keys[cand.answer] = " ".join(norm.numbers + norm.words)
            key = keys[cand.answer]
            twin = next((k for k in kept if k.type == cand.type and keys[k.answer] == key
                         and (k.source == cand.source and k.prompt == cand.prompt
                              or k.source != cand.source
                              and fuzz.token_set_ratio(k.source, cand.source) >= DUPLICATE_AT)), None)
            if twin is not None:
                self.dropped.append(Dropped(cand.source, cand.paragraph, "near-duplicate", cand.answer))
                continue
            kept.append(cand)
        return kept

    def run(self) -> Analysis:
        for sentence in self.sentences:
            attributed = self._attributions(sentence)
            self._sentence_candidates(sentence, attributed)
        return Analysis(self._merge(), self.dropped)


def analyse(text: str) -> Analysis:
    """Candidates (best first) and everything dropped with its reason."""
    return _Generator(text or "").run()


def generate(text: str) -> list[Candidate]:
    """Candidate cards from an article, best first."""
    return analyse(text).candidates
