"""A record's own rows of the store, computed once per file and kept with its parse (records/cache.py).

Everything here depends on the record alone (its model, its file name as shown, its content hash), so the
rows of a new file are computed in the worker process that read it and kept in the cache beside its rule
rows: a load of thousands of records then neither unpickles their models nor builds their rows in one
process. The sources a record cites from the shared bibliography depend on the bibliography: `bulk.Batch`
adds those rows when it gathers the load.

A row is a tuple in its table's column order (`columns`), its values as SQLAlchemy's column types would
bind them (a JSON column's value as its JSON text, a float column's number as a float), so that
`bulk.write` hands them to the driver as they are.

Row ids are derived from what a row is, never from what the store held before: the record's code (its
base-38 digits, so ids sort by code) times 2^20, plus the row's place in the record (the n-th observation,
instrument, ... of that record, in the record's own order). The same records therefore get the same ids
whether they are loaded fresh or after any number of other loads, and exports are the same byte for byte.
Ids stay below 2^53, so JSON readers (JavaScript among them) read them exactly.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Float, Table

from benchmark.problems import StoreError
from benchmark.records.models import SCALE_FACTOR, Country, Instrument, Observation, Source
from benchmark.records.rule_frames import StoreRows
from benchmark.store.tables import (
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


def code_key(code: str) -> int:
    """The record's code as a number, in the same order as the codes sort."""
    text = code.upper()
    if len(text) > _CODE_LENGTH or any(c not in _DIGITS for c in text):
        raise StoreError(f"the code `{code}` cannot be stored: expected an ISO 3166 code (letters, digits, -)")
    value = 0
    for c in text.ljust(_CODE_LENGTH, "\0"):
        value = value * 38 + (_DIGITS.index(c) + 1 if c != "\0" else 0)
    return value


def content_hash(country: Country) -> str:
    """The hash the store keeps of a record, to leave an unchanged record alone at the next load."""
    return hashlib.sha256(country.model_dump_json().encode()).hexdigest()


def record_rows(country: Country, file: str, digest: str) -> StoreRows:
    """Every row the store holds of this record, but those that depend on the shared bibliography."""
    c = country
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    ids = _Ids(c.code)
    rows[CountryRow.__tablename__].append(
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
            "file": file,
            "content_hash": digest,
        }
    )
    _facts(rows, c.code, "", c.metrics, c.instruments, ids)
    for name, sc in c.scenarios.items():
        rows[ScenarioRow.__tablename__].append(
            {
                "country": c.code,
                "key": name,
                "title": _dump(sc.title),
                **_dump(sc, include={"description", "source", "at", "via", "also", "note"}),
            }
        )
        _facts(rows, c.code, name, sc.metrics, sc.instruments, ids)
    tables = {table: [as_tuple(table, row) for row in table_rows] for table, table_rows in rows.items()}
    sources = {key: source_row(key, src, shared=False) for key, src in c.sources.items()}
    return StoreRows(tables, sources)


def source_row(key: str, src: Source, *, shared: bool) -> dict[str, Any]:
    """A row of the bibliography table (written by an upsert: the last definition of a key wins)."""
    return {"key": key, **_dump(src, exclude={"accessed"}), "accessed": _text(src.accessed), "shared": shared}


@cache
def table_of(name: str) -> Table:
    return _TABLES[name].__table__  # type: ignore[attr-defined]


@cache
def columns(name: str) -> tuple[str, ...]:
    """The table's columns, in the order of its rows' tuples."""
    return tuple(c.name for c in table_of(name).columns)


def as_tuple(name: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """The row as the driver takes it: every column (a missing one is a bug here, not a NULL)."""
    getter, prepares = _layout(name)
    return tuple(p(v) if p is not None else v for p, v in zip(prepares, getter(row), strict=True))


@cache
def _layout(name: str) -> tuple[itemgetter[Any], tuple[Callable[[Any], Any] | None, ...]]:
    names = columns(name)
    return itemgetter(*names), tuple(_prepare(table_of(name).c[n].type) for n in names)


def _prepare(kind: Any) -> Callable[[Any], Any] | None:
    # As SQLAlchemy's types bind: JSON as json.dumps of the value (None as JSON null), Float (on SQLite)
    # as float(value); every other column as it is.
    if isinstance(kind, JSON):
        return json.dumps
    if isinstance(kind, Float):
        return _float
    return None


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def json_columns(name: str) -> set[str]:
    return {c.name for c in table_of(name).columns if isinstance(c.type, JSON)}


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


def _facts(
    rows: dict[str, list[dict[str, Any]]],
    code: str,
    scenario: str,
    metrics: dict[str, list[Observation]],
    instruments: dict[str, Instrument],
    ids: _Ids,
) -> None:
    observations = rows[ObservationRow.__tablename__]
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
            observations.append(
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
                observations.append(
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
        rows[InstrumentRow.__tablename__].append(
            {
                "id": iid,
                "country": code,
                "scenario": scenario,
                "instrument": key,
                **_dump(inst, exclude={"laws", "tax_regimes", "rebates", "bodies"}),
            }
        )
        for pos, law in enumerate(inst.laws):
            rows[LawRow.__tablename__].append(
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
            rows[TaxRegimeRow.__tablename__].append(
                {"id": rid, "instrument_id": iid, "position": pos, **_dump(regime, exclude={"rates"}, mode="json")}
            )
            for rpos, rate in enumerate(regime.rates):
                rows[TaxRateRow.__tablename__].append(
                    {"id": ids(TaxRateRow), "regime_id": rid, "position": rpos, **_dump(rate)}
                )
        for pos, rebate in enumerate(inst.rebates):
            rows[RebateRow.__tablename__].append(
                {"id": ids(RebateRow), "instrument_id": iid, "position": pos, **_dump(rebate, mode="json")}
            )
        for pos, body in enumerate(inst.bodies):
            rows[BodyRow.__tablename__].append(
                {"id": ids(BodyRow), "instrument_id": iid, "position": pos, **_dump(body, mode="json")}
            )


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
# Every row has every column: the ones an alternative reading leaves out.
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

_TABLES: dict[str, type] = {
    t.__tablename__: t
    for t in (
        *(CountryRow, CountrySourceRow, SourceRow, ScenarioRow, ObservationRow, InstrumentRow),
        *(LawRow, TaxRegimeRow, TaxRateRow, RebateRow, BodyRow),
    )
}


def _dump(
    model: Any, *, include: set[str] | None = None, exclude: set[str] | None = None, mode: str = "python"
) -> dict[str, Any]:
    return model.model_dump(include=include, exclude=exclude, mode=mode)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
