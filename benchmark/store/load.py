"""The store: write validated records to SQLite or PostgreSQL in one transaction, and read them back.

A load is all or nothing. Unchanged records (same content hash) are left alone, a changed record's
rows are replaced, and with `prune` records whose files are gone are removed; if anything fails the
transaction rolls back and the store holds exactly what it held before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, create_engine

from benchmark.problems import StoreError
from benchmark.records.rule_frames import Record
from benchmark.store import bulk
from benchmark.store.dburl import (
    connect_args,
    make_store_folder,
    require_driver,
    safe_url,
    sqlite_file,
    store_url_problem,
    transactional_ddl,
)
from benchmark.store.tables import SCHEMA_VERSION, CountryRow, CountrySourceRow, Meta, SourceRow


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def engine_for(url: str, *, writing: bool = False) -> Engine:
    if (problem := store_url_problem(url)) is not None:
        raise StoreError(problem)
    if (path := sqlite_file(url)) is not None:
        make_store_folder(path)
    require_driver(url)
    try:
        engine = create_engine(url, connect_args=connect_args(url))
    except (SQLAlchemyError, ImportError, ValueError) as err:
        raise StoreError(f"cannot use the database URL {_safe(url)}: {err}") from None
    if engine.dialect.name == "sqlite":
        transactional_ddl(engine, writing=writing)
    return engine


def stored_version(engine: Engine | Connection) -> int | None:
    """The schema version the store was written with; None for an empty store."""
    try:
        tables = set(inspect(engine).get_table_names())
        if not tables:
            return None
        if "meta" not in tables:
            return 0
        with Session(engine) as s:
            row = s.get(Meta, "schema_version")
        if row is None:
            return 0
        if not row.value.isdigit():
            raise StoreError(
                f"the store at {_safe(_url_of(engine))} holds the schema version {row.value!r}, which no version of "
                "the benchmark writes; rebuild it with `python cli.py load --rebuild`"
            )
        return int(row.value)
    except SQLAlchemyError as err:
        raise StoreError(f"cannot open the store at {_safe(_url_of(engine))}: {_first_line(err)}") from None


def check_version(engine: Engine | Connection) -> None:
    version = stored_version(engine)
    if version not in (None, SCHEMA_VERSION):
        raise StoreError(
            f"the store at {_safe(_url_of(engine))} was written with schema version {version}, and this version of "
            f"the benchmark reads version {SCHEMA_VERSION}. Rebuild it from the country files with "
            "`python cli.py load --rebuild` (the files are the source of truth; nothing is lost)."
        )


def load(records: list[Record], url: str, *, prune: bool = False, rebuild: bool = False) -> LoadReport:
    from benchmark.records.collection import paused
    from benchmark.store.lock import exclusive

    # One load at a time: a second one waits, then finds the work done. The collector is paused while
    # thousands of records' models are read from the cache and turned into rows (records/collection.py).
    with exclusive(url), paused():
        return _load(records, url, prune=prune, rebuild=rebuild)


def _load(records: list[Record], url: str, *, prune: bool, rebuild: bool) -> LoadReport:
    engine = engine_for(url, writing=True)
    try:
        report = LoadReport()
        # One transaction from the first check to the last row, --rebuild's drop included: a refusal or a
        # failure (a foreign table, a full disk, kill -9) leaves every table as it was.
        with _connect(engine) as conn, conn.begin():
            if rebuild:
                _drop_all(conn)
            check_version(conn)
            SQLModel.metadata.create_all(conn)
            with Session(bind=conn) as s:
                s.merge(Meta(key="schema_version", value=str(SCHEMA_VERSION)))
                stored = {
                    code: digest
                    for code, digest in s.execute(select(col(CountryRow.code), col(CountryRow.content_hash)))
                }
                batch = bulk.Batch()  # every changed record's rows, written a table at a time below
                replaced: list[str] = []
                for rec in sorted(records, key=lambda r: r.code):
                    code, digest = rec.code, rec.facts.digest  # from the cache: no model built when unchanged
                    if stored.get(code) == digest:
                        report.unchanged.append(code)
                        continue
                    (report.changed if code in stored else report.added).append(code)
                    if code in stored:
                        replaced.append(code)
                    _insert(batch, rec)
                if prune:
                    loaded = {r.code for r in records}
                    for code in sorted(set(stored) - loaded):
                        replaced.append(code)
                        report.removed.append(code)
                bulk.delete_records(s, replaced)
                bulk.write(s, batch)
                used = select(col(CountrySourceRow.source))
                s.execute(delete(SourceRow).where(col(SourceRow.key).not_in(used)))
                s.flush()
        return report
    except SQLAlchemyError as err:
        raise StoreError(f"the load was rolled back, nothing changed: {_first_line(err)}") from None
    finally:
        engine.dispose()


def _drop_all(conn: Connection) -> None:
    """Drop the benchmark's tables, after checking the store holds no others (then nothing is dropped)."""
    ours = set(SQLModel.metadata.tables)
    foreign = sorted(set(inspect(conn).get_table_names()) - ours)
    if foreign:
        raise StoreError(
            f"the store has tables this benchmark did not create ({', '.join(foreign)}); nothing was dropped. "
            "Give an empty database, or one only this benchmark writes"
        )
    SQLModel.metadata.drop_all(conn)


def _connect(engine: Engine) -> Connection:
    try:
        return engine.connect()
    except SQLAlchemyError as err:
        raise StoreError(f"cannot open the store at {_safe(engine.url)}: {_first_line(err)}") from None


def _url_of(bind: Engine | Connection) -> object:
    return bind.engine.url if isinstance(bind, Connection) else bind.url


def _insert(batch: bulk.Batch, rec: Record) -> None:
    """Add one record's rows to the load's batch (nothing is written until the whole batch is)."""
    batch.add(rec)


def _first_line(err: Exception) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _safe(url: object) -> str:
    return safe_url(url)


def codes(url: str) -> list[str]:
    engine = engine_for(url)
    try:
        check_version(engine)
        with Session(engine) as s:
            return list(s.execute(select(col(CountryRow.code)).order_by(col(CountryRow.code))).scalars())
    except SQLAlchemyError as err:
        raise StoreError(f"cannot read the store at {_safe(url)}: {_first_line(err)}") from None
    finally:
        engine.dispose()


def dump_tables(url: str, tables: Iterable[type[SQLModel]] | None = None) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: what tests compare to prove a failed load changed nothing."""
    engine = engine_for(url)
    out: dict[str, list[tuple]] = {}
    try:
        existing = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            for table in tables or SQLModel.metadata.sorted_tables:
                t: Any = getattr(table, "__table__", table)
                if t.name in existing:
                    out[t.name] = sorted(tuple(map(repr, r)) for r in conn.execute(select(t)))
        return out
    finally:
        engine.dispose()
