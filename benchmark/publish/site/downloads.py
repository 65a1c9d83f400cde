"""The Downloads page's files: the analysts' exports (CSV, JSON, Parquet, a Frictionless data package) and
the store as one SQLite file, all written from the same frames the pages show.

The SQLite file is written afresh from the frames (not copied from the store the build read), so that it is
the same bytes for the same data whatever database the build used and however the store was loaded.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import polars as pl

from benchmark.store.facts import Facts

SQLITE_NAME = "benchmark.sqlite"
FORMATS = {".csv": "CSV", ".json": "JSON", ".parquet": "Parquet", ".sqlite": "SQLite", ".md": "Markdown"}
_NOTE_KEY = "__note__"


def write(facts: Facts, folder: Path) -> list[dict[str, Any]]:
    """Write every download into `folder`; return one entry per file (path relative to the site, size)."""
    folder.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    try:
        from benchmark.publish.export import write_exports
    except ImportError:
        notes.append("downloads: benchmark.publish.export is not available yet; only the SQLite store is offered")
    else:
        write_exports(facts, folder)
    write_sqlite(facts, folder / SQLITE_NAME)
    entries: list[dict[str, Any]] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder.parent).as_posix()
        name = path.name
        kind = (
            "datapackage" if name == "datapackage.json" else FORMATS.get(path.suffix, path.suffix.lstrip(".").upper())
        )
        entries.append(
            {
                "path": relative,
                "name": path.relative_to(folder).as_posix(),
                "format": kind,
                "bytes": path.stat().st_size,
            }
        )
    if notes:
        entries.append({_NOTE_KEY: notes})
    return entries


def notes(entries: list[dict[str, Any]]) -> list[str]:
    return [n for e in entries if _NOTE_KEY in e for n in e[_NOTE_KEY]]


def files(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if _NOTE_KEY not in e]


def _sql_type(dtype: pl.DataType) -> str:
    if dtype.is_integer() or dtype == pl.Boolean:
        return "INTEGER"
    if dtype.is_float():
        return "REAL"
    return "TEXT"


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def write_sqlite(facts: Facts, path: Path) -> None:
    """Every frame of the store as a table of the same name, rows in a fixed order."""
    if path.exists():
        path.unlink()
    connection = sqlite3.connect(path)
    try:
        for name in sorted(vars(facts)):
            frame: pl.DataFrame = getattr(facts, name)
            order = [c for c in ("code", "key", "id", "country", "position") if c in frame.columns]
            if order:
                frame = frame.sort(order, nulls_last=True)
            columns = ", ".join(f'"{c}" {_sql_type(t)}' for c, t in frame.schema.items())
            connection.execute(f'CREATE TABLE "{name}" ({columns})')
            marks = ", ".join("?" for _ in frame.columns)
            rows = [tuple(_cell(v) for v in row) for row in frame.iter_rows()]
            connection.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        connection.commit()
    finally:
        connection.close()
