"""Hostile uploads: how long each takes to be refused, and the memory it costs (issue 12).

    python -m benchmarks.hostile_uploads            # every case, each in its own process
    python -m benchmarks.hostile_uploads --quick    # the small cases only (smoke test)
    python -m benchmarks.hostile_uploads --json
    python -m benchmarks.hostile_uploads --http     # over HTTP, gunicorn: a learner answers meanwhile

Each case is built and written to a temporary file (as Werkzeug spools an upload), then parsed by
`transfer.parse_upload` (what the import page calls) from that file in a fresh Python process, so that
its peak resident memory (ru_maxrss, SQLite's own allocations included) is its own. Reported per case:
the outcome (the message, or the notes read), the seconds from upload to answer, and the peak memory
above the process's baseline. The targets: refused within 5 s with a
clear message, memory bounded (a small multiple of the upload limit), nothing on disk.

With --http: gunicorn (2 workers, 30 s timeout, its own empty TMPDIR) on a fresh SQLite database; a
learner answers cards back to back while the instructor uploads every hostile case twice at once (two
threads); reported per case: the two uploads' status and time, and over the whole run the learner's
answers, failures and longest wait, the longest GET /login, and the files left in TMPDIR.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile

UPLOAD_LIMIT = 16 * 1024 * 1024
MODELS = {"1": {"id": 1, "name": "Basic", "type": 0, "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]}}


def collection(notes: int = 1, build=None, models=None, note_text=None) -> bytes:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE col (models TEXT, decks TEXT)")
    db.execute("INSERT INTO col VALUES (?, ?)", (models or json.dumps(MODELS), json.dumps({"7": {"name": "D"}})))
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT)")
    db.execute("CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER)")
    text = note_text or (lambda i: f"Question {i}?\x1fAnswer {i}")
    db.executemany("INSERT INTO notes (guid, mid, tags, flds) VALUES (?, 1, '', ?)",
                   ((f"g{i}", text(i)) for i in range(notes)))
    db.execute("INSERT INTO cards (nid, did, ord) SELECT id, 7, 0 FROM notes")
    if build:
        build(db)
    db.commit()
    data = db.serialize()
    db.close()
    return data


def package(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", data)
    return buffer.getvalue()


def endless_view(db):
    db.execute("DROP TABLE notes")
    db.execute("CREATE VIEW notes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
               "SELECT i AS id, 'g' || i AS guid, 1 AS mid, '' AS tags, 'Q' || char(31) || 'A' AS flds FROM n")


VOCABULARY = ("river", "treaty", "border", "exercise", "Moscow", "Beijing", "army", "trade", "summit", "oil",
              "gas", "pipeline", "navy", "Arctic", "Siberia", "agreement", "alliance", "partner", "1969", "2001")


def words(length: int, seed: int) -> str:
    """Text of about `length` characters that compresses like prose (not like a run of one letter)."""
    rng = random.Random(seed)
    out = []
    while sum(map(len, out)) + len(out) < length:
        out.append(rng.choice(VOCABULARY))
    return " ".join(out)[:length]


def csv_rows(rows: int, width: int = 40) -> bytes:
    return b"front,back\n" + b"".join(b"Question %d %s?,Answer\n" % (i, b"x" * width) for i in range(rows))


CASES = {
    # name: (quick?, file name, builder)
    "endless recursive view": (True, "view.apkg", lambda: package(collection(build=endless_view))),
    "trigger": (True, "trigger.apkg", lambda: package(collection(build=lambda db: db.execute(
        "CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM cards; END")))),
    "zip bomb (200 MB of zeros)": (False, "bomb.apkg", lambda: package(b"\0" * (200 * 1024 * 1024))),
    "zip bomb (20 MB of zeros)": (True, "bomb.apkg", lambda: package(b"\0" * (20 * 1024 * 1024))),
    "wrong JSON type (col.models a list)": (True, "json.apkg", lambda: package(collection(models="[1, 2]"))),
    "20,001 notes": (False, "many.apkg", lambda: package(collection(notes=20_001))),
    "20,000 notes of 60 KB (unpacked cap)": (False, "huge.apkg", lambda: package(collection(
        notes=20_000, note_text=lambda i: f"Q{i} " + "a" * 1990 + "\x1f" + "b" * 990))),
    "14,000 notes of 3 KB of words (pending cap)": (False, "fat.apkg", lambda: package(collection(
        notes=14_000, note_text=lambda i: f"Q{i} " + words(1990, i) + "\x1f" + words(990, -i)))),
    "20,000 good notes (accepted)": (False, "good.apkg", lambda: package(collection(notes=20_000))),
    "15 MB CSV (over the row cap)": (False, "big.csv", lambda: csv_rows(240_000)),
    "CSV with one 15 MB line": (False, "line.csv", lambda: b"front,back\n" + b"x" * (15 * 1024 * 1024)),
    "20,000-row CSV (accepted)": (False, "ok.csv", lambda: csv_rows(20_000)),
    "200-row CSV (accepted)": (True, "ok.csv", lambda: csv_rows(200)),
}


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (VmRSS) or its peak since the last reset (VmHWM), in MB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Start VmHWM again from the current RSS (Linux 4.0+: write 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def run_one(name: str, path: str) -> dict:
    from studyapp.interop.common import ImportFileError
    from studyapp.services import transfer

    _quick, filename, _build = CASES[name]
    with open(path, "rb") as upload:
        baseline = rss_mb()
        reset_peak()
        started = time.perf_counter()
        try:
            parsed = transfer.parse_upload(filename, upload, UPLOAD_LIMIT)
            outcome = f"accepted: {len(parsed.notes):,} notes"
        except ImportFileError as exc:
            outcome = str(exc)[:140]
        seconds = time.perf_counter() - started
    return {"case": name, "upload_kb": round(os.path.getsize(path) / 1024, 1), "seconds": round(seconds, 3),
            "peak_mb_above_baseline": round(rss_mb("VmHWM") - baseline, 1), "outcome": outcome}


def run_http(names: list[str]) -> dict:
    import threading
    from pathlib import Path

    import requests

    from benchmarks import serve
    from benchmarks.import_while_studying import CSRF, Learner, build_database, login

    figures: dict = {"cases": {}}
    with tempfile.TemporaryDirectory() as folder:
        url, study_id, target_id = build_database(Path(folder), 1, 3000)
        private_tmp = Path(folder) / "tmp"
        private_tmp.mkdir()
        proc, _port, base = serve.start(serve.environment(url, TMPDIR=str(private_tmp)))
        stop = threading.Event()
        logins: list[float] = []
        try:
            learner = Learner(base, "learner0", study_id, stop)
            learner.start()

            def poll_login():
                while not stop.is_set():
                    started = time.perf_counter()
                    requests.get(f"{base}/login", timeout=60)
                    logins.append(time.perf_counter() - started)
                    time.sleep(0.05)

            poller = threading.Thread(target=poll_login, daemon=True)
            poller.start()
            teachers = []
            for _ in range(2):
                session = requests.Session()
                login(session, base, "teacher")
                teachers.append(session)
            for name in names:
                _quick, filename, build = CASES[name]
                payload = build()
                results: list = [None, None]

                def send(i, session, payload=payload, filename=filename, results=results):
                    form = session.get(f"{base}/instructor/decks/{target_id}/import").text
                    started = time.perf_counter()
                    response = session.post(f"{base}/instructor/decks/{target_id}/import",
                                            data={"csrf_token": CSRF.search(form).group(1)},
                                            files={"upload": (filename, payload, "application/octet-stream")},
                                            allow_redirects=False, timeout=120)
                    results[i] = (response.status_code, round(time.perf_counter() - started, 3))

                pair = [threading.Thread(target=send, args=(i, t)) for i, t in enumerate(teachers)]
                for thread in pair:
                    thread.start()
                for thread in pair:
                    thread.join()
                figures["cases"][name] = results
            time.sleep(0.5)
        finally:
            stop.set()
            serve.stop(proc)
        figures["left_in_tmpdir"] = sorted(p.name for p in private_tmp.iterdir())
    answers = learner.answers
    figures.update({
        "learner_answers": len(answers),
        "learner_failed_answers": sum(1 for _, _, status in answers if status != 201),
        "learner_longest_wait_s": round(max((s for _, s, _ in answers), default=0), 3),
        "login_page_requests": len(logins),
        "login_page_longest_s": round(max(logins, default=0), 3),
    })
    return figures


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--http", action="store_true", help="upload every case over HTTP while a learner studies")
    args = parser.parse_args(argv)
    if args.http:
        names = [n for n, c in CASES.items() if (c[0] or not args.quick) and "accepted" not in n]
        figures = run_http(names)
        for name, value in figures["cases"].items():
            print(f"{name:44s} {value}")
        for name, value in figures.items():
            if name != "cases":
                print(f"{name:44s} {value}")
        if args.json:
            print(json.dumps(figures))
        return [figures]
    if args.one:
        print(json.dumps(run_one(*args.one)))
        return []
    results = []
    for name, (quick, _f, build) in CASES.items():
        if args.quick and not quick:
            continue
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "upload")
            with open(path, "wb") as f:
                f.write(build())
            out = subprocess.run([sys.executable, "-m", "benchmarks.hostile_uploads", "--one", name, path],
                                 capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(result)
        print(f"{name:40s} {result['upload_kb']:>9,.1f} KB {result['seconds']:>7.3f} s "
              f"{result['peak_mb_above_baseline']:>7.1f} MB  {result['outcome'][:90]}")
    if args.json:
        print(json.dumps(results))
    return results


if __name__ == "__main__":
    main()
