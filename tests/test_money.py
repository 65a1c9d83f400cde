"""Exchange rates: the reference table is sourced, complete for the data, and `convert` never guesses."""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from currency_converter import CurrencyConverter, RateNotFoundError
from helpers import ROOT, cli

from benchmark.money import (
    RATES_FILE,
    STUDY_CONVERSIONS,
    Converted,
    Missing,
    build_table,
    convert,
    main,
    money_pairs,
    published_rates,
    rates_frame,
    reference_table,
    write_table,
)
from benchmark.store.facts import read_facts

ECB_DAYS = re.compile(r"(\d+) days from (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)")


def committed() -> dict:
    return yaml.safe_load(RATES_FILE.read_text(encoding="utf-8"))


def test_every_currency_and_year_the_data_uses_has_a_rate_or_a_reason(store: str) -> None:
    table = reference_table()
    pairs = money_pairs(read_facts(store))
    assert {("GBP", 2024), ("KZT", 2018), ("KGS", 2025), ("MYR", 2024), ("RUB", 2025)} <= pairs
    uncovered = {p for p in pairs if p not in table.rates and p not in table.missing}
    assert not uncovered, f"run `python -m benchmark.money --refresh`: no rate and no reason for {uncovered}"


def test_ecb_rates_are_the_annual_mean_of_the_ecb_daily_rates_crossed_through_the_euro() -> None:
    """Recomputed through currencyconverter's public API over exactly the days each entry names."""
    converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    ecb = [r for r in committed()["rates"] if r["source"]["publisher"] == "European Central Bank"]
    assert {(r["currency"], r["year"]) for r in ecb} >= {("EUR", 2024), ("GBP", 2024), ("MYR", 2024)}
    for entry in ecb:
        count, first, last = ECB_DAYS.search(entry["method"]).groups()  # type: ignore[union-attr]
        day, end, daily = date.fromisoformat(first), date.fromisoformat(last), []
        while day <= end:
            with contextlib.suppress(RateNotFoundError):  # no reference rate that day (weekend, holiday)
                daily.append(converter.convert(1, "USD", entry["currency"], date=day))
            day += timedelta(days=1)
        assert len(daily) == int(count)
        assert entry["per_usd"] == pytest.approx(sum(daily) / len(daily), rel=1e-5), entry["currency"]


def test_currencies_the_ecb_does_not_cover_use_only_the_studys_own_conversions() -> None:
    rates = {(r["currency"], r["year"]): r for r in committed()["rates"]}
    kgs = rates[("KGS", 2025)]
    assert kgs["per_usd"] == pytest.approx(915 / 11, rel=1e-5)
    assert kgs["source"]["key"] == "ciaq-concept-2026" and kgs["source"]["at"] == "§3.9"
    assert "implied by the study's own conversion" in kgs["method"].lower()
    assert rates[("UZS", 2026)]["per_usd"] == pytest.approx(4e9 / 310e3, rel=1e-5)
    myr = rates[("MYR", 2024)]  # the ECB covers MYR: the study's reading is kept beside it, not averaged in
    assert myr["source"]["publisher"] == "European Central Bank"
    assert myr["alternatives"][0]["per_usd"] == pytest.approx(63 / 13.5, rel=1e-5)
    for conversion in STUDY_CONVERSIONS:
        assert (conversion.currency, conversion.year) in rates


def test_pairs_no_source_covers_stay_missing_with_the_reason() -> None:
    missing = {(m["currency"], m["year"]): m["reason"] for m in committed()["missing"]}
    assert missing and all(currency in reason for (currency, _), reason in missing.items())
    assert "2022-03-01" in missing[("RUB", 2025)]  # the ECB stopped publishing the rouble
    assert "published_rates.yaml" in missing[("RUB", 2025)]


def test_published_annual_averages_fill_what_the_ecb_lacks() -> None:
    published = published_rates()
    rates = {(r["currency"], r["year"]): r for r in committed()["rates"]}
    assert published
    for key, entry in published.items():
        assert rates[key]["per_usd"] == float(entry["per_usd"]) or any(
            alt["per_usd"] == float(entry["per_usd"]) for alt in rates[key].get("alternatives", [])
        )
        assert entry["url"].startswith("http") and entry["method"]


def test_convert_uses_the_rate_of_the_values_own_year() -> None:
    gbp = reference_table().rates[("GBP", 2024)]
    result = convert(145.8e9, "GBP", 2024)
    assert isinstance(result, Converted)
    assert result.usd == pytest.approx(145.8e9 / gbp.per_usd)
    assert (result.rate, result.rate_year, result.source) == (gbp.per_usd, 2024, "European Central Bank")
    assert "GBP/USD" in result.describe()


def test_convert_never_guesses() -> None:
    none = convert(1.0, "XAF", 2018)  # a currency no source gives a rate for
    assert isinstance(none, Missing) and "XAF" in none.reason
    assert isinstance(convert(1.0, "EUR", 1990), Missing)  # no neighbouring year stands in
    assert isinstance(convert(1.0, "EUR", None), Missing)
    usd = convert(5.0, "USD", 2025)
    assert isinstance(usd, Converted) and usd.usd == 5.0 and usd.rate == 1.0


def test_refresh_builds_the_committed_table(store: str, tmp_path: Path) -> None:
    content = build_table(money_pairs(read_facts(store)))
    assert content["missing"] == committed()["missing"]
    assert [(r["currency"], r["year"]) for r in content["rates"]] == [
        (r["currency"], r["year"]) for r in committed()["rates"]
    ]
    path = tmp_path / "rates.yaml"
    assert write_table(content, path) and not write_table(content, path)  # an unchanged table is not rewritten
    assert path.read_text(encoding="utf-8").startswith("# Annual average exchange rates")
    assert reference_table(path).rates[("KGS", 2025)].per_usd == pytest.approx(83.1818)


def test_module_entry_needs_refresh() -> None:
    assert main([]) == 2


def test_rates_frame_lists_rates_and_alternatives() -> None:
    frame = rates_frame()
    assert {"currency", "year", "per_usd", "alternative", "publisher", "method"} <= set(frame.columns)
    assert frame.filter(frame["alternative"]).height == sum(
        len(r.alternatives) for r in reference_table().rates.values()
    )


def test_show_and_compare_display_the_usd_value_and_the_rate(store: str) -> None:
    shown = cli("show", "GBR", "--format", "csv", "--database-url", store, cwd=ROOT)
    assert shown.code == 0
    gva = next(line for line in shown.out.splitlines() if "gross value added" in line)
    assert "US$ 186.4 billion" in gva and "0.7823 GBP/USD (2024, European Central Bank)" in gva
    compared = cli("compare", "KGZ", "KZ-63", "--format", "markdown", "--database-url", store, cwd=ROOT)
    assert compared.code == 0
    assert "915 million KGS (2025)<br>= US$ 11 million at 83.18 KGS/USD (2025, ciaq-concept-2026, §3.9)" in compared.out
    kzt = reference_table().rates[("KZT", 2023)]
    assert f"KZT/USD (2023, {kzt.citation()})" in compared.out
