"""The currency-years a record's money is given in that the committed rate table lacks, and how to add each.

They are notes, not problems: a new currency or year never fails validation (amounts the ECB covers are
converted at its annual mean until the table records it; others are shown unconverted, with the reason).
`validate` prints one note per currency-year, at the first line that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from benchmark.records.models import Country
from benchmark.records.read import Document
from benchmark.records.rule_rows import all_observations

if TYPE_CHECKING:
    from benchmark.records.rule_frames import Record

REFRESH = "python -m benchmark.money --refresh"


@dataclass(frozen=True)
class RateNote:
    file: str
    line: int
    currency: str
    year: int
    uses: int
    how: str

    def text(self) -> str:
        more = f" (and {self.uses - 1} more value(s))" if self.uses > 1 else ""
        where = f"note: {self.file}:{self.line}: no {self.currency} rate for {self.year}"
        return f"{where} in the committed table{more}; {self.how}"


def dated_units(country: Country, doc: Document) -> list[tuple[str, int, int]]:
    """(unit, year, line of the unit) of each value a record gives in a unit with a year: computed with the
    record's other facts and cached with them, so that the notes never need a record's model."""
    return [
        (obs.unit, obs.year, doc.position((*path, "unit"))[0])
        for _, path, _, obs in all_observations(country)
        if obs.year is not None and obs.value != "unknown"
    ]


def unrecorded(records: list[Record]) -> list[RateNote]:
    from benchmark.money import is_money, reference_table

    table = reference_table()
    found: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for rec in records:
        for unit, year, line in rec.facts.units:
            pair = (unit, year)
            if not is_money(unit) or unit == "USD":
                continue
            if pair not in table.rates and pair not in table.missing:  # the table says nothing of it
                found.setdefault(pair, []).append((rec.file, line))
    return [
        RateNote(*sorted(places)[0], currency, year, len(places), _how(currency, year))
        for (currency, year), places in sorted(found.items())
    ]


def _how(currency: str, year: int) -> str:
    from benchmark.money import ecb_annual_rate, ecb_history

    series, _ = ecb_history()  # read only when a record brings a pair the table lacks
    if currency in series and ecb_annual_rate(series, currency, year) is not None:
        return (
            f"the ECB's annual mean is used until `{REFRESH}` records it in "
            "benchmark/registry/exchange_rates.yaml (run it and commit the table)"
        )
    return (
        "the amount stays unconverted (the ECB does not publish it): add the annual average from the national "
        "bank's or the World Bank's page to benchmark/registry/published_rates.yaml (see CONTRIBUTING.md), "
        f"then run `{REFRESH}`"
    )
