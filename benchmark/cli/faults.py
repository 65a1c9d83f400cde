"""The one place where a fault an operator can meet becomes a message: exit 1, never "this is a bug".

A database that is unreachable, silent, not a database, locked, read-only or on a full disk, a folder
that cannot be written, memory that runs out: each is said in one line that names what to do, with any
password taken out. What this module does not recognise is a defect of the benchmark (exit 3).
"""

from __future__ import annotations

import errno
import re
import sqlite3

from benchmark.problems import printable
from benchmark.publish.output import OutputError
from benchmark.store import dburl

EXIT_FAULT = 1

# Words (patterns) of the drivers' messages (SQLite, psycopg/libpq) -> what to tell the operator.
_DATABASE_FAULTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("file is not a database", "not a database"),
        "the store is not a SQLite database: give a store's path, or a new one",
    ),
    (
        ("readonly database", "read-only", "read only"),
        "the store is read-only: give a store you may write, or make this one writable",
    ),
    (
        ("disk is full", "no space left"),
        "the disk holding the store is full: free some space and run the command again",
    ),
    (
        ("database is locked", "database table is locked"),
        "the store is busy with another command (a load?): run this one again when it ends",
    ),
    (
        ("disk i/o error", "unable to open database file"),
        "cannot open or write a database file (the store, or the site's download): check that its folder "
        "exists, may be written and has space",
    ),
    (
        ("password authentication failed", "authentication failed", "no password supplied"),
        "the database server refused the user or the password",
    ),
    (
        ("timeout expired", "timed out", "connection timed out"),
        f"the database server did not answer in time (wait set by {dburl.CONNECT_TIMEOUT_ENV}, in seconds)",
    ),
    (
        ("connection refused", "could not connect", "connection failed", "name or service not known", "no route"),
        "cannot reach the database server: check that it runs and the host and port of the URL",
    ),
    ((r'database ".*" does not exist',), "the database named in the URL does not exist on the server: create it first"),
)

_OS_FAULTS = {
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EFBIG: "the file would be larger than this process may write (ulimit -f)",
}


def scrub(text: str) -> str:
    """One printable line, with any password taken out."""
    lines = [ln.strip() for ln in str(text).strip().splitlines() if ln.strip()]
    return printable(dburl.scrub(lines[0] if lines else ""))


def message_for(exc: BaseException) -> str | None:
    """What to tell the operator about `exc`, or None when it is a defect of the benchmark."""
    if isinstance(exc, OutputError):
        return scrub(str(exc))
    if isinstance(exc, MemoryError):
        return "not enough memory for this command (for `rank --sensitivity`, ask for fewer draws)"
    database = _database_fault(exc)
    if database is not None:
        return database
    if isinstance(exc, OSError):
        reason = _OS_FAULTS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
        where = f" {exc.filename}" if exc.filename else ""
        return scrub(f"cannot read or write{where}: {reason}")
    return None


def _database_fault(exc: BaseException) -> str | None:
    try:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency
        return None
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(exc, SQLAlchemyError | sqlite3.Error) and not _is_psycopg(original):
        return None
    detail = scrub(str(original))
    lowered = detail.lower()
    for words, advice in _DATABASE_FAULTS:
        if any(re.search(w, lowered) for w in words):
            return f"{advice} ({detail})"
    return f"the store cannot be used: {detail or type(original).__name__}"


def _is_psycopg(exc: object) -> bool:
    return any(cls.__module__.startswith("psycopg") for cls in type(exc).__mro__)
