"""Progress for long commands (`flask seed-demo`, `flask optimize-scheduler`): click's progress bar with counts
and time left when the output is a terminal; nothing at all when it is not (a log, a pipe, a test runner)."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

import click


class _Silent:
    def update(self, n_steps: int, current_item=None) -> None:
        pass


@contextmanager
def progress(length: int, label: str, stream: IO[str] | None = None) -> Iterator:
    """A bar of `length` steps (call `.update(n)`), shown only on a terminal."""
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    if length <= 0 or not (isatty and isatty()):
        yield _Silent()
        return
    with click.progressbar(length=length, label=label, show_eta=True, show_pos=True, show_percent=True,
                           file=stream, width=28) as bar:
        yield bar


@contextmanager
def step(label: str, stream: IO[str] | None = None) -> Iterator[None]:
    """One phase of a long command: "label... done in 2.1 s" on a terminal, nothing elsewhere. For work done in
    one piece (an all-or-nothing import is one bulk write), where a bar could not move."""
    stream = stream or sys.stdout
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        yield
        return
    started = time.perf_counter()
    click.echo(f"{label}...", nl=False, file=stream)
    try:
        yield
    except BaseException:
        click.echo(" stopped", file=stream)
        raise
    click.echo(f" done in {time.perf_counter() - started:.1f} s", file=stream)
