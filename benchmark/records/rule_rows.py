"""Each record's own rows of the rule frames (`rule_frames`), computed from its document and model.

A row keeps `file`, `line`, `column` and `field`, so that a rule failing on it can be reported where the
contributor wrote it. Nothing here depends on another record or on the bibliography: the rows of an
unchanged file can therefore be cached with its parse.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import BaseModel

from benchmark import registry
from benchmark.records.models import Amount, Country, Instrument, Money, Observation, RateTier, Source
from benchmark.records.read import Document, FieldPath, dotted

if TYPE_CHECKING:
    from benchmark.records.rule_frames import Record


def _schema(**columns: Any) -> dict[str, Any]:
    return {"file": pl.String, "line": pl.Int64, "column": pl.Int64, "field": pl.String, "path": pl.String, **columns}


def _where(rec: Record, path: FieldPath) -> dict[str, Any]:
    line, col = rec.doc.position(path)
    return {"file": rec.doc.file, "line": line, "column": col, "field": dotted(path), "path": json.dumps(path)}


def _country_rows(r: Record) -> list[dict[str, Any]]:
    return [
        {
            **_where(r, ("code",)),
            "code": r.country.code,
            "level": r.country.level,
            "parent": r.country.parent,
            "stem": r.stem,
            "groupings": sorted(r.country.groupings),
            "registry_groupings": ", ".join(registry.memberships(r.country.code)) or "none",
        }
    ]


_COUNTRIES = _schema(
    code=pl.String,
    level=pl.String,
    parent=pl.String,
    stem=pl.String,
    groupings=pl.List(pl.String),
    registry_groupings=pl.String,
)


def _fingerprint(fields: dict[str, Any]) -> str:
    """A source's fields (but `accessed`) as canonical JSON: two definitions differ where this does."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=False)


def _publication(s: Source) -> str:
    """What makes two entries the same publication, whatever their ids."""
    return json.dumps([s.publisher.casefold(), s.title.casefold(), s.year, (s.url or "").rstrip("/")])


def _source_rows(r: Record) -> list[dict[str, Any]]:
    """A record's own `sources` block (the bibliography's entries are added when the frame is assembled)."""
    local = set(r.country.sources)
    return [
        source_row(r.doc, ("sources", key), key, s, shared=False, local=local) for key, s in r.country.sources.items()
    ]


_SOURCES = _schema(
    key=pl.String,
    url=pl.String,
    year=pl.Int64,
    accessed=pl.Date,
    cited_in=pl.String,
    cited_in_local=pl.Boolean,
    fingerprint=pl.String,
    publication=pl.String,
    shared=pl.Boolean,
    fields=pl.String,
)


def source_row(doc: Document, path: FieldPath, key: str, s: Source, *, shared: bool, local: set[str]) -> dict[str, Any]:
    line, col = doc.position(path)
    fields = s.model_dump(mode="json", exclude={"accessed"})
    return {
        "file": doc.file,
        "line": line,
        "column": col,
        "field": dotted(path),
        "path": json.dumps(path),
        "key": key,
        "url": s.url,
        "year": s.year,
        "accessed": s.accessed,
        "cited_in": s.cited_in,
        "cited_in_local": s.cited_in is None or s.cited_in in local,  # or in the bibliography: see _finish_sources
        "fingerprint": _fingerprint(fields),
        "publication": _publication(s),
        "shared": shared,
        "fields": json.dumps(fields, ensure_ascii=False),
    }


def _citation_rows(r: Record) -> list[dict[str, Any]]:
    """Every source id a record cites (`source`, `via`, `also`), wherever it is cited."""
    local = set(r.country.sources)
    return [
        {**_where(r, path), "source": key, "defined": key in local, "attribute": str(path[-1])}
        for path, key in _cited(r.country, ())
    ]


_CITATIONS = _schema(source=pl.String, defined=pl.Boolean, attribute=pl.String)


# Only these can hold a citation or a model: scalars are not descended into (most of a record's values).
_NESTED = (BaseModel, dict, list)


def _cited(node: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(node, BaseModel):
        for name, cites in _plan(type(node)):
            value = getattr(node, name)
            if cites and isinstance(value, str):
                yield (*path, name), value
            elif isinstance(value, _NESTED):
                yield from _cited(value, (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, _NESTED):
                yield from _cited(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, _NESTED):
                yield from _cited(value, (*path, i))


_PLANS: dict[type, tuple[tuple[str, bool], ...]] = {}


def _plan(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """A model's fields in declaration order but `sources` (definitions, not citations), each with
    whether it cites a source (`source`, `via`, except in a Source itself)."""
    plan = _PLANS.get(model)
    if plan is None:
        in_source = issubclass(model, Source)
        plan = tuple((n, n in ("source", "via") and not in_source) for n in model.model_fields if n != "sources")
        _PLANS[model] = plan
    return plan


def cited_sources(country: Country, cited: Iterable[str] | None = None) -> list[str]:
    """The source ids a record cites, in order of first citation (its own definitions' `cited_in` too).

    `cited`: the ids of its citation rows, in order, when already walked."""
    seen: dict[str, None] = {}
    for key in cited if cited is not None else (key for _, key in _cited(country, ())):
        seen.setdefault(key, None)
    for s in country.sources.values():
        if s.cited_in:
            seen.setdefault(s.cited_in, None)
    return list(seen)


def _observations_rows(r: Record) -> list[dict[str, Any]]:
    rows = []
    for scenario, path, metric, obs in all_observations(r.country):
        quantity = registry.metrics()[metric].quantity
        base = {
            "country": r.country.code,
            "scenario": scenario,
            "metric": metric,
            "quantity": quantity,
            "year": obs.year,
            "reported_in": obs.reported_in,
            "kind": obs.kind,
            "part": obs.part or "",
            "method": obs.method or "",
        }
        rows.append({**_where(r, path), **base, **_numbers(obs), "unit": obs.unit, "primary": True})
        for j, alt in enumerate(obs.alternatives):
            dated = alt.year is not None or alt.reported_in is not None
            rows.append(
                {
                    **_where(r, (*path, "alternatives", j)),
                    **base,
                    **({"year": alt.year, "reported_in": alt.reported_in} if dated else {}),
                    **_numbers(alt),
                    "unit": alt.unit or obs.unit,
                    "primary": False,
                }
            )
    return rows


_OBSERVATIONS = _schema(
    country=pl.String,
    scenario=pl.String,
    metric=pl.String,
    quantity=pl.String,
    year=pl.Int64,
    reported_in=pl.Int64,
    kind=pl.String,
    part=pl.String,
    method=pl.String,
    value=pl.Float64,
    low=pl.Float64,
    high=pl.Float64,
    unit=pl.String,
    primary=pl.Boolean,
)


def _instruments_rows(r: Record) -> list[dict[str, Any]]:
    rows = []
    for scenario, path, key, inst in _all_instruments(r.country):
        kind = registry.instruments()[key]
        readings = [(path, inst.status, inst.level)]
        if inst.codebook is not None:
            readings.append(((*path, "codebook"), inst.codebook.status, inst.codebook.level))
        for where, status, level in readings:
            rows.append(
                {
                    **_where(r, where),
                    "country": r.country.code,
                    "scenario": scenario,
                    "instrument": key,
                    "scale": kind.scale,
                    "status": status,
                    "level": level,
                    "since": inst.since,
                }
            )
    return rows


_INSTRUMENTS = _schema(
    country=pl.String,
    scenario=pl.String,
    instrument=pl.String,
    scale=pl.String,
    status=pl.String,
    level=pl.String,
    since=pl.Int64,
)


def _walk(node: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    """Every model inside a node, with its path."""
    if isinstance(node, BaseModel):
        yield path, node
        for name in type(node).model_fields:
            value = getattr(node, name)
            if isinstance(value, _NESTED):
                yield from _walk(value, (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, _NESTED):
                yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, _NESTED):
                yield from _walk(value, (*path, i))


def _amounts_rows(r: Record) -> list[dict[str, Any]]:
    """Money given inside instruments: caps, minimum spends, budget bounds, funds and budgets."""
    rows = []
    for _, path, _, inst in _all_instruments(r.country):
        for where, node in _walk(inst, path):
            if isinstance(node, Amount | Money):
                rows.append({**_where(r, where), **_numbers(node), "currency": node.currency})
    return rows


_AMOUNTS = _schema(value=pl.Float64, low=pl.Float64, high=pl.Float64, currency=pl.String)


def _rates_rows(r: Record) -> list[dict[str, Any]]:
    """Percentages given inside instruments: tax rates, rebate tiers, caps and limits as shares of a budget."""
    rows = []
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
        for where, node in _walk(inst.rebates, (*path, "rebates")):
            if isinstance(node, RateTier):
                rows.append({**_where(r, where), **_numbers(node), "from_year": None, "to_year": None})
            share = getattr(node, "share_of_budget", None) or getattr(node, "share_of_budget_max", None)
            if share is not None:
                rows.append(
                    {
                        **_where(r, where),
                        "value": share,
                        "low": None,
                        "high": None,
                        "from_year": None,
                        "to_year": None,
                    }
                )
    return rows


_RATES = _schema(value=pl.Float64, low=pl.Float64, high=pl.Float64, from_year=pl.Int64, to_year=pl.Int64)


def _dates_rows(r: Record) -> list[dict[str, Any]]:
    """Every year and date written inside instruments, for the plausibility rule."""
    rows = []
    for _, path, _, inst in _all_instruments(r.country):
        for detail_path, detail in _details(path, inst):
            for name in ("date", "year", "since", "until", "start", "expiry"):
                value = getattr(detail, name, None)
                if isinstance(value, dt.date | int):
                    year = value.year if isinstance(value, dt.date) else value
                    rows.append({**_where(r, (*detail_path, name)), "year": year})
    return rows


_DATES = _schema(year=pl.Int64)


def all_observations(c: Country) -> Iterator[tuple[str, FieldPath, str, Observation]]:
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


# What each rule frame holds of one record: its rows and their columns.
ROWS: dict[str, tuple[Callable[[Record], list[dict[str, Any]]], dict[str, Any]]] = {
    "countries": (_country_rows, _COUNTRIES),
    "sources": (_source_rows, _SOURCES),
    "citations": (_citation_rows, _CITATIONS),
    "observations": (_observations_rows, _OBSERVATIONS),
    "instruments": (_instruments_rows, _INSTRUMENTS),
    "amounts": (_amounts_rows, _AMOUNTS),
    "rates": (_rates_rows, _RATES),
    "dates": (_dates_rows, _DATES),
}
