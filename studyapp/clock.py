"""The app's one clock: every view asks `now()` for the time; tests pin it.

`now()` is the current UTC time, unless the running app's config holds a `CLOCK`: a callable
returning an aware datetime (tests set one so that pages about "today" do not depend on when the
suite runs). Services and the domain never read the clock: they are handed `now`.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app, has_app_context


def now() -> datetime:
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    if clock is None:
        return datetime.now(timezone.utc)
    value = clock()
    if value.tzinfo is None:
        raise ValueError("CLOCK returned a naive datetime: return an aware UTC one")
    return value.astimezone(timezone.utc)
