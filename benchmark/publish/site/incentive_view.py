"""The calculator page's context: every film programme's rules, the rate table and the page's words, as JSON.

The page computes in the reader's browser (site/static/incentive.js, the twin of
benchmark.scoring.incentive_value) from what this module embeds, so the CLI and the page read the same
programmes and the same dated exchange rates. Sources are given by a reader-facing name and a link.
"""

from __future__ import annotations

from typing import Any

from benchmark.publish.site.data import Inputs
from benchmark.publish.site.helpers import Helpers
from benchmark.scoring.incentive_rates import registry_rates
from benchmark.scoring.incentive_value import CATEGORIES, KINDS, RULES, loads

FOCUS, FOCUS_SCENARIO = "KAZ", "concept-2026-2030"  # the study's country and the concept it drafts
KEPT = (*RULES, "name", "source", "at", "form")
DEFAULT = {"budget": 5e6, "currency": "USD", "share": 60, "kind": "feature"}
UI = (
    "value", "range", "ineligible", "unknown", "none", "at_least", "up_to", "country", "programme", "rate_local",
    "bound_by", "unknowns", "source", "rule.tiers", "rule.caps", "rule.minimum_spend", "rule.qualifying",
    "rule.kinds", "rule.exchange", "rule.fund", "not_stated", "condition", "no_programme", "proposed",
    "rate_used", "no_conversion", "chart_title", "to", "bad_budget", "bad_share", "bad_spend",
)  # fmt: skip


def programmes(h: Helpers, inputs: Inputs) -> list[dict[str, Any]]:
    """Every film programme, record and scenario, with its country's name in the page's language."""
    out: list[dict[str, Any]] = []
    for (code, scenario), instruments in sorted(inputs.data.instruments.items()):
        item = instruments.get("film_rebates")
        if item is None:
            continue
        label = h.name(code) if not scenario else h.scenario_title(code, scenario)
        for row in item.rebates:
            rules = {k: loads(row[k]) if k in RULES else row[k] for k in KEPT if row.get(k) is not None}
            out.append({"country": code, "scenario": scenario, "label": label, "programme": rules})
        if not item.rebates and code == FOCUS and not scenario:
            out.append({"country": code, "scenario": "", "label": label, "programme": None,
                        "status": item.row.get("status"), "summary": item.row.get("summary"),
                        "source": item.row.get("source")})  # fmt: skip
    return out


def _cited(programmes: list[dict[str, Any]]) -> set[str]:
    keys: set[str] = set()
    for entry in programmes:
        p = entry["programme"] or {}
        keys.add(p.get("source") or entry.get("source") or "")
        for rule in ("tiers", "caps", "minimum_spend"):
            value = p.get(rule)
            for item in value if isinstance(value, list) else []:
                keys.add(item.get("source") or "")
        for rule in ("qualifying", "fund"):
            if isinstance(p.get(rule), dict):
                keys.add(p[rule].get("source") or "")
    return keys - {""}


def context(h: Helpers, inputs: Inputs) -> dict[str, Any]:
    from benchmark.publish.site.views import _json_script

    entries = programmes(h, inputs)
    sources = {}
    for key in sorted(_cited(entries)):
        s = inputs.data.sources.get(key)
        if s:
            name = f"{s['publisher']} ({s['year']})" if s.get("year") else str(s["publisher"])
            sources[key] = {"name": name, "url": h.url(s.get("url"))}
    rates = sorted((c, y, r.per_usd, r.source) for (c, y), r in registry_rates().items())
    currencies = sorted({"USD", *(c for c, *_ in rates)})
    years = sorted({y for _, y, *_ in rates}, reverse=True)
    words = {key: h.L.t(f"incentive.{key}") for key in UI}
    words.update({f"kind.{k}": h.L.t(f"incentive.kind.{k}") for k in KINDS})
    forms = {e["programme"].get("form") for e in entries if e["programme"]} - {None}
    words.update({f"form.{f}": h.L.t(f"form.{f}") for f in sorted(forms) if h.L.has(f"form.{f}")})
    data = {"programmes": entries, "sources": sources, "rates": rates, "words": words, "lang": h.L.code,
            "default": DEFAULT, "focus": [FOCUS, FOCUS_SCENARIO]}  # fmt: skip
    return {
        "data_json": _json_script(data),
        "kinds": KINDS,
        "categories": [c for c in CATEGORIES if c in ("vfx", "post_production")],
        "currencies": currencies,
        "years": years,
        "default": DEFAULT,
    }
