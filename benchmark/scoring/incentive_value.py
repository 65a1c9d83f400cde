"""What a film incentive is worth to one production: the programme's rules applied, never a guess.

`incentive_value(programme, production)` takes one programme (an entry of `film_rebates.rebates`, as the
record or the store gives it) and a production (budget, currency, local spend, kind, spend by category)
and returns the value as a range in the programme's currency and in the currency asked for.

The order of the rules: eligible kinds, minimum spends, the spend that qualifies (its basis, a share of
the budget, a cap on it), the rate on each part of that spend (tiers), caps on the value, the annual fund.
A rule the record does not give is an unknown, listed with its reason, and it widens the answer: an
unknown kind list, minimum, cap or basis could each take the value to zero, so the low end is then zero.
A tier with a condition the production cannot state (a cultural test, a bracket of spend) may or may not
apply: the range spans both. The answer is a point only when no unknown could move it.

site/static/incentive.js is this function's twin for the calculator page; a browser test holds the two
equal over many random productions, so change both together.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmark.scoring.incentive_rates import Exchange, Rates, exchange, no_rate, registry_rates

SCALE = {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
KINDS = ("feature", "series", "animation", "documentary", "game")
CATEGORIES = ("vfx", "post_production", "animation", "regional", "local_hire")
INF = math.inf
RULES = ("tiers", "caps", "minimum_spend", "qualifying", "kinds", "fund", "unknown")  # JSON in the store


@dataclass(frozen=True)
class Production:
    budget: float
    currency: str
    kind: str
    local_spend: float | None = None
    local_share: float | None = None  # 0-1, used when local_spend is not given
    spend: Mapping[str, float] = field(default_factory=dict)  # category -> amount inside the local spend
    target_currency: str | None = None
    year: int | None = None

    def problems(self) -> list[str]:
        """What makes this production impossible to value, in the words of the CLI's options."""
        out = []
        if not self.budget > 0:
            out.append("the budget must be above zero")
        for label, code in (("currency", self.currency), ("target currency", self.target_currency)):
            if code is not None and not (len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()):
                out.append(f"the {label} `{code}` is not an ISO 4217 code such as USD, EUR or KZT")
        if self.kind not in KINDS:
            out.append(f"unknown kind `{self.kind}`; use one of {', '.join(KINDS)}")
        if self.local_share is not None and not 0 <= self.local_share <= 1:
            out.append("the local share is a fraction from 0 to 1 (0.6 for 60%)")
        if self.local_spend is not None and not 0 <= self.local_spend <= self.budget:
            out.append("the local spend must be from zero to the budget")
        for k, v in self.spend.items():
            if k not in CATEGORIES:
                out.append(f"unknown spend category `{k}`; use {', '.join(CATEGORIES)}")
            elif v < 0:
                out.append(f"the {k} spend must not be negative")
        if sum(self.spend.values()) > self.local() * (1 + 1e-12):
            out.append("the spend by category adds up to more than the local spend")
        return out

    def local(self) -> float:
        if self.local_spend is not None:
            return float(self.local_spend)
        return float(self.budget) * float(self.local_share if self.local_share is not None else 1.0)


@dataclass
class Value:
    status: str  # value, range, ineligible, unknown
    currency: str | None = None  # the programme's currency (its money rules'), else the production's
    low: float | None = None  # value in `currency`
    high: float | None = None  # None: no upper bound is known
    qualifying: tuple[float, float | None] | None = None
    eligible: bool | None = None  # None: an unknown rule could make it ineligible
    why_not: list[str] = field(default_factory=list)
    binding: dict[str, Any] | None = None  # the rule that set the high end: rule, text, source, at
    unknowns: list[dict[str, str]] = field(default_factory=list)  # rule, reason
    exchange: Exchange | None = None  # production currency -> programme currency
    target: dict[str, Any] | None = None  # currency, low, high, exchange
    rate_on_local: tuple[float, float | None] | None = None  # percent
    rate_on_budget: tuple[float, float | None] | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "exchange"}
        out["exchange"] = self.exchange.as_dict() if self.exchange else None
        if self.target and self.target.get("exchange"):
            out["target"] = {**self.target, "exchange": self.target["exchange"].as_dict()}
        return out


def loads(value: Any) -> Any:
    """A store column's JSON text decoded; anything else as it is."""
    if isinstance(value, str) and value[:1] in "[{":
        return json.loads(value)
    return value


def _interval(x: Mapping[str, Any], scale: float = 1.0) -> tuple[float, float]:
    """A bounded number as (low, high): `up to 30` is (0, 30), `40 or more` is (40, inf)."""
    if x.get("low") is not None:
        return float(x["low"]) * scale, float(x["high"]) * scale
    if x.get("value") == "unknown":
        return 0.0, INF
    v = float(x["value"]) * scale
    q = x.get("qualifier") or "exact"
    return (0.0, v) if q == "at_most" else (v, INF) if q == "at_least" else (v, v)


def _money(m: Mapping[str, Any]) -> tuple[float, float]:
    return _interval(m, SCALE[m.get("scale") or "one"])


def money_currency(p: Mapping[str, Any]) -> str | None:
    """The programme's own currency: that of its first money rule (cap, minimum, budget bound, fund)."""
    for cap in loads(p.get("caps")) if isinstance(loads(p.get("caps")), list) else []:
        if cap.get("amount"):
            return str(cap["amount"]["currency"])
    for m in loads(p.get("minimum_spend")) if isinstance(loads(p.get("minimum_spend")), list) else []:
        if m.get("amount"):
            return str(m["amount"]["currency"])
    for t in loads(p.get("tiers")) or []:
        for bound in ("budget_at_most", "budget_at_least"):
            if t.get(bound):
                return str(t[bound]["currency"])
    fund = loads(p.get("fund"))
    return str(fund["currency"]) if isinstance(fund, dict) else None


def _applies(kinds: list[str] | None, kind: str) -> bool:
    return not kinds or kind in kinds


class _Rules:
    """One computation's state: the programme, the production in the programme's currency, the unknowns."""

    def __init__(self, p: Mapping[str, Any], prod: Production, rates: Rates, currency: str, fx: Exchange):
        self.p, self.prod, self.rates, self.currency = p, prod, rates, currency
        self.budget = prod.budget * fx.rate
        self.local = prod.local() * fx.rate
        self.spend = {k: float(v) * fx.rate for k, v in prod.spend.items() if k in CATEGORIES and v}
        self.unknowns: list[dict[str, str]] = []
        self.could_be_zero = False
        self.stated = loads(p.get("unknown")) or {}

    def unknown(self, rule: str, reason: str, zero: bool = True) -> None:
        self.unknowns.append({"rule": rule, "reason": reason})
        self.could_be_zero = self.could_be_zero or zero

    def not_stated(self, rule: str, what: str) -> None:
        self.unknown(rule, self.stated.get(rule) or f"the record gives no {what}")

    def local_money(self, m: Mapping[str, Any]) -> tuple[float, float] | None:
        """A money rule's (low, high) in the programme's currency, or None when no rate converts it."""
        lo, hi = _money(m)
        if m["currency"] == self.currency:
            return lo, hi
        fx = exchange(m["currency"], self.currency, self.prod.year, self.rates)
        return None if fx is None else (lo * fx.rate, hi * fx.rate)

    def cite(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        return {"source": rule.get("source") or self.p.get("source"), "at": rule.get("at") or self.p.get("at")}


def incentive_value(programme: Mapping[str, Any], production: Production, rates: Rates | None = None) -> Value:
    """The value of `programme` to `production` (see the module's docstring for the rules' order)."""
    rates = registry_rates() if rates is None else rates
    if production.problems():
        raise ValueError("; ".join(production.problems()))
    p = {k: loads(v) if k in RULES else v for k, v in programme.items()}
    tiers = p.get("tiers") or []
    if not tiers:
        reason = (p.get("unknown") or {}).get("tiers") or "the record gives no rate"
        return Value("unknown", unknowns=[{"rule": "tiers", "reason": reason}])
    currency = money_currency(p) or production.currency
    fx = exchange(production.currency, currency, production.year, rates)
    if fx is None:
        reason = no_rate(production.currency, currency, production.year)
        return Value("unknown", currency, unknowns=[{"rule": "exchange", "reason": reason}])
    r = _Rules(p, production, rates, currency, fx)
    why_not = _eligibility(r)
    if why_not:
        return _finish(r, Value("ineligible", currency, 0.0, 0.0, (0.0, 0.0), False, why_not, exchange=fx))
    q_lo, q_hi, base, binding = _qualifying(r)
    _others(r, tiers)
    lo, hi, rate_binding = _rated(r, tiers, base, q_lo / base if base else 0.0, q_hi / base if base else 0.0)
    binding = binding or rate_binding
    lo, hi, binding = _capped(r, lo, hi, binding)
    if r.could_be_zero:
        lo = 0.0
    v = Value("value" if lo == hi else "range", currency, lo, hi, (q_lo, q_hi), None if r.could_be_zero else True)
    v.binding, v.exchange = binding, fx
    if hi == INF and lo == 0.0:
        v.status = "unknown"
    return _finish(r, v)


def _eligibility(r: _Rules) -> list[str]:
    """Why the production cannot have the incentive, by kind and minimum spend; unknowns noted on `r`."""
    kinds, kind = r.p.get("kinds"), r.prod.kind
    why: list[str] = []
    if kinds is None:
        r.not_stated("kinds", "list of eligible kinds of production")
    elif kind not in kinds:
        why.append(f"kind: {kind} is not among the eligible kinds ({', '.join(kinds)})")
    minimum = r.p.get("minimum_spend")
    if minimum is None:
        r.not_stated("minimum_spend", "minimum spend")
    elif minimum != "none":
        mine = [m for m in minimum if _applies(m.get("kinds"), kind)]
        if not mine:
            r.unknown("minimum_spend", f"the record gives minimum spends for other kinds only, none for {kind}")
        for m in mine:
            if m.get("share_of_budget") is not None:  # the local spend must reach a share of the budget
                if r.local < m["share_of_budget"] / 100 * r.budget:
                    why.append(f"minimum: the local spend is below {m['share_of_budget']:g}% of the total budget")
                continue
            amount = r.local_money(m["amount"])
            if amount is None:
                r.unknown("minimum_spend", no_rate(m["amount"]["currency"], r.currency, r.prod.year))
                continue
            spent = r.budget if m.get("of") == "total_budget" else r.local
            of = "total budget" if m.get("of") == "total_budget" else "local spend"
            if spent < amount[0]:
                why.append(f"minimum: the {of} is below the minimum of {_scaled(amount[0])} {r.currency}")
            elif spent < amount[1]:
                r.unknown("minimum_spend", f"the {of} is inside the minimum's stated range")
    return why


def _qualifying(r: _Rules) -> tuple[float, float, float, dict[str, Any] | None]:
    """Qualifying spend (low, high), the spend it is a share of, and the rule that limited it."""
    q = r.p.get("qualifying") or {}
    if not q:
        r.not_stated("qualifying", "rule on what spend qualifies")
    basis = q.get("basis") or "local_spend"
    base = r.budget if basis == "total_budget" else r.local
    lo, hi, binding = base, base, None
    if basis == "below_the_line":
        r.unknown("qualifying", "only below-the-line spend qualifies, and the production does not give it")
        lo = 0.0
    if q.get("share_of_budget_max") is not None:
        limit = float(q["share_of_budget_max"]) / 100 * r.budget
        if limit < hi:
            text = f"qualifying spend at most {float(q['share_of_budget_max']):g}% of the budget"
            binding = {"rule": "qualifying", "text": text, **r.cite(q)}
        lo, hi = min(lo, limit), min(hi, limit)
    caps = r.p.get("caps")
    for cap in caps if isinstance(caps, list) else []:
        if cap.get("on") != "qualifying_spend" or not _applies(cap.get("kinds"), r.prod.kind):
            continue
        limit_lo, limit_hi = _cap_limit(r, cap)
        if limit_hi < hi:
            text = f"qualifying spend capped at {_scaled(limit_hi)} {r.currency}"
            binding = {"rule": "caps", "text": text, **r.cite(cap)}
        lo, hi = min(lo, limit_lo), min(hi, limit_hi)
    return lo, hi, base, binding


def _cap_limit(r: _Rules, cap: Mapping[str, Any]) -> tuple[float, float]:
    if cap.get("share_of_budget") is not None:
        limit = float(cap["share_of_budget"]) / 100 * r.budget
        return limit, limit
    amount = r.local_money(cap["amount"])
    if amount is None:
        r.unknown("caps", no_rate(cap["amount"]["currency"], r.currency, r.prod.year))
        return INF, INF
    return amount


def _tier_state(r: _Rules, t: Mapping[str, Any]) -> str:
    """`sure`, `maybe` (a condition the production cannot state) or `no`, for this production."""
    if not _applies(t.get("kinds"), r.prod.kind):
        return "no"
    maybe = bool(t.get("condition")) or t.get("applies_to") == "other"
    for bound, above in (("budget_at_most", False), ("budget_at_least", True)):
        if t.get(bound):
            limit = r.local_money(t[bound])
            if limit is None:
                maybe = True
            elif (r.budget < limit[0]) if above else (r.budget > limit[1]):
                return "no"
            elif limit[0] != limit[1] and limit[0] <= r.budget <= limit[1]:
                maybe = True
    return "maybe" if maybe else "sure"


def _rate(r: _Rules, tiers: list[dict[str, Any]], part: str) -> tuple[float, float, dict[str, Any] | None]:
    """The rate (low, high, in percent) on one part of the spend: `all`, or a category the production gave.

    A category's own tiers replace the general ones there when one surely applies; a tier on `other` spend
    (a part no production can name across programmes) is listed and not counted."""
    rated = [t for t in tiers if not t.get("adds") and (t.get("applies_to") or "all") != "other"]
    general = [(t, _tier_state(r, t)) for t in rated if (t.get("applies_to") or "all") == "all"]
    own = [(t, _tier_state(r, t)) for t in rated if part != "all" and t.get("applies_to") == part]
    states = own if any(s == "sure" for _, s in own) else own + general
    sure = [t for t, s in states if s == "sure"]
    maybe = [t for t, s in states if s == "maybe"]
    if not sure and not maybe:
        return 0.0, 0.0, None
    if sure:  # several unconditional rates on the same spend: the best applies, as in the headline rate
        lo, hi = max(_interval(t)[0] for t in sure), max(_interval(t)[1] for t in sure)
        best = max(sure, key=lambda t: _interval(t)[1])
    else:  # every rate has a condition: one of them applies, which one is unknown
        lo, hi = min(_interval(t)[0] for t in maybe), max(_interval(t)[1] for t in maybe)
        best = max(maybe, key=lambda t: _interval(t)[1])
    for t in maybe:
        t_lo, t_hi = _interval(t)
        if t_hi > hi:
            best = t
        lo, hi = min(lo, t_lo), max(hi, t_hi)
        r.unknown("tiers", f"{_pct(t_lo, t_hi)}% if: {t.get('condition') or 'its condition is met'}", zero=False)
    for t in tiers:
        where = t.get("applies_to") or "all"
        if not t.get("adds") or where not in ("all", part):
            continue
        state = _tier_state(r, t)
        a_lo, a_hi = _interval(t)
        if state == "sure":
            lo, hi = lo + a_lo, hi + a_hi
        elif state == "maybe":
            hi += a_hi
            r.unknown(
                "tiers", f"+{_pct(a_lo, a_hi)} points if: {t.get('condition') or 'its condition is met'}", zero=False
            )
    return lo, hi, {"rule": "tiers", "text": f"rate {_pct(lo, hi)}%", **r.cite(best)}


def _pct(lo: float, hi: float) -> str:
    if hi == INF:
        return f"{lo:g}+"
    return f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"


def _others(r: _Rules, tiers: list[dict[str, Any]]) -> None:
    for t in tiers:
        if t.get("applies_to") == "other" and _tier_state(r, t) != "no":
            sign = "+" if t.get("adds") else ""
            what = t.get("condition") or "a part of the spend"
            r.unknown("tiers", f"not counted: {sign}{_pct(*_interval(t))}% on a part of the spend ({what})", zero=False)


def _rated(r: _Rules, tiers: list[dict[str, Any]], base: float, f_lo: float, f_hi: float):
    """The value before caps: each part of the spend at its rate, scaled to the qualifying share."""
    parts = dict(r.spend)
    rest = base - sum(parts.values())
    lo = hi = 0.0
    binding = None
    for part, amount in [("all", max(rest, 0.0)), *parts.items()]:
        r_lo, r_hi, cited = _rate(r, tiers, part)
        lo += r_lo / 100 * amount * f_lo
        hi += r_hi / 100 * amount * f_hi if r_hi != INF and amount > 0 else (INF if amount > 0 else 0.0)
        if part == "all" or binding is None:
            binding = cited or binding
    return lo, hi, binding


def _capped(r: _Rules, lo: float, hi: float, binding: dict[str, Any] | None):
    caps = r.p.get("caps")
    if caps is None:
        r.not_stated("caps", "cap")
    elif caps != "none":
        mine = [c for c in caps if _applies(c.get("kinds"), r.prod.kind)]
        if not mine:
            r.unknown("caps", f"the record gives caps for other kinds only, none for {r.prod.kind}")
        for cap in mine:
            if cap.get("on") == "qualifying_spend":
                continue
            c_lo, c_hi = _cap_limit(r, cap)
            if c_hi < hi:
                per = cap.get("per") or "project"
                binding = {"rule": "caps", "text": f"cap of {_scaled(c_hi)} {r.currency} per {per}", **r.cite(cap)}
            lo, hi = min(lo, c_lo), min(hi, c_hi)
    fund = r.p.get("fund")
    if isinstance(fund, dict):
        amount = r.local_money(fund)
        if amount is not None and amount[1] < hi:
            binding = {"rule": "fund", "text": f"annual fund of {_scaled(amount[1])} {r.currency}", **r.cite(fund)}
        if amount is not None:  # a fund bounds what one production can get; its running out is not modelled
            lo, hi = min(lo, amount[1]), min(hi, amount[1])
    return lo, hi, binding


def _finish(r: _Rules, v: Value) -> Value:
    v.unknowns = [dict(u) for u in dict.fromkeys(tuple(u.items()) for u in r.unknowns)]
    high = None if v.high is None or v.high == INF else v.high
    v.high = high
    low = v.low or 0.0
    v.rate_on_local = _share(low, high, r.local)
    v.rate_on_budget = _share(low, high, r.budget)
    if v.qualifying is not None and v.qualifying[1] == INF:
        v.qualifying = (v.qualifying[0], None)
    target = r.prod.target_currency or r.prod.currency
    fx = exchange(r.currency, target, r.prod.year, r.rates)
    if fx is None:
        v.target = {"currency": target, "low": None, "high": None, "reason": no_rate(r.currency, target, r.prod.year)}
    else:
        v.target = {"currency": target, "low": low * fx.rate, "high": None if high is None else high * fx.rate}
        v.target["exchange"] = fx
    return v


def _scaled(x: float) -> str:
    from benchmark.money import format_scaled

    return format_scaled(x)


def _share(low: float, high: float | None, of: float) -> tuple[float, float | None] | None:
    if of <= 0:
        return None
    return low / of * 100, None if high is None else high / of * 100
