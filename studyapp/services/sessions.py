"""Logins that can end: one `UserSession` row per logged-in browser, found by the hash of a random token.

The browser keeps the session token in its (signed) session cookie and, for "keep me logged in", a second
random token in the remember-me cookie. Only SHA-256 hashes are stored. A row ends when it is deleted
(logout, "log out everywhere", a password change or reset) or when `expires_at` passes; `expires_at` moves
forward as the login is used (12 hours after the last visit, or 30 days for a remembered login, by default).
Every use of a remember-me token replaces both tokens, so a copied remember-me cookie works once at most and
is dead as soon as its owner comes back (or logs out).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import User, UserSession

IDLE_FOR = timedelta(hours=12)      # a login without "keep me logged in" ends after this long unused
REMEMBER_FOR = timedelta(days=30)   # a remembered login ends after this long unused
TOUCH_EVERY = timedelta(minutes=5)  # `last_seen_at` is written at most this often per login


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta = IDLE_FOR
    remember: timedelta = REMEMBER_FOR

    def of(self, remembered: bool) -> timedelta:
        return self.remember if remembered else self.idle


@dataclass(frozen=True)
class Issued:
    """What the browser gets: the session token, and the remember-me token when the login is remembered."""

    row: UserSession
    token: str
    remember_token: str | None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def start(session: Session, user: User, now: datetime, *, remember: bool, user_agent: str = "",
          lifetimes: Lifetimes = Lifetimes()) -> Issued:
    """A new login for `user` with fresh tokens."""
    session.execute(delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now),
                    execution_options={"synchronize_session": False})
    token = _new_token()
    remember_token = _new_token() if remember else None
    row = UserSession(user_id=user.id, token_hash=digest(token),
                      remember_hash=digest(remember_token) if remember_token else None,
                      user_agent=(user_agent or "")[:200], created_at=now, last_seen_at=now,
                      expires_at=now + lifetimes.of(remember))
    session.add(row)
    session.flush()
    return Issued(row, token, remember_token)


def rotate(session: Session, row: UserSession, now: datetime, lifetimes: Lifetimes = Lifetimes()) -> Issued:
    """New tokens for the same login (the old ones stop working at once)."""
    token = _new_token()
    remember_token = _new_token() if row.remembered else None
    row.token_hash = digest(token)
    row.remember_hash = digest(remember_token) if remember_token else None
    row.last_seen_at = now
    row.expires_at = now + lifetimes.of(row.remembered)
    session.flush()
    return Issued(row, token, remember_token)


def _live(row: UserSession | None, now: datetime) -> UserSession | None:
    # An expired row is only ignored here (reads must not write); `start` deletes the user's expired rows.
    return row if row is not None and row.expires_at > now else None


def find(session: Session, token: str | None, now: datetime) -> UserSession | None:
    """The live login whose session token this is, or None."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return None
    return _live(session.scalar(select(UserSession).where(UserSession.token_hash == digest(token))), now)


def find_remembered(session: Session, remember_token: str | None, now: datetime) -> UserSession | None:
    if not remember_token or len(remember_token) > 200:
        return None
    row = session.scalar(select(UserSession).where(UserSession.remember_hash == digest(remember_token)))
    return _live(row, now)


def needs_touch(row: UserSession, now: datetime) -> bool:
    return now - row.last_seen_at >= TOUCH_EVERY


def touch(session: Session, row_id: int, remembered: bool, now: datetime, lifetimes: Lifetimes = Lifetimes()) -> None:
    """Record a visit: `last_seen_at` now, and the login's end pushed on."""
    row = session.get(UserSession, row_id)
    if row is not None:
        row.last_seen_at = now
        row.expires_at = now + lifetimes.of(remembered)
        session.flush()


def end(session: Session, row: UserSession) -> None:
    session.delete(row)
    session.flush()


def end_all(session: Session, user_id: int, keep: UserSession | None = None) -> int:
    """End every login of this user (but `keep`, when given); how many ended."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    ended = session.execute(statement, execution_options={"synchronize_session": "fetch"}).rowcount
    session.flush()
    return ended or 0


def of_user(session: Session, user_id: int, now: datetime) -> list[UserSession]:
    """The user's live logins, most recently seen first."""
    return list(session.scalars(select(UserSession)
                                .where(UserSession.user_id == user_id, UserSession.expires_at > now)
                                .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def describe_agent(user_agent: str) -> str:
    """A short name for a browser from its User-Agent: "Firefox on Windows", or the raw text cut short."""
    ua = user_agent or ""
    browser = next((name for key, name in (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
                                           ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
                    if key in ua), "")
    system = next((name for key, name in (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
                                          ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
                                          ("Linux", "Linux"))
                   if key in ua), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or (ua[:60] if ua else "Unknown device")
