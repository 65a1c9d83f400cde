"""One function per page type: the context its template renders, in the page's language."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from benchmark import registry
from benchmark.publish.site.charts import Bar, Series, bar_chart
from benchmark.publish.site.data import OBSERVED, Inputs, Place
from benchmark.publish.site.helpers import MARK_ORDER, Chart, Helpers

if TYPE_CHECKING:
    from benchmark.publish.site.rankings import ProfileView

FOCUS = "KAZ"  # the country the founding study is about
# The figures the compare page and the country index set side by side (the newest whole-country value).
KEY_METRICS = (
    "ci_gdp_share", "ci_gva", "ci_employment", "ci_employment_share", "ci_exports", "wipo_gii_rank",
    "wipo_gii_creative_goods_rank", "ci_venture_investment", "ci_entities", "ci_hubs",
)  # fmt: skip
DEFAULT_COMPARE = ("KAZ", "UZB", "KGZ", "GBR")
LEAD_PROFILE = "instrument-matrix"  # the CLI's default profile: the study's table 3.20 as a ranking


def _json_script(value: Any) -> Markup:
    """JSON for a <script type="application/json"> block: `<`, `>` and `&` escaped so no tag can close it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _instrument_columns(inputs: Inputs) -> list[str]:
    present = {i for instruments in inputs.data.instruments.values() for i in instruments}
    return [i for i in registry.instruments() if i in present]


def home(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    countries = data.countries
    focus = data.places.get(FOCUS)
    neighbours = [p for p in countries if focus and p.region == focus.region and p.code != FOCUS]
    lead = _lead_profile(inputs)
    if lead:
        leaders = [data.places[r.code] for r in lead.ranked[:3] if r.code in data.places]
    else:
        leaders = sorted(countries, key=lambda p: (-h.in_place_count(p.code), p.code))[:3]
    chosen: list[Place] = []
    for place in ([focus] if focus else []) + h.sorted_places(neighbours) + leaders:
        if place not in chosen:
            chosen.append(place)
    headline = [
        {
            "place": p,
            "role": "focus" if p.code == FOCUS else ("neighbour" if p in neighbours else "leader"),
            "in_place": h.in_place_count(p.code),
            "share": h.latest(p.code, "ci_gdp_share"),
            "gii": h.latest(p.code, "wipo_gii_rank"),
            "rank": lead.row_of(p.code) if lead else None,
        }
        for p in chosen
    ]
    total = len(registry.table_3_20_instruments())
    by_count = sorted(countries, key=lambda p: (-h.in_place_count(p.code), p.name(h.L.code)))
    instruments_chart = _bar_figure(
        h,
        "chart-in-place",
        h.L.t("home.chart_in_place", total=total),
        h.L.t("home.chart_in_place_desc", total=total),
        [(p, h.in_place_count(p.code), "") for p in by_count],
        maximum=total,
        value_label=h.L.t("home.col_in_place", total=total),
    )
    shares = [(p, h.latest(p.code, "ci_gdp_share")) for p in countries]
    known = sorted([(p, f) for p, f in shares if f is not None], key=lambda pf: (-pf[1].row["central"], pf[0].code))
    share_chart = _bar_figure(
        h,
        "chart-share",
        h.L.t("home.chart_share"),
        h.L.t("home.chart_share_desc"),
        [(p, f.row["central"], f"({h.years(f.row)})", h.value(f.row)) for p, f in known],
        unit="%",
        value_label=h.metric("ci_gdp_share"),
    )
    newest_instruments = sorted(
        (
            (item.row["since"], code, item)
            for (code, scenario), instruments in data.instruments.items()
            if scenario == OBSERVED and not data.places[code].is_region
            for item in instruments.values()
            if item.row.get("since") and item.mark in ("present", "partial")
        ),
        key=lambda x: (-x[0], x[1], x[2].id),
    )[:8]
    newest_figures = sorted(
        (
            (fact.row["year"], code, metric, fact)
            for (code, scenario), metrics in data.facts.items()
            if scenario == OBSERVED
            for metric, facts in metrics.items()
            for fact in facts
            if fact.row["kind"] == "observed"
            and fact.row["year"] is not None  # an undated figure is never "newest"
            and not fact.row["unknown"]
            and not fact.row["part"]
            and metric in KEY_METRICS
        ),
        key=lambda x: (-x[0], x[1], x[2], x[3].anchor),
    )[:8]
    return {
        "headline": headline,
        "charts": [instruments_chart, share_chart],
        "newest_instruments": newest_instruments,
        "newest_figures": newest_figures,
        "total": total,
        "lead": lead,
    }


def _lead_profile(inputs: Inputs) -> ProfileView | None:
    profiles = inputs.rankings.for_level("country")
    return next((p for p in profiles if p.name == LEAD_PROFILE), profiles[0] if profiles else None)


def _bar_figure(
    h: Helpers,
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[Any, ...]],  # (place, value, note for the table[, the value as written])
    *,
    maximum: float | None = None,
    unit: str = "",
    value_label: str = "",
) -> Chart:
    """A bar per country (Kazakhstan highlighted), and the same numbers as a table for the figure."""
    # the chart shows the value as written ("~2.5%"); the year and other notes go to the table beside it
    bars = [Bar(r[0].name(h.L.code), r[1], r[0].code == FOCUS, "", r[3] if len(r) > 3 else "") for r in rows]
    svg = bar_chart(chart_id, title, desc, bars, h.L, unit=unit, maximum=maximum)
    table = [
        {"x": b.label, "cells": [f"{b.text or h.L.number(b.value) + unit} {r[2]}".strip()]}
        for b, r in zip(bars, rows, strict=True)
    ]
    return Chart(chart_id, title, "", svg, h.L.t("col.country"), [Series(value_label, [])], table)


def matrix(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    columns = _instrument_columns(inputs)
    rows = []
    for place in h.sorted_places(data.countries):
        rows.append(_matrix_row(h, place, OBSERVED, columns))
        for scenario in data.scenarios.get(place.code, []):
            if data.instruments_of(place.code, scenario["key"]):
                rows.append(_matrix_row(h, place, scenario["key"], columns))
    regions = sorted({p.region for p in data.countries}, key=lambda r: h.region(r).casefold())
    groupings = sorted({g for p in data.countries for g in p.groupings}, key=lambda g: h.grouping(g).casefold())
    legend = ["present", "partial", "planned", "absent", "unknown", "level-high", "level-medium", "level-low", "none"]
    return {
        "columns": columns,
        "rows": rows,
        "regions": regions,
        "groupings": groupings,
        "legend": legend,
        "table_3_20": set(registry.table_3_20_instruments()),
    }


def _matrix_row(h: Helpers, place: Place, scenario: str, columns: list[str]) -> dict[str, Any]:
    found = h.data.instruments_of(place.code, scenario)
    base = h.data.instruments_of(place.code) if scenario else found
    cells: list[dict[str, Any]] = []
    in_place = 0
    for column in columns:
        item = found.get(column) or (base.get(column) if scenario else None)
        if item and column in registry.table_3_20_instruments() and item.mark in ("present", "level-high"):
            in_place += 1
        cells.append(
            {
                "id": column,
                "item": item,
                "order": MARK_ORDER[item.mark if item else "none"],
                "title": h.mark_title(place.code, item),
            }
        )
    return {
        "place": place,
        "scenario": scenario,
        "label": place.name(h.L.code) if not scenario else h.scenario_title(place.code, scenario),
        "cells": cells,
        "count": in_place,
    }


def rankings(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    return {"profiles": inputs.rankings.profiles, "problem": inputs.rankings.problem}


def ranking(h: Helpers, inputs: Inputs, profile: ProfileView) -> dict[str, Any]:
    return {"profile": profile, "payload": _json_script(profile.payload)}


def countries(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    rows = [
        {
            "place": p,
            "in_place": h.in_place_count(p.code),
            "share": h.latest(p.code, "ci_gdp_share"),
            "regions": data.regions_of(p.code),
        }
        for p in h.sorted_places(data.countries)
    ]
    return {"rows": rows, "total": len(registry.table_3_20_instruments())}


def place(h: Helpers, inputs: Inputs, place: Place) -> dict[str, Any]:
    data = inputs.data
    facts = data.facts_of(place.code)
    charts: dict[str, list[Chart]] = {
        m: h.series_charts(place.code, m, fs) + h.breakdown_charts(place.code, m, fs) for m, fs in facts.items()
    }
    instruments = data.instruments_of(place.code)
    scenarios = []
    for scenario in data.scenarios.get(place.code, []):
        key = scenario["key"]
        s_instruments = data.instruments_of(place.code, key)
        s_facts = data.facts_of(place.code, key)
        ids = [i for i in registry.instruments() if i in instruments or i in s_instruments]
        scenarios.append(
            {
                "row": scenario,
                "title": h.scenario_title(place.code, key),
                "instruments": [(i, instruments.get(i), s_instruments.get(i)) for i in ids],
                "details": s_instruments,
                "metrics": [(m, h.latest(place.code, m), fs) for m, fs in s_facts.items()],
            }
        )
    parent = data.places.get(place.parent) if place.parent else None
    regional = []
    if place.is_region and parent:
        for metric, title_key, divide, unit in (
            ("ci_gdp_share", "regions.chart_share", 1.0, "%"),
            ("ci_gva", "regions.chart_gva", 1e9, " " + h.L.t("regions.billion_kzt")),
        ):
            title = h.L.t(
                "regions.beside_title",
                title=h.L.t(title_key),
                region=place.name(h.L.code),
                country=parent.name(h.L.code),
            )
            chart = h.comparison_chart(
                f"chart-{metric}-beside", title, metric, [parent.code, place.code], divide=divide, unit=unit
            )
            if chart:
                regional.append(chart)
    return {
        "place": place,
        "facts": facts,
        "charts": charts,
        "instruments": instruments,
        "scenarios": scenarios,
        "ranks": inputs.rankings.ranks_of(place.code),
        "parent": parent,
        "subregions": data.regions_of(place.code),
        "regional": regional,
        "in_place": h.in_place_count(place.code),
        "total": len(registry.table_3_20_instruments()),
        "summary": _summary(h, data, place, instruments),
    }


HAS = ("present", "partial", "level-high", "level-medium")
LACKS = ("absent", "planned", "level-low")
PEERS_SHOWN = 24  # above the largest real region's peers (14 in Europe): the real pages list them all


def _summary(h: Helpers, data: Any, place: Place, instruments: dict[str, Any]) -> dict[str, Any]:
    """What a reader asks first: the key figures (with year and source), the instruments of table 3.20 the
    place has, lacks and has no answer for, and its peers (the same world region)."""
    table = registry.table_3_20_instruments()
    marks = {i: instruments[i].mark if i in instruments else "none" for i in table}
    # At most PEERS_SHOWN peers by name, then how many more: a page lists a few neighbours, not a continent
    # (and a build with thousands of records in one region stays linear).
    peers = [] if place.is_region else h.peers_in(place.region)[: PEERS_SHOWN + 1]
    peers = [p for p in peers if p.code != place.code][:PEERS_SHOWN]
    total = 0 if place.is_region else len(data.countries_in(place.region)) - 1
    return {
        "figures": [(m, f) for m in KEY_METRICS if (f := h.latest(place.code, m)) is not None],
        "has": [i for i in table if marks[i] in HAS],
        "lacks": [i for i in table if marks[i] in LACKS],
        "unknown": [i for i in table if marks[i] not in HAS + LACKS],
        "peers": peers,
        "more_peers": max(total - len(peers), 0),
    }


def regions(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    groups = []
    for parent_code in sorted({p.parent for p in data.regions if p.parent}):
        members = h.sorted_places(data.regions_of(parent_code))
        codes = [parent_code, *[m.code for m in members]]
        charts = [
            c
            for c in (
                h.comparison_chart(
                    f"chart-{parent_code}-share", h.L.t("regions.chart_share"), "ci_gdp_share", codes, unit="%"
                ),
                h.comparison_chart(
                    f"chart-{parent_code}-gva",
                    h.L.t("regions.chart_gva"),
                    "ci_gva",
                    codes,
                    divide=1e9,
                    unit=" " + h.L.t("regions.billion_kzt"),
                ),
            )
            if c
        ]
        rows = [
            {
                "place": m,
                "share": h.latest(m.code, "ci_gdp_share"),
                "gva": h.latest(m.code, "ci_gva"),
                "gdp": h.latest(m.code, "gdp"),
            }
            for m in members
        ]
        groups.append({"parent": data.places.get(parent_code), "code": parent_code, "rows": rows, "charts": charts})
    return {"groups": groups, "profiles": inputs.rankings.for_level("region")}


def compare(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    places = h.sorted_places(data.countries)
    chosen = [c for c in DEFAULT_COMPARE if c in data.places]
    metrics = [m for m in KEY_METRICS if any(data.latest(p.code, m) for p in places)]
    return {
        "places": places,
        "chosen": chosen,
        "instruments": _instrument_columns(inputs),
        "metrics": metrics,
        "profiles": inputs.rankings.for_level("country"),
    }


def tax(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    """Kazakhstan first (today, then as proposed), then its Central Asian neighbours, then the rest by name."""
    rows: list[dict[str, Any]] = []
    for place, scenario, instrument, regime in inputs.data.tax_comparison():
        label = place.name(h.L.code) if not scenario else h.scenario_title(place.code, scenario)
        rows.append({"place": place, "scenario": scenario, "instrument": instrument, "regime": regime, "label": label})
    focus_region = inputs.data.places[FOCUS].region if FOCUS in inputs.data.places else None
    rows.sort(
        key=lambda r: (
            r["place"].code != FOCUS,
            r["place"].region != focus_region,
            r["place"].name(h.L.code).casefold(),
            r["scenario"],
            r["regime"].row["position"],
        )
    )
    return {"rows": rows}


def methodology(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    from benchmark.publish.site import money_view

    return {"profiles": inputs.rankings.profiles, "rates": money_view.rates(inputs.data)}


def sources(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    data = inputs.data
    entries = []
    for key, source in sorted(data.sources.items(), key=lambda kv: (kv[1]["publisher"].casefold(), kv[0])):
        by_place: dict[str, list[Any]] = defaultdict(list)
        for citation in data.citations.get(key, []):
            by_place[citation.place].append(citation)
        entries.append(
            {
                "key": key,
                "source": source,
                "url": h.url(source.get("url")),
                "count": sum(len(v) for v in by_place.values()),
                "places": [(data.places[c], by_place[c]) for c in sorted(by_place, key=lambda c: h.name(c).casefold())],
            }
        )
    return {"entries": entries}


def quality(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    return {"report": inputs.quality}


def downloads(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    return {"files": inputs.downloads}
