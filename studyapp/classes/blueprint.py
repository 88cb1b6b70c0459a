"""The classes blueprint, on its own so that routes.py and ahead.py both add to it without importing each other."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("classes", __name__, url_prefix="/classes")
