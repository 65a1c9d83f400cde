"""`quality`: the data-quality report on the real data, its GDP-share recomputation and its formats."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import polars as pl
import pytest
from helpers import BASE, DATA, cli, write_records

from benchmark.publish.quality import quality_report, reference_year
from benchmark.store.facts import Facts, read_facts


def record(report: dict, code: str) -> dict:
    return next(r for r in report["records"] if r["code"] == code)


def test_every_record_is_reported_and_the_overall_adds_up(facts: Facts) -> None:
    report = quality_report(facts)
    overall = report["overall"]
    levels = facts.countries["level"].to_list()
    assert (overall["records"], overall["countries"], overall["regions"]) == (
        len(levels),
        levels.count("country"),
        levels.count("region"),
    )
    observed = facts.observations.filter((pl.col("scenario") == "") & pl.col("alternative_of").is_null())
    instruments = facts.instruments.filter(pl.col("scenario") == "")
    assert overall["facts"] == observed.height + instruments.height
    assert overall["facts"] == sum(r["facts"] for r in report["records"])
    assert 0 < overall["with_source_share"] <= 1
    json.dumps(report)  # the site renders the same dict


def test_counts_for_one_record_follow_its_file(tmp_path: Path) -> None:
    """On the fixture the tests own (tests/fixtures/KGZ.yaml), counted by hand."""
    folder = write_records(tmp_path / "countries", KGZ=BASE)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli("load", str(folder), "--database-url", url).code == 0
    kgz = record(quality_report(read_facts(url)), "KGZ")
    assert kgz["observations"] == 6 and kgz["instruments"] == 12
    assert kgz["estimates"] == 2  # the share of GDP and the GDP are the study's estimates
    assert kgz["with_source"] == kgz["facts"]
    assert kgz["unknown_instruments"] == []
    assert kgz["study_alone"] == kgz["facts"]  # every fact of the fixture cites the study, nothing else
    assert kgz["with_url"] == 0 and kgz["scored_second_source_share"] == 0


def test_a_second_source_or_a_dateless_figure_is_counted(tmp_path: Path) -> None:
    text = BASE.replace(
        '      kind: estimate\n      source: ciaq-concept-2026\n      at: "§3.9"\n',
        '      kind: estimate\n      source: ciaq-concept-2026\n      at: "§3.9"\n'
        '      also: [{source: wipo-gii-2025, at: "a test citation"}]\n',
        1,
    ).replace(
        "      year: 2025\n      kind: estimate",
        "      reported_in: 2026\n      undated: a test\n      kind: estimate",
        1,
    )
    assert text.count("also:") == 1 and "reported_in" in text
    folder = write_records(tmp_path / "countries", KGZ=text)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli("load", str(folder), "--database-url", url).code == 0
    kgz = record(quality_report(read_facts(url)), "KGZ")
    assert kgz["study_alone"] == kgz["facts"] - 1 and kgz["undated"] == 1


def test_unknown_instruments_are_listed(facts: Facts) -> None:
    mar = record(quality_report(facts), "MAR")
    assert "ci_law" in mar["unknown_instruments"]
    assert "film_rebates" not in mar["unknown_instruments"]


def test_old_facts_are_counted_against_the_newest_year_or_as_of(facts: Facts) -> None:
    assert reference_year(facts) == quality_report(facts)["as_of"]
    default = record(quality_report(facts), "KZ-63")
    later = record(quality_report(facts, as_of=2030), "KZ-63")
    earlier = record(quality_report(facts, as_of=2020), "KZ-63")
    assert earlier["older_than_5_years"] == 0  # its series starts in 2018
    assert later["older_than_5_years"] > default["older_than_5_years"] > 0


def test_ranges_targets_and_disagreements_are_counted(facts: Facts) -> None:
    kaz = record(quality_report(facts), "KAZ")
    assert kaz["ranges"] > 0 and kaz["targets"] > 0
    alternatives = facts.observations.filter(pl.col("alternative_of").is_not_null() & (pl.col("country") == "KAZ"))
    assert kaz["disagreements"] == alternatives["alternative_of"].n_unique()


def test_gdp_share_is_recomputed_from_value_added_and_gdp(facts: Facts) -> None:
    checks = quality_report(facts)["share_checks"]
    east_2018 = next(c for c in checks if c["code"] == "KZ-63" and c["year"] == 2018)
    assert east_2018["recomputed"] == pytest.approx(18610 / 3589332.8 * 100, abs=1e-4)
    assert east_2018["printed"] == 0.5
    assert not east_2018["flagged"]
    assert {c["code"] for c in checks} >= {"KAZ", "KZ-63", "KZ-71", "KZ-75"}
    assert all(c["currency"] == "KZT" for c in checks)


def test_a_printed_share_off_by_more_than_005_pp_is_flagged(facts: Facts) -> None:
    target = (pl.col("country") == "KZ-63") & (pl.col("year") == 2018) & (pl.col("metric") == "ci_gdp_share")
    observations = facts.observations.with_columns(
        pl.when(target).then(0.6).otherwise(pl.col("central")).alias("central")
    )
    report = quality_report(dataclasses.replace(facts, observations=observations))
    check = next(c for c in report["share_checks"] if c["code"] == "KZ-63" and c["year"] == 2018)
    assert check["flagged"] and check["difference_pp"] == pytest.approx(-0.0815, abs=1e-3)
    assert report["overall"]["share_checks_flagged"] == 1


def test_command_json_is_the_report(store: str, facts: Facts) -> None:
    result = cli("quality", "--format", "json", "--as-of", "2025", "--database-url", store, cwd=DATA)
    assert result.code == 0, result.err
    assert json.loads(result.out) == json.loads(json.dumps(quality_report(facts, as_of=2025)))


def test_command_table_csv_and_markdown(store: str) -> None:
    table = cli("quality", "--database-url", store, cwd=DATA)
    assert table.code == 0 and "GDP share recomputed" in table.out and "East Kazakhstan" in table.out
    rows = list(csv.DictReader(io.StringIO(cli("quality", "--format", "csv", "--database-url", store, cwd=DATA).out)))
    assert {r["section"].split(" ")[0] for r in rows} == {"Data", "GDP"}
    assert any(r["code"] == "all" for r in rows)
    markdown = cli("quality", "--format", "markdown", "--lang", "kk", "--database-url", store, cwd=DATA).out
    assert markdown.count("### ") == 2 and "Шығыс Қазақстан облысы" in markdown
