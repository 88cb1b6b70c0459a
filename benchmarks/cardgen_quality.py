"""How good is the card generator on the seed article?

    python -m benchmarks.cardgen_quality            # table
    python -m benchmarks.cardgen_quality --json     # one JSON line
    python -m benchmarks.cardgen_quality --template # TOML stubs for candidates not yet labelled

Recall: of the hand-written deck's figure, date and name facts (cards with category number,
year, person, organisation, place or treaty, grouped by their `fact`), the share whose answer the
generator proposes as a cloze or attribution answer. Answers match when they are the same option
after normalisation (`distractors.same_option`) or the generated answer passes
`answers.check_answer` against the deck's. Cloze deletions count only when they have the
category's form (a digit for number/year, a capital for names). "Same paragraph" also asks that
the candidate comes from the paragraph a card of that fact cites.

Precision: the share of candidates a teacher would keep, from the hand labels in
benchmarks/data/cardgen_labels.toml. A candidate without a label counts as not kept.

Time: generation time per 2,000 words (median of several runs on the article and on the article
twice over, scaled).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import tomllib
from pathlib import Path

from studyapp.domain import distractors as dx
from studyapp.domain.answers import check_answer
from studyapp.domain.cardgen import Candidate, generate

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
DECK = ROOT / "cards" / "china-russia.toml"
LABELS = ROOT / "benchmarks" / "data" / "cardgen_labels.toml"
FACT_CATEGORIES = ("number", "year", "person", "organisation", "place", "treaty")
CLOZE_RE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
RECALL_TARGET = 0.80
PRECISION_TARGET = 0.80
SOURCE_PREFIX = 60


def deck_facts(path: Path) -> dict[str, dict]:
    """fact id -> {"category", "answers", "paragraphs"} for the figure, date and name facts."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    facts: dict[str, dict] = {}
    for card in data.get("card", []):
        category = card.get("category")
        if category not in FACT_CATEGORIES:
            continue
        if card.get("type") == "cloze":
            answers = [m.group(1) for m in CLOZE_RE.finditer(card.get("text", ""))]
            if category in ("number", "year"):
                answers = [a for a in answers if re.search(r"\d", a)]
            else:
                answers = [a for a in answers if a[:1].isupper()]
        else:
            answers = [card.get("answer", ""), *card.get("accept", [])]
        fact = facts.setdefault(card.get("fact") or card["id"],
                                {"category": category, "answers": [], "paragraphs": set()})
        fact["answers"] += [a for a in answers if a and a.strip()]
        if card.get("paragraph"):
            fact["paragraphs"].add(card["paragraph"])
    return {k: v for k, v in facts.items() if v["answers"]}


def answers_match(generated: str, expected: str) -> bool:
    return dx.same_option(generated, expected) or check_answer(generated, expected).verdict == "correct"


def recall(facts: dict[str, dict], candidates: list[Candidate]) -> dict:
    found, found_here, missed = 0, 0, []
    for fact_id, fact in sorted(facts.items()):
        hits = [c for c in candidates
                if any(answers_match(c.answer, a) for a in fact["answers"])]
        if hits:
            found += 1
            if any(c.paragraph in fact["paragraphs"] for c in hits) or not fact["paragraphs"]:
                found_here += 1
        else:
            missed.append(f"{fact_id} ({fact['category']}: {fact['answers'][0]})")
    total = len(facts)
    return {"facts": total, "found": found, "recall": found / total if total else 0.0,
            "found_same_paragraph": found_here,
            "recall_same_paragraph": found_here / total if total else 0.0, "missed": missed}


def load_labels(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return tomllib.loads(path.read_text(encoding="utf-8")).get("label", [])


def label_for(candidate: Candidate, labels: list[dict]) -> dict | None:
    for label in labels:
        if (label["answer"] == candidate.answer and label.get("type", candidate.type) == candidate.type
                and candidate.source.startswith(label["source"])):
            return label
    return None


def precision(candidates: list[Candidate], labels: list[dict]) -> dict:
    kept = unlabelled = 0
    rejected = []
    for cand in candidates:
        label = label_for(cand, labels)
        if label is None:
            unlabelled += 1
        elif label["keep"]:
            kept += 1
        else:
            rejected.append(f"{cand.answer!r} in p{cand.paragraph}: {label.get('why', '')}")
    total = len(candidates)
    return {"candidates": total, "kept": kept, "unlabelled": unlabelled,
            "precision": kept / total if total else 0.0, "rejected": rejected}


def timing(text: str, runs: int = 7) -> dict:
    out = {}
    for name, sample in (("article", text), ("article x2", text + "\n\n" + text)):
        words = len(sample.split())
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            generate(sample)
            times.append(time.perf_counter() - start)
        out[name] = {"words": words, "seconds": statistics.median(times),
                     "per_2000_words": statistics.median(times) * 2000 / words}
    return {"per_2000_words_s": max(v["per_2000_words"] for v in out.values()), "runs": out}


def template(candidates: list[Candidate], labels: list[dict]) -> str:
    lines = []
    for cand in candidates:
        if label_for(cand, labels) is None:
            src = json.dumps(cand.source[:SOURCE_PREFIX], ensure_ascii=False)
            lines += ["[[label]]", f"paragraph = {cand.paragraph}", f'type = "{cand.type}"',
                      f"answer = {json.dumps(cand.answer, ensure_ascii=False)}", f"source = {src}",
                      "keep = true", 'why = ""', ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--template", action="store_true", help="print label stubs for new candidates")
    args = parser.parse_args(argv)
    if not ARTICLE.exists():
        print(f"skipped: seed article not found at {ARTICLE}")
        return 0
    text = ARTICLE.read_text(encoding="utf-8")
    candidates = generate(text)
    labels = load_labels(LABELS)
    if args.template:
        print(template(candidates, labels))
        return 0
    rec = recall(deck_facts(DECK), candidates) if DECK.exists() else None
    prec = precision(candidates, labels)
    tim = timing(text)
    result = {
        "candidates": len(candidates),
        "recall": round(rec["recall"], 3) if rec else None,
        "recall_same_paragraph": round(rec["recall_same_paragraph"], 3) if rec else None,
        "facts": rec["facts"] if rec else None,
        "precision": round(prec["precision"], 3),
        "unlabelled": prec["unlabelled"],
        "seconds_per_2000_words": round(tim["per_2000_words_s"], 4),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"Card generator on {ARTICLE.name} ({len(text.split())} words): {len(candidates)} candidates\n")
    print(f"{'measure':<34}{'value':>10}{'target':>10}")
    if rec:
        print(f"{'recall (deck facts proposed)':<34}{rec['found']:>4}/{rec['facts']:<3} {rec['recall']:>5.0%}"
              f"{RECALL_TARGET:>9.0%}")
        print(f"{'  same paragraph too':<34}{rec['found_same_paragraph']:>4}/{rec['facts']:<3}"
              f" {rec['recall_same_paragraph']:>5.0%}")
    else:
        print(f"recall: skipped, {DECK} not found")
    print(f"{'precision (labelled keep)':<34}{prec['kept']:>4}/{prec['candidates']:<3}"
          f" {prec['precision']:>5.0%}{PRECISION_TARGET:>9.0%}")
    print(f"{'time per 2,000 words':<34}{tim['per_2000_words_s'] * 1000:>7.0f} ms{'< 1000 ms':>12}")
    if prec["unlabelled"]:
        print(f"\n{prec['unlabelled']} candidates have no label (counted as not kept): "
              "run with --template and label them")
    if rec and rec["missed"]:
        print("\nmissed facts:\n  " + "\n  ".join(rec["missed"]))
    if prec["rejected"]:
        print("\nrejected candidates:\n  " + "\n  ".join(prec["rejected"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
