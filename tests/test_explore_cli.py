"""`show`, `compare` and `sources`, and the help of every analyst command, as a user sees them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import DATA, Result, cli, cli_process

COMMANDS = ("matrix", "quality", "show", "compare", "sources", "export")


def run(store: str, *args: str) -> Result:
    return cli(*args, "--database-url", store, cwd=DATA)


def as_json(store: str, *args: str) -> dict | list:
    result = run(store, *args, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_an_example_in_its_help(command: str) -> None:
    result = cli(command, "--help")
    assert result.code == 0
    assert "Example: python cli.py " + command in result.out


@pytest.mark.parametrize("code", ["KZ-VOS", "kz-63", "East Kazakhstan"])
def test_show_accepts_former_codes_any_case_and_names(store: str, code: str) -> None:
    data = as_json(store, "show", code)
    assert isinstance(data, dict)
    assert data["code"] == "KZ-63" and data["former_codes"] == ["KZ-VOS"]


def test_show_lists_every_fact_with_year_kind_value_unit_source_and_note(store: str) -> None:
    data = as_json(store, "show", "KGZ")
    assert isinstance(data, dict)
    share = next(f for f in data["facts"] if f["metric"] == "ci_gdp_share")
    assert (share["kind"], share["value"], share["unit"]) == ("estimate", "~1", "percent")
    assert share["year"] is None and share["reported_in"] == 2026  # the study gives no year
    assert share["source"] == "ciaq-concept-2026" and share["at"] == "§3.9" and "около 1%" in share["note"]
    residents = [f["value"] for f in data["facts"] if f["metric"] == "park_residents"]
    assert residents == ["130+", "500+"]


def test_show_prints_ranges_and_alternatives_under_their_fact(store: str) -> None:
    result = run(store, "show", "KAZ", "--format", "csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO(result.out)))
    facts = [r for r in rows if r["section"].startswith("Kazakhstan")]
    assert any(r["value"] == "150-250 million" and r["unit"] == "USD" for r in facts)
    at = next(i for i, r in enumerate(facts) if r["metric"].startswith("  ↳"))
    assert facts[at - 1]["metric"] != facts[at]["metric"] and not facts[at - 1]["metric"].startswith("  ↳")
    data = as_json(store, "show", "KAZ")
    assert isinstance(data, dict)
    assert sum(len(f["alternatives"]) for f in data["facts"]) > 0


def test_show_details_instruments_and_lists_scenarios(store: str) -> None:
    data = as_json(store, "show", "KGZ")
    assert isinstance(data, dict)
    tax = next(i for i in data["instruments"] if i["instrument"] == "tax_incentives")
    assert tax["status"] == "present" and tax["since"] == 2023
    assert any("0.5% of revenue (2023-2024)" in line and "2% of revenue (from 2027)" in line for line in tax["details"])
    law = next(i for i in data["instruments"] if i["instrument"] == "ci_law")
    assert any("No. 88, 2022-08-08" in line for line in law["details"])
    ip = next(i for i in data["instruments"] if i["instrument"] == "ip_protection")
    assert ip["status"] == "low"
    kaz = as_json(store, "show", "KAZ")
    assert isinstance(kaz, dict)
    assert [s["key"] for s in kaz["scenarios"]] == ["concept-2026-2030"]


def test_show_in_russian_uses_registry_labels(store: str) -> None:
    result = run(store, "show", "KGZ", "--lang", "ru", "--format", "markdown")
    assert result.code == 0
    assert "### Кыргызстан (KGZ)" in result.out and "Доля КИ в ВВП" in result.out and "Закон о КИ" in result.out


def test_unknown_code_says_so_with_did_you_mean_and_exit_1(store: str) -> None:
    result = run(store, "show", "KAZZ")
    assert result.code == 1
    assert "no country or region `KAZZ`" in result.err and "did you mean KAZ (Kazakhstan)" in result.err
    assert run(store, "compare", "KAZ", "QQQQ").code == 1


def test_compare_puts_latest_values_and_instruments_side_by_side(store: str) -> None:
    data = as_json(store, "compare", "kaz", "UZB", "KGZ")
    assert isinstance(data, dict)
    assert data["codes"] == ["KAZ", "UZB", "KGZ"]
    share = next(m for m in data["metrics"] if m["metric"] == "ci_gdp_share" and not m["part"])
    assert share["values"]["UZB"]["value"] == "3.7"
    assert share["values"]["KAZ"]["kind"] in ("observed", "estimate")  # never a target
    law = next(i for i in data["instruments"] if i["instrument"] == "ci_law")
    assert law["values"]["KGZ"] == {"status": "present", "since": 2022}
    table = run(store, "compare", "KAZ", "UZB")
    assert table.code == 0 and "Metrics" in table.out and "Instruments" in table.out


def test_compare_takes_two_to_four_codes(store: str) -> None:
    assert run(store, "compare", "KAZ").code == 2
    assert run(store, "compare", "KAZ", "UZB", "KGZ", "RUS", "TUR").code == 2


def test_sources_counts_the_facts_citing_each_source(store: str) -> None:
    data = as_json(store, "sources")
    assert isinstance(data, list)
    study = next(s for s in data if s["key"] == "ciaq-concept-2026")
    assert study["facts"] > 200 and "Kyrgyzstan" in study["countries"]
    dcms = next(s for s in data if s["key"] == "dcms-2024")
    assert dcms["countries"] == ["United Kingdom"] and dcms["facts"] >= 1
    assert all(s["facts"] >= 0 for s in data)


def test_output_writes_the_file(store: str, tmp_path: Path) -> None:
    target = tmp_path / "sources.csv"
    result = run(store, "sources", "--format", "csv", "--output", str(target))
    assert result.code == 0 and "wrote" in result.err
    assert target.read_text(encoding="utf-8").startswith("key,publisher,title,year,url,cited_in,facts,countries")


def test_a_bad_language_is_a_usage_error(store: str) -> None:
    assert run(store, "sources", "--lang", "de").code == 2


def test_show_runs_as_a_real_process(store: str) -> None:
    result = cli_process("show", "kz-ala", "--format", "markdown", "--database-url", store)
    assert result.code == 0, result.err
    assert "### Almaty (KZ-75; formerly KZ-ALA)" in result.out
