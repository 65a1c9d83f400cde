"""Export the store: every frame as CSV, JSON and Parquet, plus a Frictionless Data Package descriptor.

`write_exports(facts, directory)` serves the `export` command and the site's Downloads page. The descriptor
(`datapackage.json`, profile tabular-data-package) lists one resource per CSV file with its Table Schema: field
names, types and descriptions, and the primary and foreign keys, all derived from the store's tables
(benchmark/store/tables.py) but for the exchange-rate frames, declared here.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import polars as pl

from benchmark import __version__
from benchmark.money import ECB_URL, rates_frame, reference_table
from benchmark.store import layout
from benchmark.store.facts import Facts

# The data is CC BY 4.0 (LICENSE-DATA); the code that writes it is MIT. Each source keeps its own terms.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# The exchange-rate frames are not tables of the store (benchmark/money.py makes them): their keys and fields
# are declared here. Every table's come from benchmark/store/tables.py (benchmark.store.layout).
RATE_KEYS: dict[str, list[str]] = {
    "exchange_rates": ["currency", "year", "alternative"],
    "exchange_rates_missing": ["currency", "year"],
}
RATE_FIELDS: dict[str, dict[str, str]] = {
    "exchange_rates": {
        "currency": "ISO 4217 currency code.",
        "year": "The year the rate is the average of.",
        "per_usd": "Units of the currency per US dollar: the year's average (see method).",
        "alternative": "True for another source's rate for the same currency and year, kept beside the one used.",
        "publisher": "Who published it.",
        "title": "Title of the rate's source.",
        "url": "Link to the source, where one exists.",
        "at": "Where in the source the conversion is given.",
        "method": "How the rate was computed, and any caveat.",
    },
    "exchange_rates_missing": {
        "currency": "ISO 4217 currency code.",
        "year": "The year no rate is known for.",
        "reason": "Why no rate is recorded.",
    },
}

RATE_RESOURCES = {
    "exchange_rates": "Annual average exchange rates to the US dollar used to compare money (benchmark/money.py).",
    "exchange_rates_missing": "Currency and year pairs the data uses that no source gives a rate for, with why.",
}


def export_frames(facts: Facts) -> dict[str, pl.DataFrame]:
    """Every frame of Facts and the exchange-rate tables, sorted by primary key for byte-stable output."""
    frames = {f.name: getattr(facts, f.name) for f in fields(facts)}
    frames["exchange_rates"] = rates_frame()
    missing = [{"currency": c, "year": y, "reason": r} for (c, y), r in reference_table().missing.items()]
    schema = {"currency": pl.String(), "year": pl.Int64(), "reason": pl.String()}
    frames["exchange_rates_missing"] = pl.DataFrame(missing, schema=schema, orient="row")
    return {name: frame.sort(_primary_key(name)) for name, frame in frames.items()}


def _primary_key(name: str) -> list[str]:
    return RATE_KEYS[name] if name in RATE_KEYS else layout.primary_key(name)


def write_exports(facts: Facts, directory: Path) -> list[Path]:
    """Write NAME.csv, NAME.json and NAME.parquet for every frame, and datapackage.json; return the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    frames = export_frames(facts)
    written: list[Path] = []
    resources = []
    for name, frame in frames.items():
        nested = _nested_columns(name)
        csv_path, json_path, parquet_path = (directory / f"{name}.{ext}" for ext in ("csv", "json", "parquet"))
        _as_csv(frame).write_csv(csv_path)
        json_path.write_text(_as_json(frame, nested), encoding="utf-8")
        frame.write_parquet(parquet_path)
        written += [csv_path, json_path, parquet_path]
        resources.append(_resource(name, frame, nested))
    descriptor = directory / "datapackage.json"
    descriptor.write_text(json.dumps(_package(facts, resources), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, descriptor]


def _nested_columns(name: str) -> dict[str, str]:
    """Text columns holding JSON: column -> `object` or `array` (scalars kept as JSON text are plain strings)."""
    if name in RATE_KEYS:
        return {}
    shapes = {c.name: c.info.get("json") for c in layout.table_of(name).columns}
    return {column: shape for column, shape in shapes.items() if shape in ("object", "array")}


def _as_csv(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists become JSON arrays in one cell; CSV cannot nest."""
    lists = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
    encoded = [
        pl.Series(c, [None if v is None else json.dumps(list(v), ensure_ascii=False) for v in frame[c].to_list()])
        for c in lists
    ]
    return frame.with_columns(encoded) if encoded else frame


def _as_json(frame: pl.DataFrame, nested: dict[str, str]) -> str:
    rows = frame.to_dicts()
    for row in rows:
        for column in nested:
            if row[column] is not None:
                row[column] = json.loads(row[column])
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


def _field_type(dtype: pl.DataType, nested: str | None) -> str:
    if nested:
        return nested
    if isinstance(dtype, pl.List):
        return "array"
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "number"
    return "boolean" if dtype == pl.Boolean() else "string"


def _resource(name: str, frame: pl.DataFrame, nested: dict[str, str]) -> dict:
    """The resource of one frame: its fields, and its primary and foreign keys, declared whatever the data
    holds (frictionless finds a key the data breaks)."""
    if name in RATE_KEYS:
        about, described, foreign = RATE_RESOURCES[name], RATE_FIELDS[name], []
    else:
        table = layout.table_of(name)
        about, foreign = table.info["description"], layout.foreign_keys(name)
        described = {c.name: layout.description(c) for c in table.columns}
    schema: dict[str, Any] = {
        "fields": [
            {"name": column, "type": _field_type(dtype, nested.get(column)), "description": described[column]}
            for column, dtype in frame.schema.items()
        ],
        "missingValues": [""],
        "primaryKey": _primary_key(name),
    }
    if foreign:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": "" if target == name else target, "fields": field}}
            for column, target, field in foreign
        ]
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": about,
        "schema": schema,
    }


def _edition() -> dict:
    """The released edition the data belongs to (edition.yaml), with its "cite as" line; else the version."""
    from benchmark.publish.edition import read_edition

    edition = read_edition()
    if edition is None:
        return {"version": __version__}
    return {
        "version": str(edition["version"]),
        "created": f"{edition['date']}T00:00:00Z",
        "citation": edition["cite_as"],
    }


def _package(facts: Facts, resources: list[dict]) -> dict:
    cited = [
        {"title": f"{s['publisher']}: {s['title']} ({s['year']})", **({"path": s["url"]} if s["url"] else {})}
        for s in facts.sources.sort("key").iter_rows(named=True)
    ]
    ecb = {"title": "European Central Bank: euro foreign exchange reference rates", "path": ECB_URL}
    return {
        "profile": "tabular-data-package",
        "name": "creative-industries-policy-benchmark",
        "title": "Creative-industries policy benchmark",
        "description": "How countries support their creative industries: policy instruments, metrics with their "
        "year and source, and the exchange rates used to compare money. Each table is also written as JSON and "
        "Parquet beside its CSV. Empty cells are missing values; missing is not zero.",
        **_edition(),
        "licenses": [LICENSE],
        "sources": [*cited, ecb],
        "resources": resources,
    }
