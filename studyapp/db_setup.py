"""Connection settings per database, and the transaction boundary: one commit per request or command.

The request owns its transaction (as Indico does): views and services only flush; `init_app` commits
once after the view returned (before the response is sent, so an acknowledged answer is durable) and
rolls back when the view raised or answered with a server error. CLI commands use `cli_transaction`.
Views that read or parse a lot before writing (imports) are marked `@writes_later` and call
`begin_write()` when their reading is done, so SQLite's write lock is held only while they write.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, got_request_exception, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",       # readers never block the writer
    "PRAGMA synchronous=NORMAL",     # durable across process crashes in WAL mode
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",     # wait for a writer instead of failing with "database is locked"
)


def _on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


# Whether the current unit of work may write. Requests that change state (POST and friends) and CLI
# commands take SQLite's write lock when their transaction starts, so concurrent writers queue on
# busy_timeout instead of failing on a lock upgrade (SQLITE_BUSY, which no timeout can wait out).
# Reads (GET) begin deferred and never block anyone in WAL mode.
WRITE_INTENT: ContextVar[bool] = ContextVar("write_intent", default=True)
# Views marked `@reads_outside_transaction`: on SQLite their reads run without a BEGIN (each statement its
# own snapshot) and `begin_write()` starts the write transaction on the same connection.
READS_OUTSIDE_TRANSACTION: ContextVar[bool] = ContextVar("reads_outside_transaction", default=False)


def _on_begin(conn) -> None:
    if WRITE_INTENT.get():
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif not READS_OUTSIDE_TRANSACTION.get():
        conn.exec_driver_sql("BEGIN")


def configure_sqlite_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    # pysqlite's own transaction handling is turned off so that BEGIN IMMEDIATE is ours.
    event.listen(engine, "connect", _disable_pysqlite_begin)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)


def _disable_pysqlite_begin(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def writes_later(view):
    """Begin this view's transaction deferred (a read) even on POST; it calls `begin_write()` before writing."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from .extensions import db

        session = db.session()
        if WRITE_INTENT.get() and session.in_transaction() and not (session.new or session.dirty or session.deleted):
            session.rollback()     # a hook read something already: end it, so the reads that follow are deferred
        WRITE_INTENT.set(False)
        return view(*args, **kwargs)

    wrapper._writes_later = True  # type: ignore[attr-defined]  (read by the before-request hook below)
    return wrapper


def reads_outside_transaction(view):
    """For a `@writes_later` view whose write checks what it read (a compare-and-set) and that calls
    `begin_write()` before its first write: on SQLite its reads, the login check's included, run outside any
    transaction, and `begin_write()` issues BEGIN IMMEDIATE on the same connection: no read transaction to
    begin and roll back, no second connection checkout (the study answer: one statement and about 5% of its
    CPU). A write without `begin_write()` would commit statement by statement: never mark such a view."""
    view._reads_outside_transaction = True  # type: ignore[attr-defined]  (read by the before-request hook)
    return view


def begin_write() -> None:
    """End the read transaction (nothing written yet) so the next statement begins with the write lock.

    Call it after the slow part (parsing, validating, planning) and before the first write. On SQLite
    the transaction that follows is BEGIN IMMEDIATE; elsewhere this only ends a read-only transaction.
    """
    from .extensions import db

    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() after a change: call it before the first write")
    if session.in_transaction():
        connection = session.connection()
        if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
            WRITE_INTENT.set(True)  # the reads ran outside a transaction (@reads_outside_transaction): begin here
            READS_OUTSIDE_TRANSACTION.set(False)
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return
        session.rollback()
    WRITE_INTENT.set(True)


@contextmanager
def cli_transaction() -> Iterator[None]:
    """One CLI command's unit of work: commit when the block ends normally, roll back on any error.

    `sys.exit` / click exits inside the block roll back too (nothing half-written).
    """
    from .extensions import db

    WRITE_INTENT.set(True)
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def transactional(command):
    """A click command whose callback runs inside `cli_transaction` (wrapped once, in place)."""
    callback = command.callback
    if callback is not None and not getattr(callback, "_transactional", False):
        @functools.wraps(callback)
        def run(*args, **kwargs):
            with cli_transaction():
                return callback(*args, **kwargs)

        run._transactional = True  # type: ignore[attr-defined]
        command.callback = run
    return command


def init_app(app: Flask) -> None:
    from .extensions import db

    with app.app_context():
        configure_sqlite_engine(db.engine)

    @app.before_request
    def _mark_write_intent() -> None:
        # A `@writes_later` view begins deferred from the start, so hooks that read before it (loading
        # the user) do not take the write lock only to have it dropped and the user read again.
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        WRITE_INTENT.set(request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(view, "_writes_later", False))
        READS_OUTSIDE_TRANSACTION.set(bool(getattr(view, "_reads_outside_transaction", False)))

    @app.after_request
    def _commit(response):
        # The one commit of the request: after the view, before the response leaves (durability).
        if g.pop("_request_failed", False) or response.status_code >= 500:
            db.session.rollback()
        else:
            db.session.commit()
        WRITE_INTENT.set(False)   # a late read (another after-request hook) must not take the write lock
        READS_OUTSIDE_TRANSACTION.set(False)
        return response

    def _failed(sender, **_extra) -> None:
        g._request_failed = True
        db.session.rollback()

    got_request_exception.connect(_failed, app, weak=False)
