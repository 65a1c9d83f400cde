"""Validation layer 2: dataset-wide rules, checked by pandera on Polars frames.

The rules read as a checklist, one line each, named for what they forbid. Each is a pandera check
over one frame from `rule_frames`; a failing row becomes a `Problem` at the row's file and line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pandera.polars as pa
import polars as pl
import pycountry
from pandera.errors import SchemaErrors

from benchmark import registry
from benchmark.problems import Problem
from benchmark.records import rule_frames
from benchmark.records.bibliography import Entry
from benchmark.records.read import dotted
from benchmark.records.rule_frames import Record

FIRST_YEAR = 1900
LAST_TARGET_YEAR = 2100


@cache
def iso_countries() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


@cache
def iso_subdivisions() -> dict[str, str]:
    """ISO 3166-2 code -> alpha-3 code of its country."""
    to_alpha3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    return {s.code: to_alpha3[s.country_code] for s in pycountry.subdivisions}


# ISO 4217's X-codes are mostly not money (XXX "no currency", XTS "testing", metals, SDR);
# these four are real currencies that happen to start with X.
_REAL_X_CURRENCIES = {"XAF", "XCD", "XOF", "XPF"}


@cache
def iso_currencies() -> frozenset[str]:
    return frozenset(
        c.alpha_3 for c in pycountry.currencies if not c.alpha_3.startswith("X") or c.alpha_3 in _REAL_X_CURRENCIES
    )


def _this_year() -> int:
    return dt.date.today().year


@dataclass(frozen=True)
class Rule:
    name: str
    frame: str
    ok: Callable[[], pl.Expr]  # true where the row passes; null counts as passing
    message: str  # formatted with the failing row's columns
    expected: str
    at: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """The stable code a problem of this rule carries: the rule's own name."""
        return self.name  # the sub-field the rule is about, first one the row's entry has


def _in_range(lo: float, hi: float) -> pl.Expr:
    return pl.all_horizontal(pl.col(c).is_null() | pl.col(c).is_between(lo, hi) for c in ("value", "low", "high"))


def _at_least(lo: float) -> pl.Expr:
    return pl.all_horizontal(pl.col(c).is_null() | (pl.col(c) >= lo) for c in ("value", "low", "high"))


_UNIT_FOR = {
    "share": "percent",
    "persons": "persons",
    "count": "count",
    "rank": "rank",
    "ratio": "ratio",
    "years": "years",
}

# Checks too long for one line of the table below.


def _country_code_exists() -> pl.Expr:
    return (pl.col("level") != "country") | pl.col("code").is_in(list(iso_countries()))


def _region_code_exists() -> pl.Expr:
    return (pl.col("level") != "region") | pl.col("code").is_in(list(iso_subdivisions()))


def _region_names_its_country() -> pl.Expr:
    return (pl.col("level") != "region") | (
        pl.col("parent") == pl.col("code").replace_strict(iso_subdivisions(), default=None)
    )


def _url_is_web_link() -> pl.Expr:
    return pl.col("url").is_null() | pl.col("url").str.contains(r"^https?://[^\s<>\"]+$")


def _unit_fits_metric() -> pl.Expr:
    return (
        pl.when(pl.col("quantity") == "money")
        .then(pl.col("unit").str.contains(r"^[A-Z]{3}$"))
        .otherwise(pl.col("unit") == pl.col("quantity").replace_strict(_UNIT_FOR, default=""))
    )


def _currency_exists() -> pl.Expr:
    return (pl.col("quantity") != "money") | pl.col("unit").is_in(list(iso_currencies()))


def _amount_is_not_negative() -> pl.Expr:
    return ~pl.col("quantity").is_in(["money", "persons", "count"]) | _at_least(0)


def _fact_year_is_plausible() -> pl.Expr:
    return pl.col("year").is_between(FIRST_YEAR, _this_year() + 1) | (
        pl.col("kind").is_in(["target", "projection"]) & pl.col("year").is_between(FIRST_YEAR, LAST_TARGET_YEAR)
    )


def _reported_in_is_plausible() -> pl.Expr:
    return pl.col("reported_in").is_between(FIRST_YEAR, _this_year())


def _one_observation_per_year_and_kind() -> pl.Expr:
    dated = [pl.col("year").fill_null(0), pl.col("reported_in").fill_null(0)]
    return ~pl.col("primary") | ~pl.struct(
        "country", "scenario", "metric", *dated, "kind", "part", "method"
    ).is_duplicated().over("primary")


def _accessed_is_not_in_the_future() -> pl.Expr:
    return pl.col("accessed") <= pl.lit(dt.date.today())


def _local_source_is_defined_once() -> pl.Expr:
    return pl.col("shared") | (pl.col("other_files") == "")


def _local_source_is_not_a_shared_publication() -> pl.Expr:
    return pl.col("shared") | pl.col("shared_id").is_null()


def _region_has_its_country() -> pl.Expr:
    return (pl.col("level") != "region") | pl.col("parent_has_record")


def _groupings_match_registry() -> pl.Expr:
    # Only groupings whose member lists the registry knows are compared.
    known = registry.groupings()
    expected = {code: ", ".join(sorted(g for g, m in known.items() if code in m)) for code in registry.member_codes()}
    given = pl.col("groupings").list.eval(pl.element().filter(pl.element().is_in(list(known)))).list.sort()
    return (pl.col("level") != "country") | (
        given.list.join(", ") == pl.col("code").replace_strict(expected, default="", return_dtype=pl.String)
    )


def _level_only_for_level_instruments() -> pl.Expr:
    return (pl.col("scale") != "status") | pl.col("level").is_null()


def _level_instrument_has_level() -> pl.Expr:
    return (pl.col("scale") != "level") | pl.col("level").is_not_null()


def _since_is_plausible() -> pl.Expr:
    return pl.col("since").is_null() | pl.col("since").is_between(FIRST_YEAR, LAST_TARGET_YEAR)


def _rate_years_are_ordered() -> pl.Expr:
    return pl.col("from_year").is_null() | pl.col("to_year").is_null() | (pl.col("from_year") <= pl.col("to_year"))


# fmt: off
RULES: list[Rule] = [
    Rule("file-name-is-code", "countries", lambda: pl.col("stem") == pl.col("code"),
         "the file is named `{stem}.yaml` but its code is `{code}`",
         "the file named after its code"),
    Rule("country-code-exists", "countries", _country_code_exists,
         "`{code}` is not an ISO 3166-1 alpha-3 country code",
         "a code such as KAZ, UZB, GBR"),
    Rule("region-code-exists", "countries", _region_code_exists,
         "`{code}` is not an ISO 3166-2 subdivision code",
         "a code such as KZ-75, KZ-63"),
    Rule("level-fits-code", "countries", lambda: (pl.col("level") == "region") == pl.col("code").str.contains("-"),
         "level `{level}` does not fit the code `{code}`",
         "level `country` for ISO 3166-1 codes, `region` for ISO 3166-2 codes"),
    Rule("region-names-its-country", "countries", _region_names_its_country,
         "region `{code}` gives parent `{parent}`",
         "the ISO3 code of the country the region belongs to"),
    Rule("region-has-its-country", "countries", _region_has_its_country,
         "region `{code}` belongs to `{parent}`, which has no record",
         "a record for the parent country (python cli.py new-country {parent})"),
    Rule("code-is-unique", "countries", lambda: pl.col("other_files") == "",
         "`{code}` is given twice: it is also the code of {other_files}",
         "each code in one file only"),
    Rule("groupings-match-registry", "countries", _groupings_match_registry,
         "groupings [{groupings}] differ from the memberships the registry lists for {code}: [{registry_groupings}]",
         "groupings: the registry's list (benchmark/registry/groupings.yaml, each membership with its source)",
         at=("groupings",)),
    Rule("url-is-web-link", "sources", _url_is_web_link,
         "the link `{url}` is not an http or https address",
         "a URL starting with https:// or http://", at=("url",)),
    Rule("source-year-is-plausible", "sources", lambda: pl.col("year").is_between(FIRST_YEAR, _this_year() + 1),
         "source year {year} is not plausible",
         f"a year from {FIRST_YEAR} to next year", at=("year",)),
    Rule("accessed-is-not-in-the-future", "sources", _accessed_is_not_in_the_future,
         "`accessed: {accessed}` is in the future",
         "the date the source was read, today or earlier", at=("accessed",)),
    Rule("shared-source-is-not-redefined", "sources", lambda: ~pl.col("clashes_with_shared"),
         "source `{key}` is defined in the shared bibliography (sources/{key}.yaml); this record redefines it",
         "the citation `source: {key}` alone: delete this definition"),
    Rule("local-source-is-defined-once", "sources", _local_source_is_defined_once,
         "source `{key}` is also defined in {other_files} (fields that differ: {differs})",
         "a source cited by several records moved to sources/{key}.yaml, defined once"),
    Rule("local-source-is-not-a-shared-publication", "sources", _local_source_is_not_a_shared_publication,
         "source `{key}` is the same publication as sources/{shared_id}.yaml",
         "`source: {shared_id}` in the facts, and this definition deleted"),
    Rule("publication-has-one-id", "sources", lambda: ~pl.col("publication_ids").str.contains(","),
         "this publication is defined under several ids: {publication_ids}",
         "one id for one publication: define it once in sources/ and cite that id everywhere"),
    Rule("cited-in-is-defined", "sources", lambda: pl.col("cited_in_defined"),
         "`cited_in: {cited_in}` names no source of this record or of sources/",
         "a source id", at=("cited_in",)),
    Rule("source-is-defined", "citations", lambda: pl.col("defined"),
         "`{attribute}: {source}` names no source of this record or of sources/",
         "an id of sources/ or of this file's `sources`"),
    Rule("unit-fits-metric", "observations", _unit_fits_metric,
         "unit `{unit}` does not fit {metric}, a {quantity} metric",
         "percent for shares, an ISO 4217 currency for money, persons, count or rank", at=("unit",)),
    Rule("currency-exists", "observations", _currency_exists,
         "`{unit}` is not an ISO 4217 currency code",
         "a code such as USD, EUR, KZT", at=("unit",)),
    Rule("share-is-a-percentage", "observations", lambda: (pl.col("quantity") != "share") | _in_range(0, 100),
         "a share of {amount} is outside 0-100",
         "a percentage from 0 to 100", at=("value", "low", "high")),
    Rule("amount-is-not-negative", "observations", _amount_is_not_negative,
         "{metric} of {amount} is negative",
         "zero or more", at=("value", "low", "high")),
    Rule("rank-is-positive", "observations", lambda: (pl.col("quantity") != "rank") | _at_least(1),
         "rank {value} is below 1",
         "1 or more", at=("value",)),
    Rule("fact-year-is-plausible", "observations", _fact_year_is_plausible,
         "year {year} is not plausible for a fact of kind {kind}",
         f"{FIRST_YEAR} to next year for what happened, up to {LAST_TARGET_YEAR} for targets", at=("year",)),
    Rule("reported-in-is-plausible", "observations", _reported_in_is_plausible,
         "`reported_in: {reported_in}` is not plausible",
         f"the year the source reported the figure, {FIRST_YEAR} to this year", at=("reported_in",)),
    Rule("one-observation-per-year-and-kind", "observations", _one_observation_per_year_and_kind,
         "{metric} has more than one {kind} value for {year}{reported_in}",
         "one value per metric, year and kind (put another source's reading under `alternatives`)",
         at=("year", "reported_in")),
    Rule("level-only-for-level-instruments", "instruments", _level_only_for_level_instruments,
         "{instrument} takes a `status`, not a `level`",
         "status: present, absent, partial, planned or unknown", at=("level",)),
    Rule("level-instrument-has-level", "instruments", _level_instrument_has_level,
         "{instrument} is rated by `level`",
         "level: low, medium, high or unknown", at=("status",)),
    Rule("since-is-plausible", "instruments", _since_is_plausible,
         "year {since} is not plausible",
         f"a year from {FIRST_YEAR} to {LAST_TARGET_YEAR}", at=("since",)),
    Rule("money-currency-exists", "amounts", lambda: pl.col("currency").is_in(list(iso_currencies())),
         "`{currency}` is not an ISO 4217 currency code",
         "a code such as USD, EUR, KZT", at=("currency",)),
    Rule("money-is-not-negative", "amounts", lambda: _at_least(0),
         "an amount of {amount} is negative",
         "zero or more", at=("value", "low", "high")),
    Rule("rate-is-a-percentage", "rates", lambda: _in_range(0, 100),
         "a rate of {amount}% is outside 0-100",
         "a percentage from 0 to 100", at=("value", "low", "high")),
    Rule("rate-years-are-ordered", "rates", _rate_years_are_ordered,
         "the rate runs from {from_year} to {to_year}",
         "`from_year` no later than `to_year`", at=("to_year",)),
    Rule("date-is-plausible", "dates", lambda: pl.col("year").is_between(FIRST_YEAR, LAST_TARGET_YEAR),
         "year {year} is not plausible",
         f"a year from {FIRST_YEAR} to {LAST_TARGET_YEAR}"),
]
# fmt: on

cited_sources = rule_frames.cited_sources


def check(records: list[Record], entries: dict[str, Entry] | None = None) -> list[Problem]:
    entries = entries or {}
    # A record's document is read only to place a problem found in it (cached records hold none until then).
    docs: dict[str, Record | Entry] = {r.file: r for r in records}
    docs |= {e.doc.file: e for e in entries.values()}
    problems: list[Problem] = []
    for frame_name, frame in rule_frames.frames(records, entries).items():
        rules = [r for r in RULES if r.frame == frame_name]
        if frame.is_empty() or not rules:
            continue
        schema = pa.DataFrameSchema(
            columns={"file": pa.Column(str), "line": pa.Column(int), "field": pa.Column(str)},
            checks=[pa.Check(_as_check(r), name=r.name) for r in rules],
        )
        try:
            schema.validate(frame, lazy=True)
        except SchemaErrors as err:
            problems.extend(_report(frame, err.failure_cases, {r.name: r for r in rules}, docs))
    return problems


def _as_check(rule: Rule) -> Callable[[pa.PolarsData], pl.LazyFrame]:
    return lambda data: data.lazyframe.select(rule.ok().fill_null(True))


def _report(
    frame: pl.DataFrame, failures: pl.DataFrame, rules: dict[str, Rule], docs: dict[str, Record | Entry]
) -> list[Problem]:
    out = []
    for check_name, index in failures.select("check", "index").iter_rows():
        rule = rules.get(check_name)
        if rule is None or index is None:  # a frame-contract failure is a bug of ours, not the data's
            raise RuntimeError(f"rule frame failed its own contract: {check_name}")
        row = frame.row(index, named=True)
        shown = {k: _show(v) for k, v in row.items()}
        shown["amount"] = _amount(row)
        if rule.name == "one-observation-per-year-and-kind" and row.get("year") is None:
            shown["year"], shown["reported_in"] = "undated figures", f" reported in {row['reported_in']}"
        elif "reported_in" in row:
            shown["reported_in"] = ""
        path = tuple(json.loads(row["path"]))
        doc = docs[row["file"]].doc
        candidates = [(*path, a) for a in rule.at] + [(a,) for a in rule.at]  # the entry's field, or a top-level one
        path = next((p for p in candidates if p in doc.positions), path)
        line, column = doc.position(path)
        out.append(
            Problem(
                row["file"],
                line,
                column,
                dotted(path),
                rule.message.format(**shown),
                rule.expected.format(**shown),
                rule.code,
            )
        )
    return out


def _amount(row: dict) -> str:
    if row.get("value") is not None:
        return f"{row['value']:g}"
    if row.get("low") is not None:
        return f"{row['low']:g}-{row['high']:g}"
    return ""


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)
