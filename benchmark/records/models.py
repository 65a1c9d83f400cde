"""The country record: what one `countries/*.yaml` file may say, as typed models.

These models are the first validation layer (shape and types, unknown keys rejected) and the source of
the published JSON Schema (`schemas/country.schema.json`). Rules that need the whole dataset or the
ISO code lists (unique codes, ranges, currencies, URLs) are the second layer, in `rules.py`.

The record is told in three modules, one job each: `models_facts.py` (vocabulary, values, sources,
citations, observations), `models_instruments.py` (an instrument and its detail) and this one (the
record itself, its scenarios and caveats). Every name is importable from here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from benchmark.records.models_facts import (
    Alternative,
    Amount,
    Bounded,
    Citation,
    Dating,
    InstrumentId,
    LocalText,
    MetricId,
    Names,
    Number,
    NumberOrUnknown,
    Observation,
    Source,
    Sourced,
    SourceId,
    Strict,
    Text,
    Year,
)
from benchmark.records.models_instruments import (
    Body,
    Cap,
    CodebookReading,
    FilmRebate,
    Instrument,
    Law,
    MinimumSpend,
    Money,
    Qualifying,
    RateTier,
    TaxRate,
    TaxRegime,
)
from benchmark.records.models_rule import Rule
from benchmark.records.models_vocabulary import (
    SCALE_FACTOR,
    BodyRole,
    Grouping,
    Kind,
    LawKind,
    Level,
    ProductionKind,
    Qualifier,
    RebateForm,
    Region,
    RuleName,
    Scale,
    SpendCategory,
    Status,
)


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

__all__ = [
    "SCALE_FACTOR",
    "SCHEMA_COMMENT",
    "Alternative",
    "Amount",
    "Body",
    "BodyRole",
    "Bounded",
    "Cap",
    "Caveat",
    "Citation",
    "CodebookReading",
    "Country",
    "Dating",
    "FilmRebate",
    "Grouping",
    "Instrument",
    "InstrumentId",
    "Kind",
    "Law",
    "LawKind",
    "Level",
    "LocalText",
    "MetricId",
    "MinimumSpend",
    "Money",
    "Names",
    "Number",
    "NumberOrUnknown",
    "Observation",
    "ProductionKind",
    "Qualifier",
    "Qualifying",
    "RateTier",
    "RebateForm",
    "Region",
    "Rule",
    "RuleName",
    "Scale",
    "Scenario",
    "Source",
    "SourceId",
    "Sourced",
    "SpendCategory",
    "Status",
    "Strict",
    "TaxRate",
    "TaxRegime",
    "Text",
    "Year",
]
