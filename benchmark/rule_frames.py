"""Flatten validated records into Polars frames for the dataset-wide rules.

Every row keeps `file`, `line`, `column` and `field`, so that a rule failing on a row can be reported
where the contributor wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import polars as pl

from benchmark import registry
from benchmark.models import Amount, Country, Instrument, Observation
from benchmark.read import Document, FieldPath, dotted


@dataclass(frozen=True)
class Record:
    """A file that passed layer 1: its document (for positions), its model and its name stem."""

    doc: Document
    country: Country
    stem: str


def _where(rec: Record, path: FieldPath) -> dict[str, Any]:
    line, col = rec.doc.position(path)
    return {"file": rec.doc.file, "line": line, "column": col, "field": dotted(path), "path": json.dumps(path)}


def countries(records: list[Record]) -> pl.DataFrame:
    rows = [
        {
            **_where(r, ("code",)),
            "code": r.country.code,
            "level": r.country.level,
            "parent": r.country.parent,
            "stem": r.stem,
        }
        for r in records
    ]
    frame = pl.DataFrame(rows, schema=_schema(code=pl.String, level=pl.String, parent=pl.String, stem=pl.String))
    first = frame.group_by("code").agg(pl.col("file").sort().first().alias("first_file"))
    return frame.join(first, on="code", how="left")


def sources(records: list[Record]) -> pl.DataFrame:
    rows = []
    for r in records:
        for key, s in r.country.sources.items():
            rows.append(
                {
                    **_where(r, ("sources", key)),
                    "key": key,
                    "url": s.url,
                    "year": s.year,
                    "cited_in": s.cited_in,
                    "cited_in_defined": s.cited_in is None or s.cited_in in r.country.sources,
                    "fingerprint": json.dumps(s.model_dump(mode="json", exclude={"accessed"}), sort_keys=True),
                }
            )
    frame = pl.DataFrame(
        rows,
        schema=_schema(
            key=pl.String,
            url=pl.String,
            year=pl.Int64,
            cited_in=pl.String,
            cited_in_defined=pl.Boolean,
            fingerprint=pl.String,
        ),
    )
    return frame.with_columns(
        pl.col("fingerprint").n_unique().over("key").alias("definitions"),
        pl.col("file").sort().first().over("key").alias("first_file"),
    )


def observations(records: list[Record]) -> pl.DataFrame:
    rows = []
    for r in records:
        for scenario, path, metric, obs in _all_observations(r.country):
            quantity = registry.metrics()[metric].quantity
            base = {
                "country": r.country.code,
                "scenario": scenario,
                "metric": metric,
                "quantity": quantity,
                "year": obs.year,
                "kind": obs.kind,
                "part": obs.part or "",
                "method": obs.method or "",
            }
            rows.append(
                {
                    **_where(r, path),
                    **base,
                    **_numbers(obs),
                    "unit": obs.unit,
                    "source": obs.source,
                    "source_defined": _defined(r, obs.source),
                    "primary": True,
                }
            )
            for j, alt in enumerate(obs.alternatives):
                rows.append(
                    {
                        **_where(r, (*path, "alternatives", j)),
                        **base,
                        **_numbers(alt),
                        "unit": alt.unit or obs.unit,
                        "source": alt.source,
                        "source_defined": _defined(r, alt.source),
                        "primary": False,
                    }
                )
    return pl.DataFrame(
        rows,
        schema=_schema(
            country=pl.String,
            scenario=pl.String,
            metric=pl.String,
            quantity=pl.String,
            year=pl.Int64,
            kind=pl.String,
            part=pl.String,
            method=pl.String,
            value=pl.Float64,
            low=pl.Float64,
            high=pl.Float64,
            unit=pl.String,
            source=pl.String,
            source_defined=pl.Boolean,
            primary=pl.Boolean,
        ),
    )


def instruments(records: list[Record]) -> pl.DataFrame:
    rows = []
    for r in records:
        for scenario, path, key, inst in _all_instruments(r.country):
            kind = registry.instruments()[key]
            rows.append(
                {
                    **_where(r, path),
                    "country": r.country.code,
                    "scenario": scenario,
                    "instrument": key,
                    "scale": kind.scale,
                    "status": inst.status,
                    "level": inst.level,
                    "since": inst.since,
                    "source": inst.source,
                    "source_defined": _defined(r, inst.source),
                }
            )
            for detail_path, detail in _details(path, inst):
                rows.append(
                    {
                        **_where(r, detail_path),
                        "country": r.country.code,
                        "scenario": scenario,
                        "instrument": key,
                        "scale": "detail",
                        "status": None,
                        "level": None,
                        "since": None,
                        "source": detail.source,
                        "source_defined": _defined(r, detail.source),
                    }
                )
    return pl.DataFrame(
        rows,
        schema=_schema(
            country=pl.String,
            scenario=pl.String,
            instrument=pl.String,
            scale=pl.String,
            status=pl.String,
            level=pl.String,
            since=pl.Int64,
            source=pl.String,
            source_defined=pl.Boolean,
        ),
    )


def amounts(records: list[Record]) -> pl.DataFrame:
    """Money given inside instruments: rebate caps and budgets."""
    rows = []
    for r in records:
        for _, path, _, inst in _all_instruments(r.country):
            for detail_path, detail in _details(path, inst):
                money: Amount | None = getattr(detail, "cap", None) or getattr(detail, "budget", None)
                if money is not None:
                    sub = "cap" if getattr(detail, "cap", None) else "budget"
                    rows.append({**_where(r, (*detail_path, sub)), **_numbers(money), "currency": money.currency})
    return pl.DataFrame(rows, schema=_schema(value=pl.Float64, low=pl.Float64, high=pl.Float64, currency=pl.String))


def rates(records: list[Record]) -> pl.DataFrame:
    """Percentages given inside instruments: tax rates and rebate rates."""
    rows = []
    for r in records:
        for _, path, _, inst in _all_instruments(r.country):
            for i, regime in enumerate(inst.tax_regimes):
                for j, rate in enumerate(regime.rates):
                    rows.append(
                        {
                            **_where(r, (*path, "tax_regimes", i, "rates", j)),
                            **_numbers(rate),
                            "from_year": rate.from_year,
                            "to_year": rate.to_year,
                        }
                    )
            for i, rebate in enumerate(inst.rebates):
                rows.append(
                    {**_where(r, (*path, "rebates", i)), **_numbers(rebate), "from_year": None, "to_year": None}
                )
    return pl.DataFrame(
        rows, schema=_schema(value=pl.Float64, low=pl.Float64, high=pl.Float64, from_year=pl.Int64, to_year=pl.Int64)
    )


def dates(records: list[Record]) -> pl.DataFrame:
    """Every year and date written inside instruments, for the plausibility rule."""
    rows = []
    for r in records:
        for _, path, _, inst in _all_instruments(r.country):
            for detail_path, detail in _details(path, inst):
                for name in ("date", "year", "since", "start", "expiry"):
                    value = getattr(detail, name, None)
                    if isinstance(value, dt.date | int):
                        year = value.year if isinstance(value, dt.date) else value
                        rows.append({**_where(r, (*detail_path, name)), "year": year})
    return pl.DataFrame(rows, schema=_schema(year=pl.Int64))


def _all_observations(c: Country) -> Iterator[tuple[str, FieldPath, str, Observation]]:
    for metric, series in c.metrics.items():
        for i, obs in enumerate(series):
            yield "", ("metrics", metric, i), metric, obs
    for name, scenario in c.scenarios.items():
        for metric, series in scenario.metrics.items():
            for i, obs in enumerate(series):
                yield name, ("scenarios", name, "metrics", metric, i), metric, obs


def _all_instruments(c: Country) -> Iterator[tuple[str, FieldPath, str, Instrument]]:
    for key, inst in c.instruments.items():
        yield "", ("instruments", key), key, inst
    for name, scenario in c.scenarios.items():
        for key, inst in scenario.instruments.items():
            yield name, ("scenarios", name, "instruments", key), key, inst


def _details(path: FieldPath, inst: Instrument) -> Iterator[tuple[FieldPath, Any]]:
    for group in ("laws", "tax_regimes", "rebates", "bodies"):
        for i, item in enumerate(getattr(inst, group)):
            yield (*path, group, i), item


def _numbers(x: Any) -> dict[str, float | None]:
    value = x.value if isinstance(x.value, float) else None
    return {"value": value, "low": x.low, "high": x.high}


def _defined(r: Record, key: str | None) -> bool:
    return key is None or key in r.country.sources


def _schema(**columns: Any) -> dict[str, Any]:
    return {"file": pl.String, "line": pl.Int64, "column": pl.Int64, "field": pl.String, "path": pl.String, **columns}
