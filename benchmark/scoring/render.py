"""Rankings and explanations as text: a table, Markdown, CSV or JSON, the same numbers in each."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

import polars as pl
from tabulate import tabulate

from benchmark.scoring.explain import Explanation
from benchmark.scoring.profiles import LEVEL_VALUES, STATUS_VALUES, Profile

GRADES = {*STATUS_VALUES, *LEVEL_VALUES}


if TYPE_CHECKING:  # NumPy stays out of the start-up path unless sensitivity is asked for
    from benchmark.scoring.rank_bounds import RankBounds
    from benchmark.scoring.sensitivity import Sensitivity


def names(facts_countries: pl.DataFrame, scenarios: pl.DataFrame, lang: str) -> dict[tuple[str, str], str]:
    """(code, scenario) -> display name in the language asked for."""
    out = {(c, ""): n for c, n in facts_countries.select("code", f"name_{lang}").iter_rows()}
    for code, key, title in scenarios.select("country", "key", "title").iter_rows():
        titles = json.loads(title) if title else {}
        out[(code, key)] = titles.get(lang) or titles.get("en") or f"{code} ({key})"
    return out


def records(
    result: pl.DataFrame,
    display: dict[tuple[str, str], str],
    sensitivity: Sensitivity | None = None,
    bounds: RankBounds | None = None,
) -> list[dict[str, Any]]:
    """The ranking as plain objects: what JSON prints, and what the other formats are made from."""
    frame = result
    if bounds is not None:
        frame = frame.join(bounds.countries.drop("rank"), on=["country", "scenario"], how="left", maintain_order="left")
    if sensitivity is not None:
        frame = frame.join(
            sensitivity.countries.drop("rank"), on=["country", "scenario"], how="left", maintain_order="left"
        )
    out = []
    for row in frame.iter_rows(named=True):
        item: dict[str, Any] = {
            "rank": row["rank"],
            "country": row["country"],
            "scenario": row["scenario"] or None,
            "name": display.get((row["country"], row["scenario"]), row["country"]),
            "score": row["score"],
        }
        if sensitivity is not None:
            item.update({k: row[k] for k in ("rank_p05", "rank_median", "rank_p95")})
        if bounds is not None:
            item.update({k: row[k] for k in ("rank_best", "rank_worst")})
        if "rank_change" in row:
            item["rank_change"] = row["rank_change"]
        item.update(
            {
                "used": row["used"],
                "missing": row["missing"],
                "imputed": row["imputed"],
                "note": row["note"],
                "indicators": row["indicators"],
            }
        )
        out.append(item)
    return out


def ranking(
    fmt: str,
    result: pl.DataFrame,
    profile: Profile,
    display: dict[tuple[str, str], str],
    *,
    lang: str = "en",
    as_of: int,
    sensitivity: Sensitivity | None = None,
    bounds: RankBounds | None = None,
) -> str:
    items = records(result, display, sensitivity, bounds)
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(items, profile)
    ranked = [i for i in items if i["score"] is not None]
    left = [i for i in items if i["score"] is None]
    real = sum(1 for i in ranked if not i["scenario"])
    counted = f"{real} ranked" + (
        f", and {len(ranked) - real} scenario placed among them" if len(ranked) > real else ""
    )
    total = len(profile.indicators)
    headers = ["rank", "code", "name", "score", "indicators", "imputed"]
    if sensitivity is not None:
        headers += ["p05", "median", "p95"]
    if bounds is not None:
        headers += ["best", "worst"]
    scenario_rows = any(i.get("rank_change") is not None for i in items)
    if scenario_rows:
        headers.append("moves")
    rows = []
    for i in ranked:
        code = i["country"] + (f":{i['scenario']}" if i["scenario"] else "")
        row = [i["rank"], code, i["name"], f"{i['score']:.3f}", f"{i['used']}/{total}", i["imputed"]]
        if sensitivity is not None:
            row += [i["rank_p05"], i["rank_median"], i["rank_p95"]]
        if bounds is not None:
            row += ["" if i[k] is None else i[k] for k in ("rank_best", "rank_worst")]
        if scenario_rows:
            change = i.get("rank_change")
            row.append("" if change is None else f"{change:+d}")
        rows.append(row)
    title = getattr(profile.title, lang, None) or profile.title.en
    lines = [
        f"{title}: as of {as_of}, {profile.aggregation.method} mean, missing values: "
        f"{profile.missing.policy}; {counted}",
        "",
        tabulate(rows, headers=headers, tablefmt="github" if fmt == "markdown" else "simple", disable_numparse=True),
    ]
    if left:
        lines += ["", "Not ranked:"]
        lines += [
            f"- {i['country']}{':' + i['scenario'] if i['scenario'] else ''} ({i['name']}): {i['note']}" for i in left
        ]
    if sensitivity is not None:
        lines += [
            "",
            f"Sensitivity: {sensitivity.draws} draws over weights and normalisation "
            f"({', '.join(sensitivity.normalisations)}); share of rank variance each factor explains:",
            "",
            tabulate(
                [[f, f"{e:.1%}"] for f, e in sensitivity.drivers.iter_rows()],
                headers=["factor", "explained"],
                tablefmt="github" if fmt == "markdown" else "simple",
                disable_numparse=True,
            ),
        ]
    if bounds is not None:
        lines += ["", _bounds_note(bounds)]
    return "\n".join(lines)


def _bounds_note(bounds: RankBounds) -> str:
    if not bounds.linear:
        return f"Best and worst rank: not computed ({bounds.reason})."
    return (
        f"Best and worst rank: exact, for any weights within {bounds.perturbation:.0%} of the profile's either "
        f"way (the profile's normalisation; ties share the best rank)."
    )


def _csv(items: list[dict[str, Any]], profile: Profile) -> str:
    keys = profile.keys()
    base = [k for k in items[0] if k not in ("indicators",)] if items else ["rank", "country", "score"]
    header = base + [f"{k}.{part}" for k in keys for part in ("value", "normalised", "contribution")]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for item in items:
        detail = {d["indicator"]: d for d in item["indicators"]}
        row = [item[k] for k in base]
        for k in keys:
            d = detail.get(k, {})
            row += [d.get("value"), d.get("normalised"), d.get("contribution")]
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().rstrip("\n")


def explanation(
    fmt: str,
    exp: Explanation,
    profile: Profile,
    display: dict[tuple[str, str], str],
    *,
    lang: str = "en",
) -> str:
    titles = {i.key: i.title(lang) for i in profile.indicators}
    if fmt == "json":
        body = {
            "country": exp.country,
            "scenario": exp.scenario or None,
            "name": display.get((exp.country, exp.scenario), exp.country),
            "score": exp.score,
            "rank": exp.rank,
            "ranked": exp.ranked,
            "leader": exp.leader,
            "leader_score": exp.leader_score,
            "median_score": exp.median_score,
            "summary": exp.summary(titles),
            "indicators": exp.indicators.to_dicts(),
        }
        return json.dumps(body, ensure_ascii=False, indent=2)

    def num(v: float | None, digits: int = 3) -> str:
        return "" if v is None else f"{v:.{digits}f}"

    def raw(v: float | None, unit: str | None) -> str:
        if v is None:
            return "missing"
        if unit in GRADES:
            return f"{unit} ({v:g})"
        text = f"{v:,.4g}" if abs(v) < 1e6 else f"{v:,.0f}"
        return f"{text} {unit}" if unit else text

    rows = [
        [
            titles.get(r["indicator"], r["indicator"]),
            raw(r["value"], r["unit"]) + (f" ({r['year']})" if r["year"] else ""),
            num(r["normalised"]),
            num(r["contribution"]),
            num(r["leader_contribution"]),
            num(r["median_contribution"]),
            num(r["gap_to_leader"]),
            "imputed" if r["imputed"] else (r["note"] or ""),
        ]
        for r in exp.indicators.iter_rows(named=True)
    ]
    leader = exp.leader or "leader"
    headers = ["indicator", "value", "normalised", "contribution", leader, "median", f"gap to {leader}", "note"]
    name = display.get((exp.country, exp.scenario), exp.country)
    lines = [f"{name}: {getattr(profile.title, lang, None) or profile.title.en}", ""]
    lines += exp.summary(titles)
    lines += [
        "",
        tabulate(rows, headers=headers, tablefmt="github" if fmt == "markdown" else "simple", disable_numparse=True),
    ]
    return "\n".join(lines)
