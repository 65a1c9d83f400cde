"""The film-incentives page: every country's film rebate or credit, its base rate and uplifts apart, its
cap and minimum spend, one row a programme, sortable by the headline rate a ranking reads.

The headline rate is `benchmark.scoring.incentives.headline_rate` (the highest rate a production gets with
no condition); uplifts are shown beside it, never added in, so a reader sees what each one needs.
"""

from __future__ import annotations

import json
from typing import Any

from benchmark.publish.site.data import OBSERVED, InstrumentFact, Place
from benchmark.publish.site.helpers import Helpers

FILM = "film_rebates"


def _tiers(raw: Any) -> list[dict[str, Any]]:
    value = json.loads(raw) if isinstance(raw, str) else raw
    return value if isinstance(value, list) else []


def programmes(h: Helpers, place: Place, item: InstrumentFact) -> list[dict[str, Any]]:
    """One row per programme of a country's film-rebate instrument; one row saying so when none is detailed."""
    from benchmark.scoring.incentives import headline_rate

    rows = []
    for rebate in item.rebates:
        tiers = _tiers(rebate.get("tiers"))
        base = [t for t in tiers if not t.get("adds")]
        uplifts = [t for t in tiers if t.get("adds")]
        headline = headline_rate(rebate).value
        rows.append(
            {
                "place": place,
                "item": item,
                "rebate": rebate,
                "base": [h.tiers([t])[0] for t in base],
                "uplifts": [h.tiers([t])[0] for t in uplifts],
                "headline": headline,
                "headline_text": h.L.number(headline) + h.L.t("unit.percent") if headline is not None else "—",
            }
        )
    if not rows:
        rows.append({"place": place, "item": item, "rebate": None, "base": [], "uplifts": [], "headline": None})
    return rows


def film(h: Helpers, data: Any) -> dict[str, Any]:
    """Countries with a film rebate (a programme on record, or a status present, partial or planned), by
    headline rate; then those without one and those not known. The study's table may say `absent` where a
    regional programme is on record (an emirate's rebate): the programme is shown, with the status beside it."""
    rows: list[dict[str, Any]] = []
    without: list[Place] = []
    unknown: list[Place] = []
    for place in data.countries:
        item = data.instruments_of(place.code, OBSERVED).get(FILM)
        if item is not None and (item.rebates or item.mark in ("present", "partial", "planned")):
            rows.extend(programmes(h, place, item))  # a programme on record counts, whatever the status says
        elif item is None or item.mark == "unknown":
            unknown.append(place)
        else:
            without.append(place)
    rows.sort(key=lambda r: (-(r["headline"] if r["headline"] is not None else -1), r["place"].name(h.L.code)))
    return {
        "rows": rows,
        "countries": len({r["place"].code for r in rows}),
        "without": h.sorted_places(without),
        "unknown": h.sorted_places(unknown),
    }


def headline_of(h: Helpers, code: str, scenario: str = OBSERVED) -> str | None:
    """The country's highest headline rebate rate as text ("30%"), or None when it has no rate recorded."""
    from benchmark.scoring.incentives import headline_rate

    item = h.data.instruments_of(code, scenario).get(FILM)
    if item is None:
        return None
    rates = [r for rebate in item.rebates if (r := headline_rate(rebate).value) is not None]
    return h.L.number(max(rates)) + h.L.t("unit.percent") if rates else None
