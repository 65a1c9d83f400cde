"""One load at a time per store: a second load waits for the first to finish, then finds its work done.

Without it two loads racing on an empty store could both create the tables, and the slower one read the
half-made store as another schema version. SQLite stores are locked with a lock file beside the
database file (flock, released by the system even if the process dies); PostgreSQL stores with a
session advisory lock, held on its own connection for the load and released when it closes.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from benchmark.store.dburl import make_store_folder, safe_url, sqlite_file

_KEY = 0x62656E63  # "benc": the advisory lock's key, the same for every load of this benchmark


@contextlib.contextmanager
def exclusive(url: str) -> Iterator[None]:
    """Hold the store's load lock for the block, telling the user when another load makes this one wait."""
    if (path := sqlite_file(url)) is not None:
        with _file_lock(str(path) + ".lock", url):
            yield
    elif url.startswith(("postgresql", "postgres")):
        with _advisory_lock(url):
            yield
    else:  # in-memory SQLite and other databases: the transaction alone
        yield


def _waiting(url: str) -> None:
    print(f"note: another load is writing the store at {safe_url(url)}; waiting for it to finish", file=sys.stderr)


@contextlib.contextmanager
def _file_lock(name: str, url: str) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: the transaction alone
        yield
        return
    make_store_folder(Path(name).with_suffix(""))  # the store's folder, or one line saying why it cannot be made
    with open(name, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _waiting(url)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _advisory_lock(url: str) -> Iterator[None]:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from benchmark.store.load import engine_for

    engine = engine_for(url)
    try:
        conn = engine.connect()
    except SQLAlchemyError:  # the load itself reports a store it cannot reach, in its own words
        engine.dispose()
        yield
        return
    try:
        with conn:
            if not conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _KEY}).scalar():
                _waiting(url)
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _KEY})
                conn.commit()
    finally:
        engine.dispose()
