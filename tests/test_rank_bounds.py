"""The exact best and worst rank any weights in the box allow, checked against brute force and sampling."""

from __future__ import annotations

import html
import inspect
import itertools
import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from helpers import cli
from hypothesis import given, settings
from test_scoring import TWO, VALUES, cases, profile

from benchmark.scoring import rank_bounds as rank_bounds_module
from benchmark.scoring.indicators import from_values
from benchmark.scoring.profiles import available
from benchmark.scoring.rank_bounds import PERTURBATION, extremes, rank_bounds, reading
from benchmark.scoring.score import score
from benchmark.scoring.sensitivity import analyse, competition_ranks
from benchmark.store.facts import Facts


def ranks(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The engine's ranks (ties share the best) of every country for each row of weights."""
    w = np.atleast_2d(weights)
    return competition_ranks((w @ values.T) / w.sum(axis=1, keepdims=True))


def random_case(rng: np.random.Generator, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """3-6 countries, m indicators on a 0-1 scale (sometimes a country twice: exact ties), a random box."""
    n = int(rng.integers(3, 7))
    values = rng.random((n, m))
    if rng.random() < 0.3:
        values[-1] = values[0]
    lo = rng.uniform(0.1, 2.0, m)
    hi = lo + rng.uniform(0.0, 2.0, m)
    return values, lo, hi


def sweep(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two indicators: every order the weights allow, exhaustively.

    Ranks depend only on t = w1 / (w1 + w2), which runs over [lo1 / (lo1 + hi2), hi1 / (hi1 + lo2)]; the
    order changes only where two countries cross, so the ends, every crossing and every midpoint between
    them visit every order there is.
    """
    t_lo, t_hi = lo[0] / (lo[0] + hi[1]), hi[0] / (hi[0] + lo[1])
    points = {t_lo, t_hi}
    for a, b in itertools.combinations(range(len(values)), 2):
        d = values[a] - values[b]
        if d[0] != d[1]:
            t = -d[1] / (d[0] - d[1])  # t d0 + (1 - t) d1 = 0
            if t_lo < t < t_hi:
                points.add(t)
    ts = np.array(sorted(points))
    ts = np.concatenate([ts, (ts[1:] + ts[:-1]) / 2])
    got = ranks(values, np.column_stack([ts, 1 - ts]))
    return got.min(axis=0), got.max(axis=0)


@pytest.fixture(params=["corners", "programmes only"])
def solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each check twice: as it runs (corners first), and with every undecided end left to the programme."""
    if request.param == "programmes only":
        monkeypatch.setattr(rank_bounds_module, "_corners", lambda lo, hi: np.empty((0, len(lo))))
    return str(request.param)


@pytest.mark.parametrize("seed", range(60))
def test_two_indicators_the_bounds_equal_an_exhaustive_sweep_of_the_weight_ratio(seed: int, solver: str) -> None:
    values, lo, hi = random_case(np.random.default_rng(seed), 2)
    found = extremes(values, lo, hi)
    best, worst = sweep(values, lo, hi)
    assert found.best.tolist() == best.tolist()
    assert found.worst.tolist() == worst.tolist()


@pytest.mark.parametrize("seed", range(60))
def test_the_bounds_hold_every_sampled_rank_and_are_reached_by_their_own_weights(seed: int, solver: str) -> None:
    rng = np.random.default_rng(1000 + seed)
    values, lo, hi = random_case(rng, int(rng.integers(2, 5)))
    found = extremes(values, lo, hi)
    vertices = np.array(list(itertools.product(*zip(lo, hi, strict=True))))
    sampled = ranks(values, np.vstack([vertices, rng.uniform(lo, hi, size=(5000, len(lo)))]))
    assert (found.best <= sampled.min(axis=0)).all()
    assert (found.worst >= sampled.max(axis=0)).all()
    for i in range(len(values)):  # each end is a rank the engine gives under weights inside the box
        for w, end in ((found.best_weights[i], found.best[i]), (found.worst_weights[i], found.worst[i])):
            assert (w >= lo - 1e-12).all() and (w <= hi + 1e-12).all()
            assert ranks(values, w)[0, i] == end


@settings(max_examples=40, deadline=None)
@given(cases())
def test_every_rank_the_sensitivity_analysis_samples_lies_within_the_bounds(case: tuple) -> None:
    matrix, p = case
    bounds = rank_bounds(matrix, p)
    if not bounds.linear:
        assert bounds.reason and p.missing.policy == "reweight"
        return
    if bounds.countries.is_empty():  # no country ranked
        assert score(matrix, p)["rank"].is_null().all()
        return
    # 19 draws: the nearest-rank 5th and 95th percentiles are the smallest and largest rank drawn.
    for seed in range(3):
        sampled = analyse(matrix, p, 19, seed=seed, normalisations=["profile"]).countries
        both = bounds.countries.join(sampled, on=["country", "scenario", "rank"])
        assert both.height == bounds.countries.height
        for r in both.iter_rows(named=True):
            assert r["rank_best"] <= r["rank_p05"] <= r["rank_p95"] <= r["rank_worst"]
            assert r["rank_best"] <= r["rank"] <= r["rank_worst"]


def test_the_box_is_the_sensitivity_analysis_default() -> None:
    assert inspect.signature(analyse).parameters["perturbation"].default == PERTURBATION


def test_without_room_to_move_the_bounds_are_the_rank() -> None:
    p = profile(TWO, missing={"policy": "zero"})
    got = rank_bounds(from_values(VALUES), p, perturbation=0.0).countries
    assert got["rank_best"].to_list() == got["rank"].to_list() == got["rank_worst"].to_list()
    assert got.height == len(VALUES)


def test_a_trade_off_gives_the_bounds_a_hand_count_gives() -> None:
    # Weights 1 and 1, each free to move 50% either way: w1 / (w1 + w2) runs over [1/4, 3/4].
    values: dict[str, dict[str, float | None]] = {
        "AAA": {"ci_gdp_share": 10, "ci_employment_share": 0},  # score 10 t: 2.5 to 7.5
        "BBB": {"ci_gdp_share": 0, "ci_employment_share": 10},  # 10 (1 - t): 7.5 to 2.5
        "CCC": {"ci_gdp_share": 6, "ci_employment_share": 4},  # 4 + 2 t: 4.5 to 5.5
        "DDD": {"ci_gdp_share": 1, "ci_employment_share": 1},  # 1, always last
    }
    inds = [{**TWO[0], "weight": 1}, {**TWO[1], "weight": 1}]
    got = rank_bounds(from_values(values), profile(inds), perturbation=0.5).countries
    bounds = {r["country"]: (r["rank_best"], r["rank_worst"]) for r in got.iter_rows(named=True)}
    # CCC is first at t = 1/2 (all three tie at 5, ties share the best rank) and never third: AAA passes it
    # only above t = 1/2, BBB only below.
    assert bounds == {"AAA": (1, 3), "BBB": (1, 3), "CCC": (1, 2), "DDD": (4, 4)}


def test_reweight_with_uneven_data_gives_no_bounds_and_says_why() -> None:
    got = rank_bounds(from_values(VALUES), profile(TWO, missing={"policy": "reweight"}))
    assert not got.linear and "total weight" in (got.reason or "")
    assert got.countries["rank_best"].is_null().all() and got.countries.height == len(VALUES)


def test_a_geometric_mean_is_bounded_on_its_logarithms() -> None:
    p = profile(TWO, missing={"policy": "zero"}, aggregation={"method": "geometric"})
    matrix = from_values(VALUES)
    got = rank_bounds(matrix, p)
    sampled = analyse(matrix, p, 19, seed=0, normalisations=["profile"]).countries
    both = got.countries.join(sampled, on=["country", "scenario"])
    assert got.linear and both.height == len(VALUES)
    assert (both["rank_best"] <= both["rank_p05"]).all() and (both["rank_p95"] <= both["rank_worst"]).all()


def test_a_perturbation_outside_the_range_is_refused() -> None:
    with pytest.raises(ValueError, match="perturbation"):
        rank_bounds(from_values(VALUES), profile(TWO), perturbation=1.0)


@pytest.mark.parametrize(
    ("best", "worst", "words"),
    [
        (1, 12, "first under some weights, never below 12th"),
        (3, 3, "3rd under any weights in the bounds"),
        (2, 21, "2nd under some weights, never below 21st"),
        (None, None, "no exact bounds"),
    ],
)
def test_the_reading_in_words(best: int | None, worst: int | None, words: str) -> None:
    assert reading(best, worst) == words


def test_rows_are_ordered_as_the_ranking() -> None:
    got = rank_bounds(from_values(VALUES), profile(TWO, missing={"policy": "zero"})).countries
    assert got.equals(got.sort(["rank", "country"]))
    assert got.schema["rank_best"] == pl.Int64


def test_rank_bounds_on_the_command_line_in_every_format(store: str) -> None:
    for name in sorted(available()):
        got = cli("rank", "--profile", name, "--bounds", "--format", "json", "--database-url", store)
        assert got.code == 0, got.err
        for row in json.loads(got.out):
            if row["rank_best"] is not None:
                assert row["rank_best"] <= row["rank"] <= row["rank_worst"]
            else:  # not linear, or not ranked
                assert row["rank_worst"] is None
        table = cli("rank", "--profile", name, "--bounds", "--database-url", store)
        assert table.code == 0 and "best" in table.out and "Best and worst rank:" in table.out
        header = cli("rank", "--profile", name, "--bounds", "--format", "csv", "--database-url", store).out
        assert "rank_best,rank_worst" in header.splitlines()[0]


def test_explain_reads_the_bounds_in_words(store: str) -> None:
    ranked = json.loads(
        cli("rank", "--profile", "tax-competitiveness", "--bounds", "--format", "json", "--database-url", store).out
    )
    row = next(r for r in ranked if r["rank"] is not None and not r["scenario"])
    got = cli("explain", row["country"], "--profile", "tax-competitiveness", "--bounds", "--database-url", store)
    assert got.code == 0 and reading(row["rank_best"], row["rank_worst"]) in got.out
    body = json.loads(
        cli(
            "explain",
            row["country"],
            "--profile",
            "tax-competitiveness",
            "--bounds",
            "--format",
            "json",
            "--database-url",
            store,
        ).out
    )
    assert (body["rank_best"], body["rank_worst"]) == (row["rank_best"], row["rank_worst"])
    bad = cli("explain", row["country"], "--bounds", "--perturbation", "1.5", "--database-url", store)
    assert bad.code != 0 and "perturbation" in bad.err


def test_the_site_shows_the_exact_bounds_of_each_linear_profile(facts: Facts) -> None:
    from benchmark.publish.site.rankings import compute

    for view in compute(facts).profiles:
        ranked = [r for r in view.rows if r.rank is not None]
        if view.bounded:
            assert ranked and all(r.any_best is not None and r.any_worst is not None for r in ranked)
            assert all(r.any_best <= r.rank <= r.any_worst for r in ranked)  # type: ignore[operator]
        else:
            assert all(r.any_best is None for r in view.rows)


@pytest.mark.parametrize(
    ("spread", "word"), [(1, "место"), (2, "места"), (5, "мест"), (11, "мест"), (21, "место"), (24, "места")]
)
def test_the_reading_counts_places_in_russian(spread: int, word: str) -> None:
    from benchmark.publish.site.i18n import Lang

    text = Lang.of("ru").t("rankings.reading_range", best=2, worst=2 + spread, spread=spread)
    assert text.endswith(f"{spread} {word}.")
    for code in ("en", "kk"):
        assert str(spread) in Lang.of(code).t("rankings.reading_first", best=1, worst=1 + spread, spread=spread)


def test_above_the_site_limit_no_bounds_are_computed_and_the_page_says_why(
    facts: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmark.publish.site import rankings
    from benchmark.publish.site.build import build_site

    views = {v.name: v for v in rankings.compute(facts).profiles}
    largest = max(len(v.ranked) for v in views.values())
    monkeypatch.setattr(rankings, "BOUNDS_AT_MOST", largest - 1)  # the largest ranking is now too large
    limited = {v.name: v for v in rankings.compute(facts).profiles}
    for name, view in limited.items():
        if len(view.ranked) > largest - 1:
            assert view.bounds == "too-many" and not view.bounded
            assert all(r.any_best is None and r.any_worst is None for r in view.rows)
        else:  # smaller rankings keep what they had
            assert (view.bounds, [r.any_best for r in view.rows]) == (
                views[name].bounds,
                [r.any_best for r in views[name].rows],
            )
    name = next(n for n, v in limited.items() if v.bounds == "too-many")
    build_site(facts, tmp_path / "site", build_date="2026-01-01")
    for lang in ("en", "ru", "kk"):
        text = (tmp_path / "site" / lang / "rankings" / f"{name}.html").read_text(encoding="utf-8")
        from benchmark.publish.site.i18n import Lang

        note = Lang.of(lang).t("rankings.bounds_too_many", count=largest, limit=largest - 1)
        assert html.escape(note, quote=False) in text or note in text
