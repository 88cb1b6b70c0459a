"""Accounts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ROLES, User

# A hash to compare against when the user does not exist, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class UserExists(ValueError):
    pass


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def create_user(session: Session, username: str, password: str, role: str, now: datetime,
                timezone: str = "UTC") -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    username = username.strip()
    if find_user(session, username) is not None:
        raise UserExists(f"the username '{username}' is taken")
    user = User(username=username, password_hash=generate_password_hash(password), role=role,
                timezone=timezone, created_at=now)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = find_user(session, username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None
