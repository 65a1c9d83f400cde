"""Sensitivity analysis: Monte Carlo over the weights and the normalisation, all draws at once."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from test_scoring import TWO, VALUES, cases, profile

from benchmark.scoring.indicators import from_values
from benchmark.scoring.profiles import Profile
from benchmark.scoring.score import score
from benchmark.scoring.sensitivity import analyse, competition_ranks, variants


def test_competition_ranks_share_the_best_rank_among_ties() -> None:
    scores = np.array([[0.3, 0.9, 0.3, 0.1], [0.1, 0.2, 0.3, 0.4]])
    assert competition_ranks(scores).tolist() == [[2, 1, 2, 4], [4, 3, 2, 1]]


def test_competition_ranks_ignore_differences_below_the_tie_precision() -> None:
    scores = np.array([[0.5, 0.5 + 1e-13, 0.4]])
    assert competition_ranks(scores).tolist() == [[1, 1, 3]]


@settings(max_examples=60, deadline=None)
@given(case=cases())
def test_zero_perturbation_gives_every_country_a_zero_width_interval_at_its_own_rank(
    case: tuple[pl.DataFrame, Profile],
) -> None:
    matrix, p = case
    base = score(matrix, p).filter(pl.col("rank").is_not_null())
    result = analyse(matrix, p, 50, perturbation=0.0, normalisations=["profile"])
    got = result.countries.join(base.select("country", pl.col("rank").alias("own")), on="country")
    assert got.height == base.height
    for row in got.iter_rows(named=True):
        assert row["rank_p05"] == row["rank_median"] == row["rank_p95"] == row["own"] == row["rank"]


def spread_case() -> tuple[pl.DataFrame, Profile]:
    """Four countries whose order depends on the weights: a trade-off between two indicators."""
    values: dict[str, dict[str, float | None]] = {
        "AAA": {"ci_gdp_share": 10, "ci_employment_share": 0},
        "BBB": {"ci_gdp_share": 0, "ci_employment_share": 10},
        "CCC": {"ci_gdp_share": 6, "ci_employment_share": 4},
        "DDD": {"ci_gdp_share": 1, "ci_employment_share": 1},
    }
    inds = [{**TWO[0], "weight": 1}, {**TWO[1], "weight": 1}, {"id": "culture_budget_share", "weight": 0}]
    return from_values(values), profile(inds)


def test_the_same_seed_gives_the_same_result_and_another_seed_may_not() -> None:
    matrix, p = spread_case()
    first = analyse(matrix, p, 2000, seed=7, perturbation=0.5)
    again = analyse(matrix, p, 2000, seed=7, perturbation=0.5)
    assert first.countries.equals(again.countries) and first.drivers.equals(again.drivers)


def test_intervals_widen_where_the_weights_decide_and_not_where_they_do_not() -> None:
    matrix, p = spread_case()
    result = analyse(matrix, p, 4000, seed=1, perturbation=0.5, normalisations=["profile"])
    rows = {r["country"]: r for r in result.countries.iter_rows(named=True)}
    assert rows["AAA"]["rank_p05"] < rows["AAA"]["rank_p95"]  # first or second, by weight
    assert rows["DDD"]["rank_p05"] == rows["DDD"]["rank_p95"] == 4  # last under any weights
    for r in rows.values():
        assert 1 <= r["rank_p05"] <= r["rank_median"] <= r["rank_p95"] <= 4


def test_drivers_name_the_weights_that_move_ranks_and_give_zero_to_an_unused_one() -> None:
    matrix, p = spread_case()
    result = analyse(matrix, p, 4000, seed=1, perturbation=0.5)
    explained = dict(result.drivers.iter_rows())
    assert explained["weight of ci_gdp_share"] > 0.05
    assert explained["weight of ci_employment_share"] > 0.05
    assert explained["weight of culture_budget_share"] == 0.0
    assert "normalisation choice" in explained
    assert all(0.0 <= v <= 1.0 for v in explained.values())
    assert result.drivers["explained"].is_sorted(descending=True)


def test_the_alternative_normalisations_depend_on_the_aggregation() -> None:
    _, p = spread_case()
    assert list(variants(p)) == ["profile", "min-max", "rank", "z-score"]
    geometric = p.model_copy(update={"aggregation": p.aggregation.model_copy(update={"method": "geometric"})})
    assert list(variants(geometric)) == ["profile", "min-max", "rank"]
    assert all(i.normalise == "rank" for i in variants(p)["rank"].indicators)


def test_countries_that_cannot_be_ranked_are_left_out_of_the_analysis() -> None:
    p = profile(TWO, missing={"policy": "exclude"})
    result = analyse(from_values(VALUES), p, 100)
    assert set(result.countries["country"]) == {"AAA", "CCC"}


def test_bad_arguments_are_refused() -> None:
    matrix, p = spread_case()
    with pytest.raises(ValueError, match="draws"):
        analyse(matrix, p, 0)
    with pytest.raises(ValueError, match="perturbation"):
        analyse(matrix, p, 10, perturbation=1.5)


def test_draws_are_processed_in_blocks_with_the_same_result_as_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    import benchmark.scoring.sensitivity as sensitivity

    matrix, p = spread_case()
    whole = analyse(matrix, p, 3000, seed=3, perturbation=0.5)
    monkeypatch.setattr(sensitivity, "BLOCK", 700)
    blocks = analyse(matrix, p, 3000, seed=3, perturbation=0.5)
    assert whole.countries.equals(blocks.countries)
    for a, b in zip(whole.drivers["explained"], blocks.drivers["explained"], strict=True):
        assert a == pytest.approx(b, abs=1e-9)
