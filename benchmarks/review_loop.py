"""Review loop: "answer this card and get the next one", in process and over HTTP, beside Anki's library.

    python -m benchmarks.review_loop [--quick] [--json] [--profile]

A fresh SQLite database (WAL, synchronous=NORMAL: the settings the app runs with) is filled by
`flask seed-demo` on a deck of --cards cards; then:
  * in process: the service the answer view calls (answer, next card with its four intervals, today's
    counts) and the commit;
  * the browser's path in process (Flask's test client): log in, load the study page once, then the
    page's own JSON answers; SQL statements, write transactions and requests per answer (and with
    --profile, where the CPU goes by library);
  * over HTTP: gunicorn with 2 workers (as `make run`), 1 and 16 concurrent learners sending the page's
    JSON answer and reading the next card from the response; the load generator is asyncio on raw
    sockets in this one process (benchmarks/loadgen.py); the server's CPU per answer is the gunicorn
    processes' CPU time (from /proc) over the answers they acknowledged;
  * the floor: a trivial Flask view served and driven the same way (benchmarks/flask_floor.py), so that the
    server CPU per answer can be read against what no Flask view goes below on this machine;
  * Anki: its own library fetching and answering the same number of cards (benchmarks/anki_peer.py).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import tempfile
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
    """The service the answer view calls (answer + next card + its four intervals + today's counts), then
    the commit: what one answer costs without HTTP. Anki's `get_queued_cards` likewise hands back the
    next card with the states of its four buttons."""
    from sqlalchemy import select

    from studyapp import create_app
    from studyapp.domain import scheduler
    from studyapp.extensions import db
    from studyapp.models import Deck, User, utcnow
    from studyapp.services import study

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    rng = random.Random(seed)
    timings = []
    with app.app_context():
        learners = db.session.execute(select(User.id, User.timezone).where(User.role == "learner")).all()
        deck = db.session.get(Deck, deck_id)
        now = utcnow()
        for _ in range(answers):
            user_id, tz_name = rng.choice(learners)
            picked, _counts, _queue = study.queue(db.session, user_id, tz_name, deck, now)
            if picked is None:
                db.session.rollback()
                continue
            shown = study.load_card(db.session, user_id, picked)
            db.session.commit()
            t0 = time.perf_counter()
            result = study.answer_card(db.session, user_id, tz_name, deck_id, shown.id, rng.choice((1, 3, 3, 3, 4)),
                                       shown.version, now)
            if result.next is not None:
                scheduler.next_states(result.next.memory, now, result.settings,
                                      study.fuzz_seed(user_id, result.next.id, result.next.memory.reps
                                                      if result.next.memory else 0))
            db.session.commit()
            timings.append(time.perf_counter() - t0)
            now += timedelta(milliseconds=50)
        db.engine.dispose()
    return {"inprocess_answers": len(timings),
            "inprocess_p50_ms": round(statistics.median(timings) * 1000, 3),
            "inprocess_p95_ms": round(pct(timings, 0.95) * 1000, 3),
            "inprocess_p99_ms": round(pct(timings, 0.99) * 1000, 3),
            "inprocess_answers_per_s": round(len(timings) / sum(timings), 1)}


FIELD = {n: re.compile(rf'name="{n}"[^>]*value="([^"]*)"') for n in ("csrf_token", "card_id", "version", "shown_at")}


def page_card(html: str) -> dict | None:
    found = {n: FIELD[n].search(html) for n in FIELD}
    if not all(found.values()):
        return None
    return {"card_id": int(found["card_id"].group(1)), "version": int(found["version"].group(1)),
            "shown_at": found["shown_at"].group(1), "token": found["csrf_token"].group(1)}


def browser_path(url: str, deck_id: int, usernames: list[str], answers: int, profile: bool) -> dict:
    """The browser's path in process (Flask's test client): learners log in, load the study page once,
    then answer with the page's JSON request, in turns. Counts SQL statements, write transactions and
    requests per answer, and (with `profile`) where the CPU goes, by library. The first answers warm the
    caches (compiled statements, rendered card text) and are not counted."""
    import cProfile
    import pstats

    from sqlalchemy import event

    from benchmarks import request_profile
    from studyapp import create_app
    from studyapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    browsers = []
    for username in usernames:
        if len(browsers) == 8:
            break
        client = app.test_client()
        html = client.get("/login").get_data(as_text=True)
        client.post("/login", data={"username": username, "password": PASSWORD,
                                    "csrf_token": FIELD["csrf_token"].search(html).group(1)})
        card = page_card(client.get(f"/study/{deck_id}").get_data(as_text=True))
        if card is not None:
            browsers.append([client, card.pop("token"), card])
    statements, writes, requests_sent, saved = [], 0, 0, 0
    writing = False

    def on_sql(conn, cursor, statement, parameters, context, executemany):
        nonlocal writing
        statements.append(statement)
        if statement.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writing = True

    def on_end(conn):
        nonlocal writing, writes
        writes += writing
        writing = False

    rng = random.Random(7)

    def answer(count: int) -> tuple[int, int]:
        sent = done = 0
        while done < count and browsers:
            for browser in list(browsers):
                client, token, card = browser
                sent += 1
                response = client.post(f"/study/{deck_id}/answer", headers={"X-CSRFToken": token},
                                       json={**card, "rating": rng.choice((1, 3, 3, 3, 4))})
                if response.status_code != 201:
                    raise RuntimeError(f"answer refused: {response.status_code} {response.get_data(as_text=True)[:200]}")
                done += 1
                browser[2] = response.get_json()["next"]
                if browser[2] is None:
                    browsers.remove(browser)
        return sent, done

    answer(2 * len(browsers))  # warm-up
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_sql)
    event.listen(engine, "commit", on_end)
    event.listen(engine, "rollback", on_end)
    cpu0 = time.process_time()
    try:
        requests_sent, saved = answer(answers)
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)
        event.remove(engine, "commit", on_end)
        event.remove(engine, "rollback", on_end)
    cpu = time.process_time() - cpu0
    out = {"browser_answers": saved, "browser_round_trips": round(requests_sent / saved, 2),
           "browser_statements_per_answer": round(len(statements) / saved, 2),
           "browser_write_transactions_per_answer": round(writes / saved, 2),
           "browser_testclient_cpu_ms_per_answer": round(cpu * 1000 / saved, 3)}
    if profile and browsers:
        profiler = cProfile.Profile()
        profiler.enable()
        _sent, profiled = answer(answers)
        profiler.disable()
        stats = pstats.Stats(profiler)
        totals = request_profile.by_library(stats)
        out["profile_phases_ms_per_answer"] = {k: round(v * 1000 / profiled, 3) for k, v in request_profile.by_phase(stats).items()}
        out["profile_answers"] = profiled
        out["profile_ms_per_answer"] = {k: round(v * 1000 / profiled, 3) for k, v in
                                        sorted(totals.items(), key=lambda kv: -kv[1])}
        out["profile_total_ms_per_answer"] = round(sum(totals.values()) * 1000 / profiled, 3)
    with app.app_context():
        db.engine.dispose()
    return out


def _prepare(base: str, username: str, deck_id: int):
    """Log in with `requests` (not timed) and load the study page once, as a browser does."""
    import requests

    from benchmarks.loadgen import USER_AGENT, Learner

    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT  # the load generator's own, as one browser sends one
    page = http.get(f"{base}/login").text
    http.post(f"{base}/login", data={"username": username, "password": PASSWORD,
                                     "csrf_token": FIELD["csrf_token"].search(page).group(1)})
    card = page_card(http.get(f"{base}/study/{deck_id}").text)
    if card is None:
        return None
    token = card.pop("token")
    cookie = "; ".join(f"{c.name}={c.value}" for c in http.cookies)
    return Learner(cookie=cookie, token=token, card=card)


def over_http(url: str, deck_id: int, usernames: list[str], seconds: float, concurrency: int, seed: int,
              keep_alive: bool = False, cpu_parts_dir: str | None = None) -> dict:
    """`concurrency` learners answering for `seconds` over HTTP. `keep_alive`: gthread workers and kept-alive
    connections (keys end in _keepalive); `cpu_parts_dir`: the app instrumented (request_profile.instrumented_app),
    its parts' CPU per answer returned under http_cpu_parts (keys end in _instrumented)."""
    from benchmarks import loadgen, request_profile, serve

    env = serve.environment(url)
    app, suffix = "wsgi:app", ""
    if cpu_parts_dir is not None:
        env["STUDYAPP_CPU_PARTS_DIR"] = cpu_parts_dir
        app, suffix = "benchmarks.request_profile:instrumented_app()", "_instrumented"
    if keep_alive:
        suffix += "_keepalive"
    proc, port, base = serve.start(env, app=app, options=serve.KEEP_ALIVE if keep_alive else serve.SYNC)
    try:
        learners = []
        for username in usernames:
            if len(learners) == concurrency:
                break
            learner = _prepare(base, username, deck_id)
            if learner is not None:  # a learner with nothing due right now: take the next one
                learners.append(learner)
        if not learners:
            return {}  # every learner is done for the day (a small --quick database after the runs before)
        pids = loadgen.process_tree(proc.pid)
        cpu_before, own_before = loadgen.cpu_seconds(pids), time.process_time()

        def ratings(i: int):
            rng = random.Random(seed + i)
            while True:
                yield rng.choice((1, 3, 3, 3, 4))

        wall = loadgen.run(learners, "127.0.0.1", port, lambda _one: f"/study/{deck_id}/answer", seconds, ratings,
                           keep_alive=keep_alive)
        cpu_after, own_cpu = loadgen.cpu_seconds(pids), time.process_time() - own_before
    finally:
        serve.stop(proc)
    timings = [t for one in learners for t in one.timings]
    saved = len(timings)
    server_cpu = sum(cpu_after.get(pid, 0.0) - cpu_before.get(pid, 0.0) for pid in cpu_before)
    key = f"{concurrency}{suffix}"
    out = {f"http_p50_ms_{key}": round(statistics.median(timings) * 1000, 2),
           f"http_p95_ms_{key}": round(pct(timings, 0.95) * 1000, 2),
           f"http_p99_ms_{key}": round(pct(timings, 0.99) * 1000, 2),
           f"http_rps_{key}": round(saved / wall, 1),
           f"http_errors_{key}": sum(one.errors for one in learners),
           f"server_cpu_ms_per_answer_{key}": round(server_cpu * 1000 / max(saved, 1), 3),
           f"loadgen_cpu_ms_per_answer_{key}": round(own_cpu * 1000 / max(saved, 1), 3)}
    if cpu_parts_dir is not None:
        out["http_cpu_parts"] = request_profile.cpu_parts(cpu_parts_dir)
    return out


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
    parser.add_argument("--profile", action="store_true", help="cProfile the browser's path, grouped by library")
    parser.add_argument("--http-profile", action="store_true",
                        help="one more 16-client run with the CPU of the request's parts measured inside the workers")
    parser.add_argument("--keep-alive", action="store_true",
                        help="one more 16-client run with gthread workers and kept-alive connections")
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
        # Learners from the end of the list: the HTTP runs below start from its beginning.
        figures.update(browser_path(url, deck_id, usernames[::-1], min(answers, 300), args.profile))
        for concurrency in (1, 16):
            figures.update(over_http(url, deck_id, usernames, seconds, concurrency, args.seed))
        # Further runs take the learners after those the runs above used (their cards were answered).
        rest = usernames[32:] if len(usernames) > 64 else usernames
        if args.keep_alive:
            figures.update(over_http(url, deck_id, rest, seconds, 16, args.seed, keep_alive=True))
        if args.http_profile:
            with tempfile.TemporaryDirectory() as parts:
                figures.update(over_http(url, deck_id, rest[::-1], seconds, 16, args.seed, cpu_parts_dir=parts))
    from benchmarks import flask_floor

    figures.update(flask_floor.measure(seconds))  # what a trivial Flask view costs, served and driven the same way
    figures.update(anki_measure(cards=max(cards * 10, 500), answers=answers))
    figures["ratio_vs_anki"] = round(figures["inprocess_p50_ms"] / figures["anki_p50_ms"], 2)
    figures["server_cpu_ms_per_answer"] = figures["server_cpu_ms_per_answer_16"]

    rows = [("in process p50 / p95 / p99 (ms)", f"{figures['inprocess_p50_ms']} / {figures['inprocess_p95_ms']} / "
             f"{figures['inprocess_p99_ms']}"),
            ("Anki library p50 / p99 (ms)", f"{figures['anki_p50_ms']} / {figures['anki_p99_ms']}"),
            ("ratio to Anki (p50)", f"{figures['ratio_vs_anki']}x"),
            ("HTTP, 1 client: answers/s, p50, p99 (ms)", f"{figures['http_rps_1']}, {figures['http_p50_ms_1']}, "
             f"{figures['http_p99_ms_1']}"),
            ("HTTP, 16 clients: answers/s, p50, p99 (ms)", f"{figures['http_rps_16']}, {figures['http_p50_ms_16']}, "
             f"{figures['http_p99_ms_16']}"),
            ("server CPU per answer, 1 / 16 clients (ms)", f"{figures['server_cpu_ms_per_answer_1']} / "
             f"{figures['server_cpu_ms_per_answer_16']}"),
            ("load generator CPU per answer, 16 clients (ms)", f"{figures['loadgen_cpu_ms_per_answer_16']}"),
            ("floor: a trivial Flask view, server CPU per request, 16 clients / test client (ms)",
             f"{figures['flask_floor_cpu_ms']} / {figures['flask_floor_testclient_cpu_ms']}"),
            ("browser path: round trips, SQL statements, write transactions per answer",
             f"{figures['browser_round_trips']}, {figures['browser_statements_per_answer']}, "
             f"{figures['browser_write_transactions_per_answer']}"),
            ("database", f"{learners} learners, {cards} cards, {days} days: {figures['review_logs']:,} reviews, "
             f"{figures['card_states']:,} card states (seeded in {figures['seed_s']} s)")]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    for label, ms in figures.get("profile_ms_per_answer", {}).items():
        print(f"  profile: {label:<60} {ms:7.3f} ms")
    for label, ms in figures.get("profile_phases_ms_per_answer", {}).items():
        print(f"  phase: {label:<62} {ms:7.3f} ms")
    if "http_rps_16_keepalive" in figures:
        print(f"HTTP, 16 clients, kept-alive connections (gthread): answers/s, p50, p99 (ms), server CPU per answer: "
              f"{figures['http_rps_16_keepalive']}, {figures['http_p50_ms_16_keepalive']}, "
              f"{figures['http_p99_ms_16_keepalive']}, {figures['server_cpu_ms_per_answer_16_keepalive']}")
    for label, ms in figures.get("http_cpu_parts", {}).get("ms", {}).items():
        print(f"  inside the worker: {label:<100} {ms:7.3f} ms")
    if args.json:
        print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
