"""The `incentive` command over the real store: expectations derived from the data, never hard-coded."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import polars as pl
import pytest
from helpers import cli

from benchmark.scoring.incentive_table import missing_rules
from benchmark.scoring.incentive_value import Production, incentive_value, loads
from benchmark.store.facts import Facts

STANDARD = ["--budget", "5e6", "--currency", "USD", "--local-share", "0.6", "--kind", "feature"]


def run(store: str, *args: str) -> Any:
    result = cli("incentive", *STANDARD, *args, "--format", "json", "--database-url", store)
    assert result.code == 0, result.out + result.err
    return json.loads(result.out)


def programmes(facts: Facts, scenario: str = "") -> pl.DataFrame:
    inst = facts.instruments.filter(pl.col("instrument") == "film_rebates").select(
        pl.col("id").alias("instrument_id"), "country", "scenario"
    )
    return facts.rebates.join(inst, on="instrument_id").filter(pl.col("scenario") == scenario)


def test_every_programme_is_valued_as_the_function_values_it_and_ranked_by_value(store: str, facts: Facts) -> None:
    out = run(store)
    rows = programmes(facts)
    assert len(out["programmes"]) == rows.height
    production = Production(5e6, "USD", "feature", local_share=0.6)
    expected = {(r["country"], r["name"]): incentive_value(r, production).as_dict() for r in rows.to_dicts()}
    for got in out["programmes"]:
        want = expected[(got["country"], got["programme"] if got["programme"] != "film incentive" else None)]
        assert {k: got[k] for k in want} == json.loads(json.dumps(want, default=str))
    known = [p for p in out["programmes"] if p["status"] != "unknown" and p["target"]["low"] is not None]
    highs = [p["target"]["high"] if p["target"]["high"] is not None else float("inf") for p in known]
    assert highs == sorted(highs, reverse=True)
    assert out["programmes"][: len(known)] == known  # the ones with no value come last


def test_countries_keep_only_theirs(store: str, facts: Facts) -> None:
    codes = sorted(set(programmes(facts)["country"].to_list()))[:2]
    out = run(store, "--countries", ",".join(codes).lower())
    assert {p["country"] for p in out["programmes"]} == set(codes)
    assert len(out["programmes"]) == programmes(facts).filter(pl.col("country").is_in(codes)).height


def test_a_scenario_sits_beside_its_country_today(store: str, facts: Facts) -> None:
    scen = facts.instruments.filter((pl.col("instrument") == "film_rebates") & (pl.col("scenario") != ""))
    scen = scen.join(facts.rebates.select(pl.col("instrument_id").alias("id")), on="id", how="semi")
    assert scen.height, "the data holds a scenario with a film programme"
    code, key = scen.row(0, named=True)["country"], scen.row(0, named=True)["scenario"]
    out = run(store, "--countries", code, "--scenario", f"{code}:{key}")
    shown = {(p["country"], p["scenario"]) for p in out["programmes"]}
    assert (code, key) in shown and (code, "") in shown


def test_the_table_names_the_binding_rule_and_its_source(store: str, facts: Facts) -> None:
    result = cli("incentive", *STANDARD, "--format", "csv", "--database-url", store)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert len(rows) == programmes(facts).height
    assert {"rank", "country", "bound by", "source", "unknown rules"} <= set(rows[0])
    sources = set(facts.sources["key"].to_list())
    assert all(r["source"] in sources for r in rows if r["source"])
    text = cli("incentive", *STANDARD, "--database-url", store)
    assert text.code == 0 and rows[0]["programme"][:20] in text.out


def test_coverage_counts_the_programmes_with_enough_rules(store: str, facts: Facts) -> None:
    result = cli("incentive", "--coverage", "--format", "json", "--database-url", store)
    assert result.code == 0, result.err
    out = json.loads(result.out)
    rows = programmes(facts).to_dicts()
    enough = [r for r in rows if not missing_rules(r)]
    assert out["count"]["programmes"] == len(rows) and out["count"]["enough"] == len(enough)
    for p in out["programmes"]:
        assert p["enough"] == (not p["missing"])
    text = cli("incentive", "--coverage", "--database-url", store)
    assert f"{len(enough)} of {len(rows)} programmes have enough rules" in text.out


def test_unknown_reasons_come_from_the_record(store: str, facts: Facts) -> None:
    stated = {(r["country"], r["name"]): loads(r["unknown"]) or {} for r in programmes(facts).to_dicts()}
    for p in run(store)["programmes"]:
        reasons = stated.get((p["country"], p["programme"]), {})
        for u in p["unknowns"]:
            if u["rule"] in reasons and not u["reason"].startswith(("the record gives", "the exchange")):
                assert u["reason"] == reasons[u["rule"]] or u["rule"] == "tiers"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--kind", "opera"], "unknown kind"),
        (["--currency", "dollars"], "ISO 4217"),
        (["--local-share", "1.5"], "local share"),
        (["--budget", "0"], "budget"),
        (["--spend", "vfx=lots"], "CATEGORY=AMOUNT"),
        (["--spend", "catering=10"], "unknown spend category"),
        (["--countries", "XXX"], "no country `XXX`"),
        (["--scenario", "KAZ:no-such-scenario"], "no scenario"),
    ],
)
def test_bad_options_say_what_is_wrong_and_exit_2(store: str, args: list[str], says: str) -> None:
    result = cli("incentive", *args, "--database-url", store)
    assert result.code == 2
    assert says in result.out + result.err
    assert "Traceback" not in result.out + result.err
