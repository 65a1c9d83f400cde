"""Read the store into Polars frames: the one input of scoring, the site and the exports.

Every consumer reads the same frames, so a number shown on the site, ranked in the CLI and written to
an export is the same number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from benchmark.store import StoreError, _first_line, _safe, check_version, engine_for
from benchmark.tables import (
    BodyRow,
    CountryRow,
    InstrumentRow,
    LawRow,
    ObservationRow,
    RebateRow,
    ScenarioRow,
    SourceRow,
    TaxRateRow,
    TaxRegimeRow,
)


@dataclass(frozen=True)
class Facts:
    """The store as frames. `scenario == ""` marks the observed record; other values name scenarios."""

    countries: pl.DataFrame  # code, level, parent, name_en, name_ru, name_kk, region, groupings, ...
    observations: pl.DataFrame  # one row per observation (alternatives have alternative_of set)
    instruments: pl.DataFrame  # country, scenario, instrument, status, level, since, ...
    tax_regimes: pl.DataFrame  # id, instrument_id, name, headline, replaces, term, comparisons, ...
    tax_rates: pl.DataFrame  # regime_id, value, low, high, base, from_year, to_year
    rebates: pl.DataFrame  # instrument_id, value, low, high, cap, form, ...
    laws: pl.DataFrame
    bodies: pl.DataFrame
    scenarios: pl.DataFrame  # country, key, title, description, source
    sources: pl.DataFrame  # key, publisher, title, year, url, cited_in


_TABLES = {
    "countries": CountryRow,
    "observations": ObservationRow,
    "instruments": InstrumentRow,
    "tax_regimes": TaxRegimeRow,
    "tax_rates": TaxRateRow,
    "rebates": RebateRow,
    "laws": LawRow,
    "bodies": BodyRow,
    "scenarios": ScenarioRow,
    "sources": SourceRow,
}


def read_facts(url: str) -> Facts:
    engine = engine_for(url)
    try:
        check_version(engine)
        frames = {}
        with Session(engine) as s:
            for name, table in _TABLES.items():
                schema = _schema(table)
                rows = [_row(r.model_dump(), schema) for r in s.execute(select(table)).scalars()]
                frames[name] = pl.DataFrame(rows, schema=schema, orient="row")
        return Facts(**frames)
    except SQLAlchemyError as err:
        raise StoreError(f"cannot read the store at {_safe(url)}: {_first_line(err)}") from None
    finally:
        engine.dispose()


_POLARS: dict[object, pl.DataType] = {int: pl.Int64(), float: pl.Float64(), str: pl.String(), bool: pl.Boolean()}
_JSON_TEXT = pl.String()  # JSON columns other than lists of text (a cap, a budget, a date-or-year) stay JSON


def _schema(table: type) -> dict[str, pl.DataType]:
    out: dict[str, pl.DataType] = {}
    for name, field in table.model_fields.items():  # type: ignore[attr-defined]
        annotation = field.annotation
        base = next((t for t in _POLARS if annotation in (t, t | None)), None)  # type: ignore[operator]
        if base is not None:
            out[name] = _POLARS[base]
        elif annotation == list[str]:
            out[name] = pl.List(pl.String())
        else:
            out[name] = _JSON_TEXT
    return out


def _row(row: dict, schema: dict[str, pl.DataType]) -> dict:
    return {
        k: json.dumps(v, ensure_ascii=False)
        if schema[k] is _JSON_TEXT and v is not None and not isinstance(v, str)
        else v
        for k, v in row.items()
    }
