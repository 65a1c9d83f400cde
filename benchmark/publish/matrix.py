"""The instrument matrix of the founding study's table 3.20: who has which instrument.

A pure function of the store's frames, shared by the `matrix` command, the site and the tests. Countries are
columns in the table's order (then any other country alphabetically), instruments are rows (the table's twelve
first, in registry order, then any other instrument some column records). A scenario (`KAZ:concept-2026-2030`)
adds a column beside its country: the country's instruments with the scenario's overriding them one by one.

For the study's countries a cell keeps table 3.20's value; where the codebook (docs/codebook.md) reads the
instrument differently, `codebook` holds that reading beside it, with the rule applied and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import polars as pl

from benchmark import registry
from benchmark.store.facts import Facts

# Table 3.20's columns, in the study's order (UK, Korea, UAE, ... Finland).
TABLE_3_20_COUNTRIES: tuple[str, ...] = (
    "GBR", "KOR", "ARE", "GEO", "EST", "COL", "RUS", "UZB", "KGZ",
    "TUR", "POL", "MYS", "IDN", "VNM", "NGA", "FRA", "LTU", "FIN",
)  # fmt: skip

STATUS_SYMBOLS = {"present": "+", "absent": "−", "partial": "±", "planned": "p", "unknown": "?"}
LEVEL_SYMBOLS = {"high": "H", "medium": "M", "low": "L", "unknown": "?"}
NOT_RECORDED = "·"
LEGEND = (
    "+ present   − absent   ± partial   p planned   ? unknown   H/M/L high/medium/low (IP protection)   "
    "· not recorded\n"
    "* the codebook reads this cell differently from table 3.20 (python cli.py matrix --codebook lists them)"
)


class UnknownScenario(LookupError):
    """A `CODE:scenario` the store does not hold; the message lists the ones it does."""


@dataclass(frozen=True)
class Matrix:
    countries: list[str]  # column names: ISO3 codes, and `ISO3:scenario` for scenario columns
    instruments: list[str]  # row ids
    cells: dict[str, dict[str, str | None]]  # column -> instrument -> status or level word (None: not recorded)
    # column -> instrument -> the codebook's reading where it differs from the cell (status or level, rule, note)
    codebook: dict[str, dict[str, dict]] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "countries": self.countries,
            "instruments": self.instruments,
            "cells": self.cells,
            "codebook": self.codebook,
        }

    def deviations(self) -> list[dict]:
        """Every cell where the codebook reads the instrument differently from the table, one row each."""
        return [
            {"country": c, "instrument": i, "table": self.cells[c][i], **reading}
            for c in self.countries
            for i, reading in self.codebook.get(c, {}).items()
        ]


def country_order(codes: list[str]) -> list[str]:
    """Table 3.20's countries in the study's order, then the others alphabetically."""
    known = [c for c in TABLE_3_20_COUNTRIES if c in codes]
    return known + sorted(c for c in codes if c not in TABLE_3_20_COUNTRIES)


def instrument_matrix(facts: Facts, scenarios: list[str] | None = None) -> Matrix:
    """The matrix for every country-level record, with a column for each `CODE:scenario` asked for."""
    codes = country_order(facts.countries.filter(pl.col("level") == "country")["code"].to_list())
    cells = {code: _cells(facts, code, "") for code in codes}
    columns = list(codes)
    for asked in scenarios or []:
        code, key = _parse_scenario(facts, asked)
        name = f"{code}:{key}"
        cells[name] = {**_cells(facts, code, ""), **_cells(facts, code, key)}
        at = columns.index(code) + 1 if code in columns else len(columns)
        while at < len(columns) and columns[at].startswith(f"{code}:"):
            at += 1
        columns.insert(at, name)
    table = registry.table_3_20_instruments()
    recorded = {i for column in cells.values() for i in column}
    others = [i for i in registry.instruments() if i not in table and i in recorded]
    others += sorted(recorded - set(table) - set(others))
    instruments = table + others
    readings = {code: _codebook(facts, code) for code in codes}
    return Matrix(
        columns,
        instruments,
        {c: {i: cells[c].get(i) for i in instruments} for c in columns},
        {c: r for c, r in readings.items() if r},
    )


def _codebook(facts: Facts, code: str) -> dict[str, dict]:
    rows = facts.instruments.filter(
        (pl.col("country") == code) & (pl.col("scenario") == "") & pl.col("codebook").is_not_null()
    )
    out = {}
    for row in rows.iter_rows(named=True):
        reading = json.loads(row["codebook"])
        out[row["instrument"]] = {
            "reading": reading.get("level") if _is_level(row["instrument"]) else reading.get("status"),
            "rule": reading.get("rule"),
            "note": reading.get("note"),
            "source": reading.get("source"),
        }
    return out


def symbol(instrument: str, word: str | None) -> str:
    """The table symbol of a cell: + − ± p ? for statuses, H M L ? for levels, · when not recorded."""
    if word is None:
        return NOT_RECORDED
    return LEVEL_SYMBOLS[word] if _is_level(instrument) else STATUS_SYMBOLS.get(word, word)


def _is_level(instrument: str) -> bool:
    kind = registry.instruments().get(instrument)
    return kind is not None and kind.scale == "level"


def _cells(facts: Facts, code: str, scenario: str) -> dict[str, str | None]:
    rows = facts.instruments.filter((pl.col("country") == code) & (pl.col("scenario") == scenario))
    return {
        row["instrument"]: row["level"] if _is_level(row["instrument"]) else row["status"]
        for row in rows.iter_rows(named=True)
    }


def _parse_scenario(facts: Facts, name: str) -> tuple[str, str]:
    """`kaz:concept-2026-2030` -> ("KAZ", "concept-2026-2030"); the code is case-insensitive."""
    code, _, key = name.partition(":")
    code = code.strip().upper()
    pairs = [(r["country"], r["key"]) for r in facts.scenarios.iter_rows(named=True)]
    if (code, key.strip()) in pairs:
        return code, key.strip()
    offer = ", ".join(f"{c}:{k}" for c, k in pairs) or "none"
    raise UnknownScenario(f"no scenario `{name}` in the store (write CODE:scenario; the store has: {offer})")
