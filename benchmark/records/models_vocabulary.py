"""The country record's vocabulary: the closed lists a field chooses from (kinds, statuses, regions, groupings).

Plain `Literal` types, no models: a command that only needs a list (rank's `--region`) imports this alone
and pays nothing for the pydantic models built on it. `benchmark.records.models` re-exports every name.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["observed", "estimate", "target", "projection"]
Qualifier = Literal["exact", "about", "at_least", "at_most"]
Scale = Literal["one", "thousand", "million", "billion", "trillion"]
Status = Literal["present", "absent", "partial", "planned", "unknown"]
Level = Literal["low", "medium", "high", "unknown"]
LawKind = Literal["dedicated", "amendments", "sectoral", "decree", "strategy"]
RebateForm = Literal[
    "cash_rebate",
    "refundable_credit",
    "transferable_credit",
    "tax_credit",
    "tax_relief",
    "investment_scheme",
    "grant",
]
ProductionKind = Literal["feature", "series", "animation", "documentary", "game"]
SpendCategory = Literal["all", "vfx", "post_production", "animation", "regional", "local_hire", "other"]
RuleName = Literal["tiers", "caps", "minimum_spend", "qualifying", "kinds", "form", "fund"]
BodyRole = Literal[
    "agency",
    "ministry",
    "fund",
    "council",
    "zone",
    "park",
    "programme",
    "registry",
    "centre",
    "hub",
    "commission",
    "association",
    "event",
    "other",
]
Region = Literal[
    "Central Asia",
    "Europe",
    "South Caucasus",
    "East Asia",
    "South-East Asia",
    "South Asia",
    "Middle East",
    "North Africa",
    "Sub-Saharan Africa",
    "Latin America",
    "North America",
    "Oceania",
]
Grouping = Literal["EAEU", "EU", "OECD", "Turkic states", "CIS", "ASEAN", "G20", "OIC", "African Union"]

SCALE_FACTOR: dict[str, float] = {
    "one": 1.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
