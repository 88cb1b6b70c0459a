"""Import while studying: learners answer cards over HTTP while an instructor imports a big CSV.

    python -m benchmarks.import_while_studying [--notes 2500] [--learners 1] [--format csv|apkg] [--via web|cli]
                                               [--quick] [--json]
    python -m benchmarks.import_while_studying --notes 20000      # the documented maximum

A fresh SQLite database (WAL, the app's settings) with a study deck and an empty target deck;
gunicorn with 2 workers (its default 30 s worker timeout). Learner threads log in and answer cards
without pause (the study page's JSON answer: answer + next card in one POST). Once they are going,
the instructor uploads a CSV of --notes notes (POST the import form: parse, validate, park), then
confirms it (plan, then one write through the card-sync engine). Reported: upload and confirm times,
the answers sent meanwhile, failed answers (anything but 201) and the longest answer wait, all while
the import ran, and the cards in the deck afterwards.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import serve
from benchmarks.review_loop import FIELD, PASSWORD, pct

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]*)"')


def study_deck(cards: int) -> str:
    parts = ['[deck]\nid = "study"\nname = "Study deck"\nnew_per_day = 9999\nreviews_per_day = 9999\n'
             'learning_steps = "1m"\n']
    for i in range(cards):
        parts.append(f'[[card]]\nid = "s{i:05d}"\nprompt = "Question {i}?"\nanswer = "Answer {i}"\n'
                     f'explanation = "Why {i}."\n')
    return "\n".join(parts)


def apkg_package(notes: int) -> bytes:
    """The same notes as `csv_rows`, as an Anki package (written by our exporter)."""
    from studyapp.interop.apkg_export import write_apkg
    from studyapp.interop.common import ExportNote

    items = []
    for i in range(notes):
        if i % 5 == 4:
            items.append(ExportNote(f"cz-{i:05d}", "cloze", "fact", f"The {{{{c1::river {i}}}}} flows into the "
                                    f"{{{{c2::sea {i}}}}}.", "", "A cloze note.", ("geo", "imported"), f"part-{i % 7}"))
        else:
            items.append(ExportNote(f"q-{i:05d}", "basic", "fact", f"What is item **{i}**?", f"Answer {i}",
                                    f"Because {i}.", ("imported",), f"part-{i % 7}"))
    return write_apkg("bench", "Bench", items, timestamp=0)


def csv_rows(notes: int) -> bytes:
    lines = ["front\tback\ttags\tid\tsection\texplanation"]
    for i in range(notes):
        if i % 5 == 4:
            lines.append(f"The {{{{c1::river {i}}}}} flows into the {{{{c2::sea {i}}}}}.\t\tgeo imported\t"
                         f"cz-{i:05d}\tpart-{i % 7}\tA cloze note.")
        else:
            lines.append(f"What is item **{i}**?\tAnswer {i}\timported\tq-{i:05d}\tpart-{i % 7}\tBecause {i}.")
    return ("\n".join(lines) + "\n").encode()


def build_database(folder: Path, learners: int, cards: int) -> tuple[str, int, int]:
    from studyapp import create_app
    from studyapp.cli import _create_schema
    from studyapp.domain.deckfile import parse_text
    from studyapp.extensions import db
    from studyapp.models import utcnow
    from studyapp.services import decks, users

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True})
    with app.app_context():
        _create_schema()
        study_id = decks.load_deck(db.session, parse_text(study_deck(cards), "study.toml"), utcnow()).deck.id
        target_id = decks.create_deck(db.session, "Imported", "", utcnow()).id
        for n in range(learners):
            users.create_user(db.session, f"learner{n}", PASSWORD, "learner", utcnow())
        users.create_user(db.session, "teacher", PASSWORD, "instructor", utcnow())
        db.session.commit()
        db.engine.dispose()
    return url, study_id, target_id


def login(http, base: str, username: str) -> None:
    page = http.get(f"{base}/login").text
    http.post(f"{base}/login", data={"username": username, "password": PASSWORD,
                                     "csrf_token": CSRF.search(page).group(1)})


class Learner(threading.Thread):
    """Answers cards back to back; records (start time, seconds, status) of every answer."""

    def __init__(self, base: str, username: str, deck_id: int, stop: threading.Event):
        super().__init__(daemon=True)
        import requests

        self.http, self.base, self.deck_id, self.stop = requests.Session(), base, deck_id, stop
        login(self.http, base, username)
        self.answers: list[tuple[float, float, int]] = []
        self.form = self._fresh_form()

    def _fresh_form(self) -> dict:
        page = self.http.get(f"{self.base}/study/{self.deck_id}").text
        found = {n: FIELD[n].search(page) for n in FIELD}
        if not all(found.values()):
            raise LookupError("nothing to study")
        return {n: m.group(1) for n, m in found.items()}

    def _refresh(self) -> None:
        while not self.stop.is_set():
            try:
                self.form = self._fresh_form()
                return
            except LookupError:
                time.sleep(0.1)   # nothing due right now (learning steps); the answers counted stay honest

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                response = self.http.post(f"{self.base}/study/{self.deck_id}/answer", data=dict(self.form, rating="3"),
                                          headers={"Accept": "application/json"}, timeout=60)
                status = response.status_code
            except Exception:  # a dropped connection counts as a failed answer
                status = 0
            self.answers.append((started, time.perf_counter() - started, status))
            if status != 201 or response.json()["next"] is None:
                self._refresh()
                continue
            upcoming = response.json()["next"]
            self.form.update(card_id=str(upcoming["card_id"]), version=str(upcoming["version"]),
                             shown_at=upcoming["shown_at"])


def run(notes: int, learners: int, cards: int, args_baseline: float = 3.0, fmt: str = "csv",
        via: str = "web") -> dict:
    import requests

    figures: dict = {"notes": notes, "format": fmt, "via": via, "learners": learners, "machine_cores": os.cpu_count()}
    payload = apkg_package(notes) if fmt == "apkg" else csv_rows(notes)
    filename = "big.apkg" if fmt == "apkg" else "big.tsv"
    figures["file_bytes"] = len(payload)
    with tempfile.TemporaryDirectory() as tmp:
        url, study_id, target_id = build_database(Path(tmp), learners, cards)
        env = serve.environment(url)
        proc, _port, base = serve.start(env)
        stop = threading.Event()
        try:
            threads = [Learner(base, f"learner{n}", study_id, stop) for n in range(learners)]
            teacher = requests.Session()
            login(teacher, base, "teacher")
            form = teacher.get(f"{base}/instructor/decks/{target_id}/import").text
            for thread in threads:
                thread.start()
            baseline_from = time.perf_counter()
            time.sleep(args_baseline)                         # learners are answering, nothing else
            t0 = time.perf_counter()
            if via == "cli":
                t1 = t2 = t0                                   # no upload or preview: one command
                with tempfile.NamedTemporaryFile(suffix="." + ("apkg" if fmt == "apkg" else "tsv")) as file:
                    file.write(payload)
                    file.flush()
                    flask = Path(sys.executable).with_name("flask")
                    done = subprocess.run([str(flask), "import-deck", file.name, "--deck", str(target_id)], cwd=ROOT,
                                          env=env, capture_output=True, text=True, timeout=300)
                t3 = time.perf_counter()
                if done.returncode != 0:
                    raise SystemExit(f"flask import-deck failed: {done.stderr}")
                confirm_status = 0
            else:
                uploaded = teacher.post(f"{base}/instructor/decks/{target_id}/import",
                                        data={"csrf_token": CSRF.search(form).group(1)},
                                        files={"upload": (filename, payload, "application/octet-stream")},
                                        allow_redirects=False, timeout=120)
                t1 = time.perf_counter()
                if uploaded.status_code != 302:
                    raise SystemExit(f"upload failed: HTTP {uploaded.status_code}")
                preview_url = base + uploaded.headers["Location"]
                preview = teacher.get(preview_url, timeout=120).text
                t2 = time.perf_counter()
                confirm = teacher.post(preview_url + "/confirm", data={"csrf_token": CSRF.search(preview).group(1)},
                                       allow_redirects=False, timeout=120)
                t3 = time.perf_counter()
                confirm_status = confirm.status_code
            time.sleep(0.5)
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        finally:
            stop.set()
            serve.stop(proc)
        import sqlite3

        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        figures["cards_imported"] = con.execute("SELECT count(*) FROM cards WHERE deck_id = ?",
                                                (target_id,)).fetchone()[0]
        figures["revisions_written"] = con.execute(
            "SELECT count(*) FROM card_revisions r JOIN cards c ON c.id = r.card_id WHERE c.deck_id = ?",
            (target_id,)).fetchone()[0]
        con.close()
    during = [a for t in threads for a in t.answers if t0 <= a[0] <= t3]
    waits = [seconds for _, seconds, _ in during]
    baseline = [seconds for t in threads for start, seconds, _ in t.answers if baseline_from <= start < t0]
    for name, (start, end) in {"upload": (t0, t1), "preview": (t1, t2), "confirm": (t2, t3)}.items():
        phase = [seconds for t in threads for begun, seconds, _ in t.answers if start - seconds <= begun <= end]
        figures[f"max_answer_wait_during_{name}_s"] = round(max(phase), 3) if phase else None
    figures["baseline_answers"] = len(baseline)
    figures["baseline_max_answer_wait_s"] = round(max(baseline), 3) if baseline else None
    figures["baseline_p95_answer_wait_s"] = round(pct(baseline, 0.95), 3) if baseline else None
    figures.update({
        "confirm_status": confirm_status,
        "upload_s": round(t1 - t0, 2), "preview_s": round(t2 - t1, 2), "confirm_s": round(t3 - t2, 2),
        "import_total_s": round(t3 - t0, 2),
        "answers_during_import": len(during),
        "failed_answers_during_import": sum(1 for _, _, status in during if status != 201),
        "failed_answers_total": sum(1 for t in threads for _, _, status in t.answers if status != 201),
        "max_answer_wait_s": round(max(waits), 3) if waits else None,
        "p95_answer_wait_s": round(pct(waits, 0.95), 3) if waits else None,
    })
    return figures


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=2500)
    parser.add_argument("--learners", type=int, default=1)
    parser.add_argument("--cards", type=int, default=3000, help="cards in the deck the learners study")
    parser.add_argument("--format", choices=("csv", "apkg"), default="csv", help="the uploaded file's format")
    parser.add_argument("--via", choices=("web", "cli"), default="web",
                        help="upload, preview and confirm in the browser's way, or one `flask import-deck`")
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds (smoke test)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    args = parser.parse_args(argv)
    if args.quick:
        figures = run(200, 1, 300, args_baseline=0.5, fmt=args.format, via=args.via)
    else:
        figures = run(args.notes, args.learners, args.cards, fmt=args.format, via=args.via)
    for name, value in figures.items():
        print(f"{name:32} {value}")
    if args.json:
        print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
