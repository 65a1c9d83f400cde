"""Every normalisation against numbers worked out by hand (rankings/README.md gives the formulas)."""

from __future__ import annotations

import math

import pytest

from benchmark.scoring.normalise import normalise


def close(got: list[float | None], want: list[float | None]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        if w is None:
            assert g is None
        else:
            assert g is not None and math.isclose(g, w, abs_tol=1e-12), (got, want)


def test_min_max_maps_the_lowest_to_0_and_the_highest_to_1() -> None:
    close(normalise([2, 4, 10], "min-max"), [0.0, 0.25, 1.0])


def test_min_max_where_lower_is_better_turns_the_scale_round() -> None:
    close(normalise([2, 4, 10], "min-max", direction="lower"), [1.0, 0.75, 0.0])


def test_missing_values_stay_missing_and_do_not_move_the_bounds() -> None:
    close(normalise([2, None, 10, 6], "min-max"), [0.0, None, 1.0, 0.5])


def test_all_equal_values_score_the_middle_of_the_scale() -> None:
    close(normalise([3, 3, 3], "min-max"), [0.5, 0.5, 0.5])
    close(normalise([3, 3], "z-score"), [0.0, 0.0])
    close(normalise([7], "rank"), [0.5])


def test_z_score_uses_the_population_standard_deviation() -> None:
    # mean 4, population variance ((2-4)^2 + (4-4)^2 + (6-4)^2) / 3 = 8/3
    sd = math.sqrt(8 / 3)
    close(normalise([2, 4, 6], "z-score"), [-2 / sd, 0.0, 2 / sd])


def test_z_score_where_lower_is_better_changes_sign() -> None:
    sd = math.sqrt(8 / 3)
    close(normalise([2, 4, 6], "z-score", direction="lower"), [2 / sd, 0.0, -2 / sd])


def test_rank_shares_the_average_rank_between_ties() -> None:
    # ranks from the lowest: 1, 2.5, 2.5, 4 -> (r - 1) / 3
    close(normalise([1, 5, 5, 9], "rank"), [0.0, 0.5, 0.5, 1.0])


def test_rank_where_lower_is_better() -> None:
    close(normalise([1, 5, 9], "rank", direction="lower"), [1.0, 0.5, 0.0])


def test_goalposts_use_fixed_bounds_and_clip_outside_them() -> None:
    close(normalise([-5, 0, 5, 20, 25], "goalposts", goalposts=(0, 20)), [0.0, 0.0, 0.25, 1.0, 1.0])


def test_goalposts_do_not_depend_on_the_other_countries() -> None:
    alone = normalise([5], "goalposts", goalposts=(0, 20))
    among = normalise([5, 100, -3], "goalposts", goalposts=(0, 20))
    assert alone[0] == among[0] == 0.25


def test_goalposts_for_a_tax_rate_where_lower_is_better() -> None:
    close(normalise([0, 5, 20, 30], "goalposts", direction="lower", goalposts=(0, 20)), [1.0, 0.75, 0.0, 0.0])


def test_log_min_max_takes_the_logarithm_of_one_plus_the_value_first() -> None:
    # ln(1), ln(10), ln(100): equally spaced, so 0, 0.5, 1
    close(normalise([0, 9, 99], "log-min-max"), [0.0, 0.5, 1.0])


def test_log_min_max_leaves_a_negative_value_missing() -> None:
    close(normalise([0, 9, -1, 99], "log-min-max"), [0.0, 0.5, None, 1.0])


@pytest.mark.parametrize("method", ["min-max", "rank", "goalposts", "log-min-max"])
def test_bounded_methods_stay_between_0_and_1(method: str) -> None:
    got = normalise([0, 3, 17, 250, 1e6], method, goalposts=(0, 100))
    assert all(v is not None and 0.0 <= v <= 1.0 for v in got)
