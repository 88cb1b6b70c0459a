"""gunicorn for the HTTP benchmarks: started on a free loopback port over a given database, waited for, stopped.

Two workers with gunicorn's default 30 s worker timeout, as `make run` serves; its output is discarded.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(url: str, **extra: str) -> dict:
    """The server's environment: the database, a fixed secret, and anything else given (e.g. TMPDIR)."""
    return dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-secret", **extra)


# What `make run` serves with (sync workers: one request per connection, as behind nginx's default proxying),
# and the variant for clients that keep their connection open: gthread workers with one request thread each
# (as many requests at a time as sync workers; more threads only queued them on the GIL and SQLite's lock).
SYNC: tuple[str, ...] = ()
KEEP_ALIVE = ("--worker-class", "gthread", "--threads", "1", "--keep-alive", "5")


def start(env: dict, workers: int = 2, app: str = "wsgi:app", options: tuple[str, ...] = SYNC) -> tuple[subprocess.Popen, int, str]:
    """Start gunicorn (its own process group, so `stop` ends master and workers) and wait until it answers.
    `app`: gunicorn's application (the app by default; benchmarks/flask_floor.py serves a trivial one);
    `options`: more gunicorn options (KEEP_ALIVE: gthread workers that keep connections open)."""
    import requests

    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "--workers", str(workers), "--timeout", "30", "--bind", f"127.0.0.1:{port}",
                             "--no-control-socket", *options, app], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/login", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
    except BaseException:
        stop(proc)  # no server left behind when waiting fails (or is interrupted)
        raise
    return proc, port, base


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)
