"""Read the store into Polars frames: the one input of scoring, the site and the exports.

Every consumer reads the same frames, so a number shown on the site, ranked in the CLI and written to
an export is the same number. A SQLite store is read with Python's own `sqlite3` module, so that a
command like `rank` starts without importing SQLAlchemy and SQLModel (most of its start-up time); any
other database goes through SQLAlchemy. A test checks that both readers give the same frames.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass

import polars as pl

from benchmark.problems import StoreError
from benchmark.store.dburl import roll_back_interrupted_load, safe_url, sqlite_file
from benchmark.store.frame_layout import FRAMES, SCHEMA_VERSION


@dataclass(frozen=True)
class Facts:
    """The store as frames. `scenario == ""` marks the observed record; other values name scenarios."""

    countries: pl.DataFrame  # code, level, parent, name_en, name_ru, name_kk, region, groupings, ...
    observations: pl.DataFrame  # one row per observation (alternatives have alternative_of set)
    instruments: pl.DataFrame  # country, scenario, instrument, status, level, since, ...
    tax_regimes: pl.DataFrame  # id, instrument_id, name, headline, replaces, term, comparisons, ...
    tax_rates: pl.DataFrame  # regime_id, value, low, high, base, from_year, to_year
    rebates: pl.DataFrame  # instrument_id, name, form, tiers, caps, minimum_spend, ... (rules as JSON)
    laws: pl.DataFrame
    bodies: pl.DataFrame
    scenarios: pl.DataFrame  # country, key, title, description, source
    sources: pl.DataFrame  # key, publisher, title, year, url, cited_in


INT, REAL, TEXT, BOOL = pl.Int64(), pl.Float64(), pl.String(), pl.Boolean()
TEXTS = pl.List(pl.String())  # JSON lists of text
JSON = pl.Struct({"json": pl.String()})  # marker only: any other JSON column, kept as JSON text (a String)
_TYPES = {"int": INT, "real": REAL, "text": TEXT, "bool": BOOL, "texts": TEXTS, "json": JSON}

# Frame name -> table and its columns with their frame types: the layout of tables.py, by way of the
# generated frame_layout.py (importing tables.py would import SQLAlchemy and SQLModel).
LAYOUT: dict[str, tuple[str, dict[str, pl.DataType]]] = {
    frame: (table, {column: _TYPES[kind] for column, kind in columns}) for frame, (table, columns) in FRAMES.items()
}


def read_facts(url: str) -> Facts:
    path = sqlite_file(url)
    if path is not None:
        if not path.is_file():
            raise StoreError(f"there is no store at {path}: run `python cli.py load` to build it from countries/")
        roll_back_interrupted_load(path)
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
                _check_version(_meta(conn).get("schema_version"), url)
                return Facts(**{name: _frame(conn.execute(_select(name)), name, encoded=True) for name in LAYOUT})
        except sqlite3.Error as err:
            raise StoreError(f"cannot read the store at {path}: {err}") from None
    return _read_with_sqlalchemy(url)


def read_meta(url: str) -> dict[str, str]:
    """The store's meta table (schema version, when it was loaded); empty for a missing or empty store."""
    path = sqlite_file(url)
    if path is not None:
        if not path.is_file():
            return {}
        roll_back_interrupted_load(path)
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return _meta(conn)
    from sqlalchemy import inspect, text

    from benchmark.store.load import engine_for

    engine = engine_for(url)
    try:
        if "meta" not in inspect(engine).get_table_names():
            return {}
        with engine.connect() as conn:
            return {k: v for k, v in conn.execute(text("SELECT key, value FROM meta"))}
    finally:
        engine.dispose()


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    if not conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
        return {}
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _check_version(version: str | None, url: str) -> None:
    if version is None:
        raise StoreError(f"the store at {safe_url(url)} is empty: run `python cli.py load` to build it")
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"the store at {safe_url(url)} was written with schema version {version}, and this version of the "
            f"benchmark reads version {SCHEMA_VERSION}. Rebuild it with `python cli.py load --rebuild`."
        )


def _select(name: str) -> str:
    table, columns = LAYOUT[name]
    return f"SELECT {', '.join(columns)} FROM {table}"


def _read_with_sqlalchemy(url: str) -> Facts:
    from sqlalchemy import select
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import SQLModel

    from benchmark.store.load import check_version, engine_for

    engine = engine_for(url)
    tables = SQLModel.metadata.tables
    try:
        check_version(engine)
        with engine.connect() as conn:
            frames = {}
            for name, (table, columns) in LAYOUT.items():
                typed = select(*(tables[table].c[c] for c in columns))  # JSON columns come back decoded
                frames[name] = _frame(conn.execute(typed), name, encoded=False)
            return Facts(**frames)
    except SQLAlchemyError as err:
        message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise StoreError(f"cannot read the store at {safe_url(url)}: {message}") from None
    finally:
        engine.dispose()


def _frame(rows: Iterable[tuple], name: str, *, encoded: bool) -> pl.DataFrame:
    """Rows in LAYOUT's column order -> a typed frame. `encoded`: JSON columns arrive as JSON text (raw
    SQLite) rather than decoded. Lists of text become lists; other JSON becomes canonical JSON text, with
    a plain string (a date, `indefinite`) kept as the string itself."""
    columns = LAYOUT[name][1]
    values = list(zip(*rows, strict=False)) or [() for _ in columns]
    data = {
        c: _column(v, dtype, encoded) if dtype in (TEXTS, JSON, BOOL) else list(v)  # plain: as they come
        for (c, dtype), v in zip(columns.items(), values, strict=True)
    }
    return pl.DataFrame(data, schema={c: (TEXT if d == JSON else d) for c, d in columns.items()})


def _column(values: tuple, dtype: pl.DataType, encoded: bool) -> list:
    if dtype == BOOL:  # SQLite stores booleans as 0 and 1
        return [None if v is None else bool(v) for v in values]
    as_list = dtype == TEXTS
    out = []
    for v in values:
        if v is not None:
            v = json.loads(v) if encoded and isinstance(v, str) else v  # SQLite may hand numbers back as numbers
            # SQLAlchemy writes None as JSON `null`: decoded, it is missing like any other None.
            v = v if v is None or as_list or isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        out.append(v)
    return out
