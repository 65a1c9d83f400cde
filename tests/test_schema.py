"""The published JSON Schemas are generated from the code and must not go stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DATA, ROOT, cli

from benchmark import registry
from benchmark.records.schema_export import generated


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
    for path in sorted((DATA / "countries").rglob("*.yaml")):
        depth = len(path.relative_to(DATA).parts) - 1
        expected = "# yaml-language-server: $schema=" + "../" * depth + "schemas/country.schema.json"
        assert path.read_text(encoding="utf-8").splitlines()[0] == expected, path


def test_schemas_check_reports_a_stale_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmark.records.schema_export as export

    assert cli("schemas", "--check").code == 0
    stale = tmp_path / "schemas"
    stale.mkdir()
    (stale / "country.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(export, "SCHEMA_DIR", stale)
    result = cli("schemas", "--check")
    assert result.code == 1 and "schemas/country.schema.json is stale" in result.err
    assert (stale / "country.schema.json").read_text(encoding="utf-8") == "{}"  # --check writes nothing


def test_every_problem_code_is_documented() -> None:
    """Each dataset rule's name, and each code the record models and the reader raise, is in schemas/README."""
    import re

    from benchmark.records.rules import RULES

    readme = (ROOT / "schemas" / "README.md").read_text(encoding="utf-8")
    sources = "".join(
        (ROOT / "benchmark" / "records" / name).read_text(encoding="utf-8")
        for name in ("models.py", "read.py", "structure.py", "bibliography.py")
    )
    codes = {r.name for r in RULES} | set(re.findall(r'raise Rule\(\s*"([a-z-]+)"', sources))
    codes |= set(re.findall(r'"((?:[a-z]+-)+[a-z]+)",?\n\s*\)', sources))  # the reader's and structure's codes
    missing = sorted(c for c in codes if f"`{c}`" not in readme)
    assert not missing, f"document these codes in schemas/README.md: {missing}"


def test_a_dataset_rule_reports_its_own_name(tmp_path: Path) -> None:
    import json

    from helpers import BASE, write_records

    folder = write_records(tmp_path / "countries", KGZ=BASE.replace("    - value: 1\n", "    - value: 140\n", 1))
    result = cli("validate", str(folder), "--format", "json")
    assert result.code == 1
    assert "share-is-a-percentage" in {p["code"] for p in json.loads(result.out)}
