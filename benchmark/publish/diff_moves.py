"""How a change to the data moves every profile's ranking, and why each country moved: its own values, an
imputed value only (the profile filled a gap, and the fill moved), or only the others' values (through
normalisation, or because others passed it)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmark.records.rule_frames import Record

OWN, IMPUTED, OTHERS = "its own values", "imputation only", "the other countries' values"


def scored(records: list[Record]) -> dict[str, dict[str, dict[str, Any]]]:
    """Profile -> country -> {rank, indicators: {indicator: (value, imputed, contribution)}}, for every
    profile the working folder offers, from the records held in a scratch store."""
    from benchmark.scoring.indicators import build
    from benchmark.scoring.profiles import available, load_profile
    from benchmark.scoring.score import score
    from benchmark.store import load as store
    from benchmark.store.facts import read_facts

    with tempfile.TemporaryDirectory(prefix="benchmark-ranks-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        store.load(records, url)
        facts = read_facts(url)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for name in sorted(available()):
        profile = load_profile(name)
        result = score(build(facts, profile), profile)
        result = result.filter(result["scenario"] == "")
        out[name] = {
            row["country"]: {
                "rank": row["rank"],
                "indicators": {
                    i["indicator"]: (i["value"], bool(i["imputed"]), i["contribution"]) for i in row["indicators"]
                },
            }
            for row in result.iter_rows(named=True)
        }
    return out


def rank_moves(before: list[Record], after: list[Record]) -> dict[str, list[dict[str, Any]]]:
    """Per profile, every country whose rank differs (None: not ranked on that side), biggest moves first,
    each with its cause and the indicators behind it."""
    old, new = scored(before), scored(after)
    moves: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        changed = []
        for code in sorted(set(a) | set(b)):
            was, now = (a.get(code) or {}).get("rank"), (b.get(code) or {}).get("rank")
            if was == now:
                continue
            cause, indicators = _cause(a.get(code), b.get(code))
            change = None if was is None or now is None else was - now
            changed.append(
                {
                    "country": code,
                    "before": was,
                    "after": now,
                    "change": change,
                    "cause": cause,
                    "indicators": indicators,
                }
            )
        moves[name] = sorted(changed, key=lambda m: (-abs(m["change"] or 0), m["country"]))
    return moves


def _cause(was: dict[str, Any] | None, now: dict[str, Any] | None) -> tuple[str, list[str]]:
    if was is None or now is None:
        return ("added" if was is None else "removed"), []
    own, imputed = [], []
    for key in sorted(set(was["indicators"]) | set(now["indicators"])):
        old, new = was["indicators"].get(key, (None, False, None)), now["indicators"].get(key, (None, False, None))
        if old[1] and new[1]:  # imputed on both sides: the gap's fill moved, not a value of the country
            if old[2] != new[2]:
                imputed.append(key)
        elif old[1] != new[1] or old[0] != new[0]:  # a value of its own changed, appeared or went
            own.append(key)
    if own:
        return OWN, own
    if imputed:
        return IMPUTED, imputed
    return OTHERS, []
