"""Scoring: one pure function from the indicator matrix and a profile to the ranking, which explains itself.

`score(matrix, profile)` returns one row per country (and scenario) with its score, rank, the counts of
missing and imputed values, and the list of its indicators, each with the raw value, the normalised
value, the weight share and the contribution to the score. The CLI, the site and the exports all call it.

Steps, in order: keep the pool the filters ask for; leave out money indicators whose values are in more
than one currency; with `exclude`, drop countries missing any weighted indicator; normalise each
indicator over the pool; apply the missing-value policy; aggregate; rank.

Ties: scores are rounded to 10 decimal places, equal scores share the best rank among them (1, 2, 2, 4)
and are listed by code. Countries are sorted by code first, so no result depends on input order.
"""

from __future__ import annotations

import polars as pl

from benchmark.scoring import normalise
from benchmark.scoring.profiles import Profile

ENTITY = ["country", "scenario"]
TIE_DECIMALS = 10
_REGIONS_ONLY = {"country": "country", "region": "region"}


def spec(profile: Profile) -> pl.DataFrame:
    """The profile's indicators as a frame: what normalisation needs, and what aggregation weighs."""
    rows = []
    for order, ind in enumerate(profile.indicators):
        low, high = ind.effective_goalposts or (None, None)
        rows.append(
            {
                "indicator": ind.key,
                "order": order,
                "weight": float(ind.weight),
                "method": ind.effective_normalise,
                "lower": ind.effective_direction == "lower",
                "low": low,
                "high": high,
                "money": ind.is_money,
            }
        )
    return pl.DataFrame(
        rows,
        schema={
            "indicator": pl.String,
            "order": pl.Int64,
            "weight": pl.Float64,
            "method": pl.String,
            "lower": pl.Boolean,
            "low": pl.Float64,
            "high": pl.Float64,
            "money": pl.Boolean,
        },
        orient="row",
    )


def pool(matrix: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """The rows the profile's filters keep."""
    f = profile.filters
    keep = pl.lit(True)
    if f.level in _REGIONS_ONLY:
        keep &= pl.col("level") == _REGIONS_ONLY[f.level]
    if f.regions:
        keep &= pl.col("region").is_in(f.regions)
    if f.groupings:
        keep &= pl.col("groupings").list.eval(pl.element().is_in(f.groupings)).list.any()
    return matrix.filter(keep & pl.col("indicator").is_in(profile.keys()))


def prepare(matrix: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Normalised values with the missing-value policy applied: one row per country and indicator.

    Columns: the matrix's, plus order, weight, normalised, used (counts in the score), imputed, excluded.
    """
    rows = pool(matrix, profile).join(spec(profile), on="indicator", how="inner").sort([*ENTITY, "order"])
    rows = _one_currency(rows)
    policy = profile.missing.policy
    weighted = pl.col("weight") > 0
    if policy == "exclude":
        missing = (pl.col("value").is_null() & weighted).any().over(ENTITY)
        rows = rows.with_columns(missing.alias("excluded"))
    else:
        rows = rows.with_columns(pl.lit(False).alias("excluded"))
    inside = ~pl.col("excluded")
    rows = rows.with_columns(pl.when(inside).then(pl.col("value")).alias("_x"))
    rows = rows.with_columns(normalise.normalised(rows, "_x"))
    rows = rows.with_columns(
        pl.col("note").fill_null(
            pl.when(pl.col("value").is_not_null() & pl.col("normalised").is_null() & inside).then(
                pl.lit("a negative value has no logarithm: left missing")
            )
        ),
        pl.col("normalised").is_not_null().any().over("indicator").alias("_any"),
    )
    known = pl.col("normalised").is_not_null()
    if policy == "zero":
        filled = pl.when(known).then(pl.col("normalised")).otherwise(0.0)
    elif policy == "mean":
        group = ["indicator", "region"] if profile.missing.group == "region" else ["indicator"]
        group_mean = pl.col("normalised").filter(inside).mean().over(group)
        overall = pl.col("normalised").filter(inside).mean().over("indicator")
        filled = pl.when(known).then(pl.col("normalised")).otherwise(pl.coalesce(group_mean, overall))
    else:
        filled = pl.col("normalised")
    rows = rows.with_columns(
        pl.when(inside & pl.col("_any")).then(filled).alias("normalised"),
        (~known & inside & pl.col("_any") & pl.lit(policy in ("zero", "mean"))).alias("imputed"),
    )
    rows = rows.with_columns(
        (pl.col("normalised").is_not_null() & weighted & inside).alias("used"),
        pl.col("note").fill_null(
            pl.when(~pl.col("_any")).then(pl.lit("no country in this ranking has a value: left out"))
        ),
    )
    return rows.drop("_x", "_any")


def _one_currency(rows: pl.DataFrame) -> pl.DataFrame:
    """Money values in more than one currency are not compared: all are left missing, with the reason."""
    money = rows.filter(pl.col("money") & pl.col("value").is_not_null())
    mixed = money.group_by("indicator").agg(pl.col("currency").unique().sort().alias("_currencies"))
    mixed = mixed.filter(pl.col("_currencies").list.len() > 1)
    if mixed.is_empty():
        return rows
    rows = rows.join(mixed, on="indicator", how="left", maintain_order="left")
    hit = pl.col("_currencies").is_not_null()
    reason = pl.format(
        "values are in {}; the store has no exchange rates, so they are not compared "
        "(give the indicator `currency:` or `per: gdp`)",
        pl.col("_currencies").list.join(", "),
    )
    return rows.with_columns(
        pl.when(hit).then(pl.lit(None, pl.Float64)).otherwise(pl.col("value")).alias("value"),
        pl.when(hit & pl.col("value").is_not_null()).then(reason).otherwise(pl.col("note")).alias("note"),
    ).drop("_currencies")


def aggregate(prepared: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Weighted arithmetic or geometric mean over the used indicators, each indicator's share of it, ranks."""
    used = pl.col("used")
    total = (pl.col("weight") * used.cast(pl.Float64)).sum().over(ENTITY)
    if profile.aggregation.method == "geometric":
        term = pl.col("weight") * pl.max_horizontal(pl.col("normalised"), pl.lit(profile.aggregation.floor)).log()
    else:
        term = pl.col("weight") * pl.col("normalised")
    rows = prepared.with_columns(
        pl.when(used).then(pl.col("weight") / total).alias("share"),
        pl.when(used).then(term / total).alias("contribution"),
    )
    if profile.aggregation.method == "geometric":
        combined = pl.col("contribution").sum().exp()
    else:
        combined = pl.col("contribution").sum()
    detail = pl.struct(
        "indicator", "weight", "share", "value", "unit", "year", "normalised", "contribution", "imputed", "note"
    )
    out = rows.group_by(ENTITY, maintain_order=True).agg(
        pl.when(used.any()).then(combined).alias("score"),
        used.sum().cast(pl.Int64).alias("used"),
        (pl.col("value").is_null() & (pl.col("weight") > 0)).sum().cast(pl.Int64).alias("missing"),
        pl.col("imputed").sum().cast(pl.Int64).alias("imputed"),
        pl.col("excluded").first().alias("excluded"),
        detail.alias("indicators"),
    )
    out = out.with_columns(
        pl.when(pl.col("excluded"))
        .then(pl.lit("left out: a weighted indicator is missing (missing-value policy: exclude)"))
        .when(pl.col("score").is_null())
        .then(pl.lit("not ranked: no value for any weighted indicator"))
        .alias("note")
    ).with_columns(pl.when(~pl.col("excluded")).then(pl.col("score")).alias("score"))
    return rank(out.drop("excluded"))


def rank(frame: pl.DataFrame) -> pl.DataFrame:
    """Competition ranks on scores rounded to 10 decimals; ties listed by code; unranked rows last."""
    return frame.with_columns(
        pl.col("score").round(TIE_DECIMALS).rank("min", descending=True).cast(pl.Int64).alias("rank")
    ).sort(["rank", *ENTITY], nulls_last=True)


def score(matrix: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """The ranking: country, scenario, score, rank, used, missing, imputed, note, indicators (a list of
    structs: indicator, weight, share, value, unit, year, normalised, contribution, imputed, note)."""
    out = aggregate(prepare(matrix, profile), profile)
    return out.select("country", "scenario", "score", "rank", "used", "missing", "imputed", "note", "indicators")
