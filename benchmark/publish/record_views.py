"""What the analyst's reading commands show, as plain data: a record's facts, a comparison, the bibliography.

Pure functions of the store's frames (`Facts`), with labels in the chosen language, values written as the
source gives them, and money with its US-dollar value and the rate used. The CLI prints them; anything
else (a notebook, a report) can call them too.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from benchmark.scoring import incentives
from benchmark.store.facts import Facts

if TYPE_CHECKING:
    import polars as pl

# --- labels and values --------------------------------------------------------------------------------------


def instrument_label(instrument: str, lang: str) -> str:
    from benchmark import registry

    kind = registry.instruments().get(instrument)
    return kind.label.get(lang, kind.label["en"]) if kind else instrument


def _metric_label(metric: str, lang: str) -> str:
    from benchmark import registry

    kind = registry.metrics().get(metric)
    return kind.label.get(lang, kind.label["en"]) if kind else metric


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:.10g}"


def format_value(row: dict[str, Any]) -> str:
    """The value as the source gives it: 150-250 million, ~1, 3500+, ≤30; `unknown` for a missing one."""
    if row.get("unknown"):
        return "unknown"
    if row.get("low") is not None and row.get("high") is not None:
        core = f"{_num(row['low'])}-{_num(row['high'])}"
    elif row.get("value") is not None:
        core = _num(row["value"])
    else:
        return ""
    core = {"about": f"~{core}", "at_least": f"{core}+", "at_most": f"≤{core}"}.get(row.get("qualifier") or "", core)
    scale = row.get("scale")
    return f"{core} {scale}" if scale and scale != "one" else core


def _usd(row: dict[str, Any], unit: str | None, central: float | None, year: int | None) -> dict[str, Any] | None:
    """The US-dollar value of a money amount and the rate used, or why it is not converted."""
    from benchmark.money import Converted, convert, format_usd, is_money

    if not is_money(unit) or central is None or unit is None:
        return None
    result = convert(central, unit, year)
    midpoint = " (midpoint of the range)" if row.get("low") is not None and row.get("high") is not None else ""
    if isinstance(result, Converted):
        return {
            "usd": result.usd,
            "text": f"{format_usd(result.usd)}{midpoint}",
            "rate": result.rate,
            "rate_year": result.rate_year,
            "rate_source": result.source,
            "rate_text": "" if unit == "USD" else result.describe(),
        }
    return {"usd": None, "text": "not converted", "rate_text": result.reason}


def _amount_text(amount_json: str | None) -> str:
    """A cap or budget (`{"value": 30, "currency": "EUR", "scale": "million", "per": "project"}`) with its USD."""
    import json

    from benchmark.money import SCALES

    if not amount_json:
        return ""
    amount = json.loads(amount_json)
    text = f"{format_value(amount)} {amount['currency']}"
    text += f" per {amount['per']}" if amount.get("per") else ""
    text += f" ({amount['year']})" if amount.get("year") else ""
    bounds = [amount.get("value")] if amount.get("value") is not None else [amount.get("low"), amount.get("high")]
    if None in bounds:
        return text
    central = sum(bounds) / len(bounds) * SCALES[amount.get("scale") or "one"]
    usd = _usd(amount, amount["currency"], central, amount.get("year"))
    if usd is None or amount["currency"] == "USD":
        return text
    return f"{text} = {usd['text']} at {usd['rate_text']}" if usd["usd"] is not None else f"{text} ({usd['rate_text']})"


# --- show ---------------------------------------------------------------------------------------------------


def record_data(facts: Facts, record: dict[str, Any], lang: str) -> dict[str, Any]:
    import json

    import polars as pl

    code = record["code"]
    obs = facts.observations.filter((pl.col("country") == code) & (pl.col("scenario") == ""))
    main = obs.filter(pl.col("alternative_of").is_null())
    order = registry_order(main["metric"].unique().to_list())
    rows = sorted(main.iter_rows(named=True), key=lambda r: (order.index(r["metric"]), r["year"] or 0, r["position"]))
    alternatives = obs.filter(pl.col("alternative_of").is_not_null())
    instruments = facts.instruments.filter((pl.col("country") == code) & (pl.col("scenario") == ""))
    scenarios = facts.scenarios.filter(pl.col("country") == code)
    return {
        "code": code,
        "level": record["level"],
        "parent": record["parent"],
        "former_codes": record["former_codes"] or [],
        "name": record[f"name_{lang}"],
        "names": {x: record[f"name_{x}"] for x in ("en", "ru", "kk")},
        "region": record["region"],
        "groupings": record["groupings"] or [],
        "caveats": json.loads(record["caveats"]) if record["caveats"] else [],
        "facts": [
            {
                **_fact(row, lang),
                "alternatives": [
                    _fact({**alt, "unit": alt["unit"] or row["unit"]}, lang)
                    for alt in alternatives.filter(pl.col("alternative_of") == row["id"]).iter_rows(named=True)
                ],
            }
            for row in rows
        ],
        "instruments": [_instrument(facts, row, lang) for row in _instrument_order(instruments)],
        "scenarios": [_scenario(facts, s, lang) for s in scenarios.iter_rows(named=True)],
    }


def _scenario(facts: Facts, row: dict[str, Any], lang: str) -> dict[str, Any]:
    """A scenario and what it overrides: the metrics and instruments it states for its country."""
    import json

    import polars as pl

    def own(frame: pl.DataFrame, column: str) -> list[str]:
        mine = frame.filter((pl.col("country") == row["country"]) & (pl.col("scenario") == row["key"]))
        return list(dict.fromkeys(mine[column].to_list()))

    title = json.loads(row["title"]) if row["title"] else {}
    return {
        "key": row["key"],
        "name": f"{row['country']}:{row['key']}",
        "title": title.get(lang) or title.get("en", ""),
        "source": row["source"],
        "at": row["at"],
        "metrics": own(facts.observations, "metric"),
        "instruments": own(facts.instruments, "instrument"),
    }


def registry_order(metrics: list[str]) -> list[str]:
    from benchmark import registry

    known = [m for m in registry.metrics() if m in metrics]
    return known + sorted(set(metrics) - set(known))


def _fact(row: dict[str, Any], lang: str) -> dict[str, Any]:
    keep: tuple[str, ...] = ("metric", "year", "reported_in", "undated", "from_year", "kind", "part", "method")
    keep += ("unit", "scale", "qualifier", "source", "at", "via")
    return {
        **{k: row.get(k) for k in keep},
        "label": _metric_label(row["metric"], lang),
        "value": format_value(row),
        "number": row.get("value"),
        "low": row.get("low"),
        "high": row.get("high"),
        "central": row.get("central"),
        "usd": _usd(row, row.get("unit"), row.get("central"), row.get("year")),
        "note": row.get("note"),
        "reason": row.get("reason"),
        "also": [a["source"] for a in json.loads(row["also"])] if row.get("also") else [],
    }


def years_text(fact: dict[str, Any]) -> str:
    """`2024`, `2021-2025`, or `undated (reported 2026)`: never a year the source does not give."""
    if fact.get("year") is None and fact.get("reported_in") is not None:
        return f"undated (reported {fact['reported_in']})"
    return f"{fact['from_year']}-{fact['year']}" if fact.get("from_year") else str(fact.get("year") or "")


def with_alternatives(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for fact in items:
        out.append(fact)
        out.extend({**alt, "label": "  ↳ alternative reading"} for alt in fact["alternatives"])
    return out


def fact_row(fact: dict[str, Any]) -> dict[str, Any]:
    label = fact["label"] + (f" ({fact['part']})" if fact.get("part") else "")
    label += f" [{fact['method']}]" if fact.get("method") else ""
    years = years_text(fact)
    usd = fact.get("usd") or {}
    return {
        "metric": label,
        "year": years,
        "kind": fact.get("kind") or "",
        "value": fact["value"],
        "unit": fact.get("unit") or "",
        "US$": usd.get("text", ""),
        "rate": usd.get("rate_text", ""),
        "source": cite(fact.get("source"), fact.get("at"), fact.get("via")),
        "note": fact.get("note") or fact.get("reason") or "",
    }


def cite(source: str | None, at: str | None, via: str | None = None) -> str:
    text = f"{source}, {at}" if source and at else source or ""
    return f"{text} (via {via})" if via else text


def _instrument_order(instruments: pl.DataFrame) -> list[dict[str, Any]]:
    from benchmark import registry

    order = list(registry.instruments())
    rows = list(instruments.iter_rows(named=True))
    return sorted(rows, key=lambda r: order.index(r["instrument"]) if r["instrument"] in order else len(order))


def _instrument(facts: Facts, row: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "instrument": row["instrument"],
        "label": instrument_label(row["instrument"], lang),
        "status": row["level"] or row["status"],
        "since": row["since"],
        "summary": row["summary"],
        "details": _details(facts, row["id"]),
        "source": row["source"],
        "at": row["at"],
        "note": row["note"] or row["reason"],
    }


def _details(facts: Facts, instrument_id: int) -> list[str]:
    """Laws, tax regimes with their rates, film rebates and bodies of one instrument, one line each."""
    import polars as pl

    def of(frame: pl.DataFrame, column: str = "instrument_id", key: int = instrument_id) -> list[dict[str, Any]]:
        return list(frame.filter(pl.col(column) == key).sort("position").iter_rows(named=True))

    lines = []
    for law in of(facts.laws):
        when = law["date"] or law["year"]
        number = f" No. {law['number']}" if law["number"] else ""
        lines.append(f"law ({law['kind']}): {law['title']}{number}" + (f", {when}" if when else ""))
    for regime in of(facts.tax_regimes):
        rates = "; ".join(_rate_text(r) for r in of(facts.tax_rates, "regime_id", regime["id"]))
        parts = [f"tax regime: {regime['name']}", regime["headline"] and f"«{regime['headline']}»"]
        parts += [rates and f"rates {rates}", regime["replaces"] and f"replaces {', '.join(regime['replaces'])}"]
        parts += [regime["eligibility"] and f"eligibility: {regime['eligibility']}"]
        parts += [regime["expiry"] and f"expiry {regime['expiry'].strip(chr(34))}"]
        lines.append(" — ".join(p for p in parts if p))
    for rebate in of(facts.rebates):
        lines.append("film incentive: " + " — ".join(incentives.rules_text(rebate)))
    for body in of(facts.bodies):
        since = f" (since {body['since'].strip(chr(34))})" if body["since"] else ""
        parts = [f"{body['role']}: {body['name']}{since}", body["budget"] and f"budget {_amount_text(body['budget'])}"]
        lines.append(" — ".join(p for p in [*parts, body["description"]] if p))
    return lines


def _rate_text(rate: dict[str, Any]) -> str:
    start, end = rate["from_year"], rate["to_year"]
    years = f" ({start}-{end})" if start and end else f" (from {start})" if start else f" (until {end})" if end else ""
    base = f" of {rate['base']}" if rate["base"] else ""
    return f"{format_value(rate)}%{base}{years}"


def scenario_row(scenario: dict[str, Any], lang: str) -> dict[str, Any]:
    overrides = [instrument_label(i, lang) for i in scenario["instruments"]]
    overrides += [_metric_label(m, lang) for m in scenario["metrics"]]
    return {
        "scenario": scenario["name"],
        "title": scenario["title"],
        "overrides": "; ".join(overrides),
        "source": cite(scenario["source"], scenario["at"]),
    }


def instrument_row(item: dict[str, Any]) -> dict[str, Any]:
    detail = [item["summary"], *item["details"]] if item["summary"] else item["details"]
    return {
        "instrument": item["label"],
        "status": item["status"] or "",
        "since": item["since"] or "",
        "detail": "\n".join(detail),
        "source": cite(item["source"], item["at"]),
        "note": item["note"] or "",
    }


# --- compare ------------------------------------------------------------------------------------------------


def comparison(facts: Facts, codes: list[str], lang: str) -> dict[str, Any]:
    import polars as pl

    obs = facts.observations.filter(
        pl.col("country").is_in(codes)
        & (pl.col("scenario") == "")
        & pl.col("alternative_of").is_null()
        & pl.col("kind").is_in(["observed", "estimate"])
        & ~pl.col("unknown")
    )
    latest = (
        obs.with_columns(pl.col("part").fill_null(""), (pl.col("kind") == "estimate").alias("_est"))
        .sort(["year", "_est", "method", "position"], descending=[True, False, False, False], nulls_last=True)
        .unique(["country", "metric", "part"], keep="first", maintain_order=True)
    )
    keys = sorted(
        {(r["metric"], r["part"]) for r in latest.iter_rows(named=True)},
        key=lambda k: (registry_order(latest["metric"].unique().to_list()).index(k[0]), k[1]),
    )
    metric_rows, metrics = [], []
    for metric, part in keys:
        label = _metric_label(metric, lang) + (f" ({part})" if part else "")
        cells: dict[str, Any] = {}
        for code in codes:
            hit = latest.filter((pl.col("country") == code) & (pl.col("metric") == metric) & (pl.col("part") == part))
            cells[code] = _fact(hit.row(0, named=True), lang) if hit.height else None
        metrics.append({"metric": metric, "part": part or None, "label": label, "values": cells})
        metric_rows.append({"metric": label, **{c: _compare_cell(cells[c]) for c in codes}})
    instruments = facts.instruments.filter(pl.col("country").is_in(codes) & (pl.col("scenario") == ""))
    ids = list(dict.fromkeys(r["instrument"] for r in _instrument_order(instruments)))
    states = {
        (r["country"], r["instrument"]): {"status": r["level"] or r["status"], "since": r["since"]}
        for r in instruments.iter_rows(named=True)
    }
    instrument_rows = [
        {"instrument": instrument_label(i, lang), **{c: _state_text(states.get((c, i))) for c in codes}} for i in ids
    ]
    return {
        "codes": codes,
        "metrics": metrics,
        "instruments": [{"instrument": i, "values": {c: states.get((c, i)) for c in codes}} for i in ids],
        "metric_rows": metric_rows,
        "instrument_rows": instrument_rows,
    }


def _compare_cell(fact: dict[str, Any] | None) -> str:
    if fact is None:
        return ""
    unit = {"percent": "%", "count": "", "rank": ""}.get(fact["unit"], f" {fact['unit']}")
    rank = "#" if fact["unit"] == "rank" else ""
    estimate = ", est." if fact["kind"] == "estimate" else ""
    text = f"{rank}{fact['value']}{unit} ({fact['year']}{estimate})"
    usd = fact.get("usd")
    if usd and fact["unit"] != "USD":
        missing = f"\n(not converted: no sourced {fact['unit']} rate for {fact['year']})"
        text += f"\n= {usd['text']} at {usd['rate_text']}" if usd["usd"] is not None else missing
    return text


def _state_text(state: dict[str, Any] | None) -> str:
    if state is None:
        return ""
    return f"{state['status']} (since {state['since']})" if state["since"] else str(state["status"])


# --- sources ------------------------------------------------------------------------------------------------


def bibliography(facts: Facts, lang: str) -> list[dict[str, Any]]:
    """Every source with the number of facts (observations, instruments and their details) citing it."""
    import polars as pl

    owner = facts.instruments.select(pl.col("id").alias("instrument_id"), "country")
    citing = [facts.observations.select("country", "source"), facts.instruments.select("country", "source")]
    citing += [d.join(owner, on="instrument_id").select("country", "source") for d in _detail_frames(facts)]
    cites = pl.concat(citing).drop_nulls("source")
    names = {r["code"]: r[f"name_{lang}"] for r in facts.countries.iter_rows(named=True)}
    out = []
    for s in facts.sources.sort("key").iter_rows(named=True):
        own = cites.filter(pl.col("source") == s["key"])
        countries = sorted(set(own["country"].to_list()))
        out.append(
            {
                "key": s["key"],
                "publisher": s["publisher"],
                "title": s["title"],
                "year": s["year"],
                "url": s["url"] or "",
                "cited_in": s["cited_in"] or "",
                "facts": own.height,
                "countries": [names.get(c, c) for c in countries],
            }
        )
    return out


def _detail_frames(facts: Facts) -> list[pl.DataFrame]:
    return [facts.laws, facts.tax_regimes, facts.rebates, facts.bodies]
