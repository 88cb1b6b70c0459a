"""Progress for long commands (`flask seed-demo`, `flask optimize-scheduler`): click's progress bar with counts
and time left when the output is a terminal; nothing at all when it is not (a log, a pipe, a test runner)."""
from __future__ import annotations

import sys
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
