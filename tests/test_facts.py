"""The store read as frames: the fast SQLite reader and the SQLAlchemy reader agree, column for column."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlmodel import SQLModel

from benchmark.store import facts as facts_module
from benchmark.store import layout, tables
from benchmark.store.facts import LAYOUT, Facts, _read_with_sqlalchemy, read_facts


def test_both_readers_give_the_same_frames(real_store: str) -> None:
    fast, general = read_facts(real_store), _read_with_sqlalchemy(real_store)
    for field in dataclasses.fields(fast):
        a, b = getattr(fast, field.name), getattr(general, field.name)
        assert a.schema == b.schema, field.name
        assert a.equals(b), field.name
    records = len(list((Path(__file__).parent.parent / "countries").rglob("*.yaml")))
    assert fast.observations.height > 0 and fast.countries.height == records


def test_the_layout_is_the_layout_of_the_tables() -> None:
    """frame_layout.py is what `python -m benchmark.store.layout` writes from tables.py today."""
    stale = "benchmark/store/frame_layout.py is stale: run `python -m benchmark.store.layout`"
    assert layout.GENERATED.read_text(encoding="utf-8") == layout.render(), stale
    assert facts_module.SCHEMA_VERSION == tables.SCHEMA_VERSION
    assert list(LAYOUT) == [f.name for f in dataclasses.fields(Facts)]
    for frame, (table, columns) in LAYOUT.items():
        assert list(columns) == [c.name for c in SQLModel.metadata.tables[table].columns], frame


def test_json_columns_read_back_as_written(real_store: str) -> None:
    f = read_facts(real_store)
    are = f.tax_regimes.join(f.instruments.select("id", "country"), left_on="instrument_id", right_on="id")
    free_zone = are.filter(are["country"] == "ARE").row(0, named=True)
    assert free_zone["expiry"] == "indefinite" and free_zone["comparisons"] == ["central-asia-tax"]
    kgz = f.countries.filter(f.countries["code"] == "KGZ").row(0, named=True)
    assert kgz["groupings"] == ["EAEU", "CIS", "Turkic states", "OIC"]
    assert f.rebates["tiers"].drop_nulls().str.starts_with("[").all()
    assert "null" not in f.rebates["since"].drop_nulls().to_list()


def test_a_json_column_says_the_shape_its_annotation_gives() -> None:
    """tables.py states a JSON column's shape beside its Python annotation: the two must agree."""
    shapes = {"list[str]": "texts", "list[dict]": "array", "dict": "object", "Any": "value"}
    for row in tables.FRAMES.values():
        table = row.__table__  # type: ignore[attr-defined]
        for column in table.columns:
            if "json" in column.info:
                annotation = str(row.model_fields[column.name].annotation).replace("typing.", "")
                annotation = annotation.removesuffix(" | None").removeprefix("<class '").removesuffix("'>")
                assert shapes[annotation] == column.info["json"], f"{table.name}.{column.name}: {annotation}"
