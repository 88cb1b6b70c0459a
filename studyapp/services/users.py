"""Accounts: the rules for usernames, time zones and passwords (the forms and the CLI share them), creating,
authenticating, changing and resetting passwords."""
from __future__ import annotations

import re
import secrets
from datetime import datetime
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..models import ROLES, User
from . import sessions

# A hash to compare against when the user does not exist, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
USERNAME_MIN, USERNAME_MAX = 3, 64
PASSWORD_MIN, PASSWORD_MAX = 8, 200
# zxcvbn (Dropbox's estimator, PyPI `zxcvbn`) scores 0-4 from the guesses an attacker would need, using its
# shipped frequency lists (common passwords, names, English words, keyboard patterns). 2 means "somewhat
# guessable: protection from unthrottled online attacks" (about 10^8 guesses); 0 and 1 are refused.
PASSWORD_MIN_SCORE = 2
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters are what it scores
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read out to a learner


class UserExists(ValueError):
    pass


class PasswordRefused(ValueError):
    pass


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """The zones a user may choose: UTC and every Area/City zone (no Etc/ or SystemV/ aliases)."""
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return ("UTC", *zones)


def username_problems(username: str) -> list[str]:
    name = (username or "").strip()
    problems = []
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        problems.append(f"Use {USERNAME_MIN} to {USERNAME_MAX} characters.")
    if name and not USERNAME_RE.match(name):
        problems.append("Use letters, digits, dots, dashes and underscores only.")
    return problems


def timezone_problems(timezone: str) -> list[str]:
    return [] if timezone in timezone_names() else ["Choose a time zone from the list, such as Europe/Paris."]


def password_problems(password: str, username: str = "") -> list[str]:
    """Why this password is refused (empty when it is fine): too short or long, the username, or common."""
    password = password or ""
    if len(password) < PASSWORD_MIN:
        return [f"Use at least {PASSWORD_MIN} characters."]
    if len(password) > PASSWORD_MAX:
        return [f"Use at most {PASSWORD_MAX} characters."]
    name = (username or "").strip().lower()
    lowered = password.lower()
    if len(name) >= USERNAME_MIN and (name in lowered or lowered in name):
        return ["Do not build your password from your username."]
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=[name, "studyapp"] if name else ["studyapp"])
    if result["score"] < PASSWORD_MIN_SCORE:
        warning = result["feedback"].get("warning") or "This password is too easy to guess."
        return [f"{warning.rstrip('.')}. Choose a longer, less common password: a few unrelated words work well."]
    return []


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))


def create_user(session: Session, username: str, password: str, role: str, now: datetime,
                timezone: str = "UTC") -> User:
    """Create an account. The rules (`*_problems`) are the caller's to check: forms and CLI check them all."""
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


def change_password(session: Session, user: User, current: str, new: str,
                    keep: sessions.UserSession | None = None) -> int:
    """Set a new password after checking the current one; every other login of this user ends.

    Raises PasswordRefused (current password wrong, or the new one breaks the rules). Returns how many
    other logins ended. The caller rotates the tokens of the login it keeps."""
    if not check_password_hash(user.password_hash, current or ""):
        raise PasswordRefused("Your current password is not that one.")
    problems = password_problems(new, user.username)
    if problems:
        raise PasswordRefused(problems[0])
    if check_password_hash(user.password_hash, new):
        raise PasswordRefused("Choose a password different from the current one.")
    user.password_hash = generate_password_hash(new)
    user.must_change_password = False
    session.flush()
    return sessions.end_all(session, user.id, keep=keep)


def temporary_password() -> str:
    """Twelve random characters in three groups (about 59 bits), easy to read out: e.g. `k7qm-x2pd-9wfa`."""
    chars = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def reset_password(session: Session, user: User) -> str:
    """A temporary password that must be changed at the next login; every login of the user ends now."""
    password = temporary_password()
    user.password_hash = generate_password_hash(password)
    user.must_change_password = True
    session.flush()
    sessions.end_all(session, user.id)
    return password


def set_timezone(session: Session, user: User, timezone: str) -> None:
    problems = timezone_problems(timezone)
    if problems:
        raise ValueError(problems[0])
    user.timezone = timezone
    session.flush()
