"""The film-incentive indicator scored on its effective value: what the best programme pays one production.

A profile's indicator `{id: film_rebates, measure: effective_value, production: {...}}` names a standard
production (budget, currency, local spend, kind). Each country's programmes in force in the as-of year are
valued for it by `incentive_value` (the calculator's own rules), and the country's value is the best
programme's: its effective rate on the whole budget (percent), or with `quantity: amount` the value in the
production's currency at the registry's dated exchange rate.

Where unknown rules leave a range, nothing is guessed: `bound: low` (the default) scores the low end, what
is certain; `bound: high` the most the programme could pay. The note says the range and which rules are
unknown, with the record's reasons. Where no value is possible (no rate, no exchange rate, no programme
recorded, or no upper end under `bound: high`) the value is missing with that reason, and the profile's
missing-value policy decides. A country with no incentive in force (absent, planned, or in force only
later) gets nothing: 0.

The production's shape (`ProductionSpec`) and its checks (`production_rules`, reported at the field's
line by the profile's rules) live here too, so the measure is one module.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import polars as pl
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from benchmark.records.models_rule import finite_number
from benchmark.scoring.incentive_rates import registry_rates
from benchmark.scoring.incentive_value import Production, Value, incentive_value

if TYPE_CHECKING:
    from benchmark.scoring.profiles import Indicator
    from benchmark.store.facts import Facts

ENTITY = ["country", "scenario"]
NOTHING = ("absent", "planned")  # statuses under which a production gets nothing today
# The calculator's rule names in a reader's words (notes reach the site's pages).
RULE_WORDS = {
    "kinds": "the eligible kinds of production",
    "minimum_spend": "the minimum spend",
    "caps": "the cap",
    "qualifying": "what spend qualifies",
    "tiers": "the rate",
    "exchange": "the exchange rate",
    "fund": "the annual fund",
}


Number = Annotated[float, BeforeValidator(finite_number)]


class ProductionSpec(BaseModel):
    """The standard production an `effective_value` indicator values every programme for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    budget: Number = Field(gt=0, description="Total budget, in `currency`.")
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the budget (USD, EUR, KZT).")
    kind: Literal["feature", "series", "animation", "documentary", "game"] = Field(
        description="feature, series, animation, documentary or game."
    )
    local_share: Number | None = Field(
        None, ge=0, le=1, description="The local spend as a fraction of the budget (0.6 for 60%)."
    )
    local_spend: Number | None = Field(None, ge=0, description="The local spend as an amount (instead of a share).")
    spend: dict[Literal["vfx", "post_production", "animation", "regional", "local_hire"], Number] = Field(
        default_factory=dict,
        description="Parts of the local spend by category (vfx, post_production, animation, regional, local_hire).",
    )
    year: Annotated[int, Field(ge=1900, le=2100)] | None = Field(
        None, description="The exchange rates' year (default: the latest year the table has for both currencies)."
    )

    def production(self) -> Production:
        return Production(
            budget=self.budget,
            currency=self.currency,
            kind=self.kind,
            local_spend=self.local_spend,
            local_share=self.local_share,
            spend={str(k): v for k, v in self.spend.items()},
            target_currency=self.currency,
            year=self.year,
        )


def production_problems(spec: ProductionSpec) -> list[tuple[str, str, str, str]]:
    """What makes a valid-looking production impossible to value: (field, message, expected, code)."""
    out = []
    if (spec.local_share is None) == (spec.local_spend is None):
        out.append(
            (
                "local_share",
                "give the local spend once: as a share of the budget or as an amount",
                "local_share: 0.6, or local_spend: 3000000",
                "production-local-spend-once",
            )
        )
    if spec.local_spend is not None and spec.local_spend > spec.budget:
        out.append(("local_spend", "the local spend is above the budget", "at most the budget", "production-fits"))
    local = spec.local_spend if spec.local_spend is not None else spec.budget * (spec.local_share or 0.0)
    if spec.spend and sum(spec.spend.values()) > local * (1 + 1e-12):
        out.append(("spend", "the spend by category adds up to more than the local spend", "", "production-fits"))
    years = {y for (c, y) in registry_rates() if c == spec.currency}
    if spec.currency != "USD" and not years:
        out.append(
            (
                "currency",
                f"the exchange-rate table has no rate for {spec.currency}: no programme in another currency "
                "could be valued",
                "USD, EUR or another currency of benchmark/registry/exchange_rates.yaml",
                "production-currency-has-rates",
            )
        )
    elif spec.currency != "USD" and spec.year is not None and spec.year not in years:
        listed = ", ".join(str(y) for y in sorted(years))
        message = f"the exchange-rate table has {spec.currency} for {listed} only"
        out.append(("year", message, listed, "production-year-has-rates"))
    return out


def production_rules(ind: Indicator, at: tuple[str | int, ...], measure: str, problem: Callable[..., None]) -> None:
    """An effective value needs a production that can be valued; its options belong to it alone."""
    fields = ind.model_fields_set
    if measure != "effective_value":
        for option in ("production", "bound", "quantity"):
            if option in fields:
                problem((*at, option), f"`{option}` applies to effective_value only", "measure: effective_value",
                        "option-fits-measure")  # fmt: skip
        return
    if ind.production is None:
        problem((*at, "measure"), "an effective value is computed for a production, and none is given",
                "production: {budget: 5000000, currency: USD, local_share: 0.6, kind: feature}",
                "effective-value-needs-production")  # fmt: skip
        return
    for name, message, expected, code in production_problems(ind.production):
        problem((*at, "production", name), message, expected, code)


@dataclass(frozen=True)
class _Valued:
    name: str
    value: Value
    low: float | None  # None: no value at all
    high: float | None  # None: no upper end


def effective_value(ind: Indicator, inst: pl.DataFrame, facts: Facts, cutoff: int) -> pl.DataFrame:
    """country, scenario, value, note, year, unit, currency: one row per entity recording the instrument."""
    assert ind.production is not None  # the profile's rules require it
    production = ind.production.production()
    amount = ind.quantity == "amount"
    unit = production.currency if amount else "percent of budget"
    everyone = inst.filter(pl.col("instrument") == ind.id)
    programmes = facts.rebates.join(
        everyone.select(pl.col("id").alias("instrument_id"), *ENTITY, "free"), on="instrument_id"
    ).sort("position")
    by_entity: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in programmes.iter_rows(named=True):
        by_entity.setdefault((row["country"], row["scenario"]), []).append(row)
    rows = []
    for entity in everyone.unique(ENTITY, keep="first", maintain_order=True).iter_rows(named=True):
        key = (entity["country"], entity["scenario"])
        value, note = _entity_value(entity, by_entity.get(key, []), production, ind, cutoff)
        rows.append((*key, value, note, None, unit, production.currency if amount else None))
    schema = {"country": pl.String, "scenario": pl.String, "value": pl.Float64, "note": pl.String,
              "year": pl.Int64, "unit": pl.String, "currency": pl.String}  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


def _entity_value(
    entity: dict[str, Any], rows: list[dict[str, Any]], production: Production, ind: Indicator, cutoff: int
) -> tuple[float | None, str]:
    status, free = entity["status"], entity["free"]
    since = entity["since"]
    if status in NOTHING or (not free and since is not None and since > cutoff):
        return 0.0, f"no film incentive in force in {cutoff}: counted as nothing (0)"
    if status == "unknown":
        return None, f"whether there is a film incentive is not known: {entity['reason'] or 'no reason given'}"
    in_force = [r for r in rows if r["free"] or _in_force(r, cutoff)]
    if not in_force:
        if rows:
            return None, f"no programme recorded in force in {cutoff}: the ones recorded started later or ended"
        return None, "the record gives no programme's rules to value"
    valued = [_valued(r, production, ind.quantity == "amount") for r in in_force]
    if ind.bound == "high":
        open_ended = [v for v in valued if v.high is None]
        if open_ended:
            v = open_ended[0]
            why = "no value" if v.low is None else "no upper end is known"
            return None, f"{why}: {v.name}: {_unknown_text(v.value) or 'no rule known'}"
        best = max(valued, key=lambda v: (v.high or 0.0, v.low or 0.0))
        return best.high, _note(best, "high", production, len(valued))
    known = [v for v in valued if v.low is not None]
    if not known:
        v = valued[0]
        return None, f"no value: {v.name}: {_unknown_text(v.value) or 'no rule known'}"
    best = max(known, key=lambda v: (v.low or 0.0, math.inf if v.high is None else v.high))
    return best.low, _note(best, "low", production, len(valued))


def _valued(row: dict[str, Any], production: Production, amount: bool) -> _Valued:
    name = row["name"] or "the film incentive"
    v = incentive_value(row, production)
    target = v.target or {}
    if v.status == "unknown" or target.get("low") is None or v.rate_on_budget is None:
        return _Valued(name, v, None, None)
    if amount:
        return _Valued(name, v, target["low"], target.get("high"))
    low, high = v.rate_on_budget
    return _Valued(name, v, low, high)


def _year(value: Any) -> int | None:
    """A date-or-year (`2023`, `"2025-05-01"`, `"indefinite"`, as JSON text or not) as a year, None if none."""
    found = re.match(r'^"?(\d{4})', str(value)) if value is not None else None
    return int(found.group(1)) if found else None


def _in_force(row: dict[str, Any], cutoff: int) -> bool:
    since, until = _year(row.get("since")), _year(row.get("until"))
    return (since is None or since <= cutoff) and (until is None or until >= cutoff)


def _note(best: _Valued, bound: str, production: Production, of: int) -> str:
    v = best.value
    name = best.name + (f" (the best of {of} programmes)" if of > 1 else "")
    if v.status == "ineligible":
        return f"{name}: nothing for this production ({'; '.join(v.why_not)})"
    rate, target = v.rate_on_budget or (0.0, None), v.target or {}
    share = _range(rate[0], rate[1], "%")
    money = _range(target.get("low") or 0.0, target.get("high"), f" {production.currency}", scaled=True)
    fx = v.exchange
    rate_text = f", converted at the {fx.year} average rate" if fx is not None and fx.year is not None else ""
    text = f"{name}: {share} of the budget ({money}{rate_text})"
    if v.status == "range":
        end = "low end (what is certain)" if bound == "low" else "high end (the most it could pay)"
        text += f"; a range, scored at its {end}"
    unknown = _unknown_text(v)
    if unknown:
        text += f"; not known: {unknown}"
    elif v.binding:
        text += f"; set by the {v.binding['text']}"
    return text


def _unknown_text(v: Value) -> str:
    """The unknown rules in words, each with the record's reasons: "the cap (no cap found); the rate (...)"."""
    reasons: dict[str, list[str]] = {}
    for u in v.unknowns:
        reasons.setdefault(RULE_WORDS.get(u["rule"], u["rule"]), []).append(u["reason"])
    return "; ".join(f"{rule} ({'; '.join(why)})" for rule, why in reasons.items())


def _range(low: float, high: float | None, unit: str, *, scaled: bool = False) -> str:
    def num(x: float) -> str:
        if scaled:
            from benchmark.money import format_scaled

            return format_scaled(x)
        return f"{x:.3g}"

    if high is None:
        return f"at least {num(low)}{unit}, with no upper end known"
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        return f"{num(low)}{unit}"
    return f"{num(low)}-{num(high)}{unit}"
