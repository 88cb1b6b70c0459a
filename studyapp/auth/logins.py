"""The web side of logins (studyapp.services.sessions): what Flask-Login keeps in the cookie, the remember-me
cookie, and the response headers that keep private pages out of caches.

Flask-Login keeps `User.get_id()` in the session cookie; here that is the login's random session token, not
the user id, and the user loader opens only a token whose row still exists. So logout (which deletes the
row) kills every copy of the session cookie, wherever it went. "Keep me logged in" is our own cookie (not
Flask-Login's, whose value is the same on every login and cannot be revoked): a random token, stored hashed,
replaced on every use, and dead once its row is deleted.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, Response, current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, select
from werkzeug.exceptions import SecurityError

from .. import db_setup
from ..extensions import db, login_manager
from ..models import User, UserSession, utcnow
from ..services import sessions
from ..services import throttle as throttle_service

log = logging.getLogger("studyapp.auth")

REMEMBER_COOKIE = "studyapp_remember"
LEGACY_REMEMBER_COOKIE = "remember_token"  # Flask-Login's cookie from before 0005: user id + HMAC, never valid now


def lifetimes() -> sessions.Lifetimes:
    config = current_app.config
    return sessions.Lifetimes(idle=timedelta(hours=config["SESSION_IDLE_HOURS"]),
                              remember=timedelta(days=config["REMEMBER_DAYS"]))


def limits_on() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def throttle_policy() -> throttle_service.Policy:
    config = current_app.config
    return throttle_service.Policy(
        account=throttle_service.BackOff(free=config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]),
        address=throttle_service.BackOff(free=config["LOGIN_FREE_FAILURES_PER_ADDRESS"]),
        registrations=config["REGISTRATIONS_PER_ADDRESS_HOUR"],
        taken=config["TAKEN_ANSWERS_PER_ADDRESS_HOUR"])


def client_address() -> str:
    """The client's address as the WSGI server saw it (or the proxy told, with TRUST_PROXY; docs/deploy.md)."""
    return (request.remote_addr or "")[:64]


def current_login() -> UserSession | None:
    """The row of this request's login (after the user was loaded), or None. The session check reads only
    the row's id and times; the row itself is loaded here, by the few pages that need it (account, logout)."""
    row = g.get("login_row")
    if row is None and g.get("login_id") is not None:
        row = g.login_row = db.session.get(UserSession, g.login_id)
    return row


def _adopt(user: User, issued: sessions.Issued) -> None:
    """Make `issued` this browser's login: its token in the session cookie, its remember-me token in ours."""
    user.session_token = issued.token
    g.login_row, g.login_id = issued.row, issued.row.id
    if issued.remember_token:
        g.set_remember = issued.remember_token
    elif REMEMBER_COOKIE in request.cookies:
        g.clear_remember = True


def start_login(user: User, remember: bool) -> None:
    """Log `user` in on this browser with a new login: the old session's contents (CSRF token included)
    are dropped, so nothing from before the login carries over."""
    session.clear()
    issued = sessions.start(db.session, user, utcnow(), remember=remember,
                            user_agent=request.user_agent.string, lifetimes=lifetimes())
    _adopt(user, issued)
    login_user(user, remember=False)


def renew_login(user: User) -> None:
    """New tokens for this browser's login (after a password change): copies of the old cookies stop working."""
    row = current_login()
    if row is None:
        return
    user = getattr(user, "_get_current_object", lambda: user)()  # the object, never the current_user proxy
    issued = sessions.rotate(db.session, row, utcnow(), lifetimes())
    session.clear()
    _adopt(user, issued)
    login_user(user, remember=False)


def end_login() -> None:
    """Log this browser out: its row is deleted, so every copy of its cookies is dead too."""
    row = current_login()
    if row is not None:
        sessions.end(db.session, row)
    g.login_row = g.login_id = None
    logout_user()
    session.clear()
    g.clear_remember = True


# The session check of every request, in one statement built once: the user, and of their login (found by
# the hash of the cookie's token) only what the check needs. Two ORM loads (the row, then the user) cost
# about twice as much and a quarter of a study answer's CPU (docs/benchmarks.md).
_USER_OF_TOKEN = (select(User, UserSession.id.label("login_id"), UserSession.remember_hash, UserSession.last_seen_at,
                         UserSession.expires_at)
                  .join(UserSession, UserSession.user_id == User.id)
                  .where(UserSession.token_hash == bindparam("token_hash")))


def _load_from_session(token: str):
    found = None
    if isinstance(token, str) and 0 < len(token) <= 200:
        found = db.session.execute(_USER_OF_TOKEN, {"token_hash": sessions.digest(token)}).first()
    now = utcnow()
    if found is None or found.expires_at <= now:  # an expired row is only ignored (reads must not write)
        session.pop("_user_id", None)  # a login that ended: forget it (a remember-me cookie may still log in)
        return None
    user = found[0]
    user.session_token = token
    g.login_id = found.login_id
    if sessions.needs_touch(found, now):
        g.touch_login = (found.login_id, found.remember_hash is not None)
    return user


def _load_from_remember_cookie(req):
    remember_token = req.cookies.get(REMEMBER_COOKIE)
    if not remember_token:
        return None
    session_obj = db.session()
    if session_obj.new or session_obj.dirty or session_obj.deleted:
        return None  # the view already wrote: no second write lock mid-request; the next page logs in
    db_setup.begin_write()  # the rotation writes: take the write lock before reading the row
    row = sessions.find_remembered(db.session, remember_token, utcnow())
    user = db.session.get(User, row.user_id) if row is not None else None
    if user is None:
        g.clear_remember = True
        return None
    issued = sessions.rotate(db.session, row, utcnow(), lifetimes())
    session.clear()
    _adopt(user, issued)
    login_user(user, remember=False, fresh=False)
    return user


def _cookies(response):
    secure = bool(current_app.config.get("REMEMBER_COOKIE_SECURE")) or request.is_secure
    if g.get("set_remember"):
        response.set_cookie(REMEMBER_COOKIE, g.set_remember, max_age=int(lifetimes().remember.total_seconds()),
                            httponly=True, samesite="Lax", secure=secure, path="/")
    elif g.get("clear_remember"):
        response.delete_cookie(REMEMBER_COOKIE, path="/", httponly=True, samesite="Lax", secure=secure)
    if LEGACY_REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(LEGACY_REMEMBER_COOKIE, path="/")
    return response


def _no_store(response):
    """Pages for a logged-in user and downloads are nobody else's: no shared or browser cache keeps them."""
    user = g.get("_login_user")
    private = (user is not None and user.is_authenticated) or "_user_id" in session
    attachment = "attachment" in response.headers.get("Content-Disposition", "")
    if (private or attachment) and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def _touch(error) -> None:
    """Write "last seen" (at most every few minutes per login) after the request's own commit."""
    pending = g.pop("touch_login", None)
    if pending is None or error is not None:
        return
    try:
        db.session.rollback()
        db_setup.WRITE_INTENT.set(True)
        sessions.touch(db.session, pending[0], pending[1], utcnow(), lifetimes())
        db.session.commit()
    except Exception:  # noqa: BLE001 - bookkeeping must never fail a request that already succeeded
        log.warning("could not record last-seen for login %s", pending[0], exc_info=True)
        db.session.rollback()
    finally:
        db_setup.WRITE_INTENT.set(False)


def _untrusted_host(error: SecurityError):
    """A Host header outside TRUSTED_HOSTS: a plain 400 (no page template: no URL can be built for that host)."""
    log.info("untrusted host refused: %r", request.environ.get("HTTP_HOST", "")[:100])
    return Response("Bad request: this site does not answer to that host name.\n", 400,
                    {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"})


def init_app(app: Flask) -> None:
    app.register_error_handler(SecurityError, _untrusted_host)
    login_manager.user_loader(_load_from_session)
    login_manager.request_loader(_load_from_remember_cookie)
    app.after_request(_cookies)
    app.after_request(_no_store)
    app.teardown_request(_touch)
