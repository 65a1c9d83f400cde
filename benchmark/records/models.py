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
from pydantic_core import PydanticCustomError

from benchmark import registry

Kind = Literal["observed", "estimate", "target", "projection"]
Qualifier = Literal["exact", "about", "at_least", "at_most"]
Scale = Literal["one", "thousand", "million", "billion", "trillion"]
Status = Literal["present", "absent", "partial", "planned", "unknown"]
Level = Literal["low", "medium", "high", "unknown"]
LawKind = Literal["dedicated", "amendments", "sectoral", "decree", "strategy"]
RebateForm = Literal[
    "cash_rebate",
    "refundable_credit",
    "transferable_credit",
    "tax_credit",
    "tax_relief",
    "investment_scheme",
    "grant",
]
ProductionKind = Literal["feature", "series", "animation", "documentary", "game"]
SpendCategory = Literal["all", "vfx", "post_production", "animation", "regional", "local_hire", "other"]
RuleName = Literal["tiers", "caps", "minimum_spend", "qualifying", "kinds", "form", "fund"]
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
        raise Rule("not-a-number", 'expected a number (write 5.5, not "5,5" or "5.5%")')
    return float(value)


def _number_or_unknown(value: Any) -> Any:
    if value == "unknown":
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rule("not-a-number", "expected a number, or `unknown` together with a `reason`")
    return float(value)


def _year(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Rule("not-a-year", "expected a year as a whole number, such as 2024")
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
            raise Rule("unknown-id", f"unknown {kind} `{key}`{hint} (see benchmark/registry/{kind}s.yaml)")
        return key

    return check


MetricId = Annotated[str, AfterValidator(_known("metric", list(registry.metrics())))]
InstrumentId = Annotated[str, AfterValidator(_known("instrument", list(registry.instruments())))]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]


class Rule(PydanticCustomError):
    """A broken field rule, with the stable code its problem carries (`missing-source`, `range-needs-both-bounds`)."""

    def __new__(cls, code: str, message: str) -> Rule:
        # Braces in a message would be read as template fields by pydantic: escape them.
        return super().__new__(cls, code, message.replace("{", "{{").replace("}", "}}"))


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
    """A publication a fact comes from (Our World in Data's `origin`, trimmed to what we need).

    Shared publications live once in `sources/<id>.yaml`; a record may define one of its own in its
    `sources` block only when no other record cites it."""

    publisher: Text
    title: Text
    year: Year | None = Field(None, description="Year of publication; left out for an undated page (give `accessed`).")
    url: str | None = None
    cited_in: SourceId | None = Field(
        None, description="Another source through which this one reached us, when it is known only from there."
    )
    accessed: dt.date | None = Field(None, description="The date the source was read.")
    terms: str | None = Field(None, description="Licence or terms of use as the publisher states them.")
    lang: Annotated[str, Field(pattern=r"^[a-z]{2,3}$")] | None = Field(None, description="ISO 639 language code.")

    @model_validator(mode="after")
    def _dated_or_accessed(self) -> Source:
        if self.year is None and self.accessed is None:
            raise Rule(
                "undated-source-needs-accessed",
                "a source without a `year` (an undated page) needs `accessed`: the date it was read",
            )
        return self


class Citation(Strict):
    """Another source that states the same fact (`also`)."""

    source: SourceId
    at: str | None = None
    via: SourceId | None = None
    note: str | None = None


class Sourced(Strict):
    source: SourceId | None = Field(None, description="Id of a source: in `sources/` or this file's `sources`.")
    at: str | None = Field(None, description="Where in the source: section, table, page.")
    via: SourceId | None = Field(
        None, description="The source through which this citation reached us, when the original was not read."
    )
    also: list[Citation] = Field(default_factory=list, description="Other sources that state the same fact.")
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
            raise Rule("value-or-range", "give either `value` or `low` and `high` (a range), not both")
        if ranged and (self.low is None or self.high is None):
            raise Rule("range-needs-both-bounds", "a range needs both `low` and `high`")
        if not ranged and self.value is None:
            raise Rule("missing-value", "missing `value` (or `low` and `high` for a range, or `value: unknown`)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise Rule("range-bounds-reversed", f"`low` ({self.low:g}) is above `high` ({self.high:g})")
        return self


class Amount(Bounded):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    scale: Scale = "one"
    per: Literal["year", "project", "film", "person", "total"] | None = None
    year: Year | None = None


class Dating(Strict):
    """The year a figure describes, or why it has none."""

    year: Year | None = Field(None, description="The year the value describes (the last year, for a period).")
    reported_in: Year | None = Field(
        None, description="For an undated figure: the year the source reported it. Never read as the year described."
    )
    undated: str | None = Field(None, description="For an undated figure: why it has no year.")

    def _check_dating(self, required: bool) -> None:
        if self.year is not None and (self.reported_in is not None or self.undated is not None):
            raise Rule("dated-and-undated", "a dated figure takes no `reported_in` or `undated`; give one or the other")
        if self.year is None and required and (self.reported_in is None or not self.undated):
            raise Rule("missing-year",
                "missing `year`; a figure its source gives no year for needs `reported_in` (the year the source "
                "reported it) and `undated` (why it has no year)"
            )
        if self.year is None and not required and (self.reported_in is None) != (self.undated is None):
            raise Rule("undated-needs-both", "an undated reading needs both `reported_in` and `undated`")


class Alternative(Bounded, Sourced, Dating):
    """Another source's reading of the same fact: recorded beside it, never averaged away. Its year is the
    fact's unless it gives its own (`year`, or `reported_in` and `undated`)."""

    unit: str | None = None
    scale: Scale | None = None

    @model_validator(mode="after")
    def _dating(self) -> Alternative:
        self._check_dating(required=False)
        return self


class Observation(Bounded, Sourced, Dating):
    unit: Text = Field(description="`percent`, `persons`, `count`, `rank`, `ratio`, `years`, or an ISO 4217 code.")
    scale: Scale = "one"
    from_year: Year | None = Field(None, description="First year, when the value covers a period.")
    kind: Kind = "observed"
    part: str | None = Field(None, description="A breakdown's part, such as a sector (GVA by sector).")
    method: str | None = Field(None, description="A methodology variant, when one source gives several.")
    reason: str | None = Field(None, description="Why the value is unknown; required with `value: unknown`.")
    alternatives: list[Alternative] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unknown_needs_reason(self) -> Observation:
        if self.value == "unknown" and not self.reason:
            raise Rule("unknown-needs-reason", "`value: unknown` needs a `reason` saying why no source gives it")
        if self.value != "unknown" and self.source is None:
            raise Rule("missing-source", "missing `source`: every value needs the key of an entry in `sources`")
        self._check_dating(required=True)
        same = [
            a
            for a in self.alternatives
            if (a.year, a.reported_in, a.undated) == (self.year, self.reported_in, self.undated)
        ]
        if same:  # an alternative dated like its fact simply has the fact's dating: one way to say it
            plain = {"year": None, "reported_in": None, "undated": None}
            fixed = [a.model_copy(update=plain) if a in same else a for a in self.alternatives]
            object.__setattr__(self, "alternatives", fixed)
        if self.from_year is not None and self.year is None:
            raise Rule("period-needs-year", "`from_year` needs `year`: a period has a first and a last year")
        if self.from_year is not None and self.year is not None and self.from_year > self.year:
            raise Rule("period-reversed", f"`from_year` ({self.from_year}) is after `year` ({self.year})")
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


class Money(Bounded):
    """An amount of money inside an incentive rule (a cap, a minimum spend, a budget threshold)."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    scale: Scale = "one"


class RateTier(Bounded, Sourced):
    """One rate of a programme, in percent: the base rate, or an uplift with the spend and condition it needs.

    Without `adds`, the tier's rate replaces the base on the spend it applies to; with `adds: true` it is
    added to the base there. A tier with a `condition`, `kinds` or a budget bound applies only to
    productions that meet it."""

    applies_to: SpendCategory = Field("all", description="The spend the rate applies to.")
    adds: bool = Field(False, description="True: points added to the base rate; false: the rate that applies instead.")
    condition: str | None = Field(None, description="The condition as the source states it.")
    kinds: list[ProductionKind] | None = Field(None, description="Only productions of these kinds.")
    budget_at_most: Money | None = Field(None, description="Only productions whose total budget is at most this.")
    budget_at_least: Money | None = Field(None, description="Only productions whose total budget is at least this.")


class Cap(Sourced):
    """A ceiling: on the incentive paid (`on: value`) or on the spend that counts (`on: qualifying_spend`)."""

    per: Literal["project", "year", "company"] = "project"
    amount: Money | None = None
    share_of_budget: Number | None = Field(None, description="A cap given as a percentage of the total budget.")
    on: Literal["value", "qualifying_spend"] = "value"
    kinds: list[ProductionKind] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Cap:
        if (self.amount is None) == (self.share_of_budget is None):
            raise ValueError("a cap gives either `amount` or `share_of_budget`")
        return self


class MinimumSpend(Sourced):
    of: Literal["local_spend", "total_budget"] = "local_spend"
    amount: Money
    kinds: list[ProductionKind] | None = None


class Qualifying(Sourced):
    """What the rate applies to."""

    basis: Literal["local_spend", "total_budget", "below_the_line"] = "local_spend"
    share_of_budget_max: Number | None = Field(
        None, description="Qualifying spend is at most this percentage of the total budget."
    )


class FilmRebate(Sourced):
    """One film or TV incentive programme: its rate tiers, caps, minimum spends, what qualifies and its form.

    A rule the source does not give is left out, and `unknown` may say why; `caps: none` and
    `minimum_spend: none` say the source states there is none."""

    name: str | None = None
    jurisdiction: str | None = Field(None, description="A state, province or city, for a sub-national programme.")
    administrator: str | None = None
    form: RebateForm | None = Field(None, description="Left out when the source does not say.")
    kinds: list[ProductionKind] | None = Field(None, description="Eligible kinds; left out when not stated.")
    tiers: list[RateTier] = Field(default_factory=list)
    caps: list[Cap] | Literal["none"] | None = None
    minimum_spend: list[MinimumSpend] | Literal["none"] | None = None
    qualifying: Qualifying | None = None
    fund: Amount | None = Field(None, description="The programme's annual fund, where stated.")
    since: dt.date | Year | None = None
    until: dt.date | Year | None = None
    unknown: dict[RuleName, Text] = Field(
        default_factory=dict, description="Rules looked for and not found, each with what was searched."
    )
    conditions: str | None = None

    @model_validator(mode="after")
    def _rate_or_reason(self) -> FilmRebate:
        if not self.tiers and "tiers" not in self.unknown:
            raise ValueError(
                "a programme needs `tiers` (its rates), or `unknown: {tiers: ...}` saying why none is known"
            )
        return self


class Body(Sourced):
    """An agency, fund, council, zone, programme or centre that gives an instrument substance."""

    name: Text
    role: BodyRole
    since: dt.date | Year | None = None
    budget: Amount | None = None
    description: str | None = None


class CodebookReading(Sourced):
    """The codebook's reading of an instrument where it differs from the founding study's table 3.20."""

    status: Status | None = None
    level: Level | None = None
    rule: Annotated[str, Field(pattern=r"^[a-z_]+\.[a-z_]+$")] = Field(description="instrument.status applied.")

    @model_validator(mode="after")
    def _one_reading(self) -> CodebookReading:
        if (self.status is None) == (self.level is None):
            raise Rule("codebook-one-reading", "a codebook reading gives a `status` or a `level`")
        return self


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
    codebook: CodebookReading | None = Field(
        None, description="For a study country: the codebook's reading where it differs from table 3.20."
    )

    @model_validator(mode="after")
    def _sourced_or_explained(self) -> Instrument:
        if self.status is None and self.level is None:
            raise Rule("missing-status", "missing `status` (present, absent, partial, planned, unknown) or `level`")
        unknown = self.status == "unknown" or (self.status is None and self.level == "unknown")
        if unknown and not self.reason:
            raise Rule("unknown-needs-reason", "an unknown instrument needs a `reason` saying why no source settles it")
        if not unknown and self.source is None:
            raise Rule("missing-source", "missing `source`: every status needs the key of an entry in `sources`")
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
    sources: dict[SourceId, Source] = Field(
        default_factory=dict, description="Sources only this record cites; shared ones live in sources/."
    )
    metrics: dict[MetricId, list[Observation]] = Field(default_factory=dict)
    instruments: dict[InstrumentId, Instrument] = Field(default_factory=dict)
    scenarios: dict[SourceId, Scenario] = Field(default_factory=dict)
    caveats: list[Caveat] = Field(default_factory=list)


SCHEMA_COMMENT = "# yaml-language-server: $schema={reference}"
