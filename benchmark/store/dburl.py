"""Database URLs: which SQLite file one names, and how to show one without its password."""

from __future__ import annotations

from pathlib import Path


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
