"""How likely a careful teacher keeps a generated card as it stands: a small logistic model. Pure.

The generator's hand-set score (a base by reason, a few penalties) hardly ranks its own candidates:
on 1,426 hand-labelled candidates of 50 texts it tells a kept card from a struck one 56 times in 100
(AUC 0.56). What a teacher strikes is mostly visible in the card's wording: a reference to the sentence
before ("Two years later", "the passage", "Second,"), a pronoun left standing, a trivial blank, a
sentence too long to be a question. `features` reads such signs from the card alone (nothing about any
one text's words); `probability` weighs them with weights learned from those labels
(`cardgen_rank.json`, made by `benchmarks/cardgen_rank_train.py`, which also reports the model
tested on texts it was not trained on: docs/cardgen.md).

The candidate's `score` is this probability, so "Add every card scoring at least 0.8" on the review
screen means "the cards a teacher would keep about 8 times in 10 or more".
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from . import cardgen_figures, cardgen_pick, cardtext

WEIGHTS = Path(__file__).with_name("cardgen_rank.json")
REASONS = ("why", "quote", "date", "person", "figure", "term", "event", "treaty", "organisation", "place", "concept")

_PRONOUN_START = re.compile(r"^(?:He|She|It|They|This|These|That|Those|Such|Its|Their|His|Her|Both|There)\b")
_CONNECTIVE_START = re.compile(r"^(?:[A-Z]\w*(?: \w+){0,3}),\s")   # "Second, ...", "In the end, ..."
_DEICTIC = re.compile(r"\b(?:this|these|those|that|such|the same|the latter|the former|the other)\s+[a-z]", re.I)
_RELATIVE_TIME = re.compile(r"\b(?:later|earlier|afterwards|the following|the next|the previous|that year|"
                            r"that day|by then|at first|at the time|the same year|meanwhile)\b", re.I)
_PRONOUN = re.compile(r"\b(?:he|she|it|its|they|them|their|him|his|her)\b", re.I)
_THE_NOUN_START = re.compile(r"^The [a-z]")
_QUOTED = re.compile(r"[\u201c\"][^\u201d\"]*[\u201d\"]")
_THE_WORDS = re.compile(r"\b[Tt]he ([a-z]{4,})(?: ([a-z]{4,}))?")
_THAT_IS = re.compile(r"^(?:That|This|It|Such|There)(?: \w+)? (?:is|was|are|were|means|meant)\b")


def _words(text: str) -> int:
    return len(re.findall(r"[\w'\u2019]+", text))


@lru_cache(maxsize=2)
def _word_counts(text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word in re.findall(r"[a-z]+", text.lower()):
        counts[word] = counts.get(word, 0) + 1
    return counts


def anaphors(body: str, text: str, start: int, window: int = 600) -> int:
    """How many "the X" of the card point back at something only the sentences before name: X (or the word
    after it) is in the `window` characters before the card's sentence, is not the text's running subject
    (named five times or more) and is not already named earlier on the card ("the governor" after "Governor
    Clinton" in the sentence before)."""
    before = set(re.findall(r"[a-z]+", text[max(0, start - window):start].lower()))
    counts = _word_counts(text)
    count = 0
    for m in _THE_WORDS.finditer(body):
        earlier = set(re.findall(r"[a-z]+", body[:m.start()].lower()))
        for word in filter(None, m.groups()):
            if word in before and word not in earlier and counts.get(word, 0) < 5:
                count += 1
                break
    return count


def features(*, reason: str, question: bool, prompt: str, answer: str, source: str, text: str, start: int,
             led: bool, second: bool, hand: float, mentions: int) -> dict[str, float]:
    """What the model weighs, each a number near 0..1, from the card and where its sentence stands."""
    plain = cardtext.strip_markup(prompt)
    body = _QUOTED.sub("", plain) if reason == "quote" else plain     # a quote's own words are the claim
    claim = " ".join(_QUOTED.findall(plain))
    sentence = " ".join(source.split())
    f: dict[str, float] = {f"reason_{r}": float(reason == r) for r in REASONS}
    words = _words(sentence)
    f.update({
        "question": float(question),
        "led": float(led),
        "second_card": float(second),
        "hand_score": hand,
        "sentence_words": min(words, 80) / 40,
        "long_sentence": float(words > 45),
        "short_sentence": float(words < 12),
        "answer_words": min(_words(answer), 12) / 6,
        "answer_digit": float(bool(re.search(r"\d", answer))),
        "that_is": float(bool(_THAT_IS.match(sentence))),
        "small_number": float(bool(re.fullmatch(r"\d", answer.strip())) or cardgen_figures.small(answer)),  # "three things"
        "answer_share": min(len(answer) / max(len(sentence), 1), 1.0),
        "pronoun_start": float(bool(_PRONOUN_START.match(sentence))),
        "connective_start": float(bool(_CONNECTIVE_START.match(sentence))),
        "the_noun_start": float(bool(_THE_NOUN_START.match(sentence))),
        "deictic": float(bool(_DEICTIC.search(body))),
        "relative_time": float(bool(_RELATIVE_TIME.search(body))),
        "anaphors": 0.0 if led else min(anaphors(body, text, start), 3) / 3,
        "pronouns": min(len(_PRONOUN.findall(body)), 4) / 4,
        "capitalised": min(len(re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+", body)), 8) / 8,
        "answer_at_start": float(sentence.startswith(answer)),
        "position": start / max(len(text), 1),
        "mentions": min(math.log1p(mentions), 3) / 3,
        "quote_words": min(_words(claim), 60) / 30 if reason == "quote" else 0.0,
        "acronym": float(bool(re.fullmatch(r"[A-Z]{2,6}s?", answer.strip()))),
        "single_name": float(reason == "person" and len(answer.split()) == 1),
    })
    return f


@lru_cache(maxsize=1)
def _model() -> dict:
    return json.loads(WEIGHTS.read_text(encoding="utf-8"))


def probability(feats: dict[str, float], model: dict | None = None) -> float:
    """P(a teacher keeps the card), from the learned weights (missing features count as 0)."""
    model = model or _model()
    z = model["bias"] + sum(w * feats.get(name, 0.0) for name, w in model["weights"].items())
    return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))


def rescore(text: str, kept: list[tuple]) -> tuple[list[dict[str, float]], list]:
    """(features, candidates), each candidate's score replaced by `probability`: every sentence's first
    card, best first, then the second cards, best first (so the top of the list tests different facts).

    `kept` is [(candidate, led)] in the order the generator accepted them (a sentence's first card
    first), `led` when the card carries the sentence before as its lead.
    """
    seen: dict[int, int] = {}
    rows = []
    for c, led in kept:
        second = c.start in seen
        seen[c.start] = seen.get(c.start, 0) + 1
        feats = features(reason=c.reason, question=c.type == "basic" and c.reason != "quote", prompt=c.prompt,
                         answer=c.answer, source=c.source, text=text, start=c.start, led=led, second=second,
                         hand=c.score, mentions=cardgen_pick.mentions(text, c.answer))
        c.score = round(probability(feats), 3)
        rows.append((seen[c.start], feats, c))
    rows.sort(key=lambda row: (row[0], -row[2].score))  # every sentence's first card before any second one
    return [f for _, f, _ in rows], [c for _, _, c in rows]
