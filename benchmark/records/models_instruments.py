"""The country record's instruments: a status with its source, and the detail some instruments carry (laws,
tax regimes and their rates, film rebates with tiers, caps and minimum spends, bodies, codebook readings).

Part of the record's models (`benchmark.records.models` re-exports every name).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from benchmark.records.models_facts import Amount, Bounded, Number, Sourced, Text, Year
from benchmark.records.models_rule import Rule
from benchmark.records.models_vocabulary import (
    BodyRole,
    LawKind,
    Level,
    ProductionKind,
    RebateForm,
    RuleName,
    Scale,
    SpendCategory,
    Status,
)


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
            raise Rule("cap-has-one-form", "a cap gives either `amount` or `share_of_budget`")
        return self


class MinimumSpend(Sourced):
    """A threshold a production must reach: an amount, or a share of its total budget spent locally."""

    of: Literal["local_spend", "total_budget"] = "local_spend"
    amount: Money | None = None
    share_of_budget: Number | None = Field(
        None, description="The local spend must be at least this percentage of the total budget."
    )
    kinds: list[ProductionKind] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> MinimumSpend:
        if (self.amount is None) == (self.share_of_budget is None):
            raise Rule("minimum-has-one-form", "a minimum spend gives either `amount` or `share_of_budget`")
        if self.share_of_budget is not None:
            if not 0 < self.share_of_budget <= 100:
                raise Rule("share-out-of-range", "`share_of_budget` is a percentage: above 0 and at most 100")
            if self.of != "local_spend":
                raise Rule("minimum-share-of-local", "a minimum given as `share_of_budget` is of the local spend")
        return self


class Qualifying(Sourced):
    """What the rate applies to."""

    basis: Literal["local_spend", "total_budget", "below_the_line"] = "local_spend"
    share_of_budget_max: Number | None = Field(
        None, description="Qualifying spend is at most this percentage of the total budget."
    )


class Fund(Amount, Sourced):
    """A programme's annual fund: an amount, citing its own source when not the programme's."""


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
    fund: Fund | None = Field(None, description="The programme's annual fund, where stated, with its source.")
    since: dt.date | Year | None = None
    until: dt.date | Year | None = None
    unknown: dict[RuleName, Text] = Field(
        default_factory=dict, description="Rules looked for and not found, each with what was searched."
    )
    conditions: str | None = None

    @model_validator(mode="after")
    def _rate_or_reason(self) -> FilmRebate:
        if not self.tiers and "tiers" not in self.unknown:
            raise Rule(
                "rebate-has-tiers",
                "a programme needs `tiers` (its rates), or `unknown: {tiers: ...}` saying why none is known",
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
