"""How fast are the progress pages at class size? A benchmark through the Flask test client.

    python -m benchmarks.progress_pages [--quick] [--json] [--learners N] [--days D] [--reviews R]
                                        [--repeat K] [--no-extra-indexes] [--jobs J] [--keep DIR]

It creates its own temporary SQLite database (create_all), loads cards/, seeds a class with
`services.demo.seed_demo` (simulated learners studying with the real scheduler), gives one of
them a long history of `--reviews` answers, then times GET /progress for that learner and GET
/instructor/progress for an instructor, `--repeat` times each after two warm-up requests, and
reports the median and 95th percentile. `--quick` uses small sizes and finishes in seconds.

With `--json` the last line is one JSON object: progress_p50_ms, progress_p95_ms,
class_progress_p50_ms, class_progress_p95_ms, reviews_for_learner, learners, ...

The pages rely on the schema's covering indexes on the review log (migration 0003);
`--no-extra-indexes` replaces them with plain ones, to show the difference they make.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, insert, select, text

from studyapp import REPO_ROOT, create_app
from studyapp.extensions import db

TARGET_PROGRESS_MS = 150
TARGET_CLASS_MS = 500
PASSWORD = "benchmark-pass-1"
HEAVY_DAYS = 365
# The covering indexes (migration 0003) are part of the schema; `--no-extra-indexes` swaps them for the
# narrower ones of the first migration, to show the difference they make.
WITHOUT_COVERING_INDEXES = (
    "DROP INDEX ix_review_logs_card_outcome",
    "DROP INDEX ix_review_logs_user_time_outcome",
    "CREATE INDEX ix_review_logs_card ON review_logs (card_id)",
    "CREATE INDEX ix_review_logs_user_time ON review_logs (user_id, reviewed_at)",
)


@dataclass(frozen=True)
class Sizes:
    learners: int = 500
    days: int = 60
    reviews: int = 20_000
    repeat: int = 30


QUICK = Sizes(learners=12, days=20, reviews=1500, repeat=5)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def heavy_history(session, user, deck, reviews: int, now, seed: int) -> int:
    """Give `user` exactly `reviews` answers over the last year: the simulated learner studies the deck
    several times over (each pass a full, plausible history; shown versions offset per pass)."""
    from studyapp.models import Card, CardState, ReviewLog
    from studyapp.services import study
    from studyapp.services.demo import _insert_logs
    from studyapp.services.demo_simulation import SimCard, SimConfig, card_difficulty, simulate

    session.execute(CardState.__table__.delete().where(CardState.user_id == user.id))
    session.execute(ReviewLog.__table__.delete().where(ReviewLog.user_id == user.id))
    cards = [SimCard(cid, fact, card_difficulty(seed, cid)) for cid, fact in session.execute(
        select(Card.id, Card.fact_key).where(Card.deck_id == deck.id, Card.status == "active").order_by(Card.position))]
    config = SimConfig(days=HEAVY_DAYS, now=now, settings=study.settings_for(deck), new_per_day=deck.new_per_day,
                       reviews_per_day=deck.reviews_per_day, seed=seed)
    written, run, states = 0, 0, []
    while written < reviews:
        result = simulate(user.id, 100_000 + run, user.timezone, cards, [], config)
        logs = result.logs[: reviews - written]
        for log in logs:
            log["shown_version"] += 100_000 * run  # each pass its own showings
        _insert_logs(session, logs)
        written += len(logs)
        states = result.states
        run += 1
    for state in states:
        state["version"] += 100_000 * (run - 1)
    session.execute(insert(CardState), states)
    session.flush()
    return written


def build(tmp: Path, sizes: Sizes, seed: int, jobs: int, extra_indexes: bool):
    from studyapp.cli import _load
    from studyapp.models import Deck, ReviewLog, User, utcnow
    from studyapp.services import demo, users

    app = create_app({"TESTING": True, "SECRET_KEY": "benchmark", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                      "CARDS_DIR": str(REPO_ROOT / "cards")})
    info = {}
    with app.app_context():
        db.create_all()
        _load(REPO_ROOT / "cards")
        now = utcnow()
        deck = db.session.scalar(select(Deck).order_by(Deck.id).limit(1))
        started = time.perf_counter()
        report = demo.seed_demo(db.session, deck, sizes.learners, sizes.days, now, seed=seed, jobs=jobs)
        heavy = db.session.scalar(select(User).where(User.username == demo.username(0)))
        heavy.password_hash = users.generate_password_hash(PASSWORD)
        info["reviews_for_learner"] = heavy_history(db.session, heavy, deck, sizes.reviews, now, seed)
        users.create_user(db.session, "bench-instructor", PASSWORD, "instructor", now)
        db.session.commit()
        info["seed_seconds"] = round(time.perf_counter() - started, 1)
        if not extra_indexes:
            for statement in WITHOUT_COVERING_INDEXES:
                db.session.execute(text(statement))
        db.session.commit()  # no ANALYZE: a production database is rarely analysed, and plans change with it
        info["learners"] = report.learners
        info["answers_total"] = db.session.scalar(select(func.count()).select_from(ReviewLog))
        info["heavy_learner"] = heavy.username
        db.session.remove()
    return app, info


def time_page(app, username: str, path: str, repeat: int) -> list[float]:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"could not log in as {username}")
    for _ in range(2):  # warm-up: templates compiled, caches filled
        assert client.get(path).status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    return times


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes; a few seconds")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--learners", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--reviews", type=int, help="answers in the timed learner's history")
    parser.add_argument("--repeat", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--jobs", type=int, default=None, help="processes for the seeding (default: 1 if --quick)")
    parser.add_argument("--no-extra-indexes", dest="extra_indexes", action="store_false")
    parser.add_argument("--keep", type=Path, help="build the database in this (new) folder and keep it, to profile")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else Sizes()
    sizes = Sizes(learners=args.learners or base.learners, days=args.days or base.days,
                  reviews=args.reviews or base.reviews, repeat=args.repeat or base.repeat)
    jobs = args.jobs or (1 if args.quick else 2)
    with tempfile.TemporaryDirectory(prefix="progress-bench-") as folder:
        if args.keep:
            args.keep.mkdir(parents=True)
        app, info = build(args.keep or Path(folder), sizes, args.seed, jobs, args.extra_indexes)
        learner = time_page(app, info["heavy_learner"], "/progress", sizes.repeat)
        klass = time_page(app, "bench-instructor", "/instructor/progress", sizes.repeat)
        with app.app_context():
            db.engine.dispose()
    out = {
        "progress_p50_ms": round(statistics.median(learner), 1),
        "progress_p95_ms": round(percentile(learner, 0.95), 1),
        "class_progress_p50_ms": round(statistics.median(klass), 1),
        "class_progress_p95_ms": round(percentile(klass, 0.95), 1),
        "reviews_for_learner": info["reviews_for_learner"],
        "learners": info["learners"],
        "answers_total": info["answers_total"],
        "days": sizes.days,
        "repeat": sizes.repeat,
        "extra_indexes": args.extra_indexes,
        "seed_seconds": info["seed_seconds"],
    }
    print(f"{'page':<24}{'p50 ms':>10}{'p95 ms':>10}{'target ms':>11}")
    print(f"{'/progress':<24}{out['progress_p50_ms']:>10}{out['progress_p95_ms']:>10}{TARGET_PROGRESS_MS:>11}")
    print(f"{'/instructor/progress':<24}{out['class_progress_p50_ms']:>10}{out['class_progress_p95_ms']:>10}"
          f"{TARGET_CLASS_MS:>11}")
    print(f"learner with {out['reviews_for_learner']:,} answers; class of {out['learners']} learners, "
          f"{out['answers_total']:,} answers over {sizes.days} days (seeded in {out['seed_seconds']} s); "
          f"{sizes.repeat} requests each; extra indexes: {'yes' if args.extra_indexes else 'no'}")
    if args.json:
        print(json.dumps(out))
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
