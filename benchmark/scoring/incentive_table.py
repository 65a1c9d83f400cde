"""Every recorded programme valued for one production, ranked; and which programmes have enough rules.

Enters: the store's frames (programmes, their countries and scenarios, the bibliography). Leaves: rows for
the `incentive` command and the programmes the calculator page embeds, so both read the same programmes.
A country whose film-incentive instrument is recorded with no programme (a rebate in law that does not
work) is shown when asked for by name or by a scenario, so a proposal sits beside today's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from benchmark.scoring.incentive_rates import Rates, exchange, registry_rates
from benchmark.scoring.incentive_value import RULES, Production, Value, incentive_value, loads, money_currency

if TYPE_CHECKING:
    from benchmark.store.facts import Facts

# The rules whose absence can take a value to zero or leave it without a top (see incentive_value).
NEEDED = ("tiers", "kinds", "minimum_spend", "caps", "qualifying")


@dataclass(frozen=True)
class Entry:
    country: str
    scenario: str  # "" for the record itself
    name: str
    programme: dict[str, Any] | None  # None: the instrument is recorded with no programme
    status: str | None = None  # the instrument's status (present, partial, ...)
    summary: str | None = None


class UnknownSelection(LookupError):
    """A country code or CODE:scenario the store does not hold; the message says what it does hold."""


def entries(facts: Facts, countries: list[str] | None = None, scenarios: list[str] | None = None) -> list[Entry]:
    """The programmes of the chosen countries (all, by default), and of each `CODE:scenario` asked for."""
    wanted = _scenarios(facts, scenarios or [])
    known = set(facts.countries["code"].to_list())
    for code in countries or []:
        if code not in known:
            raise UnknownSelection(f"no country `{code}` in the store (codes are ISO 3166-1 alpha-3, such as KAZ)")
    inst = facts.instruments.filter(pl.col("instrument") == "film_rebates")
    rows = facts.rebates.join(
        inst.select(pl.col("id").alias("instrument_id"), "country", "scenario"), on="instrument_id"
    ).sort("country", "scenario", "position")
    out: list[Entry] = []
    chosen = set(countries or known) | {code for code, _ in wanted}
    for row in rows.iter_rows(named=True):
        shown = (row["scenario"] == "" and row["country"] in chosen) or (row["country"], row["scenario"]) in wanted
        if shown:
            programme = {k: loads(v) if k in RULES else v for k, v in row.items()}
            out.append(Entry(row["country"], row["scenario"], _name(row), programme))
    named = set(countries or []) | {code for code, _ in wanted}
    with_programmes = {(e.country, e.scenario) for e in out}
    for row in inst.filter(pl.col("scenario") == "").iter_rows(named=True):
        if row["country"] in named and (row["country"], "") not in with_programmes:
            out.append(Entry(row["country"], "", "", None, row["status"], row["summary"] or row["note"]))
    return out


def _name(row: dict[str, Any]) -> str:
    return row["name"] or ("the scenario's programme" if row["scenario"] else "film incentive")


def _scenarios(facts: Facts, asked: list[str]) -> set[tuple[str, str]]:
    held = {(c, k) for c, k in facts.scenarios.select("country", "key").iter_rows()}
    out = set()
    for text in asked:
        code, _, key = text.partition(":")
        if (code.upper(), key) not in held:
            offer = ", ".join(sorted(f"{c}:{k}" for c, k in held)) or "none"
            raise UnknownSelection(f"no scenario `{text}` in the store (write CODE:scenario; the store has: {offer})")
        out.add((code.upper(), key))
    return out


def valued(items: list[Entry], production: Production, rates: Rates | None = None) -> list[tuple[Entry, Value]]:
    """Each entry with its value, best first: by the upper end of the value in the production's currency,
    then the lower end; a programme with no known value last."""
    pairs = [(e, incentive_value(e.programme, production, rates) if e.programme else Value("none")) for e in items]

    def key(pair: tuple[Entry, Value]) -> tuple[int, float, float, str, str]:
        e, v = pair
        t = v.target or {}
        if v.status in ("unknown", "none") or t.get("low") is None:
            return (1, 0.0, 0.0, e.country, e.name)
        high = t["high"] if t.get("high") is not None else float("inf")
        return (0, -high, -t["low"], e.country, e.name)

    return sorted(pairs, key=key)


def missing_rules(programme: dict[str, Any], rates: Rates | None = None) -> list[str]:
    """The rules a programme lacks for a value: none missing means an answer with a positive lower end for
    a production that meets it (a range may remain, from rates that depend on a condition)."""
    rates = registry_rates() if rates is None else rates
    p = {k: loads(v) if k in RULES else v for k, v in programme.items()}
    missing = [rule for rule in NEEDED if p.get(rule) in (None, [], {})]
    tiers = p.get("tiers") or []
    base = [t for t in tiers if not t.get("adds") and (t.get("applies_to") or "all") != "other"]
    if base and all(t.get("qualifier") == "at_most" for t in base):
        missing.append("tiers (the rate is given only as 'up to')")
    currency = money_currency(p)
    if currency and exchange(currency, "USD", None, rates) is None:
        missing.append(f"exchange rate ({currency})")
    return missing


def coverage_rows(facts: Facts, rates: Rates | None = None) -> list[dict[str, Any]]:
    """One row per recorded programme (not scenarios): the rules it lacks for a value, with the reasons."""
    out = []
    for e in entries(facts):
        assert e.programme is not None
        lacks = missing_rules(e.programme, rates)
        stated = e.programme.get("unknown") or {}
        reasons = "; ".join(f"{r}: {stated[r]}" for r in lacks if r in stated)
        answer = "value" if not lacks else "none" if _no_top(e.programme, lacks) else "upper bound"
        out.append({"country": e.country, "programme": e.name, "enough": not lacks, "answer": answer,
                    "missing": lacks, "why": reasons})  # fmt: skip
    return out


def _no_top(programme: dict[str, Any], lacks: list[str]) -> bool:
    """No upper end either: no rate, no exchange rate, or a rate given only as a floor (`40% or more`)."""
    floors = [t for t in programme.get("tiers") or [] if t.get("qualifier") == "at_least"]
    return "tiers" in lacks or any(r.startswith("exchange") for r in lacks) or bool(floors)
