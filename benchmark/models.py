"""The country record: what one `countries/*.yaml` file may say, as typed models.

These models are the first validation layer (shape and types, unknown keys rejected) and the source of
the published JSON Schema (`schemas/country.schema.json`). Rules that need the whole dataset or the
ISO code lists (unique codes, ranges, currencies, URLs) are the second layer, in `rules.py`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from benchmark import registry

Kind = Literal["observed", "estimate", "target", "projection"]
Qualifier = Literal["exact", "about", "at_least", "at_most"]
Scale = Literal["one", "thousand", "million", "billion", "trillion"]
Status = Literal["present", "absent", "partial", "planned", "unknown"]
Level = Literal["low", "medium", "high", "unknown"]
LawKind = Literal["dedicated", "amendments", "sectoral", "decree", "strategy"]
RebateForm = Literal["cash", "tax_credit", "tax_relief", "investment_scheme"]
BodyRole = Literal[
    "agency",
    "ministry",
    "fund",
    "council",
    "zone",
    "park",
    "programme",
    "registry",
    "centre",
    "hub",
    "commission",
    "association",
    "event",
    "other",
]
Region = Literal[
    "Central Asia",
    "Europe",
    "South Caucasus",
    "East Asia",
    "South-East Asia",
    "South Asia",
    "Middle East",
    "North Africa",
    "Sub-Saharan Africa",
    "Latin America",
    "North America",
    "Oceania",
]
Grouping = Literal["EAEU", "EU", "OECD", "Turkic states", "CIS", "ASEAN", "G20", "OIC", "African Union"]

SCALE_FACTOR: dict[str, float] = {
    "one": 1.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}


def _number(value: Any) -> Any:
    # YAML gives ints and floats; a quoted "5,5" or a bool is a mistake, not a number to coerce.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError('expected a number (write 5.5, not "5,5" or "5.5%")')
    return float(value)


def _number_or_unknown(value: Any) -> Any:
    if value == "unknown":
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("expected a number, or `unknown` together with a `reason`")
    return float(value)


def _year(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a year as a whole number, such as 2024")
    return value


Number = Annotated[float, BeforeValidator(_number)]
NumberOrUnknown = Annotated[float | Literal["unknown"], BeforeValidator(_number_or_unknown)]
Year = Annotated[int, BeforeValidator(_year)]
Text = Annotated[str, Field(min_length=1)]


def _known(kind: str, choices: list[str]):
    def check(key: str) -> str:
        if key not in choices:
            near = difflib.get_close_matches(key, choices, n=1)
            hint = f"; did you mean `{near[0]}`?" if near else ""
            raise ValueError(f"unknown {kind} `{key}`{hint} (see benchmark/registry/{kind}s.yaml)")
        return key

    return check


MetricId = Annotated[str, AfterValidator(_known("metric", list(registry.metrics())))]
InstrumentId = Annotated[str, AfterValidator(_known("instrument", list(registry.instruments())))]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Strict):
    en: Text
    ru: Text
    kk: Text


class LocalText(Strict):
    en: Text
    ru: str | None = None
    kk: str | None = None


class Source(Strict):
    """A publication a fact comes from (Our World in Data's `origin`, trimmed to what we need)."""

    publisher: Text
    title: Text
    year: Year
    url: str | None = None
    cited_in: SourceId | None = Field(
        None, description="Another source of this file through which this one reached us (as cited in)."
    )
    accessed: dt.date | None = None


class Sourced(Strict):
    source: SourceId | None = Field(None, description="Key of an entry in this file's `sources`.")
    at: str | None = Field(None, description="Where in the source: section, table, page.")
    note: str | None = None


class Bounded(Strict):
    """A number, a range (low-high) or a bound (`qualifier: at_least` for "100 000+")."""

    value: NumberOrUnknown | None = None
    low: Number | None = None
    high: Number | None = None
    qualifier: Qualifier = "exact"

    @model_validator(mode="after")
    def _one_form(self) -> Bounded:
        ranged = self.low is not None or self.high is not None
        if ranged and self.value is not None:
            raise ValueError("give either `value` or `low` and `high` (a range), not both")
        if ranged and (self.low is None or self.high is None):
            raise ValueError("a range needs both `low` and `high`")
        if not ranged and self.value is None:
            raise ValueError("missing `value` (or `low` and `high` for a range, or `value: unknown`)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"`low` ({self.low:g}) is above `high` ({self.high:g})")
        return self


class Amount(Bounded):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    scale: Scale = "one"
    per: Literal["year", "project", "film", "person", "total"] | None = None
    year: Year | None = None


class Alternative(Bounded, Sourced):
    """Another source's reading of the same fact: recorded beside it, never averaged away."""

    unit: str | None = None
    scale: Scale | None = None


class Observation(Bounded, Sourced):
    unit: Text = Field(description="`percent`, `persons`, `count`, `rank`, `ratio`, `years`, or an ISO 4217 code.")
    scale: Scale = "one"
    year: Year = Field(description="The year the value describes (the last year, for a period).")
    from_year: Year | None = Field(None, description="First year, when the value covers a period.")
    kind: Kind = "observed"
    part: str | None = Field(None, description="A breakdown's part, such as a sector (GVA by sector).")
    method: str | None = Field(None, description="A methodology variant, when one source gives several.")
    reason: str | None = Field(None, description="Why the value is unknown; required with `value: unknown`.")
    alternatives: list[Alternative] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unknown_needs_reason(self) -> Observation:
        if self.value == "unknown" and not self.reason:
            raise ValueError("`value: unknown` needs a `reason` saying why no source gives it")
        if self.value != "unknown" and self.source is None:
            raise ValueError("missing `source`: every value needs the key of an entry in `sources`")
        if self.from_year is not None and self.from_year > self.year:
            raise ValueError(f"`from_year` ({self.from_year}) is after `year` ({self.year})")
        return self


class Law(Sourced):
    title: Text
    number: str | None = None
    date: dt.date | None = None
    year: Year | None = None
    kind: LawKind


class TaxRate(Bounded):
    base: str | None = Field(None, description="What the rate is levied on: revenue, profit, payroll...")
    from_year: Year | None = None
    to_year: Year | None = None
    note: str | None = None


class TaxRegime(Sourced):
    name: Text
    jurisdiction: str | None = None
    rates: list[TaxRate] = Field(default_factory=list)
    headline: str | None = Field(None, description="The rate as the source's comparison states it.")
    replaces: list[str] = Field(default_factory=list)
    eligibility: str | None = None
    start: dt.date | Year | None = None
    expiry: dt.date | Year | Literal["indefinite"] | None = None
    term: str | None = Field(None, description="The regime's term as the source words it.")
    comparisons: list[Literal["central-asia-tax"]] = Field(default_factory=list)


class FilmRebate(Bounded, Sourced):
    """Rate in percent of qualifying spend: `value` or `low`-`high` for a sliding scale."""

    cap: Amount | None = None
    form: RebateForm | None = Field(
        None, description="cash, tax_credit, tax_relief or investment_scheme; left out when the source does not say."
    )
    administrator: str | None = None
    since: dt.date | Year | None = None
    conditions: str | None = None


class Body(Sourced):
    """An agency, fund, council, zone, programme or centre that gives an instrument substance."""

    name: Text
    role: BodyRole
    since: dt.date | Year | None = None
    budget: Amount | None = None
    description: str | None = None


class Instrument(Sourced):
    status: Status | None = None
    level: Level | None = Field(None, description="For level instruments (ip_protection): low, medium, high.")
    since: Year | None = Field(None, description="Year the instrument came into force, when known.")
    summary: str | None = None
    reason: str | None = Field(None, description="Why the status is unknown; required for `unknown`.")
    laws: list[Law] = Field(default_factory=list)
    tax_regimes: list[TaxRegime] = Field(default_factory=list)
    rebates: list[FilmRebate] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sourced_or_explained(self) -> Instrument:
        if self.status is None and self.level is None:
            raise ValueError("missing `status` (present, absent, partial, planned, unknown) or `level`")
        unknown = self.status == "unknown" or (self.status is None and self.level == "unknown")
        if unknown and not self.reason:
            raise ValueError("an unknown instrument needs a `reason` saying why no source settles it")
        if not unknown and self.source is None:
            raise ValueError("missing `source`: every status needs the key of an entry in `sources`")
        return self


class Caveat(Sourced):
    text: Text


class Scenario(Sourced):
    """A named variant of the record (what a draft concept proposes). Its facts override the record's
    own per metric and per instrument, and are stored apart so they are never read as observed."""

    title: LocalText
    description: str | None = None
    metrics: dict[MetricId, list[Observation]] = Field(default_factory=dict)
    instruments: dict[InstrumentId, Instrument] = Field(default_factory=dict)


class Country(Strict):
    """One file of `countries/`: a country (ISO 3166-1 alpha-3) or a region (ISO 3166-2)."""

    code: Annotated[str, Field(pattern=r"^([A-Z]{3}|[A-Z]{2}-[A-Z0-9]{1,3})$")]
    level: Literal["country", "region"] = "country"
    parent: str | None = Field(None, description="For a region: the ISO3 code of its country.")
    former_codes: list[Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")]] = Field(
        default_factory=list,
        description="Codes ISO 3166-2 has since replaced (KZ-VOS became KZ-63); commands accept them too.",
    )
    names: Names
    region: Region
    groupings: list[Grouping] = Field(default_factory=list)
    sources: dict[SourceId, Source]
    metrics: dict[MetricId, list[Observation]] = Field(default_factory=dict)
    instruments: dict[InstrumentId, Instrument] = Field(default_factory=dict)
    scenarios: dict[SourceId, Scenario] = Field(default_factory=dict)
    caveats: list[Caveat] = Field(default_factory=list)


SCHEMA_COMMENT = "# yaml-language-server: $schema={path}schemas/country.schema.json"
