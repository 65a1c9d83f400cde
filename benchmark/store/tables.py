"""The store's layout, declared once (SQLModel): its tables, columns, keys and what each column means.

Everything else derives from `SQLModel.metadata`: the DDL, the frames `facts.py` reads (through the
generated `frame_layout.py`), the readback's store-only columns and the data package's resources,
fields, descriptions and keys (`layout.py`); docs/ARCHITECTURE.md says how. A column carries its
description in `info`, unless its name is one of the shared names below, which mean the same in every
table; a JSON column says its shape; a column that cites a row elsewhere without a database constraint
(a source, a parent) says so in `references`; `place` marks a column that only says where a row sits.

Scenario facts live in the same tables with a non-empty `scenario`, so a query for the observed record
(`scenario == ""`) can never pick them up by accident. Sub-structures nobody queries by part (a cap, a
budget, a date that may be a year) are kept as JSON so that a record reads back exactly as written.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic_core import PydanticUndefined
from sqlalchemy import JSON, BigInteger, Integer
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 2

# Row ids are derived from the record's code and the row's place in it (benchmark.store.bulk): 64-bit.
# SQLite's INTEGER is 64-bit already (and keeps the rowid alias); PostgreSQL needs BIGINT.
ROW_ID = BigInteger().with_variant(Integer(), "sqlite")

CITES = "source.key"  # a source cited by key; not a database constraint (the load writes facts first)

# Names that mean the same in every table that has them; any other column describes itself.
SHARED: dict[str, dict[str, Any]] = {
    "id": {"description": "Row identifier within this export.", "place": True},
    "country": {"description": "Code of the record the row belongs to (countries.code).", "place": True},
    "scenario": {
        "description": "Empty for the observed record; otherwise the scenario's key (scenarios.key).",
        "place": True,
    },
    "position": {"description": "Order of the row within its list in the country file.", "place": True},
    "low": {"description": "Lower bound of a range."},
    "high": {"description": "Upper bound of a range."},
    "qualifier": {"description": "exact, about (~), at_least (+) or at_most (≤)."},
    "reason": {"description": "Why a value or status is unknown."},
    "source": {"description": "Identifier of the source the fact cites (sources.key).", "references": CITES},
    "at": {"description": "Where in the source: section, table, page."},
    "via": {
        "description": "The source through which the citation reached us, when the original was not read "
        "(sources.key).",
        "references": CITES,
    },
    "also": {"description": "Other sources that state the same fact, as a JSON array of {source, at}."},
    "note": {"description": "Caveats, the original wording, a conversion the source gives."},
    "instrument_id": {"description": "The instrument this row details (instruments.id).", "place": True},
    "name": {"description": "Name as the source gives it."},
    "jurisdiction": {"description": "Where the regime applies."},
    "description": {"description": "Description."},
}

# What a JSON column holds: `texts` a list of text (read as a list), `array` a list of objects, `object`
# an object, `value` anything (a date or a year, "none", a list): the last three are read as JSON text.
Shape = Literal["texts", "array", "object", "value"]


def about(
    description: str | None = None,
    *,
    default: Any = PydanticUndefined,
    references: str | None = None,
    place: bool = False,
    **field: Any,
) -> Any:
    """A column with its meaning: `description`; the `table.column` it cites when no constraint says so;
    `place`: it says where the row sits in its record (or is derived from it), not a field of the record."""
    info: dict[str, Any] = {"description": description} if description else {}
    if references:
        info["references"] = references
    if place:
        info["place"] = True
    return Field(default=default, sa_column_kwargs={"info": info}, **field)


def _json(shape: Shape, description: str | None = None) -> Any:
    info: dict[str, str] = {"json": shape}
    if description:
        info["description"] = description
    return Field(default=None, sa_type=JSON, sa_column_kwargs={"info": info})


def _about_table(description: str) -> dict[str, Any]:
    return {"info": {"description": description}}


def _id() -> Any:
    return Field(primary_key=True, sa_type=ROW_ID)


class Meta(SQLModel, table=True):
    key: str = about("What the value is (schema_version, loaded_at, ...).", primary_key=True)
    value: str = about("The value, as text.")


class CountryRow(SQLModel, table=True):
    __tablename__ = "country"
    __table_args__ = _about_table("One row per country or region record (countries/*.yaml).")
    code: str = about("ISO 3166-1 alpha-3 code of a country, or ISO 3166-2 code of a region.", primary_key=True)
    level: str = about(
        "country or region (for instruments: low, medium or high, for level instruments such as ip_protection)."
    )
    parent: str | None = about("For a region, the ISO3 code of its country.", default=None, references="country.code")
    name_en: str = about("Name in English.")
    name_ru: str = about("Name in Russian.")
    name_kk: str = about("Name in Kazakh.")
    region: str = about("World region of the benchmark (Central Asia, Europe, ...).")
    groupings: list[str] = _json("texts", "Memberships (EAEU, EU, OECD, ...), as a JSON array.")
    former_codes: list[str] = _json("texts", "ISO 3166-2 codes since replaced, as a JSON array.")
    caveats: list[dict] = _json(
        "array", "Methodological warnings about the record as a whole (text, source, at), as a JSON array."
    )
    file: str = about("The country file the record was loaded from.")
    content_hash: str = about("Hash of the file's content when loaded.")


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    __table_args__ = _about_table("The bibliography: every publication a fact cites.")
    key: str = about("The source's identifier, cited by facts as `source`.", primary_key=True)
    publisher: str = about("Who published it.")
    title: str = about("The citation as the source words it.")
    year: int | None = about("Year of publication.", default=None)
    url: str | None = about("Link to the source, where one exists.", default=None)
    cited_in: str | None = about(
        "The source through which this one reached us (sources.key).", default=None, references=CITES
    )
    accessed: str | None = about("When the source was accessed.", default=None)
    terms: str | None = about("The source's licence or terms of use, as its publisher states them.", default=None)
    lang: str | None = about("The source's language (ISO 639).", default=None)
    shared: bool = about(
        "True for a publication of the shared bibliography (sources/), false for one a record defines.", default=False
    )


class CountrySourceRow(SQLModel, table=True):
    """Which record defines which source (a source may be shared by many records)."""

    __tablename__ = "country_source"
    country: str = Field(primary_key=True, foreign_key="country.code")
    source: str = about("A source the record defines or cites.", primary_key=True, foreign_key="source.key")


class ScenarioRow(SQLModel, table=True):
    __tablename__ = "scenario"
    __table_args__ = _about_table(
        "Named variants of a record (what a draft concept proposes); their facts have `scenario` set."
    )
    country: str = Field(primary_key=True, foreign_key="country.code")
    key: str = about(
        "The scenario's identifier within its country (CODE:key names it on the command line).", primary_key=True
    )
    title: dict = _json("object", "Title in en/ru/kk, as a JSON object.")
    description: str | None = None
    source: str | None = about(
        "Identifier of the source the scenario follows (sources.key).", default=None, references=CITES
    )
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json("array")
    note: str | None = None


class ObservationRow(SQLModel, table=True):
    __tablename__ = "observation"
    __table_args__ = _about_table(
        "Measured values (metrics): one row per observation; other sources' readings have alternative_of."
    )
    id: int = _id()
    country: str = Field(foreign_key="country.code", index=True)
    scenario: str = ""
    metric: str = about("Metric identifier (benchmark/registry/metrics.yaml).", index=True, place=True)
    position: int
    alternative_of: int | None = about(
        "For another source's reading of a fact: the id of that fact's observation.",
        default=None,
        place=True,
        sa_type=ROW_ID,
        references="observation.id",
    )
    value: float | None = about(
        "The value as given (before scale); empty for a range or an unknown value.", default=None
    )
    unknown: bool = about("True when the value is unknown (see reason); missing is not zero.", default=False)
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    central: float | None = about(
        "The value, or the midpoint of a range, times the scale: the number comparisons use.", default=None, place=True
    )
    unit: str | None = about(
        "percent, persons, count, rank, ratio, years, or an ISO 4217 currency code for money.", default=None
    )
    scale: str | None = about("one, thousand, million, billion or trillion.", default=None)
    year: int | None = about("The year the value describes (the last year, for a period).", default=None)
    reported_in: int | None = about(
        "For an undated figure: the year its source reported it (never the year it describes).", default=None
    )
    undated: str | None = about("For an undated figure: why it has no year.", default=None)
    from_year: int | None = about("The first year, when the value covers a period.", default=None)
    kind: str | None = about(
        "observed, estimate, target or projection (for laws: dedicated, amendments, sectoral, decree, strategy).",
        default=None,
    )
    part: str | None = about("A breakdown's part, or the named body a figure belongs to.", default=None)
    method: str | None = about("A methodology variant when one source gives several.", default=None)
    reason: str | None = None
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json("array")
    note: str | None = None


class InstrumentRow(SQLModel, table=True):
    __tablename__ = "instrument"
    __table_args__ = _about_table("Policy instruments: status (or level) of each instrument of each record.")
    id: int = _id()
    country: str = Field(foreign_key="country.code", index=True)
    scenario: str = ""
    instrument: str = about("Instrument identifier (benchmark/registry/instruments.yaml).", place=True)
    status: str | None = about("present, absent, partial, planned or unknown.", default=None)
    level: str | None = about("For level instruments (ip_protection): low, medium, high or unknown.", default=None)
    since: int | None = about("The year (or date) it came into force, when known.", default=None)
    summary: str | None = about("A one-line summary of the instrument in this country.", default=None)
    reason: str | None = None
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json("array")
    note: str | None = None
    codebook: dict | None = _json(
        "object", "The codebook's reading where it differs from table 3.20, as a JSON object (status or level, rule)."
    )


class _Detail(SQLModel):
    instrument_id: int = Field(foreign_key="instrument.id", index=True, sa_type=ROW_ID)
    position: int
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json("array")
    note: str | None = None


class LawRow(_Detail, table=True):
    __tablename__ = "law"
    __table_args__ = _about_table("Laws, decrees and strategies behind an instrument.")
    id: int = _id()
    title: str = about("Title as the source words it.")
    number: str | None = about("The law's number.", default=None)
    date: str | None = about("The law's date.", default=None)
    year: int | None = about("The law's year, when no date is given.", default=None)
    kind: str = about("dedicated, amendments, sectoral, decree or strategy.")


class TaxRegimeRow(_Detail, table=True):
    __tablename__ = "tax_regime"
    __table_args__ = _about_table("Tax regimes of the tax-incentive instruments.")
    id: int = _id()
    name: str
    jurisdiction: str | None = None
    headline: str | None = about("The rate as the source states it.", default=None)
    replaces: list[str] = _json("texts", "The taxes the regime replaces, as a JSON array.")
    eligibility: str | None = about("Who may use the regime.", default=None)
    start: Any = _json("value", "When the regime starts (a date or a year).")
    expiry: Any = _json("value", "When the regime ends: a date, a year or indefinite.")
    term: str | None = about("The regime's term as the source words it.", default=None)
    comparisons: list[str] = _json(
        "texts", "Comparison tables the regime appears in (central-asia-tax), as a JSON array."
    )


class TaxRateRow(SQLModel, table=True):
    __tablename__ = "tax_rate"
    __table_args__ = _about_table("The rates of each tax regime.")
    id: int = _id()
    regime_id: int = about(
        "The tax regime of this rate (tax_regimes.id).",
        foreign_key="tax_regime.id",
        index=True,
        sa_type=ROW_ID,
        place=True,
    )
    position: int
    value: float | None = about("Rate in percent; empty for a range.", default=None)
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    base: str | None = about("What the rate applies to (revenue, profit, ...).", default=None)
    from_year: int | None = about("The first year the rate applies.", default=None)
    to_year: int | None = about("The last year the rate applies.", default=None)
    note: str | None = None


class RebateRow(_Detail, table=True):
    """A film-incentive programme; its rules (tiers, caps, minimum spends...) are kept as JSON, as written."""

    __tablename__ = "film_rebate"
    __table_args__ = _about_table("Film rebates and credits.")
    id: int = _id()
    name: str | None = None
    jurisdiction: str | None = None
    administrator: str | None = about("Who runs the programme.", default=None)
    form: str | None = about(
        "cash_rebate, refundable_credit, transferable_credit, tax_credit, tax_relief, investment_scheme or grant.",
        default=None,
    )
    kinds: list[str] | None = _json(
        "texts", "Kinds of production the programme admits (feature, series, animation, documentary, game), as JSON."
    )
    tiers: list[dict] = _json(
        "array", "The programme's rates as a JSON array of tiers (value or low/high in percent, applies_to, adds, ...)."
    )
    caps: Any = _json(
        "value", 'Ceilings as a JSON array (per, amount or share_of_budget, on), or "none" when the source says none.'
    )
    minimum_spend: Any = _json(
        "value", 'Minimum spends as a JSON array (of, amount), or "none" when the source says none.'
    )
    qualifying: dict | None = _json(
        "object", "What the rate applies to, as a JSON object (basis, share_of_budget_max)."
    )
    fund: dict | None = _json(
        "object", "The programme's annual fund, as a JSON object (value, currency, scale, per, year)."
    )
    since: Any = _json("value", "When the programme started (a date or a year).")
    until: Any = _json("value", "When the programme ends (a date or a year).")
    unknown: dict = _json("object", "Rules looked for and not found, each with what was searched, as a JSON object.")
    conditions: str | None = about("Other conditions of the programme, in words.", default=None)


class BodyRow(_Detail, table=True):
    __tablename__ = "body"
    __table_args__ = _about_table("Agencies, funds, councils, zones, parks, hubs and programmes behind an instrument.")
    id: int = _id()
    name: str
    role: str = about("agency, fund, council, zone, park, programme, centre, hub, ...")
    since: Any = _json("value", "The year (or date) it came into force, when known.")
    budget: dict | None = _json(
        "object", "The body's budget as a JSON object: value or low/high, currency, scale, per, year."
    )
    description: str | None = None


# Children first: the order in which a country's rows are deleted.
DETAIL_TABLES: tuple[type[SQLModel], ...] = (LawRow, TaxRegimeRow, RebateRow, BodyRow)

# The frames the store is read into (benchmark.store.facts.Facts), in their order, and the table of each.
FRAMES: dict[str, type[SQLModel]] = {
    "countries": CountryRow, "observations": ObservationRow, "instruments": InstrumentRow,
    "tax_regimes": TaxRegimeRow, "tax_rates": TaxRateRow, "rebates": RebateRow, "laws": LawRow, "bodies": BodyRow,
    "scenarios": ScenarioRow, "sources": SourceRow,
}  # fmt: skip

for _table in SQLModel.metadata.tables.values():  # a shared name's meaning, on every column that has it
    for _column in _table.columns:
        for _key, _value in SHARED.get(_column.name, {}).items():
            _column.info.setdefault(_key, _value)
