"""A cheap load generator for the review loop, and the server's own CPU time.

One Python process, one thread, asyncio: each virtual learner is a coroutine that sends the study page's
own request (the answer as JSON, the CSRF token in the X-CSRFToken header) over a raw HTTP/1.1 socket and
reads the next card from the response, as the page's script does. No thread pool, no `requests`: the
generator costs a fraction of a millisecond of CPU per answer (measured and reported beside the server's),
so it takes little from the two cores it shares with the workers.

The server's CPU per answer is read from /proc: user + system time of the gunicorn master and its workers
before and after the run, divided by the answers the server acknowledged (201: committed). It does not
depend on how fast the load generator is.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_tree(root: int) -> list[int]:
    """`root` and every process under it (gunicorn's master and its workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """utime + stime of each live process, in seconds."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return out


@dataclass
class Learner:
    """One logged-in browser: its cookies, CSRF token and the card it is looking at."""

    cookie: str
    token: str
    card: dict
    timings: list[float] = field(default_factory=list)
    errors: int = 0
    done: bool = False


# Sent on every request, the login's included (review_loop._prepare): Flask-Login's session protection compares
# it with the login's, and a different one rewrites the session cookie (marked not fresh), as no browser does.
USER_AGENT = "studyapp-loadgen"
_SET_COOKIE = re.compile(rb"^set-cookie:\s*([^=;\s]+)=([^;]*)", re.I | re.M)


class _Connection:
    """One client's HTTP/1.1 connection: kept open between requests when `keep_alive` (as a browser keeps
    it), else a new connection per request (`Connection: close`)."""

    def __init__(self, host: str, port: int, keep_alive: bool):
        self.host, self.port, self.keep_alive = host, port, keep_alive
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        try:
            self.writer.write(raw)
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            match = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.I)
            body = await self.reader.readexactly(int(match.group(1))) if match else await self.reader.read()
        except BaseException:
            self.close()
            raise
        if not self.keep_alive or not match or re.search(rb"\r\nconnection:\s*close", head, re.I):
            self.close()
        return status, head, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _update_cookies(cookie: str, head: bytes) -> str:
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    for name, value in _SET_COOKIE.findall(head):
        jar[name.decode()] = value.decode()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


async def _learner_loop(learner: Learner, host: str, port: int, path: str, deadline: float, ratings,
                        keep_alive: bool) -> None:
    connection = _Connection(host, port, keep_alive)
    header = "keep-alive" if keep_alive else "close"
    while time.perf_counter() < deadline and not learner.done:
        card = learner.card
        body = json.dumps({"card_id": card["card_id"], "version": card["version"], "rating": next(ratings),
                           "shown_at": card["shown_at"]}).encode()
        raw = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
               f"Accept: application/json\r\nX-CSRFToken: {learner.token}\r\nCookie: {learner.cookie}\r\n"
               f"User-Agent: {USER_AGENT}\r\nContent-Length: {len(body)}\r\nConnection: {header}\r\n\r\n").encode() + body
        started = time.perf_counter()
        try:
            status, head, payload = await connection.request(raw)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            learner.errors += 1
            await asyncio.sleep(0.05)
            continue
        elapsed = time.perf_counter() - started
        if b"set-cookie" in head.lower():
            learner.cookie = _update_cookies(learner.cookie, head)
        if status != 201:
            learner.errors += 1
            learner.done = True  # the benchmark's learners never repeat an answer: a refusal is an error
            continue
        learner.timings.append(elapsed)
        upcoming = json.loads(payload)["next"]
        if upcoming is None:
            learner.done = True
        else:
            learner.card = upcoming
    connection.close()


def run(learners: list[Learner], host: str, port: int, path_for, seconds: float, ratings_for, keep_alive: bool = False) -> float:
    """Drive every learner for `seconds`; returns the wall time taken. `keep_alive`: each learner keeps its
    connection open between answers (as a browser does); otherwise a new connection per answer."""
    async def main():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_learner_loop(one, host, port, path_for(one), deadline, ratings_for(i), keep_alive)
                               for i, one in enumerate(learners)))

    # In a thread of its own: its event loop must not meet one already running in the caller's thread
    # (Playwright's sync API keeps one in a test session).
    failure: list[BaseException] = []

    def in_thread():
        try:
            asyncio.run(main())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            failure.append(exc)

    started = time.perf_counter()
    worker = threading.Thread(target=in_thread, name="loadgen")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]
    return time.perf_counter() - started
