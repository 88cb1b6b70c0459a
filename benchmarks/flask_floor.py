"""The floor under the review loop's server CPU: what a trivial Flask view costs per request on this machine.

Served and driven as the study answer is (gunicorn with 2 workers, the asyncio load generator sending the
page's JSON POST on a new connection each time, the server's CPU time from /proc over the responses), and
through Flask's test client in process. The view reads the JSON body and answers 201 with a small JSON
object: no session cookie, no login, no CSRF check, no database. Whatever the answer costs above this is
ours (the app's hooks, SQLAlchemy, SQLite, the scheduler); this much no Flask view can go below.
"""
from __future__ import annotations

import os
import random
import time


def create_app():
    from flask import Flask, jsonify, request

    app = Flask("flask_floor")

    @app.post("/answer")
    def answer():
        data = request.get_json()
        return jsonify(status="saved", next=data), 201

    return app


def over_http(seconds: float, concurrency: int = 16) -> dict:
    from benchmarks import loadgen, serve

    proc, port, _base = serve.start(dict(os.environ), app="benchmarks.flask_floor:create_app()")
    try:
        clients = [loadgen.Learner(cookie="", token="", card={"card_id": 1, "version": 0, "shown_at": "2026-01-01T00:00"})
                   for _ in range(concurrency)]
        pids = loadgen.process_tree(proc.pid)
        before = loadgen.cpu_seconds(pids)

        def ratings(i: int):
            rng = random.Random(i)
            while True:
                yield rng.choice((1, 3, 3, 3, 4))

        wall = loadgen.run(clients, "127.0.0.1", port, lambda _one: "/answer", seconds, ratings)
        after = loadgen.cpu_seconds(pids)
    finally:
        serve.stop(proc)
    done = sum(len(one.timings) for one in clients)
    cpu = sum(after.get(pid, 0.0) - before.get(pid, 0.0) for pid in before)
    return {"flask_floor_cpu_ms": round(cpu * 1000 / max(done, 1), 3), "flask_floor_rps_16": round(done / wall, 1)}


def in_process(requests: int = 2000) -> dict:
    client = create_app().test_client()
    body = {"card_id": 1, "version": 0, "shown_at": "2026-01-01T00:00", "rating": 3}
    for _ in range(50):
        client.post("/answer", json=body)
    cpu0 = time.process_time()
    for _ in range(requests):
        client.post("/answer", json=body)
    return {"flask_floor_testclient_cpu_ms": round((time.process_time() - cpu0) * 1000 / requests, 3)}


def measure(seconds: float) -> dict:
    return {**over_http(seconds), **in_process()}


if __name__ == "__main__":
    print(measure(5.0))
