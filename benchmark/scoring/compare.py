"""How a change to the data moves every profile's ranking: the second half of `diff`'s report."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from benchmark.records.rule_frames import Record
from benchmark.scoring.indicators import build
from benchmark.scoring.profiles import available, load_profile
from benchmark.scoring.score import score
from benchmark.store import load as store
from benchmark.store.facts import read_facts


def ranks(records: list[Record]) -> dict[str, dict[str, int]]:
    """Profile name -> country -> rank, for the built-in profiles, from records held in a scratch store."""
    with tempfile.TemporaryDirectory(prefix="benchmark-ranks-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        store.load(records, url)
        facts = read_facts(url)
    out: dict[str, dict[str, int]] = {}
    for name in sorted(available()):
        profile = load_profile(name)
        result = score(build(facts, profile), profile)
        ranked = result.filter(result["rank"].is_not_null())
        out[name] = dict(zip(ranked["country"].to_list(), ranked["rank"].to_list(), strict=True))
    return out


def rank_moves(before: list[Record], after: list[Record]) -> dict[str, list[dict[str, Any]]]:
    """Per profile, every country whose rank differs (None: not ranked on that side), biggest moves first."""
    old, new = ranks(before), ranks(after)
    moves: dict[str, list[dict[str, Any]]] = {}
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name, {}), new.get(name, {})
        changed = [
            {"country": code, "before": a.get(code), "after": b.get(code),
             "change": None if a.get(code) is None or b.get(code) is None else a[code] - b[code]}
            for code in sorted(set(a) | set(b)) if a.get(code) != b.get(code)
        ]  # fmt: skip
        moves[name] = sorted(changed, key=lambda m: (-abs(m["change"] or 0), m["country"]))
    return moves
