"""Role checks for views: instructors only (403 for a learner, the login page for anonymous visitors)."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def instructor_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_instructor:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
