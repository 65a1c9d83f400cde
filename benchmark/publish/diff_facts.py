"""A record as the flat list of facts a reviewer checks, for `diff`: each metric observation and each
reading kept as its alternative, each instrument's status, and the details that give it substance (its
laws, bodies and tax regimes; each film programme's rates and tiers, caps and minimum spends), and each
source the record defines.

Every fact is (what, label) -> (shown, full): `shown` is what the report prints, `full` the fact's whole
content, so that an edit to a detail the line does not show is still caught.
"""

from __future__ import annotations

import json
from typing import Any

from benchmark.records.models import (
    Alternative,
    Amount,
    Body,
    Cap,
    Country,
    FilmRebate,
    Instrument,
    Law,
    MinimumSpend,
    Money,
    Observation,
    RateTier,
    TaxRegime,
)

Facts = dict[tuple[str, str], tuple[str, str]]
DETAILS = {"laws", "bodies", "rebates", "tax_regimes"}


def facts(c: Country) -> Facts:
    out: Facts = {}
    for scenario, metrics, instruments in [("", c.metrics, c.instruments)] + [
        (f"{name}: ", s.metrics, s.instruments) for name, s in c.scenarios.items()
    ]:
        for metric, series in metrics.items():
            for obs in series:
                label = f"{scenario}{metric} {observation_label(obs)}"
                out[("metric", label)] = (value(obs), full(obs, exclude={"alternatives"}))
                for alt in obs.alternatives:
                    out[("alternative", f"{label} ← {alt.source}")] = (value(alt, obs), full(alt))
        for key, inst in instruments.items():
            out.update(_instrument(f"{scenario}{key}", inst))
    for key, src in c.sources.items():
        out[("source", key)] = (f"{src.publisher}, {src.title} ({src.year})", full(src))
    return out


def observation_label(obs: Observation) -> str:
    year = str(obs.year) if obs.year is not None else f"undated (reported {obs.reported_in})"
    extras = "".join(f", {x}" for x in (obs.part, obs.method) if x)
    return f"{year} {obs.kind}{extras}"


def _instrument(key: str, inst: Instrument) -> Facts:
    out: Facts = {("instrument", key): (status(inst), full(inst, exclude=DETAILS))}
    for law in inst.laws:
        out[("law", f"{key}: {law.title}")] = (_law(law), full(law))
    for body in inst.bodies:
        out[("body", f"{key}: {body.name}")] = (_body(body), full(body))
    for regime in inst.tax_regimes:
        out[("tax regime", f"{key}: {regime.name}")] = (_regime(regime), full(regime))
    for number, programme in enumerate(inst.rebates, 1):
        name = f"{key}: {programme.name or programme.jurisdiction or f'programme {number}'}"
        out.update(_programme(name, programme))
    return out


def _programme(name: str, p: FilmRebate) -> Facts:
    """A film programme as four facts: its terms, its rates and tiers, its caps, its minimum spends."""
    terms = [x for x in (p.form, p.jurisdiction, p.administrator) if x]
    terms += [f"since {p.since}"] if p.since else []
    terms += [f"until {p.until}"] if p.until else []
    terms += [f"kinds: {', '.join(p.kinds)}"] if p.kinds else []
    out: Facts = {
        ("programme", name): (
            "; ".join(terms) + _cited(p) if terms else _cited(p).strip(),
            full(p, exclude={"tiers", "caps", "minimum_spend"}),
        ),
    }
    rates = "; ".join(_tier(t) for t in p.tiers) or _unknown(p, "tiers")
    out[("programme rates", name)] = (rates, _dump([t.model_dump(mode="json") for t in p.tiers]))
    for field, label, shown_one in (
        ("caps", "programme caps", _cap),
        ("minimum_spend", "programme minimum spend", _minimum),
    ):
        rules = getattr(p, field)
        if rules is None and field not in p.unknown:
            continue  # the source does not say, and the record says nothing either
        shown = (
            "none (the source states there is none)"
            if rules == "none"
            else _unknown(p, field)
            if rules is None
            else "; ".join(shown_one(r) for r in rules)
        )
        out[(label, name)] = (
            shown,
            _dump(rules if isinstance(rules, str | None) else [r.model_dump(mode="json") for r in rules]),
        )
    return out


def _tier(t: RateTier) -> str:
    rate = f"{'+' if t.adds else ''}{_number(t)}%"
    scope = [] if t.applies_to == "all" else [f"on {t.applies_to.replace('_', ' ')}"]
    scope += [f"for {', '.join(t.kinds)}"] if t.kinds else []
    scope += [f"budget at most {_money(t.budget_at_most)}"] if t.budget_at_most else []
    scope += [f"budget at least {_money(t.budget_at_least)}"] if t.budget_at_least else []
    scope += [f"if {t.condition}"] if t.condition else []
    return " ".join([rate, *scope])


def _cap(c: Cap) -> str:
    amount = _money(c.amount) if c.amount else f"{c.share_of_budget:g}% of the budget"
    on = "of qualifying spend" if c.on == "qualifying_spend" else "paid"
    kinds = f" for {', '.join(c.kinds)}" if c.kinds else ""
    return f"{amount} {on} per {c.per}{kinds}"


def _minimum(m: MinimumSpend) -> str:
    kinds = f" for {', '.join(m.kinds)}" if m.kinds else ""
    if m.amount is None:
        return f"local spend of at least {m.share_of_budget:g}% of the budget{kinds}"
    return f"{_money(m.amount)} of {m.of.replace('_', ' ')}{kinds}"


def _law(law: Law) -> str:
    parts = [law.kind.replace("_", " ")] + [x for x in (law.number, str(law.date or law.year or "")) if x]
    return ", ".join(parts) + _cited(law)


def _body(body: Body) -> str:
    parts = [body.role.replace("_", " ")] + ([f"since {body.since}"] if body.since else [])
    parts += [f"budget {_money(body.budget)}"] if body.budget else []
    return ", ".join(parts) + _cited(body)


def _regime(regime: TaxRegime) -> str:
    rates = [f"{_number(r)}%" + (f" of {r.base}" if r.base else "") for r in regime.rates]
    return ("; ".join(rates) or regime.headline or "no rate given") + _cited(regime)


def _unknown(p: FilmRebate, rule: str) -> str:
    reason = p.unknown.get(rule)  # type: ignore[call-overload]
    return f"unknown: {reason}" if reason else "not given"


def _cited(model: Any) -> str:
    return f" [{model.source}]" if getattr(model, "source", None) else ""


def _number(b: Any) -> str:
    if b.value == "unknown":
        return "unknown"
    number = f"{b.value:g}" if b.value is not None else f"{b.low:g}-{b.high:g}"
    return {"about": "~", "at_least": "≥", "at_most": "≤"}.get(b.qualifier, "") + number


def _money(m: Money | Amount) -> str:
    scale = "" if m.scale == "one" else f" {m.scale}"
    return f"{m.currency} {_number(m)}{scale}"


def value(reading: Observation | Alternative, fact: Observation | None = None) -> str:
    """A value with its unit and source; an alternative without its own unit or scale takes its fact's."""
    if reading.value == "unknown":
        return "unknown"
    scale = reading.scale or (fact.scale if fact else None) or "one"
    unit = reading.unit or (fact.unit if fact else "")
    return f"{_number(reading)}{'' if scale == 'one' else ' ' + scale} {unit} [{reading.source}]"


def status(inst: Instrument) -> str:
    return inst.level if inst.status is None and inst.level else (inst.status or "")


def full(model: Any, exclude: set[str] | None = None) -> str:
    return _dump(model.model_dump(mode="json", exclude=exclude))


def _dump(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
