"""Facts as a reader sees them: a value with its range, qualifier, scale and unit, in the page's language."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from benchmark.publish.site.i18n import Lang
from benchmark.publish.site.quoting import quoted

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PLAIN_UNITS = ("count", "ratio")


def web_link(url: str | None) -> str | None:
    """The URL when it is an http or https link with a host, else None: nothing else is ever emitted."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ch in url for ch in "\"'<> \t\r\n\\`"):
        return None
    return url.strip()


def core(L: Lang, value: float | None, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{L.number(low)}–{L.number(high)}"
    return L.number(value)


def qualified(L: Lang, text: str, qualifier: str | None) -> str:
    if qualifier in (None, "exact"):
        return text
    return L.t(f"qualifier.{qualifier}", v=text)


def with_unit(L: Lang, text: str, unit: str | None, scale: str | None) -> str:
    scale_word = "" if scale in (None, "one") else L.label("scale", scale)
    if unit == "percent":
        return f"{text}{L.t('unit.percent')}"
    if unit and _CURRENCY.match(unit):
        return " ".join(p for p in (text, scale_word, unit) if p)
    if unit == "rank":
        return L.t("unit.rank", v=text)
    word = "" if unit in _PLAIN_UNITS or unit is None else L.label("unit", unit)
    return " ".join(p for p in (text, scale_word, word) if p)


def value_text(L: Lang, row: dict[str, Any], parent: dict[str, Any] | None = None) -> str:
    """An observation (or an alternative, which takes its unit and scale from `parent`) as text."""
    if row.get("unknown"):
        return L.t("value.unknown")
    unit = row.get("unit") or (parent or {}).get("unit")
    scale = row.get("scale") or (parent or {}).get("scale")
    text = compact_money(L, row, unit, scale) or with_unit(
        L, core(L, row.get("value"), row.get("low"), row.get("high")), unit, scale
    )
    return qualified(L, text, row.get("qualifier"))


COMPACT_FROM = 10_000  # a money figure with five or more digits in its own scale reads better in words
SCALE_FACTOR = {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def compact_money(L: Lang, row: dict[str, Any], unit: str | None, scale: str | None) -> str | None:
    """ "1.2 trillion KZT" for 1,202,101.2 million KZT; None when the figure is not large money."""
    if not unit or not _CURRENCY.match(unit):
        return None
    numbers = [x for x in (row.get("value"), row.get("low"), row.get("high")) if isinstance(x, int | float)]
    if not numbers or max(abs(x) for x in numbers) < COMPACT_FROM:
        return None
    factor = SCALE_FACTOR.get(scale or "one", 1.0)
    if row.get("low") is not None and row.get("high") is not None:
        text = f"{L.compact(row['low'] * factor)}–{L.compact(row['high'] * factor)}"
    else:
        text = L.compact(float(row["value"]) * factor)
    return f"{text} {unit}"


def rate_text(L: Lang, row: dict[str, Any]) -> str:
    text = core(L, row.get("value"), row.get("low"), row.get("high")) + L.t("unit.percent")
    return qualified(L, text, row.get("qualifier"))


def amount_text(L: Lang, raw: str | dict[str, Any] | None) -> str:
    """A cap or a budget (stored as JSON): `30 million EUR per project`."""
    if raw is None:
        return ""
    amount = json.loads(raw) if isinstance(raw, str) else raw
    text = with_unit(
        L,
        core(L, amount.get("value"), amount.get("low"), amount.get("high")),
        amount.get("currency"),
        amount.get("scale"),
    )
    text = qualified(L, text, amount.get("qualifier"))
    if amount.get("per"):
        text = f"{text} {L.label('per', amount['per'])}"
    if amount.get("year"):
        text = f"{text} ({amount['year']})"
    return text


def when_text(L: Lang, raw: object) -> str:
    """A date, a year or `indefinite`, stored as text or JSON."""
    if raw is None or raw == "":
        return ""
    text = str(raw).strip('"')
    if text == "indefinite":
        return L.t("term.indefinite")
    return text


def years_text(row: dict[str, Any]) -> str:
    year, first = row.get("year"), row.get("from_year")
    if first and year and first != year:
        return f"{first}–{year}"
    return "" if year is None else str(year)


def rate_years(L: Lang, row: dict[str, Any]) -> str:
    first, last = row.get("from_year"), row.get("to_year")
    if first and last:
        return f"{first}–{last}" if first != last else str(first)
    if first:
        return L.t("years.from", year=first)
    if last:
        return L.t("years.until", year=last)
    return ""


# --- film-incentive programmes: tiers, caps and minimum spends in the page's language ---------------------


def _json(raw: Any) -> Any:
    """A JSON column's value: JSON text decoded; a plain string (`none`) as itself."""
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def tier_text(L: Lang, tier: dict[str, Any]) -> Markup:
    rate = core(L, tier.get("value"), tier.get("low"), tier.get("high"))
    text = (
        L.t("tier.adds", rate=rate)
        if tier.get("adds")
        else qualified(L, rate + L.t("unit.percent"), tier.get("qualifier"))
    )
    where: list[str] = [] if (tier.get("applies_to") or "all") == "all" else [L.label("spend", tier["applies_to"])]
    if tier.get("kinds"):
        where.append(L.t("tier.for", kinds=", ".join(L.label("kind", k) for k in tier["kinds"])))
    for bound in ("budget_at_most", "budget_at_least"):
        if tier.get(bound):
            where.append(L.t(f"tier.{bound}", amount=amount_text(L, tier[bound])))
    if tier.get("condition"):
        where.append(quoted(L.code, tier["condition"]))  # the programme's own words, marked with their language
    return escape(text) + (Markup(" (") + Markup("; ").join(where) + ")" if where else "")


def tiers_text(L: Lang, raw: Any) -> list[Markup]:
    return [tier_text(L, t) for t in _json(raw) or []]


def caps_text(L: Lang, raw: Any) -> list[str]:
    caps = _json(raw)
    if caps == "none":
        return [L.t("cap.none")]
    out = []
    for cap in caps or []:
        limit = (
            amount_text(L, cap["amount"])
            if cap.get("amount")
            else L.t("cap.share", share=L.number(cap["share_of_budget"]))
        )
        text = L.t("cap.qualifying_spend" if cap.get("on") == "qualifying_spend" else "cap.value", amount=limit)
        out.append(f"{text} {L.label('per', cap.get('per') or 'project')}")
    return out


def minimum_text(L: Lang, raw: Any) -> list[str]:
    minimum = _json(raw)
    if minimum == "none":
        return [L.t("minimum.none")]
    return [
        L.t(f"minimum.{m.get('of') or 'local_spend'}", amount=amount_text(L, m["amount"]))
        if m.get("amount")
        else L.t("minimum.share", share=L.number(m["share_of_budget"]))
        for m in minimum or []
    ]
