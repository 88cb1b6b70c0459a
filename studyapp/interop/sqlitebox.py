"""Opening an uploaded SQLite database (an Anki collection) so that it cannot hurt the server.

* **Unpacking is capped**: the zip member's declared size and its compression ratio are checked before
  anything is inflated, and it is read through a stream that stops one byte past the cap (a header
  that lies about the size cannot make us read more).
* **Nothing touches the disk**: the bytes are handed to SQLite with `Connection.deserialize` (an
  in-memory database) and temporary tables/sorts stay in memory (`temp_store = MEMORY`). A worker killed
  mid-import (gunicorn's timeout, SIGKILL, the OOM killer) leaves no file behind. (Werkzeug spools a large
  upload to an anonymous, already-unlinked temporary file, which the kernel frees with the process.)
* **Only plain tables**: a schema with views, triggers, virtual tables or generated columns is refused
  from `sqlite_master` before any query touches the data (a view can be an endless recursive CTE).
* **Every query is bounded**: a progress handler interrupts any statement once the deadline
  (`QUERY_SECONDS`, 5 s) has passed, and `setlimit` caps value sizes, expression depth and the like.
  The connection is read-only (`query_only`) and does not trust its schema (`trusted_schema = OFF`).
"""
from __future__ import annotations

import sqlite3
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds any statement on an uploaded database may run before it is interrupted.
QUERY_SECONDS = 5.0
#: The most an uploaded collection may inflate to, as a multiple of the upload limit (16 MB -> 64 MB).
INFLATE_FACTOR = 4
#: Compression ratio above which a member is taken for a zip bomb (checked for members over RATIO_FLOOR).
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
#: The largest single value (text or blob) a query may produce: far above any real note or config.
MAX_VALUE_BYTES = 16 * 1024 * 1024
CHUNK = 1024 * 1024
#: Tables and indexes a collection may declare (Anki's have about 25): each one costs a statement to check.
MAX_SCHEMA_ENTRIES = 200

_LIMITS = {
    "SQLITE_LIMIT_LENGTH": MAX_VALUE_BYTES,
    "SQLITE_LIMIT_SQL_LENGTH": 100_000,
    "SQLITE_LIMIT_EXPR_DEPTH": 100,
    "SQLITE_LIMIT_COMPOUND_SELECT": 10,
    "SQLITE_LIMIT_FUNCTION_ARG": 8,
    "SQLITE_LIMIT_ATTACHED": 0,
    "SQLITE_LIMIT_LIKE_PATTERN_LENGTH": 100,
    "SQLITE_LIMIT_VARIABLE_NUMBER": 100,
    "SQLITE_LIMIT_TRIGGER_DEPTH": 1,
}


def megabytes(size: float) -> str:
    """A size in MB (2^20 bytes, as the upload limit is set), one decimal when it matters: '64 MB', '0.5 MB'."""
    return f"{size / 2**20:,.1f}".removesuffix(".0") + " MB"


class Refused(ValueError):
    """The upload cannot be read safely; the message says why (the caller names the file)."""


def inflate_cap(upload_limit: int) -> int:
    return INFLATE_FACTOR * upload_limit


def read_member(archive: zipfile.ZipFile, member: str, cap: int) -> bytearray:
    """The member's bytes, refusing sizes over `cap` and zip-bomb ratios before inflating anything."""
    info = archive.getinfo(member)
    if info.file_size > cap:
        raise Refused(f"holds a collection of {megabytes(info.file_size)} unpacked; the limit is {megabytes(cap)}")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise Refused(f"unpacks {info.compress_size / 1024:,.0f} KB into {megabytes(info.file_size)} "
                      f"(more than {MAX_RATIO} times): that is not an Anki export")
    data = bytearray()                                # grows in place: no second copy to join chunks
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(CHUNK):
                if len(data) + len(chunk) > cap:
                    raise Refused(f"unpacks to more than {megabytes(cap)}, the limit")
                data += chunk
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, bz2, lzma: whatever fails, the member is damaged
        raise Refused(f"is damaged: {member} cannot be unpacked ({type(exc).__name__}: {str(exc)[:120]})") from exc
    return data


def _deadline_handler(seconds: float) -> Callable[[], int]:
    ends = time.monotonic() + seconds

    def handler() -> int:
        return 1 if time.monotonic() > ends else 0      # non-zero interrupts the running statement

    return handler


def _limit(db: sqlite3.Connection) -> None:
    for name, value in _LIMITS.items():
        category = getattr(sqlite3, name, None)
        if category is not None:
            db.setlimit(category, value)


def _short(name) -> str:
    """A name from the uploaded schema as a message quotes it: at most 60 characters."""
    text = str(name)
    return text if len(text) <= 60 else text[:57] + "..."


def check_schema(db: sqlite3.Connection) -> set[str]:
    """The names of the database's tables, refusing anything but plain tables and their indexes."""
    rows = db.execute("SELECT type, name, sql FROM sqlite_master LIMIT ?", (MAX_SCHEMA_ENTRIES + 1,)).fetchall()
    if len(rows) > MAX_SCHEMA_ENTRIES:
        raise Refused(f"declares more than {MAX_SCHEMA_ENTRIES} tables and indexes; an Anki collection has about 25")
    tables = set()
    for type_, name, sql in rows:
        shown = _short(name)
        if type_ in ("view", "trigger"):
            raise Refused(f"has a {type_} ('{shown}') in its collection; an Anki collection has only plain tables")
        if type_ == "table":
            if isinstance(sql, str) and sql.lstrip().upper().startswith("CREATE VIRTUAL"):
                raise Refused(f"has a virtual table ('{shown}') in its collection; an Anki collection has only "
                              "plain tables")
            tables.add(name)
        elif type_ != "index":
            raise Refused(f"has an unexpected schema entry ({_short(type_)} '{shown}')")
    for name in tables:
        for column in db.execute("SELECT name, hidden FROM pragma_table_xinfo(?)", (name,)):
            if column[1] in (2, 3):
                raise Refused(f"has a generated column ('{_short(name)}.{_short(column[0])}') in its collection; an Anki "
                              "collection has only plain tables")
    return tables


@contextmanager
def open_database(data: bytearray | bytes, seconds: float | None = None) -> Iterator[tuple[sqlite3.Connection, set[str]]]:
    """An in-memory, read-only, bounded connection on `data` and its table names.

    SQLite copies `data`; a bytearray is emptied once copied, so the collection is held once, not twice.
    Raises Refused for a schema that is not plain tables; sqlite3 errors (including an interrupted
    statement: "interrupted") reach the caller, which words them.
    """
    if not data:
        raise Refused("holds an empty collection (0 bytes)")
    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        _limit(db)
        db.set_progress_handler(_deadline_handler(QUERY_SECONDS if seconds is None else seconds), 1000)
        db.deserialize(data)
        if isinstance(data, bytearray):
            data.clear()
        del data
        db.execute("PRAGMA trusted_schema = OFF")
        db.execute("PRAGMA temp_store = MEMORY")
        db.execute("PRAGMA query_only = ON")
        tables = check_schema(db)
        yield db, tables
    finally:
        db.close()


def columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[0].lower() for row in db.execute("SELECT name FROM pragma_table_info(?)", (table,))}
