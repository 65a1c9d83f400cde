"""The store's tables (SQLModel): one row per country, source, observation, instrument and detail.

Scenario facts live in the same tables with a non-empty `scenario`, so a query for the observed record
(`scenario == ""`) can never pick them up by accident. Sub-structures nobody queries by part (a cap, a
budget, a date that may be a year) are kept as JSON so that a record reads back exactly as written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Integer
from sqlmodel import Field, SQLModel

SCHEMA_VERSION = 2

# Row ids are derived from the record's code and the row's place in it (benchmark.store.bulk): 64-bit.
# SQLite's INTEGER is 64-bit already (and keeps the rowid alias); PostgreSQL needs BIGINT.
ROW_ID = BigInteger().with_variant(Integer(), "sqlite")


def _json() -> Any:
    return Field(default=None, sa_type=JSON)


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class CountryRow(SQLModel, table=True):
    __tablename__ = "country"
    code: str = Field(primary_key=True)
    level: str
    parent: str | None = None
    name_en: str
    name_ru: str
    name_kk: str
    region: str
    groupings: list[str] = _json()
    former_codes: list[str] = _json()
    caveats: list[dict] = _json()
    file: str
    content_hash: str


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    key: str = Field(primary_key=True)
    publisher: str
    title: str
    year: int | None = None
    url: str | None = None
    cited_in: str | None = None
    accessed: str | None = None
    terms: str | None = None
    lang: str | None = None
    shared: bool = False  # defined in the shared bibliography (sources/), not in a record


class CountrySourceRow(SQLModel, table=True):
    """Which record defines which source (a source may be shared by many records)."""

    __tablename__ = "country_source"
    country: str = Field(primary_key=True, foreign_key="country.code")
    source: str = Field(primary_key=True, foreign_key="source.key")


class ScenarioRow(SQLModel, table=True):
    __tablename__ = "scenario"
    country: str = Field(primary_key=True, foreign_key="country.code")
    key: str = Field(primary_key=True)
    title: dict = _json()
    description: str | None = None
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json()
    note: str | None = None


class ObservationRow(SQLModel, table=True):
    __tablename__ = "observation"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    country: str = Field(foreign_key="country.code", index=True)
    scenario: str = ""
    metric: str = Field(index=True)
    position: int
    # The id of the observation this row is another source's reading of.
    alternative_of: int | None = Field(default=None, sa_type=ROW_ID)
    value: float | None = None
    unknown: bool = False
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    central: float | None = None  # value, or the midpoint of a range, times the scale
    unit: str | None = None
    scale: str | None = None
    year: int | None = None
    reported_in: int | None = None  # an undated figure: the year its source reported it, never the year described
    undated: str | None = None  # why it has no year
    from_year: int | None = None
    kind: str | None = None
    part: str | None = None
    method: str | None = None
    reason: str | None = None
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json()
    note: str | None = None


class InstrumentRow(SQLModel, table=True):
    __tablename__ = "instrument"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    country: str = Field(foreign_key="country.code", index=True)
    scenario: str = ""
    instrument: str
    status: str | None = None
    level: str | None = None
    since: int | None = None
    summary: str | None = None
    reason: str | None = None
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json()
    note: str | None = None
    codebook: dict | None = _json()  # the codebook's reading where it differs from table 3.20


class _Detail(SQLModel):
    instrument_id: int = Field(foreign_key="instrument.id", index=True, sa_type=ROW_ID)
    position: int
    source: str | None = None
    at: str | None = None
    via: str | None = None
    also: list[dict] = _json()
    note: str | None = None


class LawRow(_Detail, table=True):
    __tablename__ = "law"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    title: str
    number: str | None = None
    date: str | None = None
    year: int | None = None
    kind: str


class TaxRegimeRow(_Detail, table=True):
    __tablename__ = "tax_regime"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    name: str
    jurisdiction: str | None = None
    headline: str | None = None
    replaces: list[str] = _json()
    eligibility: str | None = None
    start: Any = _json()
    expiry: Any = _json()
    term: str | None = None
    comparisons: list[str] = _json()


class TaxRateRow(SQLModel, table=True):
    __tablename__ = "tax_rate"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    regime_id: int = Field(foreign_key="tax_regime.id", index=True, sa_type=ROW_ID)
    position: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"
    base: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    note: str | None = None


class RebateRow(_Detail, table=True):
    """A film-incentive programme; its rules (tiers, caps, minimum spends...) are kept as JSON, as written."""

    __tablename__ = "film_rebate"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    name: str | None = None
    jurisdiction: str | None = None
    administrator: str | None = None
    form: str | None = None
    kinds: list[str] | None = _json()
    tiers: list[dict] = _json()
    caps: Any = _json()
    minimum_spend: Any = _json()
    qualifying: dict | None = _json()
    fund: dict | None = _json()
    since: Any = _json()
    until: Any = _json()
    unknown: dict = _json()
    conditions: str | None = None


class BodyRow(_Detail, table=True):
    __tablename__ = "body"
    id: int = Field(primary_key=True, sa_type=ROW_ID)
    name: str
    role: str
    since: Any = _json()
    budget: dict | None = _json()
    description: str | None = None


# Children first: the order in which a country's rows are deleted.
DETAIL_TABLES: tuple[type[SQLModel], ...] = (LawRow, TaxRegimeRow, RebateRow, BodyRow)
