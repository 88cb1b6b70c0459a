"""Review loop: "answer this card and get the next one", in process and over HTTP, beside Anki's library.

    python -m benchmarks.review_loop [--quick] [--json]

A fresh SQLite database (WAL, synchronous=NORMAL: the settings the app runs with) is filled by
`flask seed-demo` on a deck of --cards cards; then:
  * in process: the service layer, one transaction per answer (answer + commit + next card);
  * over HTTP: gunicorn with 2 workers, 1 and 16 concurrent clients, each POST answering a card
    and receiving the next one (the JSON form of the study page's answer);
  * Anki: its own library fetching and answering the same number of cards on a collection with
    as many cards as one seeded learner's share of the database times --anki-scale.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def deck_toml(cards: int) -> str:
    parts = ['[deck]\nid = "bench"\nname = "Benchmark deck"\nnew_per_day = 20\nreviews_per_day = 9999\n',
             '[[section]]\nid = "s"\ntitle = "Section"\n']
    for i in range(cards):
        parts.append(f'[[card]]\nid = "b{i:04d}"\nsection = "s"\nprompt = "Question number {i}?"\n'
                     f'answer = "Answer {i}"\nexplanation = "Why {i}."\n')
    return "\n".join(parts)


def build_database(folder: Path, learners: int, cards: int, days: int, seed: int) -> tuple[str, int]:
    from studyapp import create_app
    from studyapp.cli import _create_schema
    from studyapp.domain.deckfile import parse_text
    from studyapp.extensions import db
    from studyapp.models import utcnow
    from studyapp.services.decks import load_deck

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        _create_schema()
        deck = load_deck(db.session, parse_text(deck_toml(cards), "bench.toml"), utcnow()).deck
        deck_id = deck.id
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["seed-demo", "--learners", str(learners), "--days", str(days),
                                                    "--seed", str(seed), "--deck", str(deck_id)])
        if result.exit_code != 0:
            raise SystemExit(f"seed-demo failed: {result.output}")
        from sqlalchemy import update
        from werkzeug.security import generate_password_hash

        from studyapp.models import User
        # The benchmark logs in as seeded learners: give them a known password.
        db.session.execute(update(User).where(User.role == "learner")
                           .values(password_hash=generate_password_hash(PASSWORD)))
        db.session.commit()
        db.engine.dispose()
    # seed-demo's history ends today, with today's work done. Move it one day back so that the
    # benchmark meets a normal morning: today's reviews due, today's new cards not yet seen.
    import sqlite3

    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    with con:
        con.execute("UPDATE review_logs SET reviewed_at = strftime('%Y-%m-%d %H:%M:%f', reviewed_at, '-1 day')")
        con.execute("UPDATE card_states SET due = strftime('%Y-%m-%d %H:%M:%f', due, '-1 day'), "
                    "last_review = strftime('%Y-%m-%d %H:%M:%f', last_review, '-1 day')")
    con.close()
    return url, deck_id


def inprocess(url: str, deck_id: int, answers: int, seed: int) -> dict:
    from sqlalchemy import select

    from studyapp import create_app
    from studyapp.extensions import db
    from studyapp.models import Deck, User, utcnow
    from studyapp.services import study

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    rng = random.Random(seed)
    timings = []
    with app.app_context():
        user_ids = db.session.scalars(select(User.id).where(User.role == "learner")).all()
        now = utcnow()
        for _ in range(answers):
            user = db.session.get(User, rng.choice(user_ids))
            deck = db.session.get(Deck, deck_id)
            showing = study.next_showing(db.session, user, deck, now)
            if showing is None:
                db.session.rollback()
                continue
            t0 = time.perf_counter()
            study.record_answer(db.session, user, showing.card, rng.choice((1, 3, 3, 3, 4)), showing.version, now,
                                settings=study.settings_for(deck))
            db.session.commit()
            study.next_showing(db.session, user, deck, now)
            timings.append(time.perf_counter() - t0)
            db.session.commit()
            now += timedelta(milliseconds=50)
        db.engine.dispose()
    return {"inprocess_answers": len(timings),
            "inprocess_p50_ms": round(statistics.median(timings) * 1000, 3),
            "inprocess_p95_ms": round(pct(timings, 0.95) * 1000, 3),
            "inprocess_p99_ms": round(pct(timings, 0.99) * 1000, 3),
            "inprocess_answers_per_s": round(len(timings) / sum(timings), 1)}


FIELD = {n: re.compile(rf'name="{n}"[^>]*value="([^"]*)"') for n in ("csrf_token", "card_id", "version", "shown_at")}


class Client(threading.Thread):
    def __init__(self, base: str, username: str, deck_id: int, deadline: float, seed: int):
        super().__init__(daemon=True)
        import requests

        self.http = requests.Session()
        self.base, self.username, self.deck_id, self.deadline = base, username, deck_id, deadline
        self.rng = random.Random(seed)
        self.timings: list[float] = []
        self.errors = 0

    def prepare(self) -> None:
        page = self.http.get(f"{self.base}/login").text
        self.http.post(f"{self.base}/login", data={"username": self.username, "password": PASSWORD,
                                                   "csrf_token": FIELD["csrf_token"].search(page).group(1)})
        page = self.http.get(f"{self.base}/study/{self.deck_id}").text
        found = {n: FIELD[n].search(page) for n in FIELD}
        if not all(found.values()):
            raise LookupError(f"{self.username} has nothing to study: {re.search(r'<h1>(.*?)</h1>', page)}")
        self.form = {n: m.group(1) for n, m in found.items()}

    def run(self) -> None:
        while time.perf_counter() < self.deadline:
            data = dict(self.form, rating=str(self.rng.choice((1, 3, 3, 3, 4))))
            t0 = time.perf_counter()
            response = self.http.post(f"{self.base}/study/{self.deck_id}/answer", data=data,
                                      headers={"Accept": "application/json"})
            elapsed = time.perf_counter() - t0
            if response.status_code != 201:
                self.errors += 1
                self.prepare()
                continue
            self.timings.append(elapsed)
            upcoming = response.json()["next"]
            if upcoming is None:
                break
            self.form.update(card_id=str(upcoming["card_id"]), version=str(upcoming["version"]),
                             shown_at=upcoming["shown_at"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def over_http(url: str, deck_id: int, usernames: list[str], seconds: float, concurrency: int, seed: int) -> dict:
    import requests

    port = free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret", RATELIMIT_LOGIN="100000 per minute")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
                             "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/login", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        candidates = iter(usernames)
        clients = []
        while len(clients) < concurrency:
            client = Client(base, next(candidates), deck_id, 0, seed + len(clients))
            try:
                client.prepare()
            except LookupError:
                continue  # this learner has nothing due right now; take the next one
            clients.append(client)
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        for client in clients:
            client.deadline = deadline
            client.start()
        for client in clients:
            client.join()
        wall = time.perf_counter() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    timings = [t for c in clients for t in c.timings]
    return {f"http_p50_ms_{concurrency}": round(statistics.median(timings) * 1000, 2),
            f"http_p95_ms_{concurrency}": round(pct(timings, 0.95) * 1000, 2),
            f"http_p99_ms_{concurrency}": round(pct(timings, 0.99) * 1000, 2),
            f"http_rps_{concurrency}": round(len(timings) / wall, 1),
            f"http_errors_{concurrency}": sum(c.errors for c in clients)}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument("--learners", type=int)
    parser.add_argument("--cards", type=int)
    parser.add_argument("--days", type=int)
    parser.add_argument("--answers", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    learners = args.learners or (20 if args.quick else 2000)
    cards = args.cards or (50 if args.quick else 200)
    days = args.days or (10 if args.quick else 120)
    answers = args.answers or (100 if args.quick else 2000)
    seconds = args.seconds or (1.5 if args.quick else 10.0)

    from benchmarks.anki_peer import measure as anki_measure

    figures: dict = {"learners": learners, "cards": cards, "days": days, "machine_cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        url, deck_id = build_database(Path(tmp), learners, cards, days, args.seed)
        figures["seed_s"] = round(time.perf_counter() - t0, 1)
        import sqlite3

        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        figures["review_logs"] = con.execute("SELECT count(*) FROM review_logs").fetchone()[0]
        figures["card_states"] = con.execute("SELECT count(*) FROM card_states").fetchone()[0]
        usernames = [r[0] for r in con.execute("SELECT username FROM users WHERE role='learner' ORDER BY id")]
        con.close()
        figures.update(inprocess(url, deck_id, answers, args.seed))
        for concurrency in (1, 16):
            figures.update(over_http(url, deck_id, usernames, seconds, concurrency, args.seed))
    figures.update(anki_measure(cards=max(cards * 10, 500), answers=answers))
    figures["ratio_vs_anki"] = round(figures["inprocess_p50_ms"] / figures["anki_p50_ms"], 2)

    rows = [("in process p50 / p95 / p99 (ms)", f"{figures['inprocess_p50_ms']} / {figures['inprocess_p95_ms']} / "
             f"{figures['inprocess_p99_ms']}"),
            ("Anki library p50 / p99 (ms)", f"{figures['anki_p50_ms']} / {figures['anki_p99_ms']}"),
            ("ratio to Anki (p50)", f"{figures['ratio_vs_anki']}x"),
            ("HTTP, 1 client: answers/s, p50, p99 (ms)", f"{figures['http_rps_1']}, {figures['http_p50_ms_1']}, "
             f"{figures['http_p99_ms_1']}"),
            ("HTTP, 16 clients: answers/s, p50, p99 (ms)", f"{figures['http_rps_16']}, {figures['http_p50_ms_16']}, "
             f"{figures['http_p99_ms_16']}"),
            ("database", f"{learners} learners, {cards} cards, {days} days: {figures['review_logs']:,} reviews, "
             f"{figures['card_states']:,} card states (seeded in {figures['seed_s']} s)")]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    if args.json:
        print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
