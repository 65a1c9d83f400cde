"""Rows of a load gathered for the whole load, then written a table at a time.

A load used to issue about nine statements per record and a SELECT per source merge; here every record's
rows go into one `Batch`, and `write` sends one executemany per table (parents first, so foreign keys hold)
and merges every source in one upsert. A record's own rows are built once per file, where it was read, and
kept in the cache with its parse (record_rows.py, which also says how row ids are chosen); a batch adds the
rows that depend on the shared bibliography.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import JSON, Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from benchmark.problems import StoreError
from benchmark.records.rule_frames import Record
from benchmark.store import record_rows
from benchmark.store.record_rows import source_row
from benchmark.store.tables import (
    DETAIL_TABLES,
    BodyRow,
    CountryRow,
    CountrySourceRow,
    InstrumentRow,
    LawRow,
    ObservationRow,
    RebateRow,
    ScenarioRow,
    SourceRow,
    TaxRateRow,
    TaxRegimeRow,
)

# Parents before children, so that foreign keys hold at every statement.
ORDER: tuple[type, ...] = (
    CountryRow,
    CountrySourceRow,
    ScenarioRow,
    ObservationRow,
    InstrumentRow,
    LawRow,
    TaxRegimeRow,
    TaxRateRow,
    RebateRow,
    BodyRow,
)
_CHUNK = 500  # codes per DELETE ... IN (...), below every database's limit on parameters
_LINKS: Table = CountrySourceRow.__table__  # type: ignore[attr-defined]
_LINK_COLUMNS = ("country", "source")  # a row's order (tests/test_scale.py checks it is the table's)


class Batch:
    """Every row of the records being written, by table name, and the sources to merge."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.sources: dict[str, dict[str, Any]] = {}

    def add(self, rec: Record) -> None:
        own = rec.store_rows()
        for table, rows in own.tables.items():
            self.rows[table].extend(rows)
        # The last definition of a source wins, as a merge per record did: the record's own, then the shared.
        self.sources.update(own.sources)
        for key, src in rec.shared.items():
            self.sources[key] = source_row(key, src, shared=True)
        self.rows[_LINKS.name].extend((rec.code, key) for key in dict.fromkeys([*own.sources, *rec.shared]))


def delete_records(s: Session, codes: Iterable[str]) -> None:
    """Remove the rows of these records, a few statements per table for all of them."""
    codes = sorted(codes)
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        instruments = select(col(InstrumentRow.id)).where(col(InstrumentRow.country).in_(chunk))
        regimes = select(col(TaxRegimeRow.id)).where(col(TaxRegimeRow.instrument_id).in_(instruments))
        s.execute(delete(TaxRateRow).where(col(TaxRateRow.regime_id).in_(regimes)))
        for table in DETAIL_TABLES:
            s.execute(delete(table).where(table.instrument_id.in_(instruments)))  # type: ignore[attr-defined]
        for owned in (InstrumentRow, ObservationRow, ScenarioRow, CountrySourceRow):
            s.execute(delete(owned).where(getattr(owned, "country").in_(chunk)))  # noqa: B009 (any of four tables)
        s.execute(delete(CountryRow).where(col(CountryRow.code).in_(chunk)))


def write(s: Session, batch: Batch) -> None:
    """Merge the sources in one statement, then insert each table's rows in one executemany of the driver
    (COPY on PostgreSQL, where a multi-row INSERT costs almost twice SQLite's executemany)."""
    conn = s.connection()
    dialect = conn.dialect.name
    if batch.sources:
        table: Table = SourceRow.__table__  # type: ignore[attr-defined]
        rows = [batch.sources[k] for k in sorted(batch.sources)]
        if dialect in ("postgresql", "sqlite"):
            upsert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
            names = [c.name for c in table.columns if c.name != "key"]
            stmt = upsert.on_conflict_do_update(index_elements=["key"], set_={c: upsert.excluded[c] for c in names})
            conn.execute(stmt, rows)
        else:  # another database: a merge per source, as before
            for row in rows:
                s.merge(SourceRow(**row))
    insert = _DRIVER_INSERTS.get(f"{dialect}+{conn.dialect.driver}", _insert_by_sqlalchemy)
    for model in ORDER:
        table = model.__table__  # type: ignore[attr-defined]
        tuples = batch.rows.get(table.name)
        if tuples:
            insert(conn, table, tuples)


def _insert_by_sqlalchemy(conn: Any, table: Table, tuples: list[tuple[Any, ...]]) -> None:
    """Another driver: through SQLAlchemy's own binding, from the values the rows were built of."""
    names, as_json = columns(table), {c.name for c in table.columns if isinstance(c.type, JSON)}
    rows = [{c: json.loads(v) if c in as_json else v for c, v in zip(names, row, strict=True)} for row in tuples]
    conn.execute(table.insert(), rows)


def _insert_sqlite(conn: Any, table: Table, tuples: list[tuple[Any, ...]]) -> None:
    """sqlite3's own executemany: the rows are already bound as SQLAlchemy would bind them."""
    names = columns(table)
    quoted = ", ".join(f'"{c}"' for c in names)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})', tuples)


def _copy(conn: Any, table: Table, tuples: list[tuple[Any, ...]]) -> None:
    """COPY the rows into a PostgreSQL table (JSON columns already hold their JSON text)."""
    import psycopg

    cursor = conn.connection.driver_connection.cursor()
    names = ", ".join(f'"{c}"' for c in columns(table))
    try:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in tuples:
                copy.write_row(row)
    except psycopg.Error as err:  # the driver's own error, which SQLAlchemy does not see here
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise StoreError(f"the load was rolled back, nothing changed: {first}") from None


def columns(table: Table) -> tuple[str, ...]:
    """The columns of a table's row tuples: record_rows' layout, or the link table's."""
    return _LINK_COLUMNS if table is _LINKS else record_rows.columns(table.name)


# The drivers whose own bulk insert takes the rows as they are; any other goes through SQLAlchemy.
_DRIVER_INSERTS = {"sqlite+pysqlite": _insert_sqlite, "postgresql+psycopg": _copy}
