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
        with engine.connect() as conn:
            for name, table in _TABLES.items():
                # Core rows, column by column: no ORM object per row (2,000 countries are ~1M rows).
                schema = _schema(table)
                result = conn.execute(select(*(table.__table__.c[c] for c in schema)))  # type: ignore[attr-defined]
                columns = list(zip(*result, strict=False)) or [() for _ in schema]
                frames[name] = pl.DataFrame(
                    {c: _column(values, schema[c]) for c, values in zip(schema, columns, strict=True)}, schema=schema
                )
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


def _column(values: tuple, dtype: pl.DataType) -> list:
    if dtype is not _JSON_TEXT:
        return list(values)
    return [v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in values]
