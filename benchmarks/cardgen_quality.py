"""How good is the card generator, on the seed article and on texts it was never tuned on?

    .venv/bin/python -m benchmarks.cardgen_quality                    # table, every text
    .venv/bin/python -m benchmarks.cardgen_quality --json             # one JSON line
    .venv/bin/python -m benchmarks.cardgen_quality --template cuba    # label stubs for new candidates
    .venv/bin/python -m benchmarks.cardgen_quality --show cuba        # every candidate with its label

Texts: the seed article (../shared/seed/article.txt) and every benchmarks/data/cardgen_eval/NAME.txt,
each with hand labels in NAME.toml (the seed's in benchmarks/data/cardgen_labels.toml):

* `people`: every person named in the text. A person is *asked about* when a candidate's answer (or
  an accepted variant of it) is that person: the full name, or the surname alone.
* `[[fact]]`: the key facts a teacher would test, each with its `answer` (and `accept` variants)
  and `paragraph`. A fact is *recalled* when a candidate from that paragraph has that answer
  (`answers.check_answer`, or the same option); a `reason` fact when a why-candidate's answer says
  the same (rapidfuzz token_set_ratio >= 80). For the seed, the key facts are also the shipped
  deck's figure, date and name facts (recall as before: same answer, any paragraph).
* `[[label]]`: one per candidate, matched by its exact prompt and category: `keep = true` when a
  careful teacher would keep the card as it stands (a wrong category counts: quiz options are drawn
  from the category). A candidate without a label counts as not kept. `title_resolves = true` on a
  dropped card: its only fault is not naming what the article is about, which the card's context line
  (the article's title, on every generated card since round 10) supplies; `eval_precision_in_context`
  counts these as kept, `eval_precision` does not (the card alone).

Malformed spans are counted without labels (`span_problems`): a cloze answer that is a bare day
number next to its month, a deletion that cuts through a word or through an entity the model found,
or a month glued to a name ("October Khrushchev").

Time: generation time per 2,000 words after the model is loaded (median of 5 runs on all the eval
texts together), as CPU time of the process and as wall-clock time, with the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import tomllib
from pathlib import Path

from rapidfuzz import fuzz

from studyapp.domain import cardtext, nlp
from studyapp.domain import distractors as dx
from studyapp.domain.answers import check_answer
from studyapp.domain.cardgen import Candidate, generate

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "seed" / "article.txt"
DECK = ROOT / "cards" / "china-russia.toml"
DATA = ROOT / "benchmarks" / "data"
SEED_LABELS = DATA / "cardgen_labels.toml"
EVAL = DATA / "cardgen_eval"
FACT_CATEGORIES = ("number", "year", "person", "organisation", "place", "treaty")
TARGETS = {"precision": 0.90, "recall": 0.80, "people": 0.90}
_MONTH = re.compile(rf"^(?:{nlp.MONTHS})$")


# -- inputs ----------------------------------------------------------------------------------------

def texts() -> list[tuple[str, str, Path]]:
    """(name, text, labels path) for the seed (when present) and every eval text."""
    out = []
    if ARTICLE.exists():
        out.append(("seed", ARTICLE.read_text(encoding="utf-8"), SEED_LABELS))
    for path in sorted(EVAL.glob("*.txt")):
        out.append((path.stem, path.read_text(encoding="utf-8"), path.with_suffix(".toml")))
    return out


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def deck_facts(path: Path) -> list[dict]:
    """The shipped deck's figure, date and name facts, as key facts (any paragraph)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    facts: dict[str, dict] = {}
    for card in data.get("card", []):
        category = card.get("category")
        if category not in FACT_CATEGORIES:
            continue
        if card.get("type") == "cloze":
            text = card.get("text", "")
            answers = [cardtext.cloze_answer(text, n) for n in cardtext.cloze_numbers(text)]
            answers = [a for a in answers if (re.search(r"\d", a) if category in ("number", "year")
                                              else a[:1].isupper())]
        else:
            answers = [card.get("answer", ""), *card.get("accept", [])]
        fact = facts.setdefault(card.get("fact") or card["id"], {"id": card.get("fact") or card["id"],
                                                                  "kind": category, "answer": "", "accept": []})
        fact["accept"] += [a for a in answers if a and a.strip()]
    out = []
    for fact in facts.values():
        if fact["accept"]:
            fact["answer"] = fact["accept"][0]
            out.append(fact)
    return sorted(out, key=lambda f: f["id"])


# -- measures --------------------------------------------------------------------------------------

def answers_match(generated: str, expected: str) -> bool:
    return dx.same_option(generated, expected) or check_answer(generated, expected).verdict == "correct"


def _answers(c: Candidate) -> list[str]:
    return [c.answer, *c.note.alternatives]


def fact_found(fact: dict, candidates: list[Candidate]) -> bool:
    for c in candidates:
        if fact.get("paragraph") and c.paragraph != fact["paragraph"]:
            continue
        if fact.get("kind") == "reason":
            if c.category == "reason" and any(fuzz.token_set_ratio(a, fact["answer"]) >= 80 for a in _answers(c)):
                return True
        elif any(answers_match(a, e) for a in _answers(c) for e in [fact["answer"], *fact.get("accept", [])]):
            return True
    return False


def person_asked(person: str, candidates: list[Candidate], people: list[str]) -> bool:
    """Whether a candidate's answer is the person ("A|B": either name; a surname shared by no one else)."""
    names = person.split("|")
    others = [n.split()[-1] for p in people if p != person for n in p.split("|")]
    surnames = {n.split()[-1] for n in names if len(n.split()) > 1} - set(others)
    for c in candidates:
        if c.category != "person":
            continue
        for a in _answers(c):
            if any(dx.same_option(a, n) for n in names) or a.strip() in surnames:
                return True
    return False


def span_problems(c: Candidate, text: str) -> list[str]:
    """What is malformed about a cloze's deletion (an empty list for a sound one)."""
    if c.type != "cloze":
        return []
    answer = c.answer
    squashed = " ".join(c.source.split())
    plain = cardtext.strip_markup(c.prompt)
    problems = []
    if plain != c.note.plain_statement() or answer not in squashed and answer[:1].lower() + answer[1:] not in squashed:
        return ["the cloze text is not its statement, or its answer is not in the source"]
    pos = c.prompt.index("{{c1::")
    before, after = plain[:pos], plain[pos + len(answer):]
    squashed = plain
    if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", answer) and (
            _MONTH.match((after.split() or [""])[0].strip(",.")) or
            _MONTH.match((before.split() or [""])[-1].strip(","))):
        problems.append(f"bare day number {answer!r}")
    if (before[-1:].isalnum() or after[:1].isalnum()):
        problems.append(f"deletion {answer!r} cuts through a word")
    words = answer.split()
    for a, b in zip(words, words[1:], strict=False):
        if _MONTH.match(a) and b[:1].isupper() and not _MONTH.match(b):
            problems.append(f"month glued to a name in {answer!r}")
    # entity boundaries and names, as the model sees the sentence
    doc = nlp.pipeline()(squashed)
    before_tok = next((t for t in reversed(doc) if t.idx + len(t.text) <= pos), None)
    if re.match(r"\d", answer) and before_tok is not None and before_tok.tag_ == "NNP" \
            and before_tok.idx + len(before_tok.text) + 1 == pos and not _MONTH.match(before_tok.text):
        problems.append(f"number {answer!r} cut out of the name {before_tok.text!r}")
    for ent in doc.ents:
        s, e = ent.start_char, ent.end_char
        inside = pos <= s and e <= pos + len(answer)
        outside = e <= pos or s >= pos + len(answer)
        around = s <= pos and pos + len(answer) <= e
        if not (inside or outside or around) and ent.label_ not in ("CARDINAL", "DATE", "ORDINAL", "TIME"):
            problems.append(f"deletion {answer!r} crosses the entity {ent.text!r}")
    return problems


def label_for(c: Candidate, labels: list[dict]) -> dict | None:
    return next((lab for lab in labels if lab.get("prompt") == c.prompt
                 and lab.get("category", c.category) == c.category), None)


def measure(name: str, text: str, data: dict) -> dict:
    candidates = generate(text)
    labels = data.get("label", [])
    facts = list(data.get("fact", []))
    if name == "seed" and DECK.exists():
        facts += deck_facts(DECK)
    people = data.get("people", [])
    kept = unlabelled = in_context = 0
    rejected = []
    for c in candidates:
        label = label_for(c, labels)
        if label is None:
            unlabelled += 1
        elif label["keep"]:
            kept += 1
            in_context += 1
        else:
            in_context += bool(label.get("title_resolves"))  # the card's context line names what it lacks
            rejected.append(f"p{c.paragraph} {c.prompt[:90]!r}: {label.get('why', '')}")
    found = [f for f in facts if fact_found(f, candidates)]
    missed = [f"{f.get('id', f['answer'])} (p{f.get('paragraph', '?')}: {f['answer']})"
              for f in facts if f not in found]
    asked = [p for p in people if person_asked(p, candidates, people)]
    malformed = [f"{c.prompt[:80]!r}: {'; '.join(span_problems(c, text))}" for c in candidates
                 if span_problems(c, text)]
    return {
        "text": name, "words": len(text.split()), "candidates": len(candidates), "kept": kept,
        "kept_in_context": in_context,
        "unlabelled": unlabelled, "precision": kept / len(candidates) if candidates else 0.0,
        "facts": len(facts), "found": len(found), "recall": len(found) / len(facts) if facts else 0.0,
        "people": len(people), "asked": len(asked), "people_rate": len(asked) / len(people) if people else 0.0,
        "malformed": len(malformed), "why": sum(c.reason == "why" for c in candidates),
        "quote": sum(c.reason == "quote" for c in candidates),
        "detail": {"missed": missed, "not_asked": [p for p in people if p not in asked],
                   "rejected": rejected, "malformed": malformed},
    }


def timing(runs: int = 5) -> tuple[float, float]:
    """(wall, CPU) seconds per 2,000 words, model loaded, on all eval texts together (medians).

    CPU time (all threads of the process) is what one idle core would take; wall time on a shared
    machine also counts waiting for the core.
    """
    sample = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(EVAL.glob("*.txt")))
    generate(sample)  # load the model
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        generate(sample)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    scale = 2000 / len(sample.split())
    return statistics.median(wall) * scale, statistics.median(cpu) * scale


def template(candidates: list[Candidate], labels: list[dict]) -> str:
    lines = []
    for c in candidates:
        if label_for(c, labels) is None:
            lines += ["[[label]]", f"prompt = {json.dumps(c.prompt, ensure_ascii=False)}",
                      f'category = "{c.category}"',
                      f"answer = {json.dumps(c.answer, ensure_ascii=False)}", "keep = true", 'why = ""', ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    global EVAL
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--template", metavar="TEXT", help="label stubs for TEXT's unlabelled candidates")
    parser.add_argument("--show", metavar="TEXT", help="every candidate of TEXT with its label")
    parser.add_argument("--eval-dir", metavar="DIR", type=Path,
                        help=f"read the eval texts and their labels from DIR (default {EVAL.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.eval_dir:
        EVAL = args.eval_dir
    all_texts = texts()
    if args.template or args.show:
        name = args.template or args.show
        match = [t for t in all_texts if t[0] == name]
        if not match:
            print(f"no text named {name!r}; have: {', '.join(t[0] for t in all_texts)}")
            return 2
        _, text, path = match[0]
        labels = load(path).get("label", [])
        if args.template:
            print(template(generate(text), labels))
            return 0
        for c in generate(text):
            label = label_for(c, labels)
            mark = "?" if label is None else "keep" if label["keep"] else "DROP"
            shown = c.prompt if c.type == "cloze" else f"{c.prompt}  -> {c.answer}"
            print(f"{mark:4} p{c.paragraph:<3} {c.reason:12} {shown}")
        return 0
    results = [measure(name, text, load(path)) for name, text, path in all_texts]
    per_2000, cpu_2000 = timing()
    evals = [r for r in results if r["text"] != "seed"]
    pooled = {k: sum(r[k] for r in evals) for k in ("candidates", "kept", "facts", "found", "people", "asked",
                                                      "malformed", "kept_in_context")}
    summary = {
        "eval_precision": pooled["kept"] / pooled["candidates"] if pooled["candidates"] else 0.0,
        # as printed: a card whose only fault is not naming the article's subject is kept, since every
        # generated card shows the article's title as its context line (labels with title_resolves = true)
        "eval_precision_in_context": pooled["kept_in_context"] / pooled["candidates"] if pooled["candidates"] else 0.0,
        "eval_recall": pooled["found"] / pooled["facts"] if pooled["facts"] else 0.0,
        "eval_people": pooled["asked"] / pooled["people"] if pooled["people"] else 0.0,
        "malformed": pooled["malformed"] + sum(r["malformed"] for r in results if r["text"] == "seed"),
        "ms_per_2000_words": round(per_2000 * 1000),
        "cpu_ms_per_2000_words": round(cpu_2000 * 1000),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if args.json:
        print(json.dumps({"texts": [{k: v for k, v in r.items() if k != "detail"} for r in results], **summary}))
        return 0
    print(f"{'text':<12}{'words':>6}{'cands':>7}{'precision':>16}{'key facts':>16}{'people':>14}"
          f"{'malformed':>10}{'why':>5}{'quote':>6}")
    for r in results:
        print(f"{r['text']:<12}{r['words']:>6}{r['candidates']:>7}"
              f"{r['kept']:>6}/{r['candidates']:<3}{r['precision']:>6.0%}"
              f"{r['found']:>6}/{r['facts']:<3}{r['recall']:>6.0%}"
              f"{r['asked']:>5}/{r['people']:<3}{r['people_rate']:>5.0%}"
              f"{r['malformed']:>10}{r['why']:>5}{r['quote']:>6}")
    print("\neval texts pooled (most are development texts by now; unseen first runs: docs/cardgen.md):")
    print(f"precision {summary['eval_precision']:.0%} (target 90%), key-fact recall "
          f"{summary['eval_recall']:.0%} (target 80%), people asked {summary['eval_people']:.0%} (target 90%), "
          f"malformed {summary['malformed']} (target 0)")
    print(f"time per 2,000 words, model loaded (target < 1000 ms): {summary['cpu_ms_per_2000_words']} ms of CPU, "
          f"{summary['ms_per_2000_words']} ms wall clock (load average {summary['load_average']})")
    for r in results:
        d = r["detail"]
        if r["unlabelled"]:
            print(f"\n{r['text']}: {r['unlabelled']} candidates unlabelled (counted as not kept): "
                  f"--template {r['text']}")
        for title, items in (("missed facts", d["missed"]), ("people not asked", d["not_asked"]),
                             ("rejected", d["rejected"]), ("MALFORMED", d["malformed"])):
            if items:
                print(f"\n{r['text']} {title}:\n  " + "\n  ".join(items))
    return 0


if __name__ == "__main__":
    sys.exit(main())
