"""Connection settings per database, and the one-commit-per-request boundary helpers."""
from __future__ import annotations

from contextvars import ContextVar

from flask import Flask, request
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


def _on_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if WRITE_INTENT.get() else "BEGIN")


def configure_sqlite_engine(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    # pysqlite's own transaction handling is turned off so that BEGIN IMMEDIATE is ours.
    event.listen(engine, "connect", _disable_pysqlite_begin)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)


def _disable_pysqlite_begin(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def init_app(app: Flask) -> None:
    from .extensions import db

    with app.app_context():
        configure_sqlite_engine(db.engine)

    @app.before_request
    def _mark_write_intent() -> None:
        WRITE_INTENT.set(request.method not in ("GET", "HEAD", "OPTIONS"))
