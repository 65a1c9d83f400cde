"""Kazakhstan's regions: the same engine as countries, never mixed with them unless asked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DATA, cli

REGIONS = {"KZ-63", "KZ-71", "KZ-75"}


@pytest.fixture(scope="module")
def url(real_store: str) -> str:
    return real_store


def _ranked(*args: str, url: str) -> list[dict]:
    result = cli("rank", *args, "--format", "json", "--database-url", url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_the_regional_profile_ranks_the_three_regions_only(url: str) -> None:
    rows = _ranked("--profile", "kazakhstan-regions", url=url)
    assert {r["country"] for r in rows} == REGIONS
    assert sorted(r["rank"] for r in rows) == [1, 2, 3]


def test_country_profiles_never_rank_regions_unless_asked(url: str) -> None:
    countries = _ranked("--profile", "economic-weight", url=url)
    assert not REGIONS & {r["country"] for r in countries}
    together = _ranked("--profile", "kazakhstan-regions", "--level", "all", url=url)
    codes = {r["country"] for r in together}
    assert codes >= REGIONS and "KAZ" in codes and "GBR" in codes


def test_level_must_be_a_known_level(url: str) -> None:
    result = cli("rank", "--level", "province", "--database-url", url)
    assert result.code == 2 and "expected country, region or all" in result.err


def test_a_region_is_found_by_its_former_iso_code(url: str) -> None:
    result = cli("show", "KZ-VOS", "--format", "json", "--database-url", url)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert json.dumps(data, ensure_ascii=False).count("KZ-63") >= 1


def test_each_region_has_its_2018_to_2023_series_with_sources() -> None:
    import yaml

    for path in sorted((DATA / "countries" / "KAZ" / "regions").glob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert record["level"] == "region" and record["parent"] == "KAZ"
        for metric in ("ci_gva", "gdp", "ci_gdp_share"):
            years = {o["year"] for o in record["metrics"][metric] if o.get("kind", "observed") == "observed"}
            assert set(range(2018, 2024)) <= years, (path.name, metric, years)
            assert all(o.get("source") for o in record["metrics"][metric]), (path.name, metric)


def test_regions_directory_is_found_by_a_full_validation(tmp_path: Path) -> None:
    result = cli("validate", str(DATA / "countries"))
    assert result.code == 0
    assert f"ok: {len(list((DATA / 'countries').rglob('*.yaml')))} record(s) valid" in result.out
