"""Limits a school can live with: count failed logins (never successful ones) per account and per address,
with a back-off that doubles; count registrations per address.

The events live in the `throttle_events` table, so every worker and every app server on the same database
sees the same counts (no Redis needed; SQLite and PostgreSQL alike). A class of thirty behind one school
address logs in freely: successes are not counted, and an address gets many more free failures than an
account. Thirty wrong passwords for one account are slowed down to one try per quarter of an hour.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..models import ThrottleEvent


@dataclass(frozen=True)
class BackOff:
    """`free` failures within `window` pass; after that each try waits `base * 2**(failures - free)` after the
    latest failure, at most `cap`."""

    free: int
    window: timedelta = timedelta(hours=1)
    base: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=15)

    def wait(self, failures: int) -> timedelta:
        if failures < self.free:
            return timedelta(0)
        exponent = min(failures - self.free, 30)
        return min(self.cap, self.base * (2 ** exponent))


@dataclass(frozen=True)
class Policy:
    account: BackOff = BackOff(free=5)
    address: BackOff = BackOff(free=100)
    # Registrations per address per hour (a class registering together fits), and "that username is taken"
    # answers per address per hour (they are what tells which usernames exist).
    registrations: int = 60
    taken: int = 20
    register_window: timedelta = timedelta(hours=1)


def account_key(username: str | None) -> str:
    return (username or "").strip().lower()[:64]


def _failures(session: Session, column, value: str, since: datetime) -> tuple[int, datetime | None]:
    count, latest = session.execute(
        select(func.count(), func.max(ThrottleEvent.at))
        .where(ThrottleEvent.kind == "login", column == value, ThrottleEvent.at > since)).one()
    return count, latest


def login_wait(session: Session, username: str, address: str, now: datetime, policy: Policy = Policy()) -> int:
    """Seconds this login attempt must wait (0: go ahead). Refused attempts are not recorded."""
    longest = timedelta(0)
    for column, value, rule in ((ThrottleEvent.account, account_key(username), policy.account),
                                (ThrottleEvent.address, address[:64], policy.address)):
        if not value:
            continue
        count, latest = _failures(session, column, value, now - rule.window)
        if latest is not None:
            longest = max(longest, latest + rule.wait(count) - now)
    return math.ceil(longest.total_seconds()) if longest > timedelta(0) else 0


def record_login_failure(session: Session, username: str, address: str, now: datetime,
                         policy: Policy = Policy()) -> None:
    oldest = now - max(policy.account.window, policy.address.window, policy.register_window)
    session.execute(delete(ThrottleEvent).where(ThrottleEvent.at < oldest),
                    execution_options={"synchronize_session": False})
    session.add(ThrottleEvent(kind="login", account=account_key(username), address=address[:64], at=now))
    session.flush()


def clear_login_failures(session: Session, username: str) -> None:
    """A successful login forgets its account's failures (the address keeps the others' failures)."""
    session.execute(delete(ThrottleEvent).where(ThrottleEvent.kind == "login",
                                                ThrottleEvent.account == account_key(username)),
                    execution_options={"synchronize_session": False})


def _count(session: Session, kind: str, address: str, since: datetime) -> int:
    return session.scalar(select(func.count()).select_from(ThrottleEvent).where(
        ThrottleEvent.kind == kind, ThrottleEvent.address == address[:64], ThrottleEvent.at > since)) or 0


def register_refused(session: Session, address: str, now: datetime, policy: Policy = Policy()) -> bool:
    """Whether this address has used up its registrations, or its "that username is taken" answers."""
    since = now - policy.register_window
    return (_count(session, "register", address, since) >= policy.registrations
            or _count(session, "taken", address, since) >= policy.taken)


def record(session: Session, kind: str, address: str, now: datetime) -> None:
    """A registration ("register") or a "that username is taken" answer ("taken") from this address."""
    session.add(ThrottleEvent(kind=kind, account="", address=address[:64], at=now))
    session.flush()
