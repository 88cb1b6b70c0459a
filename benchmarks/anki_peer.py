"""Anki's own library as the peer in the review-loop benchmark (PyPI `anki`, benchmark and test only).

The collection gets `cards` notes; `set_due_date` (Anki's own "Set due date" action) turns most of
them into review cards due today, so the loop measures fetching and answering reviews, as ours does.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def build_collection(folder: Path, cards: int, due_share: float = 0.9):
    from anki.collection import Collection

    col = Collection(str(folder / "peer.anki2"))
    model = col.models.by_name("Basic")
    deck_id = col.decks.id("Bench")
    for i in range(cards):
        note = col.new_note(model)
        note["Front"], note["Back"] = f"Question {i}", f"Answer {i}"
        col.add_note(note, deck_id)
    col.decks.select(deck_id)
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = 9999
    config["rev"]["perDay"] = 9999
    col.decks.update_config(config)
    card_ids = list(col.find_cards(f"did:{deck_id}"))
    due = card_ids[: int(len(card_ids) * due_share)]
    col.sched.set_due_date(due, "0")
    return col


def measure(cards: int, answers: int) -> dict:
    """Median and p99 of: get the next queued card, answer it Good (one transaction, as Anki does)."""
    import anki.collection  # noqa: F401  (import order: the collection module first)
    from anki.scheduler.v3 import CardAnswer

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        col = build_collection(Path(tmp), cards)
        build_s = time.perf_counter() - started
        timings = []
        try:
            for i in range(answers):
                t0 = time.perf_counter()
                queued = col.sched.get_queued_cards(fetch_limit=1)
                if not queued.cards:
                    break
                top = queued.cards[0]
                card = col.get_card(top.card.id)
                card.start_timer()
                answer = col.sched.build_answer(card=card, states=top.states,
                                                rating=CardAnswer.GOOD if i % 7 else CardAnswer.AGAIN)
                col.sched.answer_card(answer)
                timings.append(time.perf_counter() - t0)
            journal = col.db.scalar("pragma journal_mode")
            synchronous = col.db.scalar("pragma synchronous")
        finally:
            col.close()
    timings.sort()
    return {
        "anki_cards": cards, "anki_answers": len(timings), "anki_build_s": round(build_s, 1),
        "anki_p50_ms": round(statistics.median(timings) * 1000, 3),
        "anki_p99_ms": round(timings[int(len(timings) * 0.99) - 1] * 1000, 3),
        "anki_journal": f"{journal}, synchronous={synchronous}",
    }
