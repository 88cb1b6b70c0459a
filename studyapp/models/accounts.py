"""Where a login lives on the server: one row per logged-in browser, and the failures the login limit counts.

A browser holds a random session token (in the signed session cookie) and, when "keep me logged in" was
ticked, a random remember-me token (its own cookie). The database keeps only their SHA-256 hashes, so a copy
of the database opens no session. Deleting a row ends that login everywhere at once: logout, "log out
everywhere", a password change or reset all delete rows. Every worker and server reads the same rows.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .core import one_of
from .types import UTCDateTime, utcnow

THROTTLE_KINDS = ("login", "register", "taken")  # a failed login; a registration; "that name is taken"


class UserSession(db.Model):
    """One logged-in browser: ends when deleted, or when `expires_at` passes (pushed on as it is used)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def remembered(self) -> bool:
        return self.remember_hash is not None


class ThrottleEvent(db.Model):
    """A failed login (per account name as typed, lower-cased, and per address) or a registration attempt.

    Only failures are stored for logins; a successful login deletes its account's failures. Rows older than
    the limit's window are deleted as new ones arrive.
    """

    __tablename__ = "throttle_events"
    __table_args__ = (
        one_of("kind", THROTTLE_KINDS),
        Index("ix_throttle_events_kind_account_at", "kind", "account", "at"),
        Index("ix_throttle_events_kind_address_at", "kind", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
