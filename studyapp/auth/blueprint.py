"""The auth blueprint and the two URL helpers its views share (routes.py: log in/out, register; account.py)."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, url_for

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative //host, no backslashes."""
    if not target:
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user) -> str:
    return url_for("instructor.index") if user.is_instructor and "instructor.index" in current_app.view_functions \
        else url_for("study.index")
