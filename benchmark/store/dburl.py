"""Database URLs: which SQLite file one names, which driver one needs, and how to show one without its password."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from benchmark.problems import StoreError


def sqlite_file(url: str) -> Path | None:
    """The file a `sqlite:///PATH` URL names; None for other databases and in-memory SQLite."""
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:" and not url.startswith("sqlite:///:memory:?"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def safe_url(url: object) -> str:
    """The URL for messages: any password replaced by ***."""
    text = str(url)
    scheme, sep, rest = text.partition("://")
    if not sep or "@" not in rest:
        return text
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else text


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
