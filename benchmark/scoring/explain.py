"""Why a country ranks where it does: indicator by indicator, against the leader and the median.

For each indicator the explanation puts side by side the country's raw value, its normalised value and
its contribution to the score, the leader's (the first country of the ranking, by code among ties), and
the median over the ranked countries. The gaps are in points of score: under arithmetic aggregation
the contributions add up to the score, so the gaps to the leader add up to the gap in score.
Under geometric aggregation contributions are in log points and add up to ln(score).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from benchmark.scoring.profiles import Profile


@dataclass(frozen=True)
class Explanation:
    country: str
    scenario: str
    score: float | None
    rank: int | None
    ranked: int
    leader: str | None
    leader_score: float | None
    median_score: float | None
    note: str | None
    indicators: pl.DataFrame  # indicator, value, unit, year, normalised, contribution, leader_*, median_*, gaps, note

    def summary(self, titles: dict[str, str] | None = None) -> list[str]:
        """The explanation in a few sentences, largest effects first."""
        titles = titles or {}
        who = self.country + (f" ({self.scenario})" if self.scenario else "")
        if self.rank is None or self.score is None:
            reason = (self.note or "no score").removeprefix("not ranked: ")
            return [f"{who} is not ranked: {reason}."]
        lines = [
            f"{who} ranks {self.rank} of {self.ranked} with a score of {self.score:.3f}; "
            f"the leader {self.leader} scores {self.leader_score:.3f} and the median is {self.median_score:.3f}."
        ]
        rows = self.indicators.filter(pl.col("contribution").is_not_null())

        def listing(frame: pl.DataFrame, column: str) -> str:
            return "; ".join(f"{titles.get(i, i)} ({g:+.3f})" for i, g in frame.select("indicator", column).iter_rows())

        behind = rows.filter(pl.col("gap_to_leader") < -1e-12).sort("gap_to_leader").head(3)
        if not behind.is_empty() and self.leader != self.country:
            lines.append(f"Furthest behind the leader on: {listing(behind, 'gap_to_leader')}.")
        ahead = rows.filter(pl.col("gap_to_median") > 1e-12).sort("gap_to_median", descending=True).head(3)
        if not ahead.is_empty():
            lines.append(f"Ahead of the median on: {listing(ahead, 'gap_to_median')}.")
        below = rows.filter(pl.col("gap_to_median") < -1e-12).sort("gap_to_median").head(3)
        if not below.is_empty():
            lines.append(f"Below the median on: {listing(below, 'gap_to_median')}.")
        gaps = self.indicators.filter(pl.col("contribution").is_null() & pl.col("note").is_not_null())
        for indicator, note in gaps.select("indicator", "note").iter_rows():
            lines.append(f"Not counted: {titles.get(indicator, indicator)}: {note.rstrip('.')}.")
        imputed = self.indicators.filter(pl.col("imputed"))
        if not imputed.is_empty():
            lines.append(f"Imputed: {', '.join(titles.get(i, i) for i in imputed['indicator'])}.")
        return lines


def explain(result: pl.DataFrame, profile: Profile, country: str, scenario: str = "") -> Explanation:
    """Explain one row of a `score` result; raises LookupError if the country is not in it."""
    row = result.filter((pl.col("country") == country) & (pl.col("scenario") == scenario))
    if row.is_empty():
        raise LookupError(f"{country} is not in this ranking (check the profile's filters, --region and --grouping)")
    ranked = result.filter(pl.col("rank").is_not_null() & (pl.col("scenario") == ""))
    leader = ranked.sort(["rank", "country"]).head(1)
    detail = _detail(row)
    order = pl.DataFrame({"indicator": profile.keys()}).with_row_index("order")
    if not leader.is_empty():
        lead = _detail(leader).select(
            "indicator",
            pl.col("value").alias("leader_value"),
            pl.col("normalised").alias("leader_normalised"),
            pl.col("contribution").alias("leader_contribution"),
        )
        detail = detail.join(lead, on="indicator", how="left")
    else:
        detail = detail.with_columns(
            pl.lit(None, pl.Float64).alias(c) for c in ("leader_value", "leader_normalised", "leader_contribution")
        )
    if ranked.height:
        median = (
            _detail(ranked)
            .group_by("indicator")
            .agg(
                pl.col("value").median().alias("median_value"),
                pl.col("normalised").median().alias("median_normalised"),
                pl.col("contribution").median().alias("median_contribution"),
            )
        )
        detail = detail.join(median, on="indicator", how="left")
    else:
        detail = detail.with_columns(
            pl.lit(None, pl.Float64).alias(c) for c in ("median_value", "median_normalised", "median_contribution")
        )
    detail = (
        detail.join(order, on="indicator", how="left")
        .sort("order")
        .with_columns(
            (pl.col("contribution") - pl.col("leader_contribution")).alias("gap_to_leader"),
            (pl.col("contribution") - pl.col("median_contribution")).alias("gap_to_median"),
        )
        .select(
            "indicator",
            "weight",
            "share",
            "value",
            "unit",
            "year",
            "normalised",
            "contribution",
            "leader_value",
            "leader_normalised",
            "leader_contribution",
            "median_value",
            "median_normalised",
            "median_contribution",
            "gap_to_leader",
            "gap_to_median",
            "imputed",
            "note",
        )
    )
    first = row.row(0, named=True)
    scores = ranked["score"]
    return Explanation(
        country=country,
        scenario=scenario,
        score=first["score"],
        rank=first["rank"],
        ranked=ranked.height,
        leader=leader["country"][0] if not leader.is_empty() else None,
        leader_score=leader["score"][0] if not leader.is_empty() else None,
        median_score=float(scores.median()) if scores.len() else None,  # type: ignore[arg-type]
        note=first["note"],
        indicators=detail,
    )


def _detail(row: pl.DataFrame) -> pl.DataFrame:
    return row.select("indicators").explode("indicators").unnest("indicators")


def explain_all(result: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    """Every country's explanation at once (the real record, not scenarios), as `explain` gives one:
    country, indicator, weight, share, value, unit, year, normalised, contribution, gap_to_leader, imputed,
    note, in the profile's order of indicators. One pass for a page that explains each of its rows."""
    rows = result.filter(pl.col("scenario") == "")
    ranked = rows.filter(pl.col("rank").is_not_null())
    detail = rows.select("country", "indicators").explode("indicators").unnest("indicators")
    order = pl.DataFrame({"indicator": profile.keys()}).with_row_index("order")
    if ranked.height:
        leader = ranked.sort(["rank", "country"])["country"][0]
        lead = detail.filter(pl.col("country") == leader).select(
            "indicator", pl.col("contribution").alias("leader_contribution")
        )
        detail = detail.join(lead, on="indicator", how="left")
    else:
        detail = detail.with_columns(pl.lit(None, pl.Float64).alias("leader_contribution"))
    return (
        detail.join(order, on="indicator", how="left")
        .sort(["country", "order"])
        .with_columns((pl.col("contribution") - pl.col("leader_contribution")).alias("gap_to_leader"))
        .select(
            "country",
            "indicator",
            "weight",
            "share",
            "value",
            "unit",
            "year",
            "normalised",
            "contribution",
            "gap_to_leader",
            "imputed",
            "note",
        )
    )
