"""Ranking profiles: which indicators a ranking uses, with what weight, direction and normalisation.

A profile is one `rankings/*.yaml` file. `Profile` is both the first validation layer (shape, types,
unknown keys rejected with a "did you mean") and the source of the published `schemas/profile.schema.json`.
The rules that need the whole profile (weights not all zero, goalposts where asked for, one name per
indicator) run after it and report at the line of the field at fault, as country files do.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from benchmark import registry, resources
from benchmark.problems import InvalidData, Problem
from benchmark.records.models_rule import Rule
from benchmark.records.models_rule import finite_number as _number
from benchmark.records.read import Document, dotted, read
from benchmark.records.structure import check_model
from benchmark.scoring.incentive_indicator import ProductionSpec, production_rules

Normalisation = Literal["min-max", "z-score", "rank", "goalposts", "log-min-max"]
NORMALISATIONS: tuple[str, ...] = ("min-max", "z-score", "rank", "goalposts", "log-min-max")
Direction = Literal["higher", "lower"]
Measure = Literal["value", "status", "lowest_tax_rate", "rebate_rate", "rebate_cap", "effective_value"]
MissingPolicy = Literal["exclude", "zero", "reweight", "mean"]
Kind = Literal["observed", "estimate", "target", "projection"]

# How an instrument's status or level becomes a number unless a profile says otherwise. `unknown` is
# missing, never zero: the missing-value policy decides what it counts as.
STATUS_VALUES: dict[str, float] = {"present": 1.0, "partial": 0.5, "planned": 0.0, "absent": 0.0}
LEVEL_VALUES: dict[str, float] = {"high": 1.0, "medium": 0.5, "low": 0.0}
INSTRUMENT_MEASURES = ("status", "lowest_tax_rate", "rebate_rate", "rebate_cap", "effective_value")
FILM_MEASURES = ("rebate_rate", "rebate_cap", "effective_value")
DEFAULT_KINDS: tuple[Kind, ...] = ("observed", "estimate")
RANKINGS = Path("rankings")
# What a derived indicator's title adds to its instrument's or metric's name, in each language of the site.
SUFFIXES: dict[str, dict[str, str]] = {
    "en": {
        "lowest_tax_rate": "lowest tax rate",
        "rebate_rate": "rebate rate",
        "rebate_cap": "rebate cap",
        "effective_value": "value for a standard production",
        "per_gdp": "per GDP",
        "per_million": "per million people",
    },
    "ru": {
        "lowest_tax_rate": "минимальная налоговая ставка",
        "rebate_rate": "ставка рибейта",
        "rebate_cap": "лимит рибейта",
        "effective_value": "выгода для типового производства",
        "per_gdp": "к ВВП",
        "per_million": "на миллион жителей",
    },
    "kk": {
        "lowest_tax_rate": "ең төмен салық мөлшерлемесі",
        "rebate_rate": "рибейт мөлшерлемесі",
        "rebate_cap": "рибейт шегі",
        "effective_value": "типтік өндіріс үшін құны",
        "per_gdp": "ЖІӨ-ге шаққанда",
        "per_million": "миллион тұрғынға",
    },
}


def _indicator_id(key: str) -> str:
    known = [*registry.instruments(), *registry.metrics()]
    if key not in known:
        near = difflib.get_close_matches(key, known, n=1)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        raise ValueError(
            f"unknown indicator `{key}`{hint} (an instrument of benchmark/registry/instruments.yaml "
            "or a metric of benchmark/registry/metrics.yaml)"
        )
    return key


def _value_keys(values: dict[str, float]) -> dict[str, float]:
    allowed = [*STATUS_VALUES, *LEVEL_VALUES]
    for key in values:
        if key not in allowed:
            near = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            raise ValueError(f"`{key}` is not a status or level{hint} (one of: {', '.join(allowed)})")
    return values


MAX_WEIGHT = 1000.0  # only ratios matter: 1000 to 1 is already one indicator deciding alone


def _weight(value: object) -> float:
    weight = _number(value)
    if not 0 <= weight <= MAX_WEIGHT:
        raise Rule(
            "weight-out-of-range",
            f"a weight must be greater than or equal to 0 and at most {MAX_WEIGHT:g}, not {weight:g}",
        )
    return weight


Finite = Annotated[float, BeforeValidator(_number)]
Weight = Annotated[float, BeforeValidator(_weight)]
IndicatorId = Annotated[str, AfterValidator(_indicator_id)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    en: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    kk: str | None = None


class Indicator(Strict):
    """One indicator of a ranking: an instrument or a metric, and how it is turned into a 0-1 score."""

    id: IndicatorId = Field(description="An instrument or metric id from benchmark/registry/.")
    name: Name | None = Field(
        None,
        description="The name this indicator goes by in --weight, --only and outputs (default: the id, or "
        "id_measure for a measure other than the default).",
    )
    weight: Weight = Field(
        1.0, ge=0, le=MAX_WEIGHT, description="Relative weight; only ratios matter. 0 keeps it for display only."
    )
    measure: Measure | None = Field(
        None,
        description="What to read: `value` (a metric's latest observation, the default for metrics), `status` "
        "(an instrument's status or level, the default for instruments), `lowest_tax_rate` (lowest rate of the "
        "instrument's tax regimes, percent), `rebate_rate` (highest film-rebate rate, percent), `rebate_cap` or "
        "`effective_value` (what the best film incentive pays the `production`).",
    )
    direction: Direction | None = Field(
        None,
        description="`higher` or `lower` is better (default: the metric's `better` in the registry; instruments "
        "higher; tax rates lower).",
    )
    normalise: Normalisation | None = Field(
        None,
        description="min-max, z-score, rank, goalposts (fixed bounds) or log-min-max (default: goalposts 0-1 "
        "for instrument statuses, min-max otherwise).",
    )
    goalposts: tuple[Finite, Finite] | None = Field(
        None, description="[low, high]: the fixed bounds of `goalposts`; values outside are clipped."
    )
    values: Annotated[dict[str, Finite], AfterValidator(_value_keys)] | None = Field(
        None,
        description="Numbers for statuses and levels, replacing the defaults (present 1, partial 0.5, planned 0, "
        "absent 0; high 1, medium 0.5, low 0). `unknown` is always missing.",
    )
    per: Literal["gdp", "population"] | None = Field(
        None,
        description="Scale a metric by the country's GDP (percent of GDP, same currency only) or population "
        "(per million people), so that size does not decide.",
    )
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        None, description="For money: compare values in this ISO 4217 currency only (no exchange rates are stored)."
    )
    kinds: list[Kind] = Field(
        default_factory=lambda: list(DEFAULT_KINDS),
        description="Which kinds of observation count (default observed and estimate; never targets unless asked).",
    )
    undated: Literal["use", "exclude"] = Field(
        "use",
        description="Figures whose source gives no year: `use` (default) counts one, as of the year before its "
        "source reported it, only where no dated figure exists; `exclude` never counts one.",
    )
    part: str | None = Field(None, description="A breakdown's part to read (default: the whole, no part).")
    method: str | None = Field(None, description="A methodology variant to read (default: the unnamed one first).")
    comparison: Literal["central-asia-tax"] | None = Field(
        None, description="For lowest_tax_rate: only regimes in this comparison of the study."
    )
    match: str | None = Field(
        None,
        description="For lowest_tax_rate: only regimes whose name, or rates whose base, match this regular "
        "expression (`\\bIP\\b` for IP boxes).",
    )
    production: ProductionSpec | None = Field(
        None, description="For effective_value: the standard production every programme is valued for."
    )
    bound: Literal["low", "high"] = Field(
        "low",
        description="For effective_value, where unknown rules leave a range: `low` scores what is certain "
        "(default), `high` the most the programme could pay.",
    )
    quantity: Literal["rate", "amount"] = Field(
        "rate",
        description="For effective_value: `rate`, percent of the whole budget (default), or `amount`, the value "
        "in the production's currency at the registry's dated exchange rate.",
    )
    label: LocalText | None = None

    @property
    def key(self) -> str:
        if self.name:
            return self.name
        if self.measure in (None, "value", "status"):
            return self.id
        return f"{self.id}_{self.measure}"

    @property
    def is_instrument(self) -> bool:
        return self.id in registry.instruments()

    @property
    def effective_measure(self) -> str:
        return self.measure or ("status" if self.is_instrument else "value")

    @property
    def effective_direction(self) -> str:
        if self.direction:
            return self.direction
        if self.effective_measure == "lowest_tax_rate":
            return "lower"
        if self.is_instrument:
            return "higher"
        return registry.metrics()[self.id].better

    @property
    def effective_normalise(self) -> str:
        if self.normalise:
            return self.normalise
        return "goalposts" if self.effective_measure == "status" else "min-max"

    @property
    def effective_goalposts(self) -> tuple[float, float] | None:
        if self.goalposts is not None:
            return self.goalposts
        if self.effective_normalise == "goalposts" and self.effective_measure == "status":
            numbers = {**STATUS_VALUES, **LEVEL_VALUES, **(self.values or {})}.values()
            return (min(0.0, *numbers), max(1.0, *numbers))
        return None

    @property
    def is_money(self) -> bool:
        if self.is_instrument:
            return self.effective_measure == "rebate_cap" or (
                self.effective_measure == "effective_value" and self.quantity == "amount"
            )
        return registry.metrics()[self.id].quantity == "money" and self.per != "gdp"

    def title(self, lang: str = "en") -> str:
        if self.label is not None:
            return getattr(self.label, lang, None) or self.label.en
        entry = registry.instruments().get(self.id) or registry.metrics()[self.id]
        base = entry.label.get(lang) or entry.label["en"]
        words = SUFFIXES.get(lang, SUFFIXES["en"])
        extra = [words[self.effective_measure]] if self.effective_measure in words else []
        extra += [words["per_gdp" if self.per == "gdp" else "per_million"]] if self.per else []
        return f"{base} ({', '.join(extra)})" if extra else base


class Missing(Strict):
    policy: MissingPolicy = Field(
        "reweight",
        description="exclude (leave the country out), zero (count as 0 on the normalised scale), reweight "
        "(share the weight among the indicators the country has) or mean (impute the group mean).",
    )
    group: Literal["region", "all"] = Field("region", description="For `mean`: the group whose mean is imputed.")


class Aggregation(Strict):
    method: Literal["arithmetic", "geometric"] = Field(
        "arithmetic", description="Weighted arithmetic or geometric mean."
    )
    floor: float = Field(
        0.01,
        gt=0,
        le=1,
        description="For geometric: normalised values below this count as this, so one zero does not wipe a score.",
    )


class Filters(Strict):
    regions: list[str] = Field(default_factory=list, description="Keep these world regions only (as in records).")
    groupings: list[str] = Field(default_factory=list, description="Keep members of any of these groupings only.")
    level: Literal["country", "region", "all"] = Field(
        "country", description="Countries, sub-national regions, or both."
    )


class Profile(Strict):
    """A ranking profile (`rankings/*.yaml`): indicators, weights and how they become one score."""

    title: LocalText
    rationale: LocalText
    as_of: Annotated[int, Field(ge=1900, le=2100)] | None = Field(
        None, description="Rank on the latest observation at or before this year (default: the latest there is)."
    )
    indicators: list[Indicator] = Field(min_length=1)
    missing: Missing = Field(default_factory=lambda: Missing.model_validate({}))
    aggregation: Aggregation = Field(default_factory=lambda: Aggregation.model_validate({}))
    filters: Filters = Field(default_factory=lambda: Filters.model_validate({}))

    def keys(self) -> list[str]:
        return [i.key for i in self.indicators]


def rules(profile: Profile, doc: Document) -> list[Problem]:
    """The checks that need the whole profile, each at the line of the field at fault."""
    out: list[Problem] = []

    def problem(path: tuple[str | int, ...], message: str, expected: str, code: str) -> None:
        out.append(Problem(doc.file, *doc.position(path), dotted(path), message, expected, code))

    if all(i.weight == 0 for i in profile.indicators):
        problem(
            ("indicators",),
            "every weight is zero: nothing would be ranked",
            "at least one positive weight",
            "some-weight-is-positive",
        )
    seen: dict[str, int] = {}
    for n, ind in enumerate(profile.indicators):
        at = ("indicators", n)
        if ind.key in seen:
            problem(
                (*at, "name" if ind.name else "id"),
                f"the indicator `{ind.key}` is given twice (first as indicators[{seen[ind.key]}])",
                "a distinct `name` for each variant of one id",
                "duplicate-indicator",
            )
        seen.setdefault(ind.key, n)
        measure = ind.effective_measure
        if ind.is_instrument and measure == "value":
            problem(
                (*at, "measure"),
                f"`{ind.id}` is an instrument; it has no `value`",
                "one of " + ", ".join(INSTRUMENT_MEASURES),
                "measure-fits-indicator",
            )
        if not ind.is_instrument and measure != "value":
            problem(
                (*at, "measure"), f"`{ind.id}` is a metric; only `value` applies", "value", "measure-fits-indicator"
            )
        if measure in ("lowest_tax_rate",) and ind.id != "tax_incentives":
            problem(
                (*at, "measure"),
                "tax rates are read from the `tax_incentives` instrument",
                "id: tax_incentives",
                "measure-fits-indicator",
            )
        if measure in FILM_MEASURES and ind.id != "film_rebates":
            problem(
                (*at, "measure"),
                "rebates are read from the `film_rebates` instrument",
                "id: film_rebates",
                "measure-fits-indicator",
            )
        production_rules(ind, at, measure, problem)
        if ind.per and ind.is_instrument:
            problem((*at, "per"), "`per` scales metrics only", "no `per` on an instrument", "per-scales-metrics-only")
        if ind.values is not None and measure != "status":
            problem(
                (*at, "values"),
                "`values` maps statuses and levels; this indicator reads numbers",
                "no `values`",
                "values-map-statuses-only",
            )
        if ind.comparison and measure != "lowest_tax_rate":
            problem((*at, "comparison"), "`comparison` applies to lowest_tax_rate only", "", "option-fits-measure")
        if ind.match is not None:
            if measure != "lowest_tax_rate":
                problem((*at, "match"), "`match` applies to lowest_tax_rate only", "", "option-fits-measure")
            try:
                re.compile(ind.match)
            except re.error as err:
                problem(
                    (*at, "match"),
                    f"not a regular expression: {err}",
                    "a pattern such as \\bIP\\b",
                    "match-is-a-pattern",
                )
        if ind.effective_normalise == "goalposts" and ind.effective_goalposts is None:
            problem((*at, "normalise"), "goalposts need fixed bounds", "goalposts: [low, high]", "goalposts-are-given")
        if ind.goalposts is not None:
            low, high = ind.goalposts
            if not low < high:
                problem(
                    (*at, "goalposts"),
                    f"the low goalpost ({low:g}) must be below the high one ({high:g})",
                    "",
                    "goalposts-are-ordered",
                )
            if ind.effective_normalise != "goalposts":
                problem(
                    (*at, "goalposts"),
                    "goalposts are used only with `normalise: goalposts`",
                    "normalise: goalposts",
                    "option-fits-measure",
                )
        if profile.aggregation.method == "geometric" and ind.effective_normalise == "z-score":
            problem(
                (*at, "normalise"),
                "z-scores are negative below the mean; a geometric mean needs values of 0 to 1",
                "min-max, rank, goalposts or log-min-max",
                "geometric-needs-non-negative-scores",
            )
        if not ind.kinds:
            problem(
                (*at, "kinds"),
                "no kind of observation would count",
                "observed, estimate, target or projection",
                "some-kind-counts",
            )
    return out


def read_profile(path: Path, display: str | None = None) -> tuple[Profile | None, list[Problem]]:
    doc, problems = read(path, display)
    if doc is None:
        return None, problems
    profile, problems = check_model(doc, Profile)
    if profile is None:
        return None, problems
    problems = rules(profile, doc)
    return (None if problems else profile), problems


def folders() -> list[Path]:
    """Where profiles are looked up: ./rankings, then the built-in profiles the package carries."""
    here = resources.path("rankings")
    return [RANKINGS] if RANKINGS.resolve() == here.resolve() or not here.is_dir() else [RANKINGS, here]


def builtin() -> dict[str, Path]:
    """The profiles the package carries (name -> file), whatever the working folder holds."""
    here = resources.path("rankings")
    return {path.stem: path for path in sorted(here.glob("*.yaml"))} if here.is_dir() else {}


def available() -> dict[str, Path]:
    """Profile name (the file stem) -> file, first folder winning."""
    out: dict[str, Path] = {}
    for folder in folders():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                out.setdefault(path.stem, path)
    return out


def find(name: str) -> Path | None:
    """A profile by name (`tax-competitiveness`) or by path to a YAML file."""
    as_path = Path(name)
    if as_path.suffix in (".yaml", ".yml") and as_path.is_file():
        return as_path
    return available().get(name)


def load_profile(name: str) -> Profile:
    """Read and check a profile; raise `InvalidData` with positioned problems, `LookupError` if none is found."""
    path = find(name)
    if path is None:
        names = sorted(available())
        near = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean `{near[0]}`?" if near else ""
        raise LookupError(f"no profile named `{name}`{hint} (available: {', '.join(names) or 'none'})")
    profile, problems = read_profile(path, _display(path))
    if profile is None:
        raise InvalidData(problems)
    return profile


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def adjust(profile: Profile, weights: dict[str, float] | None = None, only: list[str] | None = None) -> Profile:
    """The profile with ad-hoc weights (`--weight key=w`) and restricted to some indicators (`--only key`).

    A key the profile lacks but the registry knows is added with the defaults. Raises ValueError.
    """
    indicators = list(profile.indicators)

    def position(key: str, weight: float) -> int:
        for n, ind in enumerate(indicators):
            if ind.key == key:
                return n
        known = [*profile.keys(), *registry.instruments(), *registry.metrics()]
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            raise ValueError(f"unknown indicator `{key}`{hint} (this profile has: {', '.join(profile.keys())})")
        indicators.append(Indicator.model_validate({"id": key, "weight": weight}))
        return len(indicators) - 1

    for key, weight in (weights or {}).items():
        if not 0 <= weight <= MAX_WEIGHT:  # also refuses NaN
            raise ValueError(
                f"--weight {key}={weight:g}: a weight must be a number of at least 0 and at most {MAX_WEIGHT:g}"
            )
        n = position(key, weight)
        indicators[n] = indicators[n].model_copy(update={"weight": float(weight)})
    if only:
        wanted = {indicators[position(key, 1.0)].key for key in only}
        indicators = [i for i in indicators if i.key in wanted]
    if all(i.weight == 0 for i in indicators):
        raise ValueError("every weight is zero: nothing would be ranked")
    return profile.model_copy(update={"indicators": indicators})
