"""Sensitivity analysis: how stable is each rank when the weights and the normalisation move?

Monte Carlo, after the JRC/OECD handbook on composite indicators. Each of N draws
- multiplies every weight by its own factor 1 + p * u, u uniform on [-1, 1] (p, the perturbation, is
  0.25 by default: each weight moves up to 25% either way), and
- picks one normalisation for all indicators, uniformly among the profile's own and the alternatives
  (min-max, rank, and z-score for arithmetic aggregation).
Every draw is scored and ranked at once, as matrix products over all draws (no loop re-scoring a draw);
the draws are processed in blocks so that memory stays bounded. Ranks use the same tie rule as scoring.
Memory grows with draws x countries (each draw's ranks, 2 bytes each below 65,535 countries), never with
the square of the countries.

Per country: the median rank and the 5th and 95th percentiles (nearest-rank: the smallest rank r such
that at least p% of the draws rank the country r or better). Per factor (each indicator's weight, and
the normalisation choice): the share of the variance of ranks it explains on its own, a first-order
sensitivity index (the squared correlation between a weight and the ranks, summed over countries; the
correlation ratio of ranks on the normalisation choice).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from benchmark.scoring.profiles import Profile
from benchmark.scoring.score import ENTITY, TIE_DECIMALS, aggregate, prepare

BLOCK = 1000


@dataclass(frozen=True)
class Sensitivity:
    countries: pl.DataFrame  # country, scenario, rank, rank_p05, rank_median, rank_p95
    drivers: pl.DataFrame  # factor, explained (share of rank variance), sorted high to low
    draws: int
    normalisations: list[str]


def variants(profile: Profile, normalisations: list[str] | None = None) -> dict[str, Profile]:
    """The profile as written ("profile") and the same profile with one normalisation for all indicators."""
    if normalisations is None:
        normalisations = ["profile", "min-max", "rank"]
        if profile.aggregation.method == "arithmetic":
            normalisations.append("z-score")
    out: dict[str, Profile] = {}
    for name in normalisations:
        if name == "profile":
            out[name] = profile
        else:
            inds = [
                i.model_copy(update={"normalise": name, "goalposts": i.goalposts if name == "goalposts" else None})
                for i in profile.indicators
            ]
            out[name] = profile.model_copy(update={"indicators": inds})
    return out


def analyse(
    matrix: pl.DataFrame,
    profile: Profile,
    draws: int = 1000,
    *,
    seed: int | None = 0,
    perturbation: float = 0.25,
    normalisations: list[str] | None = None,
) -> Sensitivity:
    if draws < 1:
        raise ValueError("the number of draws must be at least 1")
    if not 0 <= perturbation < 1:
        raise ValueError("the perturbation must be at least 0 and below 1 (weights stay positive)")
    base_prep = prepare(matrix, profile)
    base = aggregate(base_prep, profile).filter(pl.col("score").is_not_null()).sort(ENTITY)
    entities = base.select(ENTITY)
    keys = profile.keys()
    weights = np.array([i.weight for i in profile.indicators], dtype=float)
    kinds = variants(profile, normalisations)
    names = list(kinds)
    values, used = [], []
    for name in names:
        prep = base_prep if name == "profile" else prepare(matrix, kinds[name])
        v, u = _arrays(prep, entities, keys)
        values.append(v)
        used.append(u)
    n, m, k = entities.height, len(keys), len(names)
    rng = np.random.default_rng(seed)
    w_all = weights * (1.0 + perturbation * rng.uniform(-1.0, 1.0, size=(draws, m)))
    choice = rng.integers(0, k, size=draws) if k > 1 else np.zeros(draws, dtype=np.int64)
    geometric = profile.aggregation.method == "geometric"
    floor = profile.aggregation.floor
    terms = [np.log(np.maximum(v, floor)) * u if geometric else v * u for v, u in zip(values, used, strict=True)]

    # Every draw's ranks are kept, in the smallest integer type that holds them (draws x n: linear in
    # both), and each country's percentiles are taken from its own draws by selection at the end.
    all_ranks = np.empty((draws, n), dtype=np.uint16 if n < np.iinfo(np.uint16).max else np.uint32)
    sum_r, sum_r2 = np.zeros(n), np.zeros(n)
    sum_wr = np.zeros((m, n))
    sum_by_kind, n_by_kind = np.zeros((k, n)), np.bincount(choice, minlength=k).astype(float)
    block = block_size(n)
    for start in range(0, draws, block):
        w = w_all[start : start + block]
        c = choice[start : start + block]
        scores = np.empty((len(w), n))
        for j in range(k):  # one matrix product per normalisation, over all of its draws in the block
            rows = c == j
            if rows.any():
                num = w[rows] @ terms[j].T
                den = w[rows] @ used[j].T
                s = num / den
                scores[rows] = np.exp(s) if geometric else s
        ranks = competition_ranks(scores, overwrite=True)
        del scores
        all_ranks[start : start + len(w)] = ranks
        rf = ranks.astype(float)
        del ranks
        sum_r += rf.sum(axis=0)
        sum_r2 += np.einsum("ij,ij->j", rf, rf)
        sum_wr += w.T @ rf
        sum_by_kind += np.eye(k)[c].T @ rf  # each normalisation's rank sums, one product for all

    p05, p50, p95 = percentiles(all_ranks, (0.05, 0.5, 0.95))
    countries = base.select(*ENTITY, "rank").with_columns(
        pl.Series("rank_p05", p05, pl.Int64),
        pl.Series("rank_median", p50, pl.Int64),
        pl.Series("rank_p95", p95, pl.Int64),
    )
    drivers = _drivers(keys, w_all, sum_r, sum_r2, sum_wr, sum_by_kind, n_by_kind, draws, k)
    countries = countries.sort(["rank", *ENTITY])
    return Sensitivity(countries, drivers, draws, names)


def competition_ranks(scores: np.ndarray, *, overwrite: bool = False) -> np.ndarray:
    """Row-wise ranks, 1 = highest, ties sharing the best rank (1, 2, 2, 4), on rounded scores.

    With `overwrite` the scores' array is reused for the rounded, negated scores (it is then garbage).
    """
    negated = np.round(scores, TIE_DECIMALS, out=scores if overwrite else None)
    np.negative(negated, out=negated)  # sorted ascending: highest score first
    order = np.argsort(negated, axis=1)  # the order among equal scores does not change their rank
    ordered = np.take_along_axis(negated, order, axis=1)
    n = scores.shape[1]
    ranked = np.empty(ordered.shape, dtype=np.int32)
    ranked[:, :1] = 1
    # A new score takes its position, a tie 0; the running maximum then gives each tie its first rank.
    np.multiply(ordered[:, 1:] != ordered[:, :-1], np.arange(2, n + 1, dtype=np.int32), out=ranked[:, 1:])
    np.maximum.accumulate(ranked, axis=1, out=ranked)
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=1)
    return out


def _arrays(prep: pl.DataFrame, entities: pl.DataFrame, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Countries x indicators: the normalised values (0 where unused) and the used mask (1 or 0)."""
    wide = prep.select(*ENTITY, "indicator", pl.when(pl.col("used")).then(pl.col("normalised")).alias("v")).pivot(
        on="indicator", index=ENTITY, values="v"
    )
    wide = entities.join(wide, on=ENTITY, how="left", maintain_order="left")
    for key in keys:
        if key not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(key))
    v = wide.select(keys).to_numpy().astype(float)
    u = (~np.isnan(v)).astype(float)
    return np.nan_to_num(v, nan=0.0), u


def block_size(n: int) -> int:
    """Draws scored at once: BLOCK, fewer for many countries, so that a block's arrays stay near 20 MB each."""
    return max(1, min(BLOCK, 2_500_000 // max(n, 1)))


def percentiles(ranks: np.ndarray, qs: tuple[float, ...], chunk: int = 256) -> list[np.ndarray]:
    """Per country (column), the nearest-rank percentile of its ranks over the draws (rows), for each q.

    The q-th percentile is the smallest rank r such that at least q of the draws rank the country r or
    better: the ceil(q * draws)-th smallest of its ranks, found by selection, a chunk of countries at a time.
    """
    draws, n = ranks.shape
    picks = [max(1, int(np.ceil(q * draws))) - 1 for q in qs]
    out = [np.empty(n, dtype=np.int64) for _ in qs]
    for lo in range(0, n, chunk):
        part = np.partition(ranks[:, lo : lo + chunk], sorted(set(picks)), axis=0)
        for o, pick in zip(out, picks, strict=True):
            o[lo : lo + chunk] = part[pick]
    return out


def _drivers(
    keys: list[str],
    w: np.ndarray,
    sum_r: np.ndarray,
    sum_r2: np.ndarray,
    sum_wr: np.ndarray,
    sum_by_kind: np.ndarray,
    n_by_kind: np.ndarray,
    draws: int,
    k: int,
) -> pl.DataFrame:
    mean_r = sum_r / draws
    var_r = sum_r2 / draws - mean_r**2
    total = float(var_r.sum())
    mean_w = w.mean(axis=0)
    var_w = w.var(axis=0)
    cov = sum_wr / draws - np.outer(mean_w, mean_r)
    explained = np.zeros(len(keys))
    if total > 1e-12:
        ok = var_w > 1e-15
        explained[ok] = (cov[ok] ** 2 / var_w[ok, None]).sum(axis=1) / total
    factors = [f"weight of {key}" for key in keys]
    shares: list[float] = list(np.clip(explained, 0.0, 1.0))
    if k > 1:
        seen = n_by_kind > 0
        means = sum_by_kind[seen] / n_by_kind[seen, None]
        between = float((n_by_kind[seen, None] * (means - mean_r) ** 2).sum()) / draws
        factors.append("normalisation choice")
        shares.append(min(1.0, between / total) if total > 1e-12 else 0.0)
    return pl.DataFrame({"factor": factors, "explained": shares}).sort(
        ["explained", "factor"], descending=[True, False]
    )
