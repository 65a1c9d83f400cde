"""The country record's facts: the vocabulary, values with their bounds and dates, sources and citations,
and the observation (one figure of a metric for one year, from one source).

Part of the record's models (`benchmark.records.models` re-exports every name); the instruments' detail is
in `models_instruments.py`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from benchmark import registry
from benchmark.records.models_rule import Rule
from benchmark.records.models_vocabulary import (
    Kind,
    Qualifier,
    Scale,
)


def _number(value: Any) -> Any:
    # YAML gives ints and floats; a quoted "5,5" or a bool is a mistake, not a number to coerce.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rule("not-a-number", 'expected a number (write 5.5, not "5,5" or "5.5%")')
    return _finite(value)


def _number_or_unknown(value: Any) -> Any:
    if value == "unknown":
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Rule("not-a-number", "expected a number, or `unknown` together with a `reason`")
    return _finite(value)


def _finite(value: float) -> float:
    # The reader refuses .inf and .nan; data built in Python (a scaffold, a test) is held to the same.
    if not math.isfinite(value):
        raise Rule("not-finite", f"`{value}` is not a finite number")
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


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
            raise Rule(
                "missing-year",
                "missing `year`; a figure its source gives no year for needs `reported_in` (the year the source "
                "reported it) and `undated` (why it has no year)",
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
