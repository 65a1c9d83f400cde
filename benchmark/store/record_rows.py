"""A record's own rows of the store, computed once per file and kept with its parse (records/cache.py).

Everything here depends on the record alone (its model, its file name as shown, its content hash), so the
rows of a new file are computed in the worker process that read it and kept in the cache beside its rule
rows: a load of thousands of records then neither unpickles their models nor builds their rows in one
process. The sources a record cites from the shared bibliography depend on the bibliography: `bulk.Batch`
adds those rows when it gathers the load.

A row is a tuple in its table's column order (`columns`), its values as SQLAlchemy's column types would
bind them (a JSON column's value as its JSON text, a float column's number as a float), so that
`bulk.write` hands them to the driver as they are. The columns and their kinds come from the generated
`frame_layout.py`, not from the tables' declaration: a worker that reads files then never imports
SQLAlchemy (about half a second of each worker's start).

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

from benchmark.problems import StoreError
from benchmark.records.models import SCALE_FACTOR, Country, Instrument, Observation, Source
from benchmark.records.rule_frames import StoreRows
from benchmark.store.frame_layout import FRAMES

# The tables a record has rows in, by the name of the frame they are read into.
_FRAMES_OF_A_RECORD = ["countries", "scenarios", "observations", "instruments", "laws", "tax_regimes"]
_FRAMES_OF_A_RECORD += ["tax_rates", "rebates", "bodies"]
COUNTRY, SCENARIO, OBSERVATION, INSTRUMENT, LAW, TAX_REGIME, TAX_RATE, REBATE, BODY = (
    FRAMES[f][0] for f in _FRAMES_OF_A_RECORD
)
_KINDS: dict[str, tuple[tuple[str, str], ...]] = {table: cols for table, cols in FRAMES.values()}

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
    rows[COUNTRY].append(
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
        rows[SCENARIO].append(
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
def columns(name: str) -> tuple[str, ...]:
    """The table's columns, in the order of its rows' tuples."""
    return tuple(c for c, _ in _KINDS[name])


def as_tuple(name: str, row: dict[str, Any]) -> tuple[Any, ...]:
    """The row as the driver takes it: every column (a missing one is a bug here, not a NULL)."""
    getter, prepares = _layout(name)
    return tuple(p(v) if p is not None else v for p, v in zip(prepares, getter(row), strict=True))


@cache
def _layout(name: str) -> tuple[itemgetter[Any], tuple[Callable[[Any], Any] | None, ...]]:
    # As SQLAlchemy's types bind: JSON as json.dumps of the value (None as JSON null), Float (on SQLite)
    # as float(value); every other column as it is.
    prepare: dict[str, Callable[[Any], Any]] = {"json": json.dumps, "texts": json.dumps, "real": _float}
    return itemgetter(*columns(name)), tuple(prepare.get(kind) for _, kind in _KINDS[name])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


class _Ids:
    """The ids of one record's rows: its code's key times 2^20, plus a count per table."""

    def __init__(self, code: str):
        self.base = code_key(code) * ROWS_PER_RECORD
        self.next: dict[str, int] = defaultdict(int)

    def __call__(self, table: str) -> int:
        n = self.next[table]
        if n >= ROWS_PER_RECORD:
            raise StoreError(f"a record has more than {ROWS_PER_RECORD:,} rows in the table {table}")
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
    observations = rows[OBSERVATION]
    for metric, series in metrics.items():
        for pos, obs in enumerate(series):
            oid = ids(OBSERVATION)
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
                        "id": ids(OBSERVATION),
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
        iid = ids(INSTRUMENT)
        rows[INSTRUMENT].append(
            {
                "id": iid,
                "country": code,
                "scenario": scenario,
                "instrument": key,
                **_dump(inst, exclude={"laws", "tax_regimes", "rebates", "bodies"}),
            }
        )
        for pos, law in enumerate(inst.laws):
            rows[LAW].append(
                {
                    "id": ids(LAW),
                    "instrument_id": iid,
                    "position": pos,
                    **_dump(law, exclude={"date"}),
                    "date": _text(law.date),
                }
            )
        for pos, regime in enumerate(inst.tax_regimes):
            rid = ids(TAX_REGIME)
            rows[TAX_REGIME].append(
                {"id": rid, "instrument_id": iid, "position": pos, **_dump(regime, exclude={"rates"}, mode="json")}
            )
            for rpos, rate in enumerate(regime.rates):
                rows[TAX_RATE].append({"id": ids(TAX_RATE), "regime_id": rid, "position": rpos, **_dump(rate)})
        for pos, rebate in enumerate(inst.rebates):
            rows[REBATE].append(
                {"id": ids(REBATE), "instrument_id": iid, "position": pos, **_dump(rebate, mode="json")}
            )
        for pos, body in enumerate(inst.bodies):
            rows[BODY].append({"id": ids(BODY), "instrument_id": iid, "position": pos, **_dump(body, mode="json")})


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


def _dump(
    model: Any, *, include: set[str] | None = None, exclude: set[str] | None = None, mode: str = "python"
) -> dict[str, Any]:
    return model.model_dump(include=include, exclude=exclude, mode=mode)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
