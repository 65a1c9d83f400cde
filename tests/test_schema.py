"""The published JSON Schemas are generated from the code and must not go stale."""

from __future__ import annotations

import json

from helpers import ROOT

from benchmark import registry
from benchmark.schema_export import generated


def test_committed_schemas_match_the_code() -> None:
    for name, text in generated().items():
        committed = (ROOT / "schemas" / name).read_text(encoding="utf-8")
        assert committed == text, f"schemas/{name} is stale: run `python cli.py schemas` and commit the result"


def test_the_country_schema_names_every_metric_and_instrument() -> None:
    schema = json.loads(generated()["country.schema.json"])
    props = schema["properties"]
    assert props["metrics"]["propertyNames"]["enum"] == sorted(registry.metrics())
    assert props["instruments"]["propertyNames"]["enum"] == sorted(registry.instruments())
    assert props["code"]["pattern"].startswith("^")
    assert schema["additionalProperties"] is False


def test_every_record_points_editors_at_the_schema() -> None:
    for path in sorted((ROOT / "countries").rglob("*.yaml")):
        depth = len(path.relative_to(ROOT).parts) - 1
        expected = "# yaml-language-server: $schema=" + "../" * depth + "schemas/country.schema.json"
        assert path.read_text(encoding="utf-8").splitlines()[0] == expected, path
