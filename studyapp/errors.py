"""Friendly error pages in the app's look; every error is logged with the request id."""
from __future__ import annotations

import logging
import uuid

from flask import Flask, abort, g, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("studyapp")

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "Your account cannot open this page."),
    404: ("Not found", "There is nothing at this address."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too large", "That upload is larger than the limit. Split the file or trim it and try again."),
    429: ("Slow down", "Too many attempts in a short time; wait a minute and try again."),
    500: ("Something went wrong", "The error was logged and nothing you saved was lost. Please try again."),
}


def init_app(app: Flask) -> None:
    @app.before_request
    def _request_id() -> None:
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]

    @app.before_request
    def _refuse_nul_characters() -> None:
        # No database stores NUL in text (PostgreSQL refuses it outright): refuse clearly, write nothing.
        if request.method in ("POST", "PUT", "PATCH") and (
                any("\x00" in v for v in request.form.values()) or any("\x00" in k for k in request.form)):
            abort(400, "The form contained an invisible NUL character, which cannot be stored. "
                       "Remove it and try again.")

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("X-Request-ID", g.get("request_id", ""))
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        log.info("csrf refused request_id=%s path=%s: %s", g.get("request_id"), request.path, error.description)
        return _page(400, "The form expired or was sent from elsewhere. Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code and error.code >= 500:
            log.error("http %s request_id=%s path=%s", error.code, g.get("request_id"), request.path)
        description = error.description if error.code in (400, 429) and error.description else None
        return _page(error.code or 500, description)

    @app.errorhandler(InternalServerError)
    def _unhandled(error: InternalServerError):
        # Flask calls this for abort(500) and for any uncaught exception, wrapped, unless
        # PROPAGATE_EXCEPTIONS (on under TESTING) re-raises it: in tests a view bug fails the test.
        # (Flask has already logged the traceback; this line ties it to the request id.)
        log.error("unhandled error request_id=%s path=%s: %r", g.get("request_id"), request.path,
                  error.original_exception)
        from .extensions import db

        db.session.rollback()
        return _page(500)


def _page(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, ("Error", "Something went wrong."))
    return render_template("errors/error.html", code=code, title=title, message=message or default,
                           request_id=g.get("request_id", "")), code
