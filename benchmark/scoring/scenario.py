"""Scenarios beside the real records: where would a country rank if its record were the scenario?

The real ranking is scored as usual. The scenario is then scored in place of its country's record (the
other countries unchanged) and shown as one more row, with `rank_change`: the country's real rank minus
the scenario's rank, so +3 means the scenario would move the country three places up.
"""

from __future__ import annotations

import polars as pl

from benchmark.scoring.profiles import Profile
from benchmark.scoring.score import score


def score_with_scenario(matrix: pl.DataFrame, profile: Profile, code: str, key: str) -> pl.DataFrame:
    """The real ranking plus the scenario's row; every row has `rank_change` (null on the real rows)."""
    real = matrix.filter(pl.col("scenario") == "")
    base = score(real, profile)
    swapped = matrix.filter(
        (pl.col("scenario") == "") & (pl.col("country") != code)
        | ((pl.col("country") == code) & (pl.col("scenario") == key))
    )
    alt = score(swapped, profile).filter((pl.col("country") == code) & (pl.col("scenario") == key))
    was = base.filter(pl.col("country") == code).select(pl.col("rank").alias("real_rank"))
    alt = (
        alt.join(was, how="cross")
        if not was.is_empty()
        else alt.with_columns(pl.lit(None, pl.Int64).alias("real_rank"))
    )
    alt = alt.with_columns((pl.col("real_rank") - pl.col("rank")).alias("rank_change")).drop("real_rank")
    base = base.with_columns(pl.lit(None, pl.Int64).alias("rank_change"))
    return pl.concat([base, alt]).sort(["rank", "country", "scenario"], nulls_last=True)
