"""The store's frames arranged for pages: places, their facts and instruments, sources and who cites them.

Everything here is independent of the page language and sorted explicitly, so the same store always
gives the same pages. Anchors are built from what a fact is (metric and position, instrument id), never
from database ids, which depend on the order records were loaded in.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import polars as pl

from benchmark import registry
from benchmark.publish.site.i18n import iso_country_name
from benchmark.store.facts import Facts

OBSERVED = ""  # the scenario value of the observed record
CENTRAL_ASIA_TAX = "central-asia-tax"


if TYPE_CHECKING:
    from benchmark.publish.site.rankings import RankingSet


@dataclass(frozen=True)
class Place:
    """A country or a region record."""

    code: str
    level: str
    parent: str | None
    names: dict[str, str]
    region: str
    groupings: tuple[str, ...]
    former_codes: tuple[str, ...]
    caveats: tuple[dict[str, Any], ...]
    file: str

    @property
    def is_region(self) -> bool:
        return self.level == "region"

    def name(self, lang: str) -> str:
        if not self.is_region:
            iso = iso_country_name(self.code, lang)
            if iso:
                return iso
        return self.names.get(lang) or self.names["en"]

    @property
    def slug(self) -> str:
        return self.code


@dataclass
class Fact:
    """One observation, with its anchor on the place's page and other sources' readings of it."""

    row: dict[str, Any]
    anchor: str
    alternatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Regime:
    row: dict[str, Any]
    rates: list[dict[str, Any]]


@dataclass
class InstrumentFact:
    row: dict[str, Any]
    anchor: str
    laws: list[dict[str, Any]] = field(default_factory=list)
    regimes: list[Regime] = field(default_factory=list)
    rebates: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.row["instrument"])

    @cached_property  # the row is fixed once arranged; pages ask for the mark over a million times at scale
    def mark(self) -> str:
        """`present`, `absent`, `partial`, `planned`, `unknown`, or `level-high` etc. for level instruments."""
        if self.row.get("status"):
            return str(self.row["status"])
        return f"level-{self.row.get('level') or 'unknown'}"


@dataclass(frozen=True)
class Citation:
    """A place in the site where a fact cites a source: which record, which anchor, what it is."""

    place: str
    scenario: str
    anchor: str
    what: str  # "metric", "instrument", "caveat", "scenario"
    subject: str  # a metric or instrument id, or "" for caveats and scenarios
    year: int | None = None


@dataclass
class SiteData:
    places: dict[str, Place]
    facts: dict[tuple[str, str], dict[str, list[Fact]]]
    instruments: dict[tuple[str, str], dict[str, InstrumentFact]]
    scenarios: dict[str, list[dict[str, Any]]]
    sources: dict[str, dict[str, Any]]
    citations: dict[str, list[Citation]]

    # The places are fixed once arranged: the lists and the index by parent are made once, not per page.
    @cached_property
    def countries(self) -> list[Place]:
        return [p for p in self.places.values() if not p.is_region]

    @cached_property
    def regions(self) -> list[Place]:
        return [p for p in self.places.values() if p.is_region]

    @cached_property
    def _regions_by_parent(self) -> dict[str | None, list[Place]]:
        return _grouped(self.regions, lambda p: p.parent)

    def regions_of(self, code: str) -> list[Place]:
        return list(self._regions_by_parent.get(code, []))

    @cached_property
    def _countries_by_region(self) -> dict[str | None, list[Place]]:
        return _grouped(self.countries, lambda p: p.region)

    def countries_in(self, region: str | None) -> list[Place]:
        """The countries of a world region, looked up once per region rather than scanned per page."""
        return list(self._countries_by_region.get(region, []))

    def facts_of(self, code: str, scenario: str = OBSERVED) -> dict[str, list[Fact]]:
        return self.facts.get((code, scenario), {})

    def instruments_of(self, code: str, scenario: str = OBSERVED) -> dict[str, InstrumentFact]:
        return self.instruments.get((code, scenario), {})

    def latest(self, code: str, metric: str) -> Fact | None:
        """The newest observed (or estimated) whole-country value of a metric: no part, no method, not a target."""
        best: Fact | None = None
        for fact in self.facts_of(code).get(metric, []):
            row = fact.row
            if row["unknown"] or row["part"] or row["method"] or row["kind"] not in ("observed", "estimate"):
                continue
            rank = (row["year"] or 0, row["kind"] == "observed")
            if best is None or rank > (best.row["year"] or 0, best.row["kind"] == "observed"):
                best = fact
        return best

    def tax_comparison(self) -> list[tuple[Place, str, InstrumentFact, Regime]]:
        """The regimes whose `comparisons` include the Central Asian tax table, observed and scenario ones."""
        out = []
        for (code, scenario), instruments in sorted(self.instruments.items()):
            for instrument in instruments.values():
                for regime in instrument.regimes:
                    if CENTRAL_ASIA_TAX in (regime.row.get("comparisons") or []):
                        out.append((self.places[code], scenario, instrument, regime))
        return out


def _rows(frame: pl.DataFrame, *order: str) -> list[dict[str, Any]]:
    return frame.sort(list(order), nulls_last=True).to_dicts() if frame.height else []


def fact_anchor(scenario: str, metric: str, position: int) -> str:
    return f"{'s-' + scenario + '-' if scenario else ''}fact-{metric}-{position}"


def instrument_anchor(scenario: str, instrument: str) -> str:
    return f"{'s-' + scenario + '-' if scenario else ''}instrument-{instrument}"


def _grouped(places: list[Place], key: Callable[[Place], str | None]) -> dict[str | None, list[Place]]:
    out: dict[str | None, list[Place]] = defaultdict(list)
    for p in places:
        out[key(p)].append(p)
    return dict(out)


def arrange(facts: Facts) -> SiteData:
    places = {
        row["code"]: Place(
            code=row["code"],
            level=row["level"],
            parent=row["parent"],
            names={"en": row["name_en"], "ru": row["name_ru"], "kk": row["name_kk"]},
            region=row["region"],
            groupings=tuple(row["groupings"] or ()),
            former_codes=tuple(row["former_codes"] or ()),
            caveats=tuple(json.loads(row["caveats"]) if row["caveats"] else ()),
            file=row["file"],
        )
        for row in _rows(facts.countries, "code")
    }
    metric_order = {m: i for i, m in enumerate(registry.metrics())}
    observations = _rows(facts.observations, "country", "scenario", "metric", "position", "id")
    alternatives: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in observations:
        if row["alternative_of"] is not None:
            alternatives[row["alternative_of"]].append(row)
    fact_map: dict[tuple[str, str], dict[str, list[Fact]]] = defaultdict(dict)
    for row in observations:
        if row["alternative_of"] is not None:
            continue
        anchor = fact_anchor(row["scenario"], row["metric"], row["position"])
        fact = Fact(row, anchor, sorted(alternatives[row["id"]], key=lambda r: r["position"]))
        fact_map[(row["country"], row["scenario"])].setdefault(row["metric"], []).append(fact)
    for key, metrics in fact_map.items():
        fact_map[key] = dict(sorted(metrics.items(), key=lambda kv: (metric_order.get(kv[0], 999), kv[0])))

    instruments = _arrange_instruments(facts)
    scenarios: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(facts.scenarios, "country", "key"):
        row["title"] = json.loads(row["title"]) if isinstance(row["title"], str) else row["title"]
        scenarios[row["country"]].append(row)
    sources = {row["key"]: row for row in _rows(facts.sources, "key")}
    data = SiteData(places, dict(fact_map), instruments, dict(scenarios), sources, {})
    data.citations = _citations(data)
    return data


def _arrange_instruments(facts: Facts) -> dict[tuple[str, str], dict[str, InstrumentFact]]:
    order = {m: i for i, m in enumerate(registry.instruments())}
    by_id: dict[int, InstrumentFact] = {}
    out: dict[tuple[str, str], dict[str, InstrumentFact]] = defaultdict(dict)
    for row in sorted(
        _rows(facts.instruments, "country", "scenario", "instrument"),
        key=lambda r: (r["country"], r["scenario"], order.get(r["instrument"], 999), r["instrument"]),
    ):
        item = InstrumentFact(row, instrument_anchor(row["scenario"], row["instrument"]))
        by_id[row["id"]] = item
        out[(row["country"], row["scenario"])][row["instrument"]] = item
    for row in _rows(facts.laws, "instrument_id", "position"):
        by_id[row["instrument_id"]].laws.append(row)
    for row in _rows(facts.rebates, "instrument_id", "position"):
        by_id[row["instrument_id"]].rebates.append(row)
    for row in _rows(facts.bodies, "instrument_id", "position"):
        by_id[row["instrument_id"]].bodies.append(row)
    rates: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(facts.tax_rates, "regime_id", "position"):
        rates[row["regime_id"]].append(row)
    for row in _rows(facts.tax_regimes, "instrument_id", "position"):
        by_id[row["instrument_id"]].regimes.append(Regime(row, rates[row["id"]]))
    return dict(out)


def _citations(data: SiteData) -> dict[str, list[Citation]]:
    # Per source an ordered set (a dict's keys): almost every record cites the founding study, and a list
    # scan per citation made this quadratic in the number of records.
    found: dict[str, dict[Citation, None]] = defaultdict(dict)

    def cite(source: str | None, citation: Citation) -> None:
        if source:
            found[source].setdefault(citation)

    for code, place in data.places.items():
        for caveat in place.caveats:
            cite(caveat.get("source"), Citation(code, OBSERVED, "caveats", "caveat", ""))
        for variant in data.scenarios.get(code, []):
            cite(variant.get("source"), Citation(code, variant["key"], f"scenario-{variant['key']}", "scenario", ""))
    for (code, scenario), metrics in sorted(data.facts.items()):
        for metric, facts in metrics.items():
            for fact in facts:
                citation = Citation(code, scenario, fact.anchor, "metric", metric, fact.row["year"])
                cite(fact.row["source"], citation)
                for alt in fact.alternatives:
                    cite(alt["source"], citation)
    for (code, scenario), instruments in sorted(data.instruments.items()):
        for instrument in instruments.values():
            citation = Citation(code, scenario, instrument.anchor, "instrument", instrument.id, instrument.row["since"])
            details = [*instrument.laws, *instrument.rebates, *instrument.bodies, *(r.row for r in instrument.regimes)]
            for source in [instrument.row["source"], *(d.get("source") for d in details)]:
                cite(source, citation)
    return {source: list(citations) for source, citations in found.items()}


@dataclass
class Inputs:
    """Everything a page may show: the arranged data, the rankings and the analysts' reports."""

    data: SiteData
    rankings: RankingSet  # benchmark.publish.site.rankings
    quality: dict[str, Any] | None
    downloads: list[dict[str, Any]]
    build_date: str | None
