"""Exchange for the incentive calculator: a dated rate from the committed registry table, never a guess.

The calculator converts a production's budget into a programme's currency and the incentive into the
currency the user asks for. Both go through the US dollar at one year's annual average rate from
`registry/exchange_rates.yaml` (the table `benchmark.money` keeps). The year is the production's when it
gives one; otherwise the latest year for which the table has both currencies. A pair the table lacks is
`None`, and the caller says so. The site embeds the same table, so the page's numbers are the CLI's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class TableRate:
    per_usd: float  # units of the currency per US dollar, the year's average
    source: str  # a reader-facing citation: publisher, or the study's id and place


Rates = Mapping[tuple[str, int], TableRate]


@dataclass(frozen=True)
class Exchange:
    """`amount × rate` turns `source` money into `target` money, at `year`'s averages."""

    source: str
    target: str
    year: int | None  # None when no conversion was needed (the same currency)
    rate: float
    sources: tuple[str, ...]

    def describe(self) -> str:
        if self.year is None:
            return f"no conversion ({self.source})"
        return f"1 {self.source} = {self.rate:.6g} {self.target} ({self.year} average; {'; '.join(self.sources)})"

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.source, "to": self.target, "year": self.year, "rate": self.rate, "sources": list(self.sources)
        }  # fmt: skip


@cache
def registry_rates() -> dict[tuple[str, int], TableRate]:
    """The committed table as (currency, year) -> rate; its alternatives are not used."""
    from benchmark.money import reference_table

    return {key: TableRate(r.per_usd, r.source["publisher"]) for key, r in reference_table().rates.items()}


def _per_usd(rates: Rates, currency: str, year: int) -> TableRate | None:
    return TableRate(1.0, "") if currency == "USD" else rates.get((currency, year))


def exchange(source: str, target: str, year: int | None, rates: Rates) -> Exchange | None:
    """The rate from `source` to `target` at `year` (or the latest year the table has both), or None."""
    if source == target:
        return Exchange(source, target, None, 1.0, ())
    years = [year] if year is not None else sorted({y for (c, y) in rates if c in (source, target)}, reverse=True)
    for y in years:
        a, b = _per_usd(rates, source, y), _per_usd(rates, target, y)
        if a is not None and b is not None:
            cited = tuple(dict.fromkeys(s for s in (a.source, b.source) if s))
            return Exchange(source, target, y, b.per_usd / a.per_usd, cited)
    return None


def no_rate(source: str, target: str, year: int | None) -> str:
    when = f"for {year}" if year is not None else "for any year"
    return f"the exchange-rate table has no {source}-to-{target} rate {when}"
