"""`export`: CSV, JSON and Parquet for every frame, and a Data Package that frictionless finds valid."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import fields
from pathlib import Path

import polars as pl
import pytest
from frictionless import validate
from helpers import ROOT, cli
from sqlmodel import SQLModel

from benchmark.money import reference_table
from benchmark.publish.export import write_exports
from benchmark.store import layout, tables
from benchmark.store.facts import Facts


@pytest.fixture(scope="module")
def exported(store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out") / "export"
    result = cli("export", "--output", str(folder), "--database-url", store, cwd=ROOT)
    assert result.code == 0, result.err
    return folder


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def test_every_frame_is_written_in_three_formats(exported: Path, facts: Facts) -> None:
    names = [f.name for f in fields(facts)] + ["exchange_rates", "exchange_rates_missing"]
    for name in names:
        for ext in ("csv", "json", "parquet"):
            assert (exported / f"{name}.{ext}").is_file(), f"{name}.{ext}"
    assert [r["path"] for r in descriptor(exported)["resources"]] == [f"{n}.csv" for n in names]


def test_the_data_package_is_valid_for_frictionless(exported: Path) -> None:
    report = validate(exported / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_keys_are_declared_from_the_tables_whatever_the_data(exported: Path) -> None:
    """Every table's primary key and every reference its columns declare are in the package, so that
    frictionless checks them (test above) rather than the export leaving out a key the data breaks."""
    resources = {r["name"]: r["schema"] for r in descriptor(exported)["resources"]}
    for frame in tables.FRAMES:
        table = layout.table_of(frame)
        assert resources[frame]["primaryKey"] == [c.name for c in table.primary_key.columns], frame
        declared = {
            (fk["fields"], fk["reference"]["resource"] or frame, fk["reference"]["fields"])
            for fk in resources[frame].get("foreignKeys", [])
        }
        constraints = {
            (c.name, layout.TABLE_FRAME[fk.column.table.name], fk.column.name)
            for c in table.columns
            for fk in c.foreign_keys
        }
        cites = {(c.name, "sources", "key") for c in table.columns if c.name in ("source", "via")}
        assert constraints | cites <= declared, frame
        assert declared == set(layout.foreign_keys(frame)), frame


def test_keys_the_data_breaks_are_declared_and_caught(facts: Facts, tmp_path: Path) -> None:
    """A key is declared because the tables declare it, not because the data happens to hold it: a fact
    citing a source nobody defines and a source listed twice reach the package, and frictionless says so."""
    first = pl.int_range(pl.len()) == 0
    broken = dataclasses.replace(
        facts,
        observations=facts.observations.with_columns(
            pl.when(first).then(pl.lit("no-such-source")).otherwise(pl.col("source")).alias("source")
        ),
        sources=pl.concat([facts.sources, facts.sources.head(1)]),
    )
    write_exports(broken, tmp_path)
    resources = {r["name"]: r["schema"] for r in descriptor(tmp_path)["resources"]}
    assert resources["sources"]["primaryKey"] == ["key"]
    assert {"fields": "source", "reference": {"resource": "sources", "fields": "key"}} in resources["observations"][
        "foreignKeys"
    ]
    errors = {row[0] for row in validate(tmp_path / "datapackage.json").flatten(["type"])}
    assert {"foreign-key", "primary-key"} <= errors


def test_every_column_is_described_and_exported_as_declared(exported: Path) -> None:
    resources = {r["name"]: r["schema"] for r in descriptor(exported)["resources"]}
    for table in SQLModel.metadata.tables.values():
        for column in table.columns:
            assert str(column.info.get("description", "")).strip(), f"{table.name}.{column.name} has no description"
    described = {r["name"]: r["description"] for r in descriptor(exported)["resources"]}
    for frame in tables.FRAMES:
        columns = layout.table_of(frame).columns
        assert described[frame] == layout.table_of(frame).info["description"], frame
        fields = [(f["name"], f["description"]) for f in resources[frame]["fields"]]
        assert fields == [(c.name, c.info["description"]) for c in columns], frame


def test_frictionless_would_catch_a_broken_foreign_key(exported: Path, tmp_path: Path) -> None:
    """The check has teeth: an observation of a country the export lacks makes the package invalid."""
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in exported.glob("*.csv"):
        (broken / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "datapackage.json").write_text((exported / "datapackage.json").read_text(encoding="utf-8"))
    observations = broken / "observations.csv"
    observations.write_text(observations.read_text(encoding="utf-8").replace(",KGZ,", ",XKX,"), encoding="utf-8")
    report = validate(broken / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {row[0] for row in report.flatten(["type"])}


def test_the_descriptor_describes_fields_keys_licence_and_sources(exported: Path) -> None:
    package = descriptor(exported)
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"  # the data's licence (LICENSE-DATA), not the code's
    assert any("DCMS" in s["title"] for s in package["sources"])
    assert any("European Central Bank" in s["title"] for s in package["sources"])
    resources = {r["name"]: r["schema"] for r in package["resources"]}
    for name, schema in resources.items():
        assert all(f["description"] and f["type"] for f in schema["fields"]), name
        assert schema.get("primaryKey"), name
    observations = resources["observations"]
    types = {f["name"]: f["type"] for f in observations["fields"]}
    assert (types["year"], types["central"], types["unknown"], types["unit"]) == (
        "integer",
        "number",
        "boolean",
        "string",
    )
    references = {fk["fields"]: fk["reference"] for fk in observations["foreignKeys"]}
    assert references["country"] == {"resource": "countries", "fields": "code"}
    assert references["alternative_of"] == {"resource": "", "fields": "id"}
    assert {f["name"]: f["type"] for f in resources["countries"]["fields"]}["groupings"] == "array"
    assert resources["scenarios"]["primaryKey"] == ["country", "key"]


def test_parquet_and_json_hold_the_same_rows(exported: Path, facts: Facts) -> None:
    parquet = pl.read_parquet(exported / "observations.parquet")
    assert parquet.sort("id").equals(facts.observations.sort("id"))
    rebates = json.loads((exported / "rebates.json").read_text(encoding="utf-8"))
    tiers = [r["tiers"] for r in rebates if r["tiers"]]
    assert tiers and all(isinstance(t, list) and "applies_to" in t[0] for t in tiers)  # nested, not JSON text
    countries = json.loads((exported / "countries.json").read_text(encoding="utf-8"))
    assert next(c for c in countries if c["code"] == "KZ-63")["former_codes"] == ["KZ-VOS"]


def test_exchange_rates_are_exported_with_their_sources(exported: Path) -> None:
    rates = pl.read_csv(exported / "exchange_rates.csv")
    kgs = rates.filter((pl.col("currency") == "KGS") & (pl.col("year") == 2025)).row(0, named=True)
    assert kgs["per_usd"] == pytest.approx(83.1818) and "Implied by the study" in kgs["method"]
    missing = pl.read_csv(exported / "exchange_rates_missing.csv")
    assert sorted(missing["currency"].to_list()) == sorted(c for c, _ in reference_table().missing)


def test_write_exports_returns_every_path_and_is_repeatable(facts: Facts, tmp_path: Path) -> None:
    first = write_exports(facts, tmp_path / "a")
    second = write_exports(facts, tmp_path / "b")
    assert first[-1].name == "datapackage.json" and all(p.is_file() for p in first)
    for a, b in zip(first, second, strict=True):  # the site's Downloads page must be byte-stable
        assert a.read_bytes() == b.read_bytes(), a.name
