"""The indicator registry: which metrics and instruments a record may name, in one place.

The lists live in `registry/*.yaml` so that adding an indicator is a data change, not a code change.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

Quantity = Literal["share", "money", "persons", "count", "rank", "ratio", "years"]
QUANTITIES: tuple[str, ...] = ("share", "money", "persons", "count", "rank", "ratio", "years")


@dataclass(frozen=True)
class Metric:
    id: str
    label: dict[str, str]
    quantity: str
    better: str


@dataclass(frozen=True)
class InstrumentKind:
    id: str
    label: dict[str, str]
    scale: str  # "status" (present/absent/...) or "level" (low/medium/high)
    table_3_20: str | None


# libyaml's parser where PyYAML has it: the same safe loading, several times faster (start-up of every command).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> list[dict]:
    text = resources.files("benchmark").joinpath("registry", name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_Loader) or []


@cache
def metrics() -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for entry in _read("metrics.yaml"):
        if entry["quantity"] not in QUANTITIES:
            raise ValueError(f"registry/metrics.yaml: {entry['id']}: unknown quantity {entry['quantity']!r}")
        out[entry["id"]] = Metric(entry["id"], entry["label"], entry["quantity"], entry.get("better", "higher"))
    return out


@cache
def instruments() -> dict[str, InstrumentKind]:
    return {
        e["id"]: InstrumentKind(e["id"], e["label"], e.get("scale", "status"), e.get("table_3_20"))
        for e in _read("instruments.yaml")
    }


def table_3_20_instruments() -> list[str]:
    """The twelve instruments of the founding study's table 3.20, in the table's order."""
    return [i.id for i in instruments().values() if i.table_3_20]


@dataclass(frozen=True)
class Grouping:
    """A membership list (EU, OECD, EAEU...) with the source it was read from."""

    id: str
    name: dict[str, str]
    members: frozenset[str]
    as_of: int | None
    source: dict
    note: str | None = None


@cache
def grouping_list() -> dict[str, Grouping]:
    """Every grouping of `registry/groupings.yaml` whose member list is known."""
    if not resources.files("benchmark").joinpath("registry", "groupings.yaml").is_file():
        return {}
    out: dict[str, Grouping] = {}
    for e in _read("groupings.yaml"):
        if isinstance(e.get("members"), list):
            out[e["id"]] = Grouping(
                e["id"], e.get("name", {}), frozenset(e["members"]), e.get("as_of"), e.get("source", {}), e.get("note")
            )
    return out


def groupings() -> dict[str, frozenset[str]]:
    return {g.id: g.members for g in grouping_list().values()}


def member_codes() -> set[str]:
    return {code for members in groupings().values() for code in members}


def memberships(code: str) -> list[str]:
    """The groupings a country belongs to, by the registry."""
    return sorted(g for g, members in groupings().items() if code in members)
