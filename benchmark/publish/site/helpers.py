"""What templates call to show data in the page's language: names, values, citations, links, charts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from benchmark import registry
from benchmark.publish.site import formatting as fmt
from benchmark.publish.site import quoting
from benchmark.publish.site.charts import Bar, Series, bar_chart, line_chart
from benchmark.publish.site.data import OBSERVED, Fact, InstrumentFact, SiteData
from benchmark.publish.site.i18n import Lang

SYMBOLS = {
    "present": "●",
    "partial": "◐",
    "planned": "○",
    "absent": "✕",
    "unknown": "?",
    "level-high": "▲",
    "level-medium": "◆",
    "level-low": "▼",
    "level-unknown": "?",
    "none": "–",
}
# Order used when sorting the matrix by an instrument: the strongest support first.
MARK_ORDER = {
    "present": 5,
    "level-high": 5,
    "partial": 4,
    "level-medium": 4,
    "planned": 3,
    "level-low": 3,
    "unknown": 1,
    "level-unknown": 1,
    "absent": 0,
    "none": -1,
}
KINDS = ("observed", "estimate", "target", "projection")


@dataclass
class Chart:
    id: str
    title: str  # plain, for labels; `heading` marks the data's own words with their language
    caption: str
    svg: Any
    x_label: str
    series: list[Series]
    rows: list[dict[str, Any]]
    heading: Any = None


class Helpers:
    def __init__(self, L: Lang, data: SiteData):
        self.L = L
        self.data = data
        self._peers: dict[str | None, list[Any]] = {}

    # names and links -------------------------------------------------------------------------------------
    def name(self, code: str) -> str:
        place = self.data.places.get(code)
        return place.name(self.L.code) if place else code

    def place_href(self, code: str) -> str:
        place = self.data.places[code]
        return f"{'regions' if place.is_region else 'countries'}/{code}.html"

    def fact_href(self, code: str, anchor: str) -> str:
        return f"{self.place_href(code)}#{anchor}"

    def sorted_places(self, places: list[Any]) -> list[Any]:
        return sorted(places, key=lambda p: (p.name(self.L.code).casefold(), p.code))

    def peers_in(self, region: str | None) -> list[Any]:
        """The countries of a world region in the page's order of names, sorted once per region and language."""
        if region not in self._peers:
            self._peers[region] = self.sorted_places(self.data.countries_in(region))
        return self._peers[region]

    def q(self, text: object) -> Any:
        """Text from the data, marked with its language (and glossed) when it is not the page's."""
        return quoting.quoted(self.L.code, text)

    def instrument_rate(self, code: str, instrument_id: str, scenario: str = OBSERVED) -> str | None:
        """The rate an instrument states, where it has one (a film rebate's headline rate), for matrix cells."""
        if instrument_id != "film_rebates":
            return None
        from benchmark.publish.site.film_view import headline_of

        return headline_of(self, code, scenario)

    def indicator_value(self, row: dict[str, Any]) -> str:
        """An indicator's raw value as the explanation of a rank shows it: a status word, or a number."""
        unit = row.get("unit")
        if row.get("value") is None:
            return "—"
        if unit in ("present", "partial", "planned", "absent"):
            return self.L.t(f"mark.{unit}")
        if unit in ("high", "medium", "low"):
            return self.L.t(f"mark.level-{unit}")
        return fmt.with_unit(self.L, self.L.number(row["value"]), unit, None)

    def ordinal_range(self, best: int | None, worst: int | None) -> str:
        """The sensitivity interval in words: "always 3rd", "15th to 18th"."""
        if best is None or worst is None:
            return "—"
        if best == worst:
            return self.L.t("rankings.always", rank=best)
        return self.L.t("rankings.between", best=best, worst=worst)

    def bounds_reading(self, best: int | None, worst: int | None) -> str:
        """The exact best and worst rank in words: "First under some weights, never below rank 12"."""
        if best is None or worst is None:
            return ""
        if best == worst:
            return self.L.t("rankings.reading_fixed", rank=best)
        key = "rankings.reading_first" if best == 1 else "rankings.reading_range"
        return self.L.t(key, best=best, worst=worst, spread=worst - best)

    def lang_of(self, text: str) -> str | None:
        return quoting.language_of(text)

    def note(self, note: str | None) -> Any:
        """A note of the ranking engine, in the page's language where the site words it."""
        text = self.L.engine_note(note)
        return text if text is not None else self.q(note)

    def source_text(self, key: str) -> str:
        source = self.data.sources.get(key)
        if not source:
            return key
        year = source["year"] if source.get("year") is not None else self.L.t("sources.undated")
        return f"{source['publisher']} ({year})"

    def source_label(self, key: str) -> Any:
        """Publisher and year: the publisher is a name, kept as written and marked so."""
        source = self.data.sources.get(key)
        if not source:
            return key
        year = source["year"] if source.get("year") is not None else self.L.t("sources.undated")
        return Markup(f'<span translate="no">{escape(source["publisher"])}</span> ({escape(year)})')

    def scenario_title(self, code: str, key: str) -> str:
        for scenario in self.data.scenarios.get(code, []):
            if scenario["key"] == key:
                title = scenario["title"] or {}
                return title.get(self.L.code) or title.get("en") or key
        return key

    # values ------------------------------------------------------------------------------------------------
    def value(self, row: dict[str, Any], parent: dict[str, Any] | None = None) -> str:
        return fmt.value_text(self.L, row, parent)

    def rate(self, row: dict[str, Any]) -> str:
        return fmt.rate_text(self.L, row)

    def rate_years(self, row: dict[str, Any]) -> str:
        return fmt.rate_years(self.L, row)

    def tiers(self, raw: Any) -> list[Any]:
        return fmt.tiers_text(self.L, raw)

    def caps(self, raw: Any) -> list[str]:
        return fmt.caps_text(self.L, raw)

    def minimum(self, raw: Any) -> list[str]:
        return fmt.minimum_text(self.L, raw)

    def amount(self, raw: Any) -> str:
        return fmt.amount_text(self.L, raw)

    def when(self, raw: Any) -> str:
        return fmt.when_text(self.L, raw)

    def years(self, row: dict[str, Any]) -> str:
        if row.get("year") is None and row.get("reported_in") is not None:
            return self.L.t("years.undated", year=row["reported_in"])
        return fmt.years_text(row)

    def short_years(self, row: dict[str, Any]) -> str:
        """The year for a narrow table cell; an undated figure still says it is undated."""
        if row.get("year") is None and row.get("reported_in") is not None:
            return self.L.t("years.undated_short", year=row["reported_in"])
        return fmt.years_text(row)

    def url(self, raw: str | None) -> str | None:
        return fmt.web_link(raw)

    def region(self, name: str) -> str:
        return self.L.label("region", name)

    def grouping(self, name: str) -> str:
        return self.L.label("grouping", name)

    def join(self, kind: str, items: list[str]) -> str:
        """Translated names joined with commas: `join("grouping", ["EU", "OECD"])`."""
        name = {"region": self.region, "grouping": self.grouping, "instrument": self.instrument, "metric": self.metric}
        return ", ".join(name[kind](item) for item in items)

    def metric(self, metric_id: str) -> str:
        return self.L.metric(metric_id)

    def instrument(self, instrument_id: str) -> str:
        return self.L.instrument(instrument_id)

    def mark_title(self, code: str, item: InstrumentFact | None) -> str:
        """The hover text of a matrix cell: what, where, status, since, source."""
        if item is None:
            return self.L.t("mark.none")
        parts = [self.L.t(f"mark.{item.mark}")]
        if item.row.get("since"):
            parts.append(self.L.t("fact.since", year=item.row["since"]))
        if item.row.get("source"):
            parts.append(self.source_text(item.row["source"]) + (f", {item.row['at']}" if item.row.get("at") else ""))
        elif item.row.get("reason"):
            parts.append(item.row["reason"])
        return " · ".join(parts)

    def latest(self, code: str, metric: str) -> Fact | None:
        return self.data.latest(code, metric)

    def in_place_count(self, code: str, scenario: str = OBSERVED) -> int:
        """Table 3.20 instruments in place: status present, or a high level of IP protection."""
        found = self.data.instruments_of(code, scenario)
        return sum(
            1 for i in registry.table_3_20_instruments() if i in found and found[i].mark in ("present", "level-high")
        )

    # charts ------------------------------------------------------------------------------------------------
    def series_charts(self, code: str, metric: str, facts: list[Fact], prefix: str = "") -> list[Chart]:
        """One line chart per part, method, unit and scale of a metric with values for two or more years."""
        groups: dict[tuple, list[Fact]] = defaultdict(list)
        for fact in facts:
            row = fact.row
            if row["unknown"] or row["year"] is None or (row["value"] is None and row["low"] is None):
                continue
            groups[(row["part"] or "", row["method"] or "", row["unit"] or "", row["scale"] or "one")].append(fact)
        charts = []
        for number, ((part, method, unit, scale), members) in enumerate(sorted(groups.items())):
            if len({f.row["year"] for f in members}) < 2:
                continue
            by_kind: dict[str, list[Fact]] = defaultdict(list)
            for fact in members:
                by_kind[fact.row["kind"]].append(fact)
            series = [
                Series(
                    self.L.t(f"kind.{kind}"),
                    [(f.row["year"], _central(f.row)) for f in by_kind[kind]],
                    dashed=kind in ("target", "projection"),
                    joined=kind not in ("target", "projection"),
                    spans={
                        f.row["year"]: (float(f.row["low"]), float(f.row["high"]))
                        for f in by_kind[kind]
                        if f.row["low"] is not None and f.row["high"] is not None
                    },
                )
                for kind in KINDS
                if by_kind.get(kind)
            ]
            title = " — ".join(p for p in (self.metric(metric), part, method) if p)
            unit_text = fmt.with_unit(self.L, "", unit, scale).strip()
            chart_id = f"{prefix}chart-{metric}-{number}"
            ranged = any(f.row["low"] is not None for f in members)
            caption = " ".join(
                p
                for p in (
                    self.L.t("chart.unit", unit=unit_text) if unit_text else "",
                    self.L.t("chart.midpoint") if ranged else "",
                )
                if p
            )
            desc = self.L.t(
                "chart.desc_series",
                title=title,
                name=self.name(code),
                first=min(f.row["year"] for f in members),
                last=max(f.row["year"] for f in members),
            )
            svg = line_chart(chart_id, title, desc, series, self.L, unit="%" if unit == "percent" else "")
            years = sorted({f.row["year"] for f in members})
            rows = []
            for year in years:
                cells = []
                for kind in KINDS:
                    if not by_kind.get(kind):
                        continue
                    hit = next((f for f in by_kind[kind] if f.row["year"] == year), None)
                    cells.append(self.value(hit.row) if hit else "—")
                rows.append({"x": year, "cells": cells})
            heading = Markup(" — ").join([self.metric(metric), *(self.q(p) for p in (part, method) if p)])
            charts.append(Chart(chart_id, title, caption, svg, self.L.t("chart.year"), series, rows, heading))
        return charts

    def breakdown_charts(self, code: str, metric: str, facts: list[Fact]) -> list[Chart]:
        """A bar per part for a metric given as a breakdown (GVA by sector): the newest year with two or
        more parts, one chart per kind, method, unit and scale. Other sources' readings stay in the table."""
        groups: dict[tuple, list[Fact]] = defaultdict(list)
        for fact in facts:
            row = fact.row
            if row["part"] and not row["unknown"] and row["alternative_of"] is None and _central(row) is not None:
                groups[(row["kind"], row["method"] or "", row["unit"] or "", row["scale"] or "one")].append(fact)
        charts = []
        for number, ((kind, method, unit, scale), members) in enumerate(sorted(groups.items())):
            by_year: dict[int, list[Fact]] = defaultdict(list)
            for fact in members:
                by_year[fact.row["year"]].append(fact)
            years = [y for y, parts in by_year.items() if len({f.row["part"] for f in parts}) >= 2]
            if not years:
                continue
            year = max(years)
            parts = sorted(by_year[year], key=lambda f: -(_central(f.row) or 0))
            title = " — ".join(p for p in (self.metric(metric), method, str(year)) if p)
            chart_id = f"chart-{metric}-parts-{number}"
            desc = self.L.t("chart.desc_parts", title=title, name=self.name(code), count=len(parts))
            percent = unit == "percent"
            bars = [Bar(f.row["part"], _central(f.row), text=self.value(f.row)) for f in parts]
            svg = bar_chart(chart_id, title, desc, bars, self.L, unit="%" if percent else "")
            unit_text = fmt.with_unit(self.L, "", unit, scale).strip()
            caption = self.L.t("chart.unit", unit=unit_text) if unit_text and not percent else ""
            rows = [{"x": f.row["part"], "cells": [self.value(f.row)]} for f in parts]
            series = [Series(self.L.t(f"kind.{kind}"), [])]
            charts.append(Chart(chart_id, title, caption, svg, self.L.t("chart.part"), series, rows))
        return charts

    def comparison_chart(
        self, chart_id: str, title: str, metric: str, codes: list[str], *, divide: float = 1.0, unit: str = ""
    ) -> Chart | None:
        """One line per place: observed whole-place values of a metric (regions beside their country)."""
        series, tables = [], []
        for code in codes:
            points = {}
            for fact in self.data.facts_of(code).get(metric, []):
                row = fact.row
                if row["kind"] != "observed" or row["part"] or row["method"] or row["unknown"]:
                    continue
                if row["year"] is None or row["central"] is None:
                    continue
                value = row["central"] / divide if row["unit"] != "percent" else row["central"]
                points[row["year"]] = (value, fact)
            if len(points) >= 2:
                series.append(Series(self.name(code), sorted((y, v) for y, (v, _) in points.items())))
                tables.append(points)
        if not series:
            return None
        years = sorted({y for points in tables for y in points})
        desc = self.L.t(
            "chart.desc_compare", title=title, names=", ".join(s.label for s in series), first=years[0], last=years[-1]
        )
        svg = line_chart(chart_id, title, desc, series, self.L, unit="%" if unit == "%" else "")
        rows = [
            {
                "x": year,
                "cells": [self.L.number(points[year][0]) + unit if year in points else "—" for points in tables],
            }
            for year in years
        ]
        caption = self.L.t("chart.unit", unit=unit.strip()) if unit.strip() and unit != "%" else ""
        return Chart(chart_id, title, caption, svg, self.L.t("chart.year"), series, rows)


def _central(row: dict[str, Any]) -> float:
    if row["value"] is not None:
        return float(row["value"])
    return (float(row["low"]) + float(row["high"])) / 2
