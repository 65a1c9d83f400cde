"""`rank`, `explain` and `profiles` as an analyst uses them, on a store built from the real countries/."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import BASE, COUNTRY_PROFILES, cli, cli_process, second_record, write_records


@pytest.fixture(scope="module")
def url(real_store: str) -> str:
    return real_store


def ranked(url: str, *args: str) -> list[dict[str, Any]]:
    result = cli("rank", *args, "--format", "json", "--database-url", url)
    assert result.code == 0, result.err
    return json.loads(result.out)


def row(rows: list[dict[str, Any]], code: str, scenario: str | None = None) -> dict[str, Any]:
    return next(r for r in rows if r["country"] == code and r["scenario"] == scenario)


def test_rank_prints_a_table_with_names_scores_and_who_was_left_out(url: str) -> None:
    result = cli("rank", "--profile", "instrument-matrix", "--database-url", url)
    assert result.code == 0, result.err
    assert "Policy instrument matrix (table 3.20): as of 2026" in result.out
    assert "United Kingdom" in result.out and "0.833" in result.out
    assert "Not ranked:" in result.out and "MAR (Morocco)" in result.out


@pytest.mark.parametrize("name", COUNTRY_PROFILES)
def test_json_is_a_list_of_countries_with_score_and_rank(url: str, name: str) -> None:
    rows = ranked(url, "--profile", name)
    assert rows and all({"country", "score", "rank", "indicators"} <= r.keys() for r in rows)
    codes = [r["country"] for r in rows]
    assert len(codes) == len(set(codes)) and all(len(c) == 3 and c.isupper() for c in codes)
    scores = [r["score"] for r in rows if r["rank"] is not None]
    assert scores == sorted(scores, reverse=True) and rows[0]["rank"] == 1


def test_ad_hoc_weights_change_the_ranking(url: str) -> None:
    base = ranked(url)
    heavy = ranked(url, "--weight", "film_rebates=3", "--weight", "tax_incentives=2")
    share = {d["indicator"]: d["share"] for d in row(heavy, "GBR")["indicators"]}
    assert share["film_rebates"] == pytest.approx(3 / 15) and share["ci_law"] == pytest.approx(1 / 15)
    assert [r["country"] for r in heavy] != [r["country"] for r in base]


def test_only_ranks_on_the_named_indicators(url: str) -> None:
    rows = ranked(url, "--only", "film_rebates", "--only", "ci_law")
    assert {d["indicator"] for d in rows[0]["indicators"]} == {"ci_law", "film_rebates"}
    assert row(rows, "GEO")["score"] == pytest.approx(0.5)  # a rebate, no law


def test_region_and_grouping_filter_the_countries(url: str) -> None:
    from benchmark import registry
    from benchmark.store.facts import read_facts

    countries = read_facts(url).countries.filter(lambda_level_is_country())
    central_asia = set(countries.filter(countries["region"] == "Central Asia")["code"].to_list())
    assert central_asia and {r["country"] for r in ranked(url, "--region", "central asia")} == central_asia
    eaeu = set(countries["code"].to_list()) & registry.groupings()["EAEU"]
    assert eaeu and {r["country"] for r in ranked(url, "--grouping", "EAEU")} == eaeu


def lambda_level_is_country() -> Any:
    import polars as pl

    return pl.col("level") == "country"


def test_as_of_uses_the_facts_of_that_year(url: str) -> None:
    now = row(ranked(url, "--as-of", "2026"), "KAZ")
    before = row(ranked(url, "--as-of", "2025"), "KAZ")
    assert before["score"] == pytest.approx(now["score"] - 1 / 12)  # the law of 2026 was not yet in force
    law = next(d for d in before["indicators"] if d["indicator"] == "ci_law")
    assert law["value"] == 0.0 and "from 2026" in law["note"]


def test_a_scenario_is_shown_beside_the_real_records_with_its_move(url: str) -> None:
    rows = ranked(url, "--profile", "central-asia", "--scenario", "KAZ:concept-2026-2030")
    real, proposed = row(rows, "KAZ"), row(rows, "KAZ", "concept-2026-2030")
    assert proposed["score"] > real["score"]
    assert proposed["rank_change"] == real["rank"] - proposed["rank"] > 0
    assert proposed["name"] == "Kazakhstan as the 2026-2030 concept proposes"
    table = cli("rank", "--profile", "central-asia", "--scenario", "KAZ:concept-2026-2030", "--database-url", url)
    assert "KAZ:concept-2026-2030" in table.out and "moves" in table.out and "+" in table.out


def test_an_unknown_scenario_lists_the_known_ones(url: str) -> None:
    result = cli("rank", "--scenario", "KAZ:concept-2040", "--database-url", url)
    assert result.code == 2 and "KAZ:concept-2026-2030" in result.err


def test_sensitivity_adds_a_rank_interval_and_is_reproducible_with_a_seed(url: str) -> None:
    args = ("--profile", "tax-competitiveness", "--sensitivity", "500", "--seed", "3")
    first, again = ranked(url, *args), ranked(url, *args)
    assert first == again
    for r in first:
        assert r["rank_p05"] <= r["rank_median"] <= r["rank_p95"]
    table = cli("rank", *args, "--database-url", url)
    assert "p05" in table.out and "Sensitivity: 500 draws" in table.out and "normalisation choice" in table.out


def test_csv_has_a_column_per_indicator(url: str) -> None:
    result = cli("rank", "--format", "csv", "--database-url", url)
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert {"rank", "country", "score", "ci_law.normalised", "culture_pass.contribution"} <= set(rows[0])
    assert rows[0]["country"] in ("FRA", "GBR")


def test_markdown_and_russian_names(url: str) -> None:
    result = cli("rank", "--format", "markdown", "--lang", "ru", "--database-url", url)
    assert "| rank" in result.out and "Франция" in result.out


def test_output_writes_a_file(url: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "ranking.json"
    result = cli("rank", "--format", "json", "--output", str(target), "--database-url", url)
    assert result.code == 0 and result.out == ""
    assert json.loads(target.read_text(encoding="utf-8"))[0]["rank"] == 1


def test_explain_compares_with_the_leader_and_the_median(url: str) -> None:
    result = cli("explain", "kaz", "--profile", "instrument-matrix", "--database-url", url)
    assert result.code == 0, result.err
    assert "KAZ ranks 16 of 19 with a score of 0.292; the leader FRA scores 0.833" in result.out
    assert "Furthest behind the leader on:" in result.out and "Youth culture pass" in result.out
    data = json.loads(cli("explain", "KAZ", "--format", "json", "--database-url", url).out)
    assert data["rank"] == 16 and data["leader"] == "FRA" and len(data["indicators"]) == 12
    law = next(d for d in data["indicators"] if d["indicator"] == "ci_law")
    assert law["gap_to_leader"] == pytest.approx(0.0) and law["median_contribution"] == pytest.approx(1 / 12)


def test_explain_a_scenario_and_a_region(url: str) -> None:
    scenario = cli("explain", "KAZ:concept-2026-2030", "--profile", "central-asia", "--database-url", url)
    assert scenario.code == 0 and "KAZ (concept-2026-2030) ranks" in scenario.out
    region = cli("explain", "KZ-75", "--profile", "economic-weight", "--database-url", url)
    assert region.code == 0 and "KZ-75 ranks" in region.out


def test_explain_an_unknown_country_suggests_a_code(url: str) -> None:
    result = cli("explain", "KAX", "--database-url", url)
    assert result.code == 2 and "no country `KAX`" in result.err and "did you mean" in result.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--weight", "film_rebates"), "expected KEY=WEIGHT"),
        (("--weight", "film_rebate=3"), "did you mean `film_rebates`"),
        (("--weight", "ci_law=-1"), "at least 0"),
        (("--profile", "film-productions"), "did you mean `film-production`"),
        (("--region", "Central Asai"), "did you mean `Central Asia`"),
        (("--scenario", "KAZ"), "no scenario"),
    ],
)
def test_usage_mistakes_exit_2_with_a_message(url: str, args: tuple[str, ...], message: str) -> None:
    result = cli("rank", *args, "--database-url", url)
    assert result.code == 2 and message in result.err and "Traceback" not in result.err


def test_a_missing_store_is_built_from_the_country_files_and_the_user_told(tmp_path: Path) -> None:
    result = cli("rank", "--database-url", f"sqlite:///{tmp_path / 'new.sqlite'}")
    assert result.code == 0, result.err
    assert "note: the store is missing or empty; validating and loading countries/ first" in result.err
    assert "KAZ" in result.out and (tmp_path / "new.sqlite").exists()


def test_a_stale_store_is_rebuilt_before_ranking(tmp_path: Path) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    first = cli("rank", "--database-url", url, "--format", "json", cwd=tmp_path)
    assert first.code == 0, first.err
    before = next(r for r in json.loads(first.out) if r["country"] == "KGZ")["score"]
    again = cli("rank", "--database-url", url, cwd=tmp_path)
    assert "note:" not in again.err  # fresh: nothing to do
    kgz = folder / "KGZ.yaml"
    changed = kgz.read_text(encoding="utf-8").replace(
        "  film_rebates: {status: absent,", "  film_rebates: {status: present,"
    )
    assert changed != BASE
    kgz.write_text(changed, encoding="utf-8")
    os.utime(kgz, (time.time() + 5, time.time() + 5))
    result = cli("rank", "--database-url", url, "--format", "json", cwd=tmp_path)
    assert "older than the files in countries/" in result.err
    after = next(r for r in json.loads(result.out) if r["country"] == "KGZ")["score"]
    assert after == pytest.approx(before + 1 / 12)  # one of table 3.20's twelve instruments more


def test_without_a_store_or_country_files_the_message_says_what_to_do(tmp_path: Path) -> None:
    result = cli("explain", "KAZ", "--database-url", f"sqlite:///{tmp_path / 'none.sqlite'}", cwd=tmp_path)
    assert result.code == 1 and "there is no countries/ folder to load" in result.err


def test_rank_runs_as_a_real_process_without_a_traceback(url: str) -> None:
    result = cli_process("rank", "--profile", "economic-weight", "--format", "json", "--database-url", url)
    assert result.code == 0, result.err
    assert json.loads(result.out)[0]["rank"] == 1
