"""Ranking profiles: the built-in ones are valid and documented; a broken one gets a clear message with
its file, line and field, as a country file does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import COUNTRY_PROFILES, DATA, ROOT, cli, line_of

from benchmark.problems import Problem
from benchmark.records.schema_export import generated
from benchmark.scoring.profiles import Profile, adjust, available, load_profile, read_profile

BUILT_IN = list(COUNTRY_PROFILES)

GOOD = """\
title: {en: Test, ru: Тест}
rationale: {en: Why, ru: Почему}
as_of: 2026
indicators:
  - id: ci_law
    weight: 2
  - id: ci_gdp_share
    weight: 1
    normalise: min-max
missing:
  policy: reweight
"""


def problems(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    profile, found = read_profile(path, "rankings/bad.yaml")
    assert profile is None and found, "a broken profile must be refused"
    return found


def one(found: list[Problem]) -> Problem:
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("name", BUILT_IN)
def test_built_in_profiles_load_with_a_rationale_in_english_and_russian(name: str) -> None:
    p = load_profile(name)
    assert p.title.en and p.title.ru and len(p.rationale.en) > 200 and len(p.rationale.ru) > 200
    assert p.as_of == 2026
    assert sum(i.weight for i in p.indicators) > 0


def test_every_profile_file_in_rankings_is_listed() -> None:
    assert set(BUILT_IN) <= set(available())
    for path in (DATA / "rankings").glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schemas/profile.schema.json"
        )


def test_the_instrument_matrix_names_the_twelve_instruments_of_table_3_20_with_equal_weights() -> None:
    from benchmark import registry

    p = load_profile("instrument-matrix")
    assert p.keys() == registry.table_3_20_instruments()
    assert {i.weight for i in p.indicators} == {1.0}
    assert {i.effective_normalise for i in p.indicators} == {"goalposts"}


def test_a_good_profile_reads_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    p, found = read_profile(path)
    assert found == [] and p is not None
    law, share = p.indicators
    assert (law.effective_measure, law.effective_normalise, law.effective_goalposts) == ("status", "goalposts", (0, 1))
    assert (share.effective_measure, share.effective_direction) == ("value", "higher")
    assert p.aggregation.method == "arithmetic" and p.filters.level == "country"


def test_an_unknown_indicator_is_named_with_a_suggestion_at_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("id: ci_gdp_share", "id: ci_gdp_shares")
    p = one(problems(tmp_path, text))
    assert (p.file, p.line, p.field) == ("rankings/bad.yaml", line_of(text, "ci_gdp_shares"), "indicators[1].id")
    assert "unknown indicator `ci_gdp_shares`" in p.message and "did you mean `ci_gdp_share`" in p.message


def test_a_misspelled_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    text = GOOD.replace("    weight: 1\n", "    wieght: 1\n")
    p = one(problems(tmp_path, text))
    assert (p.line, p.field) == (line_of(text, "wieght"), "indicators[1].wieght")
    assert "unknown field `wieght`; did you mean `weight`?" in p.message


def test_a_misspelled_top_level_key_gets_a_did_you_mean(tmp_path: Path) -> None:
    text = GOOD.replace("missing:", "misisng:")
    p = one(problems(tmp_path, text))
    assert p.line == line_of(text, "misisng") and "did you mean `missing`?" in p.message


def test_a_negative_weight_is_refused_at_its_line(tmp_path: Path) -> None:
    text = GOOD.replace("weight: 2", "weight: -2")
    p = one(problems(tmp_path, text))
    assert (p.line, p.field) == (line_of(text, "weight: -2"), "indicators[0].weight")
    assert "greater than or equal to 0" in p.message


def test_all_zero_weights_are_refused_at_the_indicators(tmp_path: Path) -> None:
    text = GOOD.replace("weight: 2", "weight: 0").replace("weight: 1", "weight: 0")
    p = one(problems(tmp_path, text))
    assert (p.line, p.field) == (line_of(text, "indicators:"), "indicators")
    assert "every weight is zero" in p.message


def test_an_unknown_normalisation_suggests_the_right_spelling(tmp_path: Path) -> None:
    text = GOOD.replace("normalise: min-max", "normalise: min_max")
    p = one(problems(tmp_path, text))
    assert p.line == line_of(text, "min_max") and "did you mean `min-max`?" in p.message


def test_goalposts_without_bounds_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace("normalise: min-max", "normalise: goalposts")
    p = one(problems(tmp_path, text))
    assert (p.line, p.field) == (line_of(text, "normalise: goalposts"), "indicators[1].normalise")
    assert "goalposts need fixed bounds" in p.message


def test_reversed_goalposts_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace("normalise: min-max", "normalise: goalposts\n    goalposts: [10, 0]")
    p = one(problems(tmp_path, text))
    assert p.field == "indicators[1].goalposts" and "must be below" in p.message


def test_z_scores_cannot_feed_a_geometric_mean(tmp_path: Path) -> None:
    text = GOOD.replace("normalise: min-max", "normalise: z-score") + "aggregation: {method: geometric}\n"
    p = one(problems(tmp_path, text))
    assert p.field == "indicators[1].normalise" and "geometric mean" in p.message


def test_the_same_indicator_twice_needs_distinct_names(tmp_path: Path) -> None:
    text = GOOD.replace("id: ci_gdp_share", "id: ci_law")
    p = one(problems(tmp_path, text))
    assert p.line == line_of(text, "weight: 1") - 1 and "given twice" in p.message


def test_a_measure_that_does_not_fit_the_indicator_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("    weight: 2\n", "    weight: 2\n    measure: rebate_rate\n")
    p = one(problems(tmp_path, text))
    assert p.field == "indicators[0].measure" and "film_rebates" in p.message


def test_a_status_mapping_must_name_statuses(tmp_path: Path) -> None:
    text = GOOD.replace("    weight: 2\n", "    weight: 2\n    values: {presnet: 1}\n")
    p = one(problems(tmp_path, text))
    assert p.field == "indicators[0].values" and "did you mean `present`" in p.message


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("id: ci_law", "id: ci_lwa").replace("policy: reweight", "policy: impute")
    found = problems(tmp_path, text)
    assert {p.field for p in found} == {"indicators[0].id", "missing.policy"}


def test_a_broken_profile_stops_the_ranking_with_file_and_line(tmp_path: Path) -> None:
    text = GOOD.replace("weight: 2", "weight: -2")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("rank", "--profile", str(path), "--database-url", f"sqlite:///{tmp_path / 'none.sqlite'}")
    assert result.code == 1
    assert f":{line_of(text, 'weight: -2')}:" in result.err and "indicators[0].weight" in result.err
    assert "Traceback" not in result.err


def test_adjusting_weights_changes_adds_and_restricts() -> None:
    p = load_profile("instrument-matrix")
    changed = adjust(p, {"film_rebates": 3, "tax_incentives": 2})
    weights = {i.key: i.weight for i in changed.indicators}
    assert (weights["film_rebates"], weights["tax_incentives"], weights["ci_law"]) == (3, 2, 1)
    added = adjust(p, {"film_commission": 2})
    assert added.keys()[-1] == "film_commission"
    only = adjust(p, {"film_rebates": 3}, ["film_rebates", "ci_law"])
    assert only.keys() == ["ci_law", "film_rebates"]


@pytest.mark.parametrize(
    ("weights", "only", "message"),
    [
        ({"film_rebate": 3}, None, "did you mean `film_rebates`"),
        ({"ci_law": -1}, None, "at least 0"),
        ({"ci_law": 0}, ["ci_law"], "every weight is zero"),
        (None, ["no_such_thing"], "unknown indicator"),
    ],
)
def test_bad_adjustments_are_refused(weights: dict[str, float] | None, only: list[str] | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adjust(load_profile("instrument-matrix"), weights, only)


def test_an_unknown_profile_name_suggests_the_nearest() -> None:
    with pytest.raises(LookupError, match="did you mean `film-production`"):
        load_profile("film-productions")


def test_the_published_schema_describes_the_profile_and_forbids_unknown_keys() -> None:
    schema = json.loads(generated()["profile.schema.json"])
    assert schema["additionalProperties"] is False
    assert {"title", "rationale", "indicators", "missing", "aggregation", "filters", "as_of"} <= set(
        schema["properties"]
    )
    assert json.loads((ROOT / "schemas" / "profile.schema.json").read_text(encoding="utf-8")) == schema
    assert Profile.model_json_schema()["$defs"]["Indicator"]["additionalProperties"] is False


def test_the_profiles_command_lists_titles_in_the_language_asked() -> None:
    result = cli("profiles", "--lang", "ru")
    assert result.code == 0
    for name in BUILT_IN:
        assert name in result.out
    assert "Матрица инструментов политики" in result.out
