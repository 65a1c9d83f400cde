"""From the store's frames to the indicator matrix: one row per country (or scenario) and indicator.

Rules, each a line of `rankings/README.md`:
- a metric is read from the `central` column of its observations: the value times its scale, or for a
  range (low-high) the midpoint; only observations of the profile's kinds count (observed and estimate
  by default, never targets or projections), the whole and not a part; the unnamed method before a named
  one (a named method is another measure of the same thing, read only where the default one is missing),
  then a dated figure before an undated one, then the latest year at or before the as-of year; an undated
  figure (no year, only the year its source reported it) counts as of the year before its report;
- an instrument's status or level becomes a number by the profile's mapping; `unknown` is missing; an
  instrument in force only after the as-of year (`since`) counts as absent; an instrument the record
  does not mention is missing;
- tax rates come from the regimes of `tax_incentives` in force in the as-of year, rebate rates and caps
  from the rebates of `film_rebates`, and a film incentive's effective value for a standard production
  from benchmark.scoring.incentive_indicator;
- money is never converted: `per: gdp` divides by a GDP in the same currency only, `currency:` keeps one
  currency, and values in several currencies are left missing by scoring, with the reason;
- a scenario starts from its country's record and replaces it metric by metric and instrument by
  instrument with the scenario's own facts, which count whatever their kind and year (a scenario states
  the situation it proposes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from benchmark import registry
from benchmark.scoring import incentive_indicator, incentives
from benchmark.scoring.profiles import LEVEL_VALUES, STATUS_VALUES, Indicator, Profile
from benchmark.store.facts import Facts

ENTITY = ["country", "scenario"]
VALUES_SCHEMA: dict[str, Any] = {
    "country": pl.String,
    "scenario": pl.String,
    "value": pl.Float64,
    "note": pl.String,
    "year": pl.Int64,
    "unit": pl.String,
    "currency": pl.String,
}


def current_year() -> int:
    return dt.date.today().year


def as_of_year(profile: Profile, as_of: int | None = None) -> int:
    """The year a ranking is as of: the command's --as-of, else the profile's, else this year."""
    return as_of or profile.as_of or current_year()


def build(
    facts: Facts, profile: Profile, *, as_of: int | None = None, scenario: tuple[str, str] | None = None
) -> pl.DataFrame:
    """The long matrix: country, scenario, level, region, groupings, indicator, value, note, year, unit, currency.

    `scenario` is (country code, scenario key): that scenario is added as one more row set beside the
    real records, with `scenario` set to its key.
    """
    cutoff = as_of_year(profile, as_of)
    entities = _entities(facts, scenario)
    obs = _with_scenario(facts.observations.filter(pl.col("alternative_of").is_null()), "metric", scenario)
    inst = _with_scenario(facts.instruments, "instrument", scenario)
    parts = []
    for ind in profile.indicators:
        values = _values(ind, obs, inst, facts, cutoff)
        parts.append(
            entities.join(values, on=ENTITY, how="left", maintain_order="left").with_columns(
                pl.lit(ind.key).alias("indicator"),
                pl.col("note").fill_null(pl.when(pl.col("value").is_null()).then(pl.lit(_not_recorded(ind, cutoff)))),
            )
        )
    cols = ["country", "scenario", "level", "region", "groupings", "indicator", *list(VALUES_SCHEMA)[2:]]
    return pl.concat(parts, how="vertical").select(cols)


def scenarios(facts: Facts) -> list[str]:
    return sorted(f"{c}:{k}" for c, k in facts.scenarios.select("country", "key").iter_rows())


def _not_recorded(ind: Indicator, cutoff: int) -> str:
    if ind.is_instrument:
        return f"the record does not mention {ind.id}"
    return f"no {'/'.join(ind.kinds)} value of {ind.id} at or before {cutoff}"


def _entities(facts: Facts, scenario: tuple[str, str] | None) -> pl.DataFrame:
    base = facts.countries.select(
        pl.col("code").alias("country"), pl.lit("").alias("scenario"), "level", "region", "groupings"
    )
    if scenario is None:
        return base
    code, key = scenario
    known = facts.scenarios.filter((pl.col("country") == code) & (pl.col("key") == key))
    if known.is_empty():
        names = ", ".join(scenarios(facts)) or "none in the store"
        raise LookupError(f"no scenario `{code}:{key}` (scenarios: {names})")
    extra = base.filter(pl.col("country") == code).with_columns(pl.lit(key).alias("scenario"))
    return pl.concat([base, extra])


def _with_scenario(frame: pl.DataFrame, by: str, scenario: tuple[str, str] | None) -> pl.DataFrame:
    """The real rows (free=False), plus for a scenario its own rows (free=True) and the rows it keeps."""
    real = frame.filter(pl.col("scenario") == "").with_columns(pl.lit(False).alias("free"))
    if scenario is None:
        return real
    code, key = scenario
    own = frame.filter((pl.col("country") == code) & (pl.col("scenario") == key)).with_columns(
        pl.lit(True).alias("free")
    )
    kept = real.filter((pl.col("country") == code) & ~pl.col(by).is_in(own[by].unique().implode())).with_columns(
        pl.lit(key).alias("scenario")
    )
    return pl.concat([real, own, kept])


def _values(ind: Indicator, obs: pl.DataFrame, inst: pl.DataFrame, facts: Facts, cutoff: int) -> pl.DataFrame:
    measure = ind.effective_measure
    if measure == "value":
        out = _metric(ind, obs, cutoff)
    elif measure == "status":
        out = _status(ind, inst, cutoff)
    elif measure == "lowest_tax_rate":
        out = _tax_rate(ind, inst, facts, cutoff)
    elif measure == "effective_value":
        out = incentive_indicator.effective_value(ind, inst, facts, cutoff)
    else:
        out = _rebate(ind, inst, facts, cutoff, cap=measure == "rebate_cap")
    if ind.currency is not None:
        out = out.with_columns(
            pl.when(pl.col("currency").is_not_null() & (pl.col("currency") != ind.currency))
            .then(pl.lit(None, pl.Float64))
            .otherwise(pl.col("value"))
            .alias("value"),
            pl.when(pl.col("currency").is_not_null() & (pl.col("currency") != ind.currency))
            .then(
                pl.format(
                    "in {}; this indicator compares {} only (the store has no exchange rates)",
                    "currency",
                    pl.lit(ind.currency),
                )
            )
            .otherwise(pl.col("note"))
            .alias("note"),
        )
    return out.select(list(VALUES_SCHEMA))


def _latest(
    ind: Indicator, obs: pl.DataFrame, metric: str, cutoff: int, *, part: str | None, by: list[str] = ENTITY
) -> pl.DataFrame:
    # An undated figure (no year, only the year its source reported it) describes some year before the
    # report: it counts as of the year before the report onwards, and only when no dated figure does.
    undated = pl.col("year").is_null() & (pl.col("reported_in") - 1 <= cutoff) & pl.lit(ind.undated == "use")
    rows = obs.filter(
        (pl.col("metric") == metric)
        & pl.col("part").eq_missing(pl.lit(part, pl.String))
        & (pl.col("free") | (pl.col("kind").is_in(list(ind.kinds)) & ((pl.col("year") <= cutoff) | undated)))
    )
    if ind.method is not None and metric == ind.id:
        rows = rows.filter(pl.col("method") == ind.method)
    return (
        rows.with_columns(pl.col("method").is_not_null().alias("named"), pl.col("year").is_null().alias("undated_"))
        .sort(
            ["named", "undated_", "year", "reported_in", "position"],
            descending=[False, False, True, True, False],
            nulls_last=True,
        )
        .group_by(by, maintain_order=True)
        .first()
    )


def _metric(ind: Indicator, obs: pl.DataFrame, cutoff: int) -> pl.DataFrame:
    money = registry.metrics()[ind.id].quantity == "money"
    latest = _latest(ind, obs, ind.id, cutoff, part=ind.part).select(
        *ENTITY,
        "central",
        "year",
        "unit",
        pl.when(pl.col("unknown"))
        .then(pl.format("the source gives no value: {}", pl.col("reason").fill_null("unknown")))
        .when(pl.col("year").is_null() & pl.col("reported_in").is_not_null())
        .then(
            pl.format(
                "an undated figure (reported in {}): no dated figure at or before {}", "reported_in", pl.lit(cutoff)
            )
        )
        .alias("note"),
    )
    out = latest.select(
        *ENTITY,
        pl.col("central").alias("value"),
        "note",
        "year",
        "unit",
        (pl.col("unit") if money else pl.lit(None, pl.String)).alias("currency"),
    )
    if ind.per == "gdp":
        # The GDP in the value's own currency (the latest such), else the latest in any, to say why not.
        in_currency = _latest(ind, obs, "gdp", cutoff, part=None, by=[*ENTITY, "unit"]).select(
            *ENTITY, "unit", pl.col("central").alias("gdp_same")
        )
        gdp = _latest(ind, obs, "gdp", cutoff, part=None).select(
            *ENTITY, pl.col("central").alias("gdp_any"), pl.col("unit").alias("gdp_unit")
        )
        out = out.join(in_currency, on=[*ENTITY, "unit"], how="left", maintain_order="left").join(
            gdp, on=ENTITY, how="left", maintain_order="left"
        )
        same = pl.col("gdp_same").is_not_null()
        out = out.with_columns(pl.coalesce("gdp_same", "gdp_any").alias("gdp")).select(
            *ENTITY,
            pl.when(same & (pl.col("gdp") > 0)).then(pl.col("value") / pl.col("gdp") * 100).alias("value"),
            pl.coalesce(
                pl.when(pl.col("value").is_null()).then(pl.col("note")),
                pl.when(pl.col("value").is_null())
                .then(pl.lit(None, pl.String))
                .when(pl.col("gdp").is_null())
                .then(pl.lit(f"no GDP at or before {cutoff} to scale by"))
                .when(~same)
                .then(
                    pl.format(
                        "{} in {} but GDP in {}: not divided without an exchange rate",
                        pl.lit(ind.id),
                        "unit",
                        "gdp_unit",
                    )
                ),
                pl.col("note"),
            ).alias("note"),
            "year",
            pl.lit("percent of GDP").alias("unit"),
            pl.lit(None, pl.String).alias("currency"),
        )
    elif ind.per == "population":
        pop = _latest(ind, obs, "population", cutoff, part=None).select(*ENTITY, pl.col("central").alias("population"))
        out = out.join(pop, on=ENTITY, how="left", maintain_order="left").select(
            *ENTITY,
            pl.when(pl.col("population") > 0).then(pl.col("value") / pl.col("population") * 1e6).alias("value"),
            pl.coalesce(
                pl.col("note"),
                pl.when(pl.col("value").is_not_null() & pl.col("population").is_null()).then(
                    pl.lit(f"no population at or before {cutoff} to scale by")
                ),
            ).alias("note"),
            "year",
            pl.format("{} per million people", "unit").alias("unit"),
            "currency",
        )
    return out


def _in_force(inst: pl.DataFrame, cutoff: int) -> pl.Expr:
    return pl.col("free") | pl.col("since").is_null() | (pl.col("since") <= cutoff)


def _status(ind: Indicator, inst: pl.DataFrame, cutoff: int) -> pl.DataFrame:
    numbers = {**STATUS_VALUES, **LEVEL_VALUES, **(ind.values or {})}
    absent = numbers["absent"]
    rows = inst.filter(pl.col("instrument") == ind.id)
    grade = pl.coalesce(
        pl.when(pl.col("level").is_not_null() & (pl.col("level") != "unknown")).then(pl.col("level")),
        pl.col("status"),
        pl.col("level"),
    )
    mapped = grade.replace_strict(numbers, default=None, return_dtype=pl.Float64)
    future = ~_in_force(rows, cutoff)
    return rows.select(
        *ENTITY,
        pl.when(future).then(pl.lit(absent)).otherwise(mapped).alias("value"),
        pl.when(future)
        .then(
            pl.format(
                "{} ({}) in force only from {}, after {}: counted as absent",
                grade,
                pl.lit(ind.id),
                "since",
                pl.lit(cutoff),
            )
        )
        .when(mapped.is_null())
        .then(pl.format("{} is unknown: {}", pl.lit(ind.id), pl.col("reason").fill_null("no reason given")))
        .alias("note"),
        pl.lit(None, pl.Int64).alias("year"),
        grade.alias("unit"),
        pl.lit(None, pl.String).alias("currency"),
    )


def _year_of(column: str) -> pl.Expr:
    """A JSON date-or-year column (`2023`, `"2025-05-01"`, `"indefinite"`) as a year, null if none."""
    return pl.col(column).str.strip_chars('"').str.slice(0, 4).cast(pl.Int64, strict=False)


def _tax_rate(ind: Indicator, inst: pl.DataFrame, facts: Facts, cutoff: int) -> pl.DataFrame:
    rows = inst.filter((pl.col("instrument") == ind.id) & _in_force(inst, cutoff))
    regimes = facts.tax_regimes.join(rows.select("id", *ENTITY, "free"), left_on="instrument_id", right_on="id")
    if ind.comparison is not None:
        regimes = regimes.filter(pl.col("comparisons").list.contains(ind.comparison))
    regimes = regimes.filter(
        pl.col("free") | ((_year_of("start").fill_null(0) <= cutoff) & (_year_of("expiry").fill_null(9999) >= cutoff))
    )
    rates = facts.tax_rates.join(
        regimes.select("id", "name", *ENTITY, "free"), left_on="regime_id", right_on="id"
    ).filter(
        pl.col("free") | ((pl.col("from_year").fill_null(0) <= cutoff) & (pl.col("to_year").fill_null(9999) >= cutoff))
    )
    if ind.match is not None:
        rates = rates.filter(
            pl.col("name").str.contains(ind.match) | pl.col("base").fill_null("").str.contains(ind.match)
        )
    best = rates.group_by(ENTITY).agg(pl.coalesce("value", (pl.col("low") + pl.col("high")) / 2).min().alias("value"))
    which = f" in the study's {ind.comparison} comparison" if ind.comparison else ""
    which += f" matching `{ind.match}`" if ind.match else ""
    return (
        rows.select(ENTITY)
        .unique()
        .join(best, on=ENTITY, how="left")
        .select(
            *ENTITY,
            "value",
            pl.when(pl.col("value").is_null())
            .then(pl.lit(f"no tax rate recorded for a regime in force in {cutoff}{which}"))
            .alias("note"),
            pl.lit(None, pl.Int64).alias("year"),
            pl.lit("percent").alias("unit"),
            pl.lit(None, pl.String).alias("currency"),
        )
    )


def _rebate(ind: Indicator, inst: pl.DataFrame, facts: Facts, cutoff: int, *, cap: bool) -> pl.DataFrame:
    rows = inst.filter((pl.col("instrument") == ind.id) & _in_force(inst, cutoff))
    rebates = facts.rebates.join(rows.select("id", *ENTITY, "free"), left_on="instrument_id", right_on="id").filter(
        pl.col("free") | (_year_of("since").fill_null(0) <= cutoff)
    )
    # A programme's rules are JSON: the headline rate and the cap come from benchmark.scoring.incentives.
    programmes = rebates.select("tiers", "caps").to_dicts()
    readings = [incentives.project_cap(p) if cap else incentives.headline_rate(p) for p in programmes]
    rebates = rebates.with_columns(
        pl.Series("amount", [r.value for r in readings], pl.Float64),
        pl.Series("cur", [r.currency for r in readings], pl.String),
        pl.Series("reading", [r.note for r in readings], pl.String),
    ).sort("amount", descending=True, nulls_last=True)
    best = rebates.group_by(ENTITY, maintain_order=True).agg(
        pl.col("amount").first().alias("value"),
        pl.col("cur").first().alias("currency"),
        pl.col("reading").first().alias("reading"),
    )
    if cap:
        unit, missing = pl.col("currency"), f"no rebate cap recorded for a rebate in force in {cutoff}"
    else:
        unit, missing = pl.lit("percent"), f"no rebate rate recorded for a rebate in force in {cutoff}"
    # No rebate returns nothing: a country whose rebate is absent (or not yet in force) has a rate of 0%.
    everyone = inst.filter(pl.col("instrument") == ind.id)
    none = (pl.col("status") == "absent") | ~_in_force(everyone, cutoff)
    if cap:
        none = pl.lit(False)
    return (
        everyone.select(*ENTITY, none.alias("none"))
        .unique(ENTITY)
        .join(best, on=ENTITY, how="left")
        .select(
            *ENTITY,
            pl.when(pl.col("none")).then(pl.lit(0.0)).otherwise(pl.col("value")).alias("value"),
            pl.when(pl.col("none"))
            .then(pl.lit(f"no film rebate in force in {cutoff}: counted as a rate of 0%"))
            .when(pl.col("value").is_null())
            .then(pl.lit(missing))
            .otherwise(pl.col("reading"))
            .alias("note"),
            pl.lit(None, pl.Int64).alias("year"),
            unit.alias("unit"),
            pl.when(pl.col("none")).then(pl.lit(None, pl.String)).otherwise(pl.col("currency")).alias("currency"),
        )
    )


def from_values(
    values: dict[str, dict[str, float | None]],
    *,
    regions: dict[str, str] | None = None,
    groupings: dict[str, list[str]] | None = None,
    currencies: dict[tuple[str, str], str] | None = None,
) -> pl.DataFrame:
    """A matrix from plain numbers, {country: {indicator: value}}: for hand-made cases and synthetic data.

    A None value is missing. Countries are at level `country`, in the region given (default "Europe").
    """
    rows = []
    for country, by_indicator in values.items():
        for indicator, value in by_indicator.items():
            rows.append(
                {
                    "country": country,
                    "scenario": "",
                    "level": "country",
                    "region": (regions or {}).get(country, "Europe"),
                    "groupings": (groupings or {}).get(country, []),
                    "indicator": indicator,
                    "value": None if value is None else float(value),
                    "note": None if value is not None else "missing in the input",
                    "year": None,
                    "unit": None,
                    "currency": (currencies or {}).get((country, indicator)),
                }
            )
    schema = {
        "country": pl.String,
        "scenario": pl.String,
        "level": pl.String,
        "region": pl.String,
        "groupings": pl.List(pl.String),
        "indicator": pl.String,
        **{k: v for k, v in VALUES_SCHEMA.items() if k not in ENTITY},
    }
    return pl.DataFrame(rows, schema=schema, orient="row")
