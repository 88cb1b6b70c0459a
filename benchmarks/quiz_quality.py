"""Quiz quality on a deck file: generate N seeds x K questions, run the gate, print them for a reader.

    .venv/bin/python -m benchmarks.quiz_quality [cards/china-russia.toml] [--seeds 10] [--count 20]
        [--types multiple_choice,true_false] [--show] [--json OUT]
    .venv/bin/python -m benchmarks.quiz_quality --articles benchmarks/data/cardgen_heldout5 --seeds 2 --count 10 --show

`--articles DIR`: quizzes on *generated* decks instead, one per article of DIR: the generator's candidates
that the hand labels beside each text keep (or keep once the card's context line names the article), made
into notes exactly as the review screen adds them (`services.generate.build_note`, the article's title as
the context line).

Reads the deck file directly (the same `Note` -> `NoteCard` -> `QuizCard` path the app takes from its
Card rows). Prints, per question type, how many questions were made, how many gate failures the
final quizzes have (re-checked independently of the generator: target 0), how many candidate
questions the gate stopped while building (and why), and what the same seeds give with the gate
off (the builders alone). `--show` prints every question for rating by hand.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tomllib
from collections import Counter
from pathlib import Path

from studyapp.domain.deckfile import parse_file
from studyapp.domain.quizgate import DeckFacts, check_question, check_quiz
from studyapp.domain.quizgen import QUESTION_TYPES, build_quiz, quiz_card


def deck_cards(path: str) -> list:
    spec = parse_file(path)
    sections = {note.note_key: note.section for note in spec.notes}
    return [quiz_card(card, sections.get(card.note.note_key) or "") for card in spec.cards()]


def generated_cards(text_path: Path) -> list:
    """The kept generated cards of one labelled article, as the app would add them."""
    from studyapp.domain import cardgen
    from studyapp.services import generate as gen

    text = text_path.read_text(encoding="utf-8")
    labels = tomllib.loads(text_path.with_suffix(".toml").read_text(encoding="utf-8")).get("label", [])
    kept = {(lab["prompt"], lab.get("category")) for lab in labels if lab.get("keep") or lab.get("title_resolves")}
    title, cards = gen.title_from(text), []
    for i, cand in enumerate(cardgen.generate(text)):
        category = cand.note.category.value if cand.note.category else None
        if (cand.note.prompt, category) in kept:
            note, _ = gen.build_note(gen.Entry(i, f"a1-{i + 1}-c", cand), "article", context=title)
            cards += [quiz_card(c) for c in note.cards()] if note is not None else []
    return cards


def run(path: str, seeds: int, count: int, types: set[str] | None, show: bool, cards: list | None = None) -> dict:
    cards = deck_cards(path) if cards is None else cards
    by_id = {c.id: c for c in cards}
    facts = DeckFacts(cards)
    made: Counter = Counter()
    failures: list[str] = []
    short: list[str] = []   # fewer questions than asked (the quiz page says so): not a flaw
    stopped: Counter = Counter()
    ungated: Counter = Counter()
    shown: list[dict] = []
    for seed in range(seeds):
        build = build_quiz(cards, rng=random.Random(seed), count=count, types=types)
        for _card_id, qtype, flaw in build.rejected:
            stopped[f"{qtype}/{flaw.check}"] += 1
        failures += [f"seed {seed}: {flaw}" for flaw in check_quiz(build.questions, by_id, build.types)]
        for n, question in enumerate(build.questions, start=1):
            made[question.type] += 1
            flaws = check_question(question, by_id[question.card_id], facts)
            failures += [f"seed {seed} q{n} {question.card_id}: {flaw}" for flaw in flaws]
            shown.append({"seed": seed, "n": n, **question.to_dict()})
        if build.message:
            short.append(f"seed {seed}: {build.message}")
        raw = build_quiz(cards, rng=random.Random(seed), count=count, types=types, gate=False)
        for question in raw.questions:
            if check_question(question, by_id[question.card_id], facts):
                ungated[question.type] += 1
    if show:
        for q in shown:
            context = f"[{q['context']}] " if q.get("context") else ""
            print(f"[{q['seed']}.{q['n']}] {q['type']} ({q['card_id']})\n  {context}{q['prompt']}")
            if q["options"] and q["type"] != "true_false":
                print("  options: " + " | ".join(q["options"]))
            print(f"  answer: {q['answer']}" + (f"  (card: {q['card_answer']})" if q["type"] == "true_false" else ""))
    return {"deck": path, "cards": len(cards), "seeds": seeds, "count": count,
            "questions": sum(made.values()), "by_type": dict(made), "gate_failures": failures,
            "stopped_while_building": dict(stopped), "flawed_without_gate": dict(ungated), "short": short}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("deck", nargs="?", default="cards/china-russia.toml")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--types", help=f"comma-separated: {', '.join(QUESTION_TYPES)}")
    parser.add_argument("--show", action="store_true", help="print every question")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--articles", help="a folder of labelled articles: quizzes on their generated decks")
    args = parser.parse_args(argv)
    types = set(args.types.split(",")) if args.types else None
    if args.articles:
        failed = 0
        for text_path in sorted(Path(args.articles).glob("*.txt")):
            print(f"\n=== {text_path.name}")
            result = run(str(text_path), args.seeds, args.count, types, args.show, generated_cards(text_path))
            failed += report(result)
        return 1 if failed else 0
    result = run(args.deck, args.seeds, args.count, types, args.show)
    failed = report(result)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=2, ensure_ascii=False)
    return 1 if failed else 0


def report(result: dict) -> int:
    print(f"{result['questions']} questions from {result['seeds']} seeds x {result['count']} on "
          f"{result['deck']} ({result['cards']} cards): {result['by_type']}")
    print(f"gate failures in the final quizzes: {len(result['gate_failures'])}")
    for line in result["gate_failures"]:
        print("  " + line)
    for line in result["short"]:
        print("  fewer questions than asked, " + line)
    print(f"candidates stopped by the gate while building: {result['stopped_while_building']}")
    print(f"questions the builders alone make that the gate would stop: {result['flawed_without_gate']}")
    return len(result["gate_failures"])


if __name__ == "__main__":
    sys.exit(main())
