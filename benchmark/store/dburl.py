"""Database URLs: which SQLite file one names, whether one can hold a store, which driver one needs, how
to show one without its password, and how an engine for one waits and keeps its transactions."""

from __future__ import annotations

import os
import re
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

from benchmark.problems import StoreError

# How long to wait for a database server that accepts a connection and never answers; the tests set a
# short one. SQLite's is how long to wait for another process's lock.
CONNECT_TIMEOUT_ENV = "BENCHMARK_CONNECT_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT = 10

_USERINFO = re.compile(r"(://[^/@:\s]*):[^/\s]*@")  # scheme://user:PASSWORD@host
_PASSWORD_PARAM = re.compile(r"((?:^|[?&;\s(,])password\s*=\s*)('[^']*'|[^&\s;,)]*)", re.IGNORECASE)


def sqlite_file(url: str) -> Path | None:
    """The file a `sqlite:///PATH` URL names; None for other databases and in-memory SQLite."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:" and not url.startswith("sqlite:///:memory:?"):
        return Path(url.removeprefix("sqlite:///").partition("?")[0])
    return None


def make_store_folder(path: Path) -> None:
    """Make the folder a SQLite store file goes in, or say in one line why it cannot be made."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot make the folder {path.parent} for the store: {err.strerror}") from None
    if path.is_dir():
        raise StoreError(f"the store {path} is a folder; give the path of a file")


def store_url_problem(url: str) -> str | None:
    """Why `url` cannot name a store (a sentence), or None when it can."""
    scheme, sep, rest = url.partition("://")
    example = "sqlite:///.benchmark/benchmark.sqlite or postgresql+psycopg://user@host/db"
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return f"`{safe_url(url)}` is not a database URL; give one such as {example}"
    if rest.partition("/")[0].count("@") > 1:  # read otherwise as a host named after part of the password
        return f"`{safe_url(url)}` has more than one @ before the host; write an @ in a password as %40"
    if scheme.lower() == "file" or scheme.lower().startswith("file+"):
        return f"`{safe_url(url)}` is a file URI, not a database URL; give one such as {example}"
    if scheme.lower().startswith("sqlite"):
        path = rest.removeprefix("/").partition("?")[0]
        if not rest.startswith("/") or path in ("", ":memory:") or path.startswith("file:"):
            return (
                f"`{safe_url(url)}` names no file: an in-memory store would be empty and lost when the command "
                "ends; give a file, such as sqlite:///.benchmark/benchmark.sqlite"
            )
    return None


def connect_args(url: str) -> dict[str, Any]:
    """Arguments for the driver's connect: a timeout, so a silent server ends in a message, not a hang."""
    raw = os.environ.get(CONNECT_TIMEOUT_ENV, "")
    try:
        seconds = float(raw) if raw else DEFAULT_CONNECT_TIMEOUT
    except ValueError:
        seconds = DEFAULT_CONNECT_TIMEOUT
    seconds = max(seconds, 1)
    name = url.partition("://")[0].lower()
    if name.startswith("sqlite"):
        return {"timeout": seconds}
    if name.startswith(("postgresql", "postgres")):
        return {"connect_timeout": max(int(seconds), 1)}  # libpq takes whole seconds
    return {}


def safe_url(url: object) -> str:
    """The URL for messages: any password, in the credentials or as `?password=`, replaced by ***."""
    return scrub(str(url))


def scrub(text: str) -> str:
    """`text` with every password a URL or a connection string in it could carry replaced by ***."""
    text = _USERINFO.sub(r"\1:***@", text)
    return _PASSWORD_PARAM.sub(r"\1***", text)


def roll_back_interrupted_load(path: Path) -> None:
    """Undo what a killed load left half-written, before the store is read read-only.

    A load killed mid-transaction (kill -9, power cut) leaves a "hot" journal beside the file; SQLite
    rolls it back at the next read-write open, but a read-only open cannot, and fails. Opening the file
    once read-write restores exactly what the store held before that load.
    """
    import sqlite3
    from contextlib import closing

    journal = path.with_name(path.name + "-journal")
    if not (journal.is_file() and journal.stat().st_size > 0):
        return
    try:
        with closing(sqlite3.connect(path, timeout=float(connect_args("sqlite://")["timeout"]))) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as err:
        raise StoreError(
            f"a load into {path} was interrupted and its journal could not be rolled back ({err}); make the store "
            "and its folder writable and run the command again, or rebuild it with `python cli.py load --rebuild`"
        ) from None


def require_driver(url: str) -> None:
    """PostgreSQL needs psycopg, an optional extra (SQLite users need none): say how to get it when it is missing.

    Only looked for, never imported here: SQLAlchemy imports it when it first connects.
    """
    scheme = url.partition("://")[0]
    if scheme.startswith("postgresql+psycopg") and "psycopg2" not in scheme and find_spec("psycopg") is None:
        raise StoreError(
            f"the store at {safe_url(url)} is PostgreSQL, whose driver psycopg is not installed; "
            "install it with `pip install 'creative-benchmark[postgres]'`"
        )


def transactional_ddl(engine: Engine, *, writing: bool = False) -> None:
    """Let SQLite's transactions hold DDL too (Python's driver commits before CREATE and DROP by itself),
    so a load's drop and create roll back with its rows: SQLAlchemy's documented recipe.

    A writing engine begins IMMEDIATE: it takes the write lock at the start, waiting (the busy timeout) while
    another process writes, instead of failing at once with "database is locked" when a read inside the
    transaction later has to become a write."""

    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
