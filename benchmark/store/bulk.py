"""Rows of a load gathered for the whole load, then written a table at a time.

A load used to issue about nine statements per record and a SELECT per source merge; here every record's
rows go into one `Batch`, and `write` sends one executemany per table (parents first, so foreign keys hold)
and merges every source in one upsert.

Row ids are derived from what a row is, never from what the store held before: the record's code (its
base-38 digits, so ids sort by code) times 2^20, plus the row's place in the record (the n-th observation,
instrument, ... of that record, in the record's own order). The same records therefore get the same ids
whether they are loaded fresh or after any number of other loads, and exports are the same byte for byte.
Ids stay below 2^53, so JSON readers (JavaScript among them) read them exactly.
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
from benchmark.records.models import SCALE_FACTOR, Country, Instrument, Observation
from benchmark.records.rule_frames import Record
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

_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"  # 1..37; 0 pads, so that ids sort as the codes do
_CODE_LENGTH = 6  # ISO 3166-2 codes are at most six characters (GB-ENG); alpha-3 codes three
ROWS_PER_RECORD = 1 << 20  # ids a record may use in each table

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


def code_key(code: str) -> int:
    """The record's code as a number, in the same order as the codes sort."""
    text = code.upper()
    if len(text) > _CODE_LENGTH or any(c not in _DIGITS for c in text):
        raise StoreError(f"the code `{code}` cannot be stored: expected an ISO 3166 code (letters, digits, -)")
    value = 0
    for c in text.ljust(_CODE_LENGTH, "\0"):
        value = value * 38 + (_DIGITS.index(c) + 1 if c != "\0" else 0)
    return value


class Batch:
    """Every row of the records being written, by table, and the sources to merge."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.sources: dict[str, dict[str, Any]] = {}

    def add(self, rec: Record, digest: str) -> None:
        c = rec.country
        ids = _Ids(c.code)
        for key, src in [*c.sources.items(), *rec.shared.items()]:
            # The last definition wins, as a merge per record did.
            self.sources[key] = {
                "key": key,
                **_dump(src, exclude={"accessed"}),
                "accessed": _text(src.accessed),
                "shared": key in rec.shared,
            }
        self.rows[CountryRow].append(
            {
                "code": c.code,
                "level": c.level,
                "parent": c.parent,
                "name_en": c.names.en,
                "name_ru": c.names.ru,
                "name_kk": c.names.kk,
                "region": c.region,
                "groupings": list(c.groupings),
                "former_codes": list(c.former_codes),
                "caveats": [_dump(x) for x in c.caveats],
                "file": rec.doc.file,
                "content_hash": digest,
            }
        )
        self.rows[CountrySourceRow].extend({"country": c.code, "source": key} for key in {**c.sources, **rec.shared})
        self._facts(c.code, "", c.metrics, c.instruments, ids)
        for name, sc in c.scenarios.items():
            self.rows[ScenarioRow].append(
                {
                    "country": c.code,
                    "key": name,
                    "title": _dump(sc.title),
                    **_dump(sc, include={"description", "source", "at", "via", "also", "note"}),
                }
            )
            self._facts(c.code, name, sc.metrics, sc.instruments, ids)

    def _facts(
        self,
        code: str,
        scenario: str,
        metrics: dict[str, list[Observation]],
        instruments: dict[str, Instrument],
        ids: _Ids,
    ) -> None:
        rows = self.rows
        for metric, series in metrics.items():
            for pos, obs in enumerate(series):
                oid = ids(ObservationRow)
                base = {
                    "country": code,
                    "scenario": scenario,
                    "metric": metric,
                    "year": obs.year,
                    "reported_in": obs.reported_in,
                    "undated": obs.undated,
                    "kind": obs.kind,
                }
                rows[ObservationRow].append(
                    {
                        **_OBSERVATION_DEFAULTS,
                        "id": oid,
                        "position": pos,
                        **base,
                        **_observation(obs, obs.scale),
                        **_dump(obs, include={"from_year", "part", "method", "reason"}),
                    }
                )
                for apos, alt in enumerate(obs.alternatives):
                    rows[ObservationRow].append(
                        {
                            **_OBSERVATION_DEFAULTS,
                            "id": ids(ObservationRow),
                            "position": apos,
                            "alternative_of": oid,
                            **base,
                            **({} if alt.year is None and alt.reported_in is None else _dump(alt, include=_DATING)),
                            **_observation(alt, alt.scale or obs.scale),
                            "unit": alt.unit,
                            "scale": alt.scale,
                        }
                    )
        for key, inst in instruments.items():
            iid = ids(InstrumentRow)
            rows[InstrumentRow].append(
                {
                    "id": iid,
                    "country": code,
                    "scenario": scenario,
                    "instrument": key,
                    **_dump(inst, exclude={"laws", "tax_regimes", "rebates", "bodies"}),
                }
            )
            for pos, law in enumerate(inst.laws):
                rows[LawRow].append(
                    {
                        "id": ids(LawRow),
                        "instrument_id": iid,
                        "position": pos,
                        **_dump(law, exclude={"date"}),
                        "date": _text(law.date),
                    }
                )
            for pos, regime in enumerate(inst.tax_regimes):
                rid = ids(TaxRegimeRow)
                rows[TaxRegimeRow].append(
                    {"id": rid, "instrument_id": iid, "position": pos, **_dump(regime, exclude={"rates"}, mode="json")}
                )
                for rpos, rate in enumerate(regime.rates):
                    rows[TaxRateRow].append({"id": ids(TaxRateRow), "regime_id": rid, "position": rpos, **_dump(rate)})
            for pos, rebate in enumerate(inst.rebates):
                rows[RebateRow].append(
                    {"id": ids(RebateRow), "instrument_id": iid, "position": pos, **_dump(rebate, mode="json")}
                )
            for pos, body in enumerate(inst.bodies):
                rows[BodyRow].append(
                    {"id": ids(BodyRow), "instrument_id": iid, "position": pos, **_dump(body, mode="json")}
                )


class _Ids:
    """The ids of one record's rows: its code's key times 2^20, plus a count per table."""

    def __init__(self, code: str):
        self.base = code_key(code) * ROWS_PER_RECORD
        self.next: dict[type, int] = defaultdict(int)

    def __call__(self, table: type) -> int:
        n = self.next[table]
        if n >= ROWS_PER_RECORD:
            raise StoreError(f"a record has more than {ROWS_PER_RECORD:,} rows of {table.__name__}")
        self.next[table] = n + 1
        return self.base + n


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
    """Merge the sources in one statement, then insert each table's rows in one executemany (COPY on
    PostgreSQL, where a multi-row INSERT costs almost twice SQLite's executemany)."""
    conn = s.connection()
    dialect = conn.dialect.name
    if batch.sources:
        table: Table = SourceRow.__table__  # type: ignore[attr-defined]
        rows = [batch.sources[k] for k in sorted(batch.sources)]
        if dialect in ("postgresql", "sqlite"):
            upsert = pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)
            columns = [c.name for c in table.columns if c.name != "key"]
            stmt = upsert.on_conflict_do_update(index_elements=["key"], set_={c: upsert.excluded[c] for c in columns})
            conn.execute(stmt, rows)
        else:  # another database: a merge per source, as before
            for row in rows:
                s.merge(SourceRow(**row))
    for model in ORDER:
        if batch.rows[model]:
            table = model.__table__  # type: ignore[attr-defined]
            rows = _uniform(table, batch.rows[model])
            if dialect == "postgresql" and conn.dialect.driver == "psycopg":
                _copy(conn, table, rows)
            else:
                conn.execute(table.insert(), rows)


def _copy(conn: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY the rows into a PostgreSQL table, JSON columns as JSON text (as SQLAlchemy would write them)."""
    columns = list(rows[0])
    as_json = {c for c in columns if isinstance(table.c[c].type, JSON)}
    import psycopg

    cursor = conn.connection.driver_connection.cursor()
    names = ", ".join(f'"{c}"' for c in columns)
    try:
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                # None in a JSON column is JSON null, as SQLAlchemy's JSON type writes it (not SQL NULL).
                copy.write_row([json.dumps(row[c]) if c in as_json else row[c] for c in columns])
    except psycopg.Error as err:  # the driver's own error, which SQLAlchemy does not see here
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise StoreError(f"the load was rolled back, nothing changed: {first}") from None


def _uniform(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every row with the same columns (an executemany needs them): a missing one takes its column default."""
    keys = {k for row in rows for k in row}
    if all(len(row) == len(keys) for row in rows):
        return rows
    defaults = {
        c.name: getattr(c.default, "arg", None) if c.default is not None and c.default.is_scalar else None
        for c in table.c
    }
    return [{**{k: defaults.get(k) for k in keys}, **row} for row in rows]


def _observation(x: Any, scale: str | None) -> dict[str, Any]:
    unknown = x.value == "unknown"
    value = None if unknown else x.value
    mid = value if value is not None else (None if x.low is None else (x.low + x.high) / 2)
    factor = SCALE_FACTOR[scale or "one"]
    return {
        "value": value,
        "unknown": unknown,
        "low": x.low,
        "high": x.high,
        "qualifier": x.qualifier,
        "central": None if mid is None else mid * factor,
        "unit": getattr(x, "unit", None),
        "scale": scale,
        "source": x.source,
        "at": x.at,
        "via": x.via,
        "also": [a.model_dump() for a in x.also],
        "note": x.note,
    }


_DATING = {"year", "reported_in", "undated"}
# An executemany needs the same columns in every row: the ones an alternative reading leaves out.
_OBSERVATION_DEFAULTS: dict[str, Any] = {
    "alternative_of": None,
    "from_year": None,
    "part": None,
    "method": None,
    "reason": None,
    "year": None,
    "reported_in": None,
    "undated": None,
}


def _dump(
    model: Any, *, include: set[str] | None = None, exclude: set[str] | None = None, mode: str = "python"
) -> dict[str, Any]:
    return model.model_dump(include=include, exclude=exclude, mode=mode)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def content_hash(country: Country) -> str:
    import hashlib

    return hashlib.sha256(country.model_dump_json().encode()).hexdigest()
