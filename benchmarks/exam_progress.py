"""How fast is the class's predicted exam-day recall at size? 500 learners x 200 cards, SQLite.

    python -m benchmarks.exam_progress [--quick] [--json] [--learners N] [--cards N] [--repeat K]

Builds a temporary database (create_all): one deck of `--cards` cards in 10 sections, `--learners` learners each
with a memory state for every card (random stability, difficulty and last review in the past 60 days) and 20
review-log rows each (for the calibration table), one class with all of them, the deck and an exam in 14 days.
Times `services.exam_forecast.class_forecast` (predicted exam-day recall per learner and section, summed in SQL at
the exam time) and the whole instructor class page GET /classes/<id> (forecast grid, at-risk list, calibration),
after two warm-up calls, and reports median and 95th percentile. Target: 500 ms.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select

from studyapp import create_app
from studyapp.extensions import db

TARGET_MS = 500
PASSWORD = "benchmark-pass-1"


def build(folder: Path, learners: int, cards: int, seed: int):
    from studyapp.models import Card, CardState, Class, Deck, ReviewLog, Section, User, utcnow
    from studyapp.services import classes, users

    app = create_app({"TESTING": True, "SECRET_KEY": "benchmark", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"})
    rng = random.Random(seed)
    with app.app_context():
        db.create_all()
        now = utcnow()
        deck = Deck(slug="bench", name="Bench deck", created_at=now)
        db.session.add(deck)
        db.session.flush()
        sections = [Section(deck_id=deck.id, slug=f"s{i}", title=f"Section {i + 1}", position=i) for i in range(10)]
        db.session.add_all(sections)
        db.session.flush()
        db.session.execute(insert(Card), [
            {"deck_id": deck.id, "key": f"c{i}", "note_key": f"c{i}", "prompt": f"Q{i}", "answer": f"A{i}",
             "fact_key": f"c{i}", "section_id": sections[i % 10].id, "position": i, "alternatives": [],
             "distractors": [], "created_at": now, "updated_at": now} for i in range(cards)])
        card_ids = db.session.scalars(select(Card.id).where(Card.deck_id == deck.id)).all()
        db.session.execute(insert(User), [{"username": f"learner{i:04d}", "password_hash": "x", "role": "learner",
                                           "timezone": "UTC", "created_at": now} for i in range(learners)])
        teacher = users.create_user(db.session, "bench-instructor", PASSWORD, "instructor", now)
        learner_ids = db.session.scalars(select(User.id).where(User.role == "learner")).all()
        states, logs = [], []
        for uid in learner_ids:
            for cid in card_ids:
                if rng.random() < 0.1:
                    continue  # about one card in ten not started
                last = now - timedelta(days=rng.uniform(0, 60))
                stability = rng.lognormvariate(2.0, 1.0)
                states.append({"user_id": uid, "card_id": cid, "state": 2, "step": None, "stability": stability,
                               "difficulty": rng.uniform(2, 8), "due": last + timedelta(days=stability),
                               "last_review": last, "reps": 3, "lapses": 0, "suspended": False, "version": 3})
            for j in range(20):
                last = now - timedelta(days=rng.uniform(1, 60))
                at = last + timedelta(days=rng.uniform(0.5, 20))
                logs.append({"user_id": uid, "card_id": card_ids[j], "rating": 3 if rng.random() < 0.85 else 1,
                             "reviewed_at": min(at, now), "source": "study", "shown_version": j, "state_before": 2,
                             "state_after": 2, "before": {"stability": rng.lognormvariate(2.0, 1.0),
                                                          "last_review": last.isoformat()}, "after": {}})
        for i in range(0, len(states), 20000):
            db.session.execute(insert(CardState), states[i:i + 20000])
        db.session.execute(insert(ReviewLog), logs)
        klass = classes.create_class(db.session, teacher, classes.ClassInput(
            "Bench class", (deck.id,), exam_at=now + timedelta(days=14)), now)
        for uid in learner_ids:
            db.session.add(classes.ClassMember(class_id=klass.id, user_id=uid, joined_at=now))
        db.session.commit()
        class_id = klass.id
        assert db.session.get(Class, class_id) is not None
        db.session.remove()
    return app, class_id, len(states)


def _time(fn, repeat: int) -> list[float]:
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--learners", type=int)
    parser.add_argument("--cards", type=int)
    parser.add_argument("--repeat", type=int)
    args = parser.parse_args(argv)
    learners = args.learners or (20 if args.quick else 500)
    cards = args.cards or (30 if args.quick else 200)
    repeat = args.repeat or (3 if args.quick else 15)
    from studyapp.clock import now as clock_now
    from studyapp.models import Class
    from studyapp.services import exam_forecast

    with tempfile.TemporaryDirectory(prefix="exam-progress-") as folder:
        app, class_id, n_states = build(Path(folder), learners, cards, 2026)
        with app.app_context():
            def forecast():
                klass = db.session.get(Class, class_id)
                columns, rows = exam_forecast.class_forecast(db.session, klass, clock_now())
                assert len(rows) == learners
                db.session.remove()

            service = _time(forecast, repeat)
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/login", data={"username": "bench-instructor", "password": PASSWORD, "csrf_token": token})

        def get():
            response = client.get(f"/classes/{class_id}")
            assert response.status_code == 200 and 'id="exam-grid"' in response.get_data(as_text=True)

        page_times = _time(get, repeat)
        with app.app_context():
            db.engine.dispose()
    out = {"learners": learners, "cards": cards, "card_states": n_states, "repeat": repeat,
           "class_forecast_p50_ms": round(statistics.median(service), 1),
           "class_forecast_max_ms": round(max(service), 1),
           "class_page_p50_ms": round(statistics.median(page_times), 1),
           "class_page_max_ms": round(max(page_times), 1), "target_ms": TARGET_MS}
    print(f"class of {learners} learners x {cards} cards ({n_states:,} memory states), {repeat} runs each")
    print(f"predicted exam-day recall per learner and section: median {out['class_forecast_p50_ms']} ms, "
          f"max {out['class_forecast_max_ms']} ms (target {TARGET_MS} ms)")
    print(f"whole class page GET /classes/<id>: median {out['class_page_p50_ms']} ms, max {out['class_page_max_ms']} ms")
    if args.json:
        print(json.dumps(out))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
