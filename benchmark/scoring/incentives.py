"""Film-incentive programmes as rules: the headline rate and cap a ranking reads from a programme's tiers.

A programme (one entry of `film_rebates.rebates`) gives its rates as tiers: a base rate, and uplifts
that need a kind of spend (VFX, regional), a kind of production or a condition. A ranking that asks
for "the rebate rate" reads the **headline rate**: the highest rate a production gets with no
condition at all, never the midpoint of a base rate and its uplift. Only where every tier carries a
condition is the lowest of them the headline, and the note says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SCALE_FACTOR = {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@dataclass(frozen=True)
class Reading:
    value: float | None
    note: str | None = None
    currency: str | None = None


def _central(x: dict[str, Any]) -> float | None:
    if isinstance(x.get("value"), int | float):
        return float(x["value"])
    if x.get("low") is not None and x.get("high") is not None:
        return (float(x["low"]) + float(x["high"])) / 2
    return None


def unconditional(tier: dict[str, Any]) -> bool:
    """A tier every eligible production gets: on all its spend, with no condition, kind or budget bound."""
    return (
        (tier.get("applies_to") or "all") == "all"
        and not tier.get("adds")
        and not tier.get("condition")
        and not tier.get("kinds")
        and tier.get("budget_at_most") is None
        and tier.get("budget_at_least") is None
    )


def _loads(value: Any) -> Any:
    """A JSON column's value: JSON text decoded; a plain string (`none`) as itself."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def headline_rate(programme: dict[str, Any]) -> Reading:
    tiers = _loads(programme.get("tiers")) or []
    base = [c for t in tiers if unconditional(t) and (c := _central(t)) is not None]
    ranged = any(unconditional(t) and t.get("low") is not None for t in tiers)
    if base:
        note = "the midpoint of the base rate's range" if ranged and len(base) == 1 else None
        return Reading(max(base), note)
    rates = [c for t in tiers if not t.get("adds") and (c := _central(t)) is not None]
    if rates:
        return Reading(min(rates), "every tier has a condition: the lowest conditional rate")
    return Reading(None, "no rate is known")


def top_rate(programme: dict[str, Any]) -> Reading:
    """The highest rate any tier offers (an uplift that adds is counted on top of the headline)."""
    tiers = _loads(programme.get("tiers")) or []
    head = headline_rate(programme).value or 0.0
    rates = [(head + c) if t.get("adds") else c for t in tiers if (c := _central(t)) is not None]
    return Reading(max(rates) if rates else None)


def project_cap(programme: dict[str, Any]) -> Reading:
    """The per-project ceiling on the incentive paid, as an amount: the smallest, when several apply."""
    caps = _loads(programme.get("caps"))
    if not isinstance(caps, list):
        return Reading(None, "no cap" if caps == "none" else None)
    amounts = []
    for cap in caps:
        money = cap.get("amount")
        if (cap.get("per") or "project") == "project" and (cap.get("on") or "value") == "value" and money:
            central = _central(money)
            if central is not None:
                amounts.append((central * SCALE_FACTOR[money.get("scale") or "one"], money["currency"]))
    if not amounts:
        return Reading(None)
    value, currency = min(amounts)
    return Reading(value, None, currency)


# --- the rules in words (the CLI's show and diff; the site has its own translated labels) ----------------

_QUALIFIER = {"about": "~", "at_least": "at least ", "at_most": "up to "}
_SPEND = {"vfx": "VFX spend", "post_production": "post-production spend", "animation": "animation spend",
          "regional": "spend in the regions", "local_hire": "local hires", "other": "some spend"}  # fmt: skip


def _number(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".").replace(",", " ")


def bounded_text(x: dict[str, Any]) -> str:
    """`30`, `20-25`, `up to 30`, `~2.9`: a value, range or bound as written."""
    core = (
        _number(x["value"])
        if isinstance(x.get("value"), int | float)
        else f"{_number(x['low'])}-{_number(x['high'])}"
        if x.get("low") is not None
        else "unknown"
    )
    return _QUALIFIER.get(x.get("qualifier") or "exact", "") + core


def money_text(m: dict[str, Any]) -> str:
    scale = "" if (m.get("scale") or "one") == "one" else f" {m['scale']}"
    return f"{bounded_text(m)}{scale} {m['currency']}"


def tier_text(t: dict[str, Any]) -> str:
    rate = f"+{bounded_text(t)} points" if t.get("adds") else f"{bounded_text(t)}%"
    where = [] if (t.get("applies_to") or "all") == "all" else [f"on {_SPEND[t['applies_to']]}"]
    if t.get("kinds"):
        where.append("for " + ", ".join(t["kinds"]))
    if t.get("budget_at_most"):
        where.append(f"budget up to {money_text(t['budget_at_most'])}")
    if t.get("budget_at_least"):
        where.append(f"budget at least {money_text(t['budget_at_least'])}")
    if t.get("condition"):
        where.append(str(t["condition"]))
    return rate + (f" ({'; '.join(where)})" if where else "")


def cap_text(c: dict[str, Any]) -> str:
    what = "qualifying spend" if c.get("on") == "qualifying_spend" else "incentive"
    limit = money_text(c["amount"]) if c.get("amount") else f"{_number(c['share_of_budget'])}% of the budget"
    return f"{what} at most {limit} per {c.get('per') or 'project'}"


def rules_text(p: dict[str, Any]) -> list[str]:
    """One programme's rules, one phrase each, in English."""
    tiers = _loads(p.get("tiers")) or []
    caps, minimum = _loads(p.get("caps")), _loads(p.get("minimum_spend"))
    qualifying, fund = _loads(p.get("qualifying")), _loads(p.get("fund"))
    parts = [
        p.get("name") or "",
        "rates " + "; ".join(tier_text(t) for t in tiers) if tiers else "rate unknown",
        p.get("form") and f"as {str(p['form']).replace('_', ' ')}",
        "no cap" if caps == "none" else caps and "cap: " + "; ".join(cap_text(c) for c in caps),
        "no minimum spend"
        if minimum == "none"
        else minimum
        and "minimum: "
        + "; ".join(
            f"{money_text(m['amount'])} of {str(m.get('of') or 'local_spend').replace('_', ' ')}"
            if m.get("amount")
            else f"local spend of at least {m['share_of_budget']:g}% of the budget"
            for m in minimum
        ),
        qualifying
        and f"qualifying: {str(qualifying.get('basis') or 'local_spend').replace('_', ' ')}"
        + (
            f", at most {_number(qualifying['share_of_budget_max'])}% of the budget"
            if qualifying.get("share_of_budget_max") is not None
            else ""
        ),
        p.get("kinds") and "for " + ", ".join(_loads(p["kinds"])),
        fund and f"fund {money_text(fund)} a year",
        p.get("administrator"),
        p.get("conditions"),
    ]
    return [str(x) for x in parts if x]
