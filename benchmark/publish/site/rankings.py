"""The rankings the site shows, computed by the ranking engine (`benchmark.scoring`) from the same frames.

For each profile of `rankings/` the page gets the engine's result (rank, score, indicators used), the rank
interval of its sensitivity analysis, and, for the weight sliders, what the page's script needs to score
again exactly as the engine does: each indicator's normalisation, direction and goalposts, the missing-value
policy, the aggregation, and every country's raw indicator values (after the engine has left out money in
mixed currencies). The script (`site/static/site.js`) repeats the engine's formula; a browser test checks
that both agree to 1e-9 for several weight settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from benchmark.store.facts import Facts

DRAWS = 1000  # sensitivity draws per profile; the seed is fixed so the site is the same every build
SEED = 0
# Exact best and worst ranks are one mixed-integer programme per country and end, each over every rival
# still undecided: their cost grows much faster than the number of countries (at 2,000 synthetic
# countries they took a third of the build). Above this many ranked countries the site shows the
# sampled interval alone and says why; `rank --bounds` still computes them for any number.
BOUNDS_AT_MOST = 500


@dataclass
class RankRow:
    code: str
    rank: int | None
    score: float | None
    used: int = 0
    best: int | None = None  # 5th percentile of the rank over the sensitivity draws
    worst: int | None = None  # 95th percentile
    median: int | None = None
    note: str | None = None
    any_best: int | None = None  # the best rank any weights within 25% of the profile's allow (exact)
    any_worst: int | None = None  # and the worst; None where the profile is not linear
    real: int = 0  # indicators with a value from the records (imputed and zero-filled ones not counted)
    weighted: int = 0  # indicators with a weight above zero
    why: list[dict[str, Any]] = field(default_factory=list)  # per indicator, as `explain` gives it


@dataclass
class ProfileView:
    name: str
    titles: dict[str, str]
    rationales: dict[str, str]
    rows: list[RankRow]
    indicators: list[dict[str, Any]]
    payload: dict[str, Any]
    as_of: int
    aggregation: str
    missing: str
    drivers: list[tuple[str, float]] = field(default_factory=list)
    normalisations: list[str] = field(default_factory=list)
    scenario_rows: dict[tuple[str, str], RankRow] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    bounds: str = "not-linear"  # "exact", "not-linear", or "too-many" ranked countries (BOUNDS_AT_MOST)
    bounds_at_most: int = BOUNDS_AT_MOST

    @property
    def bounded(self) -> bool:
        """Best and worst ranks are exact (a linear profile, small enough to bound)."""
        return self.bounds == "exact"

    def title(self, lang: str) -> str:
        return _local(self.titles, lang)

    def rationale(self, lang: str) -> str:
        return _local(self.rationales, lang)

    def indicator_title(self, key: str, lang: str) -> str:
        found = next((i for i in self.indicators if i["key"] == key), None)
        return _local(found["titles"], lang) if found else key

    def row_of(self, code: str) -> RankRow | None:
        return self._ranked_by_code.get(code)

    @cached_property
    def _ranked_by_code(self) -> dict[str, RankRow]:
        """The first ranked row of each code: pages look rows up by code, one dict instead of a scan each."""
        out: dict[str, RankRow] = {}
        for r in self.rows:
            if r.rank is not None:
                out.setdefault(r.code, r)
        return out

    @cached_property
    def _codes(self) -> frozenset[str]:
        return frozenset(r.code for r in self.rows)

    @property
    def level(self) -> str:
        """`country`, `region` or `all`: whom the profile ranks (regions are never ranked beside countries)."""
        return str(self.filters.get("level") or "country")

    def covers(self, code: str) -> bool:
        return code in self._codes

    @cached_property  # rows are fixed once the view is made; pages ask again and again
    def ranked(self) -> list[RankRow]:
        return [r for r in self.rows if r.rank is not None]

    @cached_property
    def unranked(self) -> list[RankRow]:
        return [r for r in self.rows if r.rank is None]

    @cached_property
    def top_score(self) -> float:
        scores = [r.score for r in self.rows if r.score is not None]
        return max([1.0, *scores])


@dataclass
class RankingSet:
    profiles: list[ProfileView] = field(default_factory=list)
    problem: str | None = None

    def ranks_of(self, code: str) -> list[tuple[ProfileView, RankRow | None]]:
        """The profiles whose pool holds `code`, with its row (None when it is left out, say for a gap)."""
        return [(p, p.row_of(code)) for p in self.profiles if p.covers(code)]

    def for_level(self, level: str) -> list[ProfileView]:
        return [p for p in self.profiles if p.level in (level, "all")]


def _local(texts: dict[str, str], lang: str) -> str:
    """The text in `lang`; a Kazakh reader without a Kazakh text gets the Russian one, then the English."""
    for code in (lang, "ru" if lang == "kk" else "en", "en"):
        if texts.get(code):
            return texts[code]
    return next(iter(texts.values()), "")


def _texts(local: Any) -> dict[str, str]:
    return {k: v for k, v in (local.model_dump() if local is not None else {}).items() if v}


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def compute(facts: Facts, fallback_year: int | None = None) -> RankingSet:
    """Every valid profile ranked; a profile that fails to load is reported, never silently dropped."""
    try:
        from benchmark.scoring.explain import explain_all
        from benchmark.scoring.indicators import build
        from benchmark.scoring.profiles import available, read_profile
        from benchmark.scoring.rank_bounds import rank_bounds
        from benchmark.scoring.scenario import score_with_scenario
        from benchmark.scoring.score import prepare, score
        from benchmark.scoring.sensitivity import analyse
    except ImportError as err:
        return RankingSet(problem=f"the ranking engine is not available ({err})")
    out = RankingSet()
    problems = []
    scenarios = sorted(facts.scenarios.select("country", "key").iter_rows())
    for name, path in sorted(available().items()):
        profile, found = read_profile(path)
        if profile is None:
            problems.append(f"{path}: {len(found)} problem(s)")
            continue
        year = profile.as_of or fallback_year or _reference_year(facts)
        matrix = build(facts, profile, as_of=year)
        result = score(matrix, profile)
        prepared = prepare(matrix, profile)
        sensitivity = analyse(matrix, profile, DRAWS, seed=SEED)
        bounds = {r["country"]: r for r in sensitivity.countries.filter(pl.col("scenario") == "").iter_rows(named=True)}
        ranked = result.filter((pl.col("scenario") == "") & pl.col("rank").is_not_null()).height
        extremes: dict[str, tuple[int | None, int | None]] = {}
        bounds_state = "too-many"
        if ranked <= BOUNDS_AT_MOST:
            exact = rank_bounds(matrix.filter(pl.col("scenario") == ""), profile)
            extremes = {r["country"]: (r["rank_best"], r["rank_worst"]) for r in exact.countries.iter_rows(named=True)}
            bounds_state = "exact" if exact.linear else "not-linear"
        why: dict[str, list[dict[str, Any]]] = {}
        for r in explain_all(result, profile).iter_rows(named=True):
            why.setdefault(r["country"], []).append(r)
        rows = []
        for r in result.filter(pl.col("scenario") == "").iter_rows(named=True):
            s = bounds.get(r["country"], {})
            rows.append(
                RankRow(
                    r["country"],
                    r["rank"],
                    _number(r["score"]),
                    int(r["used"] or 0),
                    s.get("rank_p05"),
                    s.get("rank_p95"),
                    s.get("rank_median"),
                    r["note"],
                    real=_real(why.get(r["country"], [])),
                    weighted=sum(1 for i in profile.indicators if i.weight > 0),
                    why=why.get(r["country"], []),
                    any_best=extremes.get(r["country"], (None, None))[0],
                    any_worst=extremes.get(r["country"], (None, None))[1],
                )
            )
        view = ProfileView(
            name=name,
            titles=_texts(profile.title),
            rationales=_texts(profile.rationale),
            rows=rows,
            indicators=[
                {
                    "key": i.key,
                    "titles": {lang: i.title(lang) for lang in ("en", "ru", "kk")},
                    "weight": i.weight,
                    "normalise": i.effective_normalise,
                    "direction": i.effective_direction,
                    "goalposts": i.effective_goalposts,
                    "measure": i.effective_measure,
                    "has_data": any(
                        r["indicator"] == i.key and r["value"] is not None for v in why.values() for r in v
                    ),
                }
                for i in profile.indicators
            ],
            payload=_payload(name, profile, prepared, rows),
            as_of=year,
            aggregation=profile.aggregation.method,
            missing=profile.missing.policy,
            drivers=[(f, float(e)) for f, e in sensitivity.drivers.iter_rows()],
            normalisations=list(sensitivity.normalisations),
            filters=profile.filters.model_dump(),
            bounds=bounds_state,
            bounds_at_most=BOUNDS_AT_MOST,
        )
        for code, key in scenarios:
            try:
                with_scenario = score_with_scenario(
                    build(facts, profile, as_of=year, scenario=(code, key)), profile, code, key
                )
            except LookupError:
                continue
            hit = with_scenario.filter((pl.col("country") == code) & (pl.col("scenario") == key))
            for r in hit.iter_rows(named=True):
                view.scenario_rows[(code, key)] = RankRow(
                    code, r["rank"], _number(r["score"]), int(r["used"] or 0), note=r["note"]
                )
        out.profiles.append(view)
    if problems:
        out.problem = "profiles left out: " + "; ".join(problems)
    return out


def _real(indicators: list[dict[str, Any]]) -> int:
    """Indicators that count with a value from the records: weighted, known, neither imputed nor zero-filled."""
    return sum(1 for i in indicators if (i["weight"] or 0) > 0 and i["value"] is not None and not i["imputed"])


def _reference_year(facts: Facts) -> int:
    years = facts.observations.filter(pl.col("kind").is_in(["observed", "estimate"]))["year"].drop_nulls()
    return int(years.max()) if years.len() else 2000  # type: ignore[arg-type]


def _payload(name: str, profile: Any, prepared: pl.DataFrame, rows: list[RankRow]) -> dict[str, Any]:
    """What the page's script scores from: the engine's inputs, not its outputs (the table holds those)."""
    keys = profile.keys()
    values: dict[str, dict[str, float | None]] = {}
    regions: dict[str, str] = {}
    for r in prepared.filter(pl.col("scenario") == "").iter_rows(named=True):
        values.setdefault(r["country"], {})[r["indicator"]] = _number(r["value"])
        regions[r["country"]] = r["region"]
    indicators = []
    for ind in profile.indicators:
        low, high = ind.effective_goalposts or (None, None)
        indicators.append(
            {
                "key": ind.key,
                "weight": ind.weight,
                "method": ind.effective_normalise,
                "lower": ind.effective_direction == "lower",
                "low": low,
                "high": high,
            }
        )
    return {
        "profile": name,
        "indicators": indicators,
        "missing": {"policy": profile.missing.policy, "group": profile.missing.group},
        "aggregation": {"method": profile.aggregation.method, "floor": profile.aggregation.floor},
        "entities": [
            {"code": code, "region": regions[code], "values": [values[code].get(k) for k in keys]}
            for code in sorted(values)
        ],
    }
