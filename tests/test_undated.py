"""A figure whose source gives no year is never shown, exported or scored as a figure of the report's year."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from helpers import BASE, cli, write_records

# The fixture's share of GDP (~1%, an estimate) made undated: the source reported it in 2026, with no year.
DATED = '      year: 2025\n      kind: estimate\n      source: ciaq-concept-2026\n      at: "§3.9"\n'
UNDATED = DATED.replace("      year: 2025\n", '      reported_in: 2026\n      undated: "the source gives no year"\n')
# And an older dated share of another method, to show which one a ranking takes.
OLDER = '    - {value: 4, unit: percent, year: 2019, method: "a broad test method", source: ciaq-concept-2026}\n'


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    assert DATED in BASE
    text = BASE.replace(DATED, UNDATED, 1).replace("  gdp:\n", OLDER + "  gdp:\n", 1)
    root = tmp_path_factory.mktemp("undated")
    folder = write_records(root / "countries", KGZ=text)
    url = f"sqlite:///{root / 'store.sqlite'}"
    loaded = cli("load", str(folder), "--database-url", url)
    assert loaded.code == 0, loaded.out
    return root, url


def _share(url: str, *args: str) -> dict:
    result = cli("rank", "--profile", "economic-weight", "--format", "json", "--database-url", url, *args)
    assert result.code == 0, result.err
    row = next(r for r in json.loads(result.out) if r["country"] == "KGZ")
    return next(i for i in row["indicators"] if i["indicator"] == "ci_gdp_share")


def test_an_undated_figure_counts_from_the_year_before_its_report_and_says_so(store: tuple[Path, str]) -> None:
    _, url = store
    got = _share(url, "--as-of", "2025")
    assert got["value"] == pytest.approx(1.0) and got["year"] is None
    assert "undated" in got["note"] and "2026" in got["note"]


def test_before_that_only_a_dated_figure_counts(store: tuple[Path, str]) -> None:
    _, url = store
    got = _share(url, "--as-of", "2024")  # an undated figure reported in 2026 may describe 2025
    assert got["value"] == pytest.approx(4.0) and got["year"] == 2019  # the older, other method: all there is


def test_the_export_keeps_it_undated(store: tuple[Path, str], tmp_path: Path) -> None:
    _, url = store
    out = tmp_path / "export"
    assert cli("export", "--output", str(out), "--database-url", url).code == 0
    rows = list(csv.DictReader((out / "observations.csv").open(encoding="utf-8")))
    share = next(r for r in rows if r["metric"] == "ci_gdp_share" and r["method"] == "")
    assert share["year"] == "" and share["reported_in"] == "2026" and share["undated"] == "the source gives no year"


def test_the_site_shows_it_as_undated_in_every_language(store: tuple[Path, str], tmp_path: Path) -> None:
    _, url = store
    site = tmp_path / "site"
    built = cli("build", "--output", str(site), "--database-url", url)
    assert built.code == 0, built.err
    words = {"en": "undated", "ru": "без года", "kk": "жылы көрсетілмеген"}
    for lang, word in words.items():
        page = (site / lang / "countries" / "KGZ.html").read_text(encoding="utf-8")
        assert word in page and "2026" in page, lang
