"""Best and worst rank any weights allow: for each country, exactly, over the sensitivity analysis's box.

The box is the one the sensitivity analysis draws from: each weight w_k between (1 - p) and (1 + p) times
the profile's weight (p = 0.25, up to 25% either way), the normalisation the profile's own. Sampling
shows where a rank usually falls; this module gives the two ends no choice of weights in the box passes.

When is it exact? When every ranked country's score divides by the same total weight (the same indicators
count for all: missing values zero-filled or imputed, or countries without them left out). Then country j
is ahead of country i iff sum_k w_k (s_jk - s_ik) > 0 (s: the normalised values for an arithmetic mean,
their logarithms, floored, for a geometric one; the total weight is positive and does not change the
sign). With `reweight` and a country lacking an indicator the others have, the comparison is a ratio of
two sums of weights, not linear: no bounds are given, and the reason says so.

Ranks follow the engine's rule: equal scores share the best rank among them (1, 2, 2, 4), so a country's
rank is 1 + the number of rivals strictly ahead. For the best rank a rival tied with the country is not
ahead (ties help); the weights found are moved inside the region they leave, away from the solver's
tolerance, so the engine ranks the country there as stated. For the worst rank a rival counts as ahead
when it can lead by at least MARGIN on the aggregated scale (a millionth of a point on the 0-1 scale):
the solver's feasibility tolerance (1e-7) could not tell a closer lead from a tie.

Best rank of i = 1 + the fewest rivals ahead; worst = 1 + the most. Rivals ahead everywhere in the box, or
nowhere, are counted without a solver, and an end that a corner of the box reaches with every undecided
rival behind (or ahead) needs none either; for the rest, one mixed-integer programme per country and end
(scipy.optimize.milp, HiGHS): a binary y_j per rival, tied to the sign of its lead by a big-M from the box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from benchmark.scoring.profiles import Profile
from benchmark.scoring.score import ENTITY, aggregate, prepare

PERTURBATION = 0.25  # the default of sensitivity.analyse: the same box, so both answer the same question
MARGIN = 1e-6  # for the worst rank, a lead smaller than this (on the aggregated scale) counts as a tie


@dataclass(frozen=True)
class RankBounds:
    countries: pl.DataFrame  # country, scenario, rank, rank_best, rank_worst (null when not linear)
    linear: bool
    reason: str | None  # why there are no bounds, when not linear
    perturbation: float
    solved: int  # mixed-integer programmes solved (the rest was decided without one)


def rank_bounds(
    matrix: pl.DataFrame, profile: Profile, perturbation: float = PERTURBATION, *, only: str | None = None
) -> RankBounds:
    """The best and worst rank of each ranked country for any weights within the box (`only`: of that one)."""
    if not 0 <= perturbation < 1:
        raise ValueError("the perturbation must be at least 0 and below 1 (weights stay positive)")
    prep = prepare(matrix, profile)
    base = aggregate(prep, profile).filter(pl.col("score").is_not_null()).sort(ENTITY)
    keys = profile.keys()
    values, used = _arrays(prep, base.select(ENTITY), keys)
    out = base.select(*ENTITY, "rank")
    reason = _nonlinear(used, profile)
    if reason or base.is_empty():  # nothing ranked: nothing to bound, and no reason to give
        empty = pl.lit(None, pl.Int64)
        return RankBounds(
            out.with_columns(empty.alias("rank_best"), empty.alias("rank_worst")), not reason, reason, perturbation, 0
        )
    if profile.aggregation.method == "geometric":
        values = np.log(np.maximum(values, profile.aggregation.floor))
    weights = np.array([i.weight for i in profile.indicators], dtype=float)
    columns = used[0] > 0  # the indicators that count (the same for every ranked country here)
    lo, hi = weights * (1 - perturbation), weights * (1 + perturbation)
    rows = [i for i, c in enumerate(out["country"]) if c == only] if only else None
    found = extremes(values[:, columns], lo[columns], hi[columns], rows)
    if rows is not None:
        out, found = out[rows], found.of(rows)
    out = out.with_columns(pl.Series("rank_best", found.best, pl.Int64), pl.Series("rank_worst", found.worst, pl.Int64))
    return RankBounds(out.sort(["rank", *ENTITY]), True, None, perturbation, found.solved)


@dataclass(frozen=True)
class Extremes:
    best: np.ndarray  # per country, the best rank
    worst: np.ndarray  # and the worst
    best_weights: np.ndarray  # countries x indicators: weights under which each country takes its best rank
    worst_weights: np.ndarray  # and its worst
    solved: int  # programmes solved

    def of(self, rows: list[int]) -> Extremes:
        return Extremes(
            self.best[rows], self.worst[rows], self.best_weights[rows], self.worst_weights[rows], self.solved
        )


def extremes(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, rows: list[int] | None = None) -> Extremes:
    """Per country (row of `values`, countries x indicators), the best and worst rank for w in [lo, hi].

    A country's score is values @ w / sum(w). Each end comes with weights that reach it (the witness).
    With `rows`, only those countries are bounded (the others keep 1 and 1).
    """
    n = values.shape[0]
    best, worst = np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    best_w, worst_w = np.tile((lo + hi) / 2, (n, 1)), np.tile((lo + hi) / 2, (n, 1))
    solved = 0
    corners = _corners(lo, hi)
    totals = corners.sum(axis=1)
    for i in range(n) if rows is None else rows:
        lead = np.delete(values, i, axis=0) - values[i]  # each rival's lead per indicator
        # A lead of at least MARGIN on the score: lead @ w >= MARGIN * sum(w), i.e. (lead - MARGIN) @ w >= 0.
        ahead = lead - MARGIN
        top = np.where(ahead > 0, ahead * hi, ahead * lo).sum(axis=1)  # the most each rival can lead by
        bottom = np.where(ahead > 0, ahead * lo, ahead * hi).sum(axis=1)  # the least
        always, open_ = int((bottom >= 0).sum()), (bottom < 0) & (top >= 0)
        fewest = most = 0
        if open_.any():
            # A corner of the box that already reaches the bound no programme can beat needs no programme.
            behind = (corners @ lead[open_].T <= 0).all(axis=1)
            passed = (corners @ lead[open_].T >= MARGIN * totals[:, None]).all(axis=1)
            if behind.any():
                best_w[i] = corners[int(np.argmax(behind))]
            else:
                fewest, best_w[i] = _fewest(lead[open_], lo, hi)
                solved += 1
            if passed.any():
                most, worst_w[i] = int(open_.sum()), corners[int(np.argmax(passed))]
            else:
                most, worst_w[i] = _most(ahead[open_], lo, hi)
                solved += 1
        best[i], worst[i] = 1 + always + fewest, 1 + always + most
    return Extremes(best, worst, best_w, worst_w, solved)


def _corners(lo: np.ndarray, hi: np.ndarray, most: int = 12) -> np.ndarray:
    """The box's corners (with more than `most` indicators, 2**most of them, chosen by a fixed seed)."""
    m = len(lo)
    if m <= most:
        bits = (np.arange(2**m)[:, None] >> np.arange(m)) & 1
    else:
        bits = np.random.default_rng(0).integers(0, 2, size=(2**most, m))
    return np.where(bits == 1, hi, lo)


def _fewest(lead: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[int, np.ndarray]:
    """The fewest rivals with lead @ w > 0: y_j = 0 forces lead_j @ w <= 0; minimise the sum of y.

    The solver's weights sit on the boundary (a rival tied within its tolerance, which the engine's
    rounding may count as ahead): they are moved inside, as far from every kept tie as the box allows.
    """
    big = np.maximum(np.where(lead > 0, lead * hi, lead * lo).sum(axis=1), 0.0)  # the largest lead_j @ w
    count, w, y = _solve(lead, -big, lo, hi, upper=True, objective=1.0)
    return count, _inside(lead[y < 0.5], lo, hi, w)


def _inside(behind: np.ndarray, lo: np.ndarray, hi: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weights in the box keeping every row of `behind` at or below zero with the widest margin t."""
    from scipy.optimize import linprog

    if not len(behind):
        return w
    r, m = behind.shape
    a = np.hstack([behind, np.ones((r, 1))])  # behind_j @ w + t <= 0
    bounds = [*zip(lo, hi, strict=True), (0.0, 1.0)]
    found = linprog(np.concatenate([np.zeros(m), [-1.0]]), A_ub=a, b_ub=np.zeros(r), bounds=bounds)
    return np.clip(found.x[:m], lo, hi) if found.status == 0 and found.x[m] > 0 else w


def _most(ahead: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[int, np.ndarray]:
    """The most rivals with ahead @ w >= 0: y_j = 1 forces it; otherwise ahead_j @ w >= its box minimum."""
    low = np.minimum(np.where(ahead > 0, ahead * lo, ahead * hi).sum(axis=1), 0.0)  # the smallest ahead_j @ w
    count, w, _ = _solve(ahead, low, lo, hi, upper=False, objective=-1.0)
    return count, w


def _solve(
    lead: np.ndarray, bound: np.ndarray, lo: np.ndarray, hi: np.ndarray, *, upper: bool, objective: float
) -> tuple[int, np.ndarray, np.ndarray]:
    """One programme over x = (w, y): rows lead_j @ w + bound_j * y_j <= 0 (upper) or >= bound_j (lower)."""
    from scipy.optimize import Bounds, LinearConstraint, milp  # imported only when bounds are asked for

    r, m = lead.shape
    a = np.hstack([lead, np.diag(bound)])
    # upper: lead @ w - big * y <= 0 (bound = -big); lower: ahead @ w + low * y >= low (y = 1: ahead @ w >= 0;
    # y = 0: ahead @ w >= low, which the box always meets)
    rows = LinearConstraint(a, -np.inf, np.zeros(r)) if upper else LinearConstraint(a, bound, np.inf)
    c = np.concatenate([np.zeros(m), np.full(r, objective)])
    integrality = np.concatenate([np.zeros(m), np.ones(r)])
    box = Bounds(np.concatenate([lo, np.zeros(r)]), np.concatenate([hi, np.ones(r)]))
    result = milp(c, integrality=integrality, bounds=box, constraints=rows)
    if result.status != 0 or result.x is None:
        raise RuntimeError(f"the rank-bounds programme did not solve: {result.message}")
    y = np.round(result.x[m:])
    return int(y.sum()), np.clip(result.x[:m], lo, hi), y


def _nonlinear(used: np.ndarray, profile: Profile) -> str | None:
    if used.size and not (used == used[0]).all():
        return (
            f"not every country has the same indicators and the missing-value policy is "
            f"{profile.missing.policy}: a score divides by a different total weight for each, so ranks do "
            f"not move linearly with the weights"
        )
    return None


def _arrays(prep: pl.DataFrame, entities: pl.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    from benchmark.scoring.sensitivity import _arrays as arrays  # the sampler's own matrix: the same values

    return arrays(prep, entities, keys)


def reading(best: int | None, worst: int | None) -> str:
    """The bounds in words, in English (the CLI's): "first under some weights, never below 12th"."""
    if best is None or worst is None:
        return "no exact bounds"
    if best == worst:
        return f"{ordinal(best)} under any weights in the bounds"
    top = "first" if best == 1 else ordinal(best)
    return f"{top} under some weights, never below {ordinal(worst)}"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
