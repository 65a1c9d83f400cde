"""Flatten validated records into Polars frames for the dataset-wide rules.

Every row keeps `file`, `line`, `column` and `field`, so that a rule failing on a row can be reported
where the contributor wrote it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from pydantic import BaseModel

from benchmark import registry
from benchmark.records.bibliography import Entry
from benchmark.records.models import Amount, Country, Instrument, Money, Observation, RateTier, Source
from benchmark.records.read import Document, FieldPath, dotted


@dataclass(frozen=True)
class Record:
    """A file that passed layer 1: its document (for positions), its model and its name stem."""

    doc: Document
    country: Country
    stem: str
    shared: dict[str, Source] = field(default_factory=dict)  # the bibliography's entries this record cites


def _where(rec: Record, path: FieldPath) -> dict[str, Any]:
    line, col = rec.doc.position(path)
    return {"file": rec.doc.file, "line": line, "column": col, "field": dotted(path), "path": json.dumps(path)}


def countries(records: list[Record], entries: dict[str, Entry]) -> pl.DataFrame:
    rows = [
        {
            **_where(r, ("code",)),
            "code": r.country.code,
            "level": r.country.level,
            "parent": r.country.parent,
            "stem": r.stem,
            "groupings": sorted(r.country.groupings),
            "registry_groupings": ", ".join(registry.memberships(r.country.code)) or "none",
        }
        for r in records
    ]
    frame = pl.DataFrame(
        rows,
        schema=_schema(
            code=pl.String,
            level=pl.String,
            parent=pl.String,
            stem=pl.String,
            groupings=pl.List(pl.String),
            registry_groupings=pl.String,
        ),
    )
    others = frame.group_by("code").agg(pl.col("file").sort().alias("files"))
    countries = set(frame.filter(pl.col("level") == "country")["code"].to_list())
    return frame.join(others, on="code", how="left").with_columns(
        pl.col("files").list.set_difference(pl.concat_list(pl.col("file"))).list.join(", ").alias("other_files"),
        pl.col("parent").is_in(list(countries)).alias("parent_has_record"),
    )


def _fingerprint(s: Source) -> str:
    return json.dumps(s.model_dump(mode="json", exclude={"accessed"}), sort_keys=True, ensure_ascii=False)


def _publication(s: Source) -> str:
    """What makes two entries the same publication, whatever their ids."""
    return json.dumps([s.publisher.casefold(), s.title.casefold(), s.year, (s.url or "").rstrip("/")])


def sources(records: list[Record], entries: dict[str, Entry]) -> pl.DataFrame:
    """Every source definition: the bibliography's files and the records' own `sources` blocks."""
    shared_ids = set(entries)
    rows = []
    for e in entries.values():
        rows.append(_source_row(e.doc, (), e.id, e.source, shared=True, known=shared_ids))
    for r in records:
        known = shared_ids | set(r.country.sources)
        for key, s in r.country.sources.items():
            rows.append(_source_row(r.doc, ("sources", key), key, s, shared=False, known=known))
    frame = pl.DataFrame(
        rows,
        schema=_schema(
            key=pl.String,
            url=pl.String,
            year=pl.Int64,
            accessed=pl.Date,
            cited_in=pl.String,
            cited_in_defined=pl.Boolean,
            fingerprint=pl.String,
            publication=pl.String,
            shared=pl.Boolean,
            fields=pl.String,
        ),
    )
    shared = frame.filter(pl.col("shared"))
    by_publication = shared.group_by("publication").agg(pl.col("key").first().alias("shared_id"))
    local = frame.filter(~pl.col("shared"))
    return (
        frame.join(by_publication, on="publication", how="left")
        .join(
            local.group_by("key").agg(
                pl.col("file").sort().alias("defined_in"), pl.col("fingerprint").n_unique().alias("definitions")
            ),
            on="key",
            how="left",
        )
        .with_columns(
            (~pl.col("shared") & pl.col("key").is_in(list(shared_ids))).alias("clashes_with_shared"),
            pl.col("defined_in")
            .list.set_difference(pl.concat_list(pl.col("file")))
            .list.join(", ")
            .alias("other_files"),
            _differing_fields(local).alias("differs"),
            pl.col("key").unique().sort().implode().over("publication").list.join(", ").alias("publication_ids"),
        )
    )


def _differing_fields(local: pl.DataFrame) -> pl.Expr:
    """For a local id defined in several records: the fields whose values differ, named."""
    differing: dict[str, str] = {}
    for key, group in local.group_by("key"):
        if group.height < 2:
            continue
        values = [json.loads(f) for f in group["fields"].to_list()]
        names = sorted({k for v in values for k in v if len({json.dumps(x.get(k)) for x in values}) > 1})
        differing[str(key[0])] = ", ".join(names) or "none (identical definitions)"
    return pl.col("key").replace_strict(differing, default=None, return_dtype=pl.String)


def _source_row(
    doc: Document, path: FieldPath, key: str, s: Source, *, shared: bool, known: set[str]
) -> dict[str, Any]:
    line, col = doc.position(path)
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
        "cited_in_defined": s.cited_in is None or s.cited_in in known,
        "fingerprint": _fingerprint(s),
        "publication": _publication(s),
        "shared": shared,
        "fields": json.dumps(s.model_dump(mode="json", exclude={"accessed"}), ensure_ascii=False),
    }


def citations(records: list[Record], entries: dict[str, Entry]) -> pl.DataFrame:
    """Every source id a record cites (`source`, `via`, `also`), wherever it is cited."""
    rows = []
    for r in records:
        known = set(entries) | set(r.country.sources)
        for path, key in _cited(r.country, ()):
            rows.append({**_where(r, path), "source": key, "defined": key in known, "attribute": str(path[-1])})
    return pl.DataFrame(rows, schema=_schema(source=pl.String, defined=pl.Boolean, attribute=pl.String))


def _cited(node: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            value = getattr(node, name)
            if name in ("source", "via") and isinstance(value, str) and not isinstance(node, Source):
                yield (*path, name), value
            elif name != "sources":
                yield from _cited(value, (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _cited(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _cited(value, (*path, i))


def cited_sources(country: Country) -> list[str]:
    """The source ids a record cites, in order of first citation (its own definitions' `cited_in` too)."""
    seen: dict[str, None] = {}
    for _, key in _cited(country, ()):
        seen.setdefault(key, None)
    for s in country.sources.values():
        if s.cited_in:
            seen.setdefault(s.cited_in, None)
    return list(seen)


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
    return pl.DataFrame(
        rows,
        schema=_schema(
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
        ),
    )


def instruments(records: list[Record]) -> pl.DataFrame:
    rows = []
    for r in records:
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
        ),
    )


def _walk(node: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    """Every model inside a node, with its path."""
    if isinstance(node, BaseModel):
        yield path, node
        for name in type(node).model_fields:
            yield from _walk(getattr(node, name), (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, (*path, i))


def amounts(records: list[Record]) -> pl.DataFrame:
    """Money given inside instruments: caps, minimum spends, budget bounds, funds and budgets."""
    rows = []
    for r in records:
        for _, path, _, inst in _all_instruments(r.country):
            for where, node in _walk(inst, path):
                if isinstance(node, Amount | Money):
                    rows.append({**_where(r, where), **_numbers(node), "currency": node.currency})
    return pl.DataFrame(rows, schema=_schema(value=pl.Float64, low=pl.Float64, high=pl.Float64, currency=pl.String))


def rates(records: list[Record]) -> pl.DataFrame:
    """Percentages given inside instruments: tax rates, rebate tiers, caps and limits as shares of a budget."""
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
    return pl.DataFrame(
        rows, schema=_schema(value=pl.Float64, low=pl.Float64, high=pl.Float64, from_year=pl.Int64, to_year=pl.Int64)
    )


def dates(records: list[Record]) -> pl.DataFrame:
    """Every year and date written inside instruments, for the plausibility rule."""
    rows = []
    for r in records:
        for _, path, _, inst in _all_instruments(r.country):
            for detail_path, detail in _details(path, inst):
                for name in ("date", "year", "since", "until", "start", "expiry"):
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


def _schema(**columns: Any) -> dict[str, Any]:
    return {"file": pl.String, "line": pl.Int64, "column": pl.Int64, "field": pl.String, "path": pl.String, **columns}
