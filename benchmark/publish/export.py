"""Export the store: every frame as CSV, JSON and Parquet, plus a Frictionless Data Package descriptor.

`write_exports(facts, directory)` serves the `export` command and the site's Downloads page. The descriptor
(`datapackage.json`, profile tabular-data-package) lists one resource per CSV file with its Table Schema: field
names, types and descriptions, and the primary and foreign keys that hold in the data written.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import polars as pl

from benchmark import __version__
from benchmark.money import ECB_URL, rates_frame, reference_table
from benchmark.store import tables
from benchmark.store.facts import LAYOUT, Facts

# The data is CC BY 4.0 (LICENSE-DATA); the code that writes it is MIT. Each source keeps its own terms.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

PRIMARY_KEYS: dict[str, list[str]] = {
    "countries": ["code"], "observations": ["id"], "instruments": ["id"], "tax_regimes": ["id"], "tax_rates": ["id"],
    "rebates": ["id"], "laws": ["id"], "bodies": ["id"], "scenarios": ["country", "key"], "sources": ["key"],
    "exchange_rates": ["currency", "year", "alternative"], "exchange_rates_missing": ["currency", "year"],
}  # fmt: skip

# (resource, field) -> (referenced resource, referenced field); declared only where every value is found.
FOREIGN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("countries", "parent"): ("countries", "code"),
    ("observations", "country"): ("countries", "code"),
    ("observations", "alternative_of"): ("observations", "id"),
    ("observations", "source"): ("sources", "key"),
    ("instruments", "country"): ("countries", "code"),
    ("instruments", "source"): ("sources", "key"),
    ("tax_regimes", "instrument_id"): ("instruments", "id"),
    ("tax_regimes", "source"): ("sources", "key"),
    ("tax_rates", "regime_id"): ("tax_regimes", "id"),
    ("rebates", "instrument_id"): ("instruments", "id"),
    ("rebates", "source"): ("sources", "key"),
    ("laws", "instrument_id"): ("instruments", "id"),
    ("laws", "source"): ("sources", "key"),
    ("bodies", "instrument_id"): ("instruments", "id"),
    ("bodies", "source"): ("sources", "key"),
    ("scenarios", "country"): ("countries", "code"),
    ("scenarios", "source"): ("sources", "key"),
    ("sources", "cited_in"): ("sources", "key"),
}

RESOURCES = {
    "countries": "One row per country or region record (countries/*.yaml).",
    "observations": "Measured values (metrics): one row per observation; other sources' readings have alternative_of.",
    "instruments": "Policy instruments: status (or level) of each instrument of each record.",
    "tax_regimes": "Tax regimes of the tax-incentive instruments.",
    "tax_rates": "The rates of each tax regime.",
    "rebates": "Film rebates and credits.",
    "laws": "Laws, decrees and strategies behind an instrument.",
    "bodies": "Agencies, funds, councils, zones, parks, hubs and programmes behind an instrument.",
    "scenarios": "Named variants of a record (what a draft concept proposes); their facts have `scenario` set.",
    "sources": "The bibliography: every publication a fact cites.",
    "exchange_rates": "Annual average exchange rates to the US dollar used to compare money (benchmark/money.py).",
    "exchange_rates_missing": "Currency and year pairs the data uses that no source gives a rate for, with why.",
}

DESCRIPTIONS: dict[str, str] = {
    "code": "ISO 3166-1 alpha-3 code of a country, or ISO 3166-2 code of a region.",
    "level": "country or region (for instruments: low, medium or high, for level instruments such as ip_protection).",
    "parent": "For a region, the ISO3 code of its country.",
    "name_en": "Name in English.",
    "name_ru": "Name in Russian.",
    "name_kk": "Name in Kazakh.",
    "region": "World region of the benchmark (Central Asia, Europe, ...).",
    "groupings": "Memberships (EAEU, EU, OECD, ...), as a JSON array.",
    "former_codes": "ISO 3166-2 codes since replaced, as a JSON array.",
    "caveats": "Methodological warnings about the record as a whole (text, source, at), as a JSON array.",
    "file": "The country file the record was loaded from.",
    "content_hash": "Hash of the file's content when loaded.",
    "id": "Row identifier within this export.",
    "country": "Code of the record the row belongs to (countries.code).",
    "scenario": "Empty for the observed record; otherwise the scenario's key (scenarios.key).",
    "metric": "Metric identifier (benchmark/registry/metrics.yaml).",
    "position": "Order of the row within its list in the country file.",
    "alternative_of": "For another source's reading of a fact: the id of that fact's observation.",
    "value": "The value as given (before scale); empty for a range or an unknown value.",
    "unknown": "True when the value is unknown (see reason); missing is not zero.",
    "low": "Lower bound of a range.",
    "high": "Upper bound of a range.",
    "qualifier": "exact, about (~), at_least (+) or at_most (≤).",
    "central": "The value, or the midpoint of a range, times the scale: the number comparisons use.",
    "unit": "percent, persons, count, rank, ratio, years, or an ISO 4217 currency code for money.",
    "scale": "one, thousand, million, billion or trillion.",
    "year": "The year the value describes (the last year, for a period).",
    "from_year": "The first year, when the value covers a period.",
    "kind": "observed, estimate, target or projection (for laws: dedicated, amendments, sectoral, decree, strategy).",
    "part": "A breakdown's part, or the named body a figure belongs to.",
    "method": "A methodology variant when one source gives several.",
    "reason": "Why a value or status is unknown.",
    "source": "Identifier of the source the fact cites (sources.key).",
    "at": "Where in the source: section, table, page.",
    "note": "Caveats, the original wording, a conversion the source gives.",
    "instrument": "Instrument identifier (benchmark/registry/instruments.yaml).",
    "status": "present, absent, partial, planned or unknown.",
    "since": "The year (or date) it came into force, when known.",
    "summary": "A one-line summary of the instrument in this country.",
    "instrument_id": "The instrument this row details (instruments.id).",
    "name": "Name as the source gives it.",
    "jurisdiction": "Where the regime applies.",
    "headline": "The rate as the source states it.",
    "replaces": "The taxes the regime replaces, as a JSON array.",
    "eligibility": "Who may use the regime.",
    "start": "When the regime starts (a date or a year).",
    "expiry": "When the regime ends: a date, a year or indefinite.",
    "term": "The regime's term as the source words it.",
    "comparisons": "Comparison tables the regime appears in (central-asia-tax), as a JSON array.",
    "regime_id": "The tax regime of this rate (tax_regimes.id).",
    "base": "What the rate applies to (revenue, profit, ...).",
    "to_year": "The last year the rate applies.",
    "form": "cash_rebate, refundable_credit, transferable_credit, tax_credit, tax_relief, investment_scheme or grant.",
    "administrator": "Who runs the programme.",
    "conditions": "Other conditions of the programme, in words.",
    "kinds": "Kinds of production the programme admits (feature, series, animation, documentary, game), as JSON.",
    "tiers": "The programme's rates as a JSON array of tiers (value or low/high in percent, applies_to, adds, ...).",
    "caps": 'Ceilings as a JSON array (per, amount or share_of_budget, on), or "none" when the source says none.',
    "minimum_spend": 'Minimum spends as a JSON array (of, amount), or "none" when the source says none.',
    "qualifying": "What the rate applies to, as a JSON object (basis, share_of_budget_max).",
    "fund": "The programme's annual fund, as a JSON object (value, currency, scale, per, year).",
    "until": "When the programme ends (a date or a year).",
    "reported_in": "For an undated figure: the year its source reported it (never the year it describes).",
    "undated": "For an undated figure: why it has no year.",
    "via": "The source through which the citation reached us, when the original was not read (sources.key).",
    "also": "Other sources that state the same fact, as a JSON array of {source, at}.",
    "codebook": "The codebook's reading where it differs from table 3.20, as a JSON object (status or level, rule).",
    "terms": "The source's licence or terms of use, as its publisher states them.",
    "lang": "The source's language (ISO 639).",
    "shared": "True for a publication of the shared bibliography (sources/), false for one a record defines.",
    "title": "Title as the source words it.",
    "number": "The law's number.",
    "date": "The law's date.",
    "role": "agency, fund, council, zone, park, programme, centre, hub, ...",
    "budget": "The body's budget as a JSON object: value or low/high, currency, scale, per, year.",
    "description": "Description.",
    "key": "Identifier.",
    "publisher": "Who published it.",
    "cited_in": "The source through which this one reached us (sources.key).",
    "accessed": "When the source was accessed.",
    "currency": "ISO 4217 currency code.",
    "per_usd": "Units of the currency per US dollar: the year's average (see method).",
    "alternative": "True for another source's rate for the same currency and year, kept beside the one used.",
    "url": "Link to the source, where one exists.",
}
OVERRIDES: dict[tuple[str, str], str] = {
    ("scenarios", "key"): "The scenario's identifier within its country (CODE:key names it on the command line).",
    ("scenarios", "title"): "Title in en/ru/kk, as a JSON object.",
    ("scenarios", "source"): "Identifier of the source the scenario follows (sources.key).",
    ("sources", "key"): "The source's identifier, cited by facts as `source`.",
    ("sources", "title"): "The citation as the source words it.",
    ("sources", "year"): "Year of publication.",
    ("instruments", "level"): "For level instruments (ip_protection): low, medium, high or unknown.",
    ("laws", "year"): "The law's year, when no date is given.",
    ("laws", "kind"): "dedicated, amendments, sectoral, decree or strategy.",
    ("exchange_rates", "year"): "The year the rate is the average of.",
    ("exchange_rates", "title"): "Title of the rate's source.",
    ("exchange_rates", "at"): "Where in the source the conversion is given.",
    ("exchange_rates", "method"): "How the rate was computed, and any caveat.",
    ("exchange_rates_missing", "year"): "The year no rate is known for.",
    ("exchange_rates_missing", "reason"): "Why no rate is recorded.",
    ("rebates", "unknown"): "Rules looked for and not found, each with what was searched, as a JSON object.",
    ("rebates", "since"): "When the programme started (a date or a year).",
    ("tax_rates", "value"): "Rate in percent; empty for a range.",
    ("tax_rates", "from_year"): "The first year the rate applies.",
}


def export_frames(facts: Facts) -> dict[str, pl.DataFrame]:
    """Every frame of Facts and the exchange-rate tables, sorted by primary key for byte-stable output."""
    frames = {f.name: getattr(facts, f.name) for f in fields(facts)}
    frames["exchange_rates"] = rates_frame()
    missing = [{"currency": c, "year": y, "reason": r} for (c, y), r in reference_table().missing.items()]
    schema = {"currency": pl.String(), "year": pl.Int64(), "reason": pl.String()}
    frames["exchange_rates_missing"] = pl.DataFrame(missing, schema=schema, orient="row")
    return {name: frame.sort(PRIMARY_KEYS[name]) if name in PRIMARY_KEYS else frame for name, frame in frames.items()}


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
        resources.append(_resource(name, frame, nested, frames))
    descriptor = directory / "datapackage.json"
    descriptor.write_text(json.dumps(_package(facts, resources), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [*written, descriptor]


def _nested_columns(name: str) -> dict[str, str]:
    """Text columns holding JSON: column -> `object` or `array` (scalars kept as JSON text are plain strings)."""
    table = _row_classes().get(LAYOUT[name][0]) if name in LAYOUT else None
    if table is None:
        return {}
    out = {}
    for column, info in table.model_fields.items():
        annotation = str(info.annotation)
        if annotation in ("dict", "dict | None", "<class 'dict'>", "typing.Optional[dict]"):
            out[column] = "object"
        elif annotation.startswith("list[dict"):
            out[column] = "array"
    return out


def _row_classes() -> dict[str, Any]:
    """Table name -> the SQLModel class that writes it (for the annotations of its JSON columns)."""
    found = (getattr(tables, n) for n in dir(tables))
    return {c.__table__.name: c for c in found if isinstance(c, type) and hasattr(c, "__table__")}


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


def _resource(name: str, frame: pl.DataFrame, nested: dict[str, str], frames: dict[str, pl.DataFrame]) -> dict:
    schema: dict[str, Any] = {
        "fields": [
            {
                "name": column,
                "type": _field_type(dtype, nested.get(column)),
                "description": OVERRIDES.get((name, column)) or DESCRIPTIONS.get(column, column.replace("_", " ")),
            }
            for column, dtype in frame.schema.items()
        ],
        "missingValues": [""],
    }
    key = PRIMARY_KEYS.get(name)
    if key and frame.select(key).is_unique().all():
        schema["primaryKey"] = key
    foreign = [
        {"fields": column, "reference": {"resource": "" if target == name else target, "fields": target_field}}
        for (source, column), (target, target_field) in FOREIGN_KEYS.items()
        if source == name and _holds(frame[column], frames[target][target_field])
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": RESOURCES.get(name, name),
        "schema": schema,
    }


def _holds(values: pl.Series, targets: pl.Series) -> bool:
    """Every non-empty value is found among the targets (empty cells reference nothing)."""
    present = values.drop_nulls().filter(values.drop_nulls().cast(pl.String) != "")
    return bool(present.is_in(targets.implode()).all())


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
