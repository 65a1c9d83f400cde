"""Normalisation: put each indicator on a common scale, over the countries being ranked.

Five methods (x is a value, over the known values of one indicator in the ranking's pool):
- min-max:     (x - min) / (max - min); 0.5 for everyone when all values are equal;
- z-score:     (x - mean) / sd, population sd; 0 for everyone when all values are equal;
- rank:        (r - 1) / (n - 1), r the average rank from the lowest (ties share); 0.5 when n = 1;
- goalposts:   (x - low) / (high - low) with fixed bounds, clipped to 0-1: a score that does not move
               when other countries change;
- log-min-max: min-max of ln(1 + x), for skewed quantities (money, counts); a negative x is left missing.
Where lower is better, a 0-1 result becomes 1 minus it and a z-score changes sign, so that higher is
always better after normalisation.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl


def normalised(frame: pl.DataFrame, value: str = "value", by: str = "indicator") -> pl.Series:
    """The normalised values of `frame[value]`, per `by` group; reads the columns method, lower, low, high."""
    raw = pl.col(value)
    x = pl.when(pl.col("method") == "log-min-max").then(pl.when(raw >= 0).then((raw + 1).log())).otherwise(raw)
    rows = frame.select(by, "method", "lower", "low", "high", x.alias("_x"))
    stats = rows.group_by(by).agg(
        pl.col("_x").min().alias("_lo"),
        pl.col("_x").max().alias("_hi"),
        pl.col("_x").mean().alias("_mean"),
        pl.col("_x").std(ddof=0).alias("_sd"),
        pl.col("_x").count().alias("_n"),
    )
    rows = rows.join(stats, on=by, how="left", maintain_order="left")
    if (rows["method"] == "rank").any():
        rows = rows.with_columns(pl.col("_x").rank("average").over(by).alias("_rank"))
    else:
        rows = rows.with_columns(pl.lit(None, pl.Float64).alias("_rank"))
    return rows.select(expression().alias("normalised"))["normalised"]


def expression() -> pl.Expr:
    """The normalisation of `_x` from the precomputed per-indicator columns _lo, _hi, _mean, _sd, _n, _rank."""
    x, lo, hi, mean, sd, n = (pl.col(c) for c in ("_x", "_lo", "_hi", "_mean", "_sd", "_n"))
    known = x.is_not_null()
    min_max = pl.when(hi > lo).then((x - lo) / (hi - lo)).otherwise(pl.when(known).then(0.5))
    z = pl.when(sd > 0).then((x - mean) / sd).otherwise(pl.when(known).then(0.0))
    ranked = pl.when(n > 1).then((pl.col("_rank") - 1) / (n - 1)).otherwise(pl.when(known).then(0.5))
    goal = ((x - pl.col("low")) / (pl.col("high") - pl.col("low"))).clip(0.0, 1.0)
    scaled = (
        pl.when(pl.col("method") == "z-score")
        .then(z)
        .when(pl.col("method") == "rank")
        .then(ranked)
        .when(pl.col("method") == "goalposts")
        .then(goal)
        .otherwise(min_max)
    )
    flipped = pl.when(pl.col("method") == "z-score").then(-scaled).otherwise(1.0 - scaled)
    return pl.when(pl.col("lower")).then(flipped).otherwise(scaled).cast(pl.Float64)


def normalise(
    values: Sequence[float | None],
    method: str,
    *,
    direction: str = "higher",
    goalposts: tuple[float, float] | None = None,
) -> list[float | None]:
    """One indicator's values normalised by one method: the formulas above, for tests and documentation."""
    low, high = goalposts or (None, None)
    frame = pl.DataFrame({"value": list(values)}, schema={"value": pl.Float64}).with_columns(
        pl.lit("x").alias("indicator"),
        pl.lit(method).alias("method"),
        pl.lit(direction == "lower").alias("lower"),
        pl.lit(low, pl.Float64).alias("low"),
        pl.lit(high, pl.Float64).alias("high"),
    )
    return normalised(frame).to_list()
