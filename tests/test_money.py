"""Exchange rates: the reference table is sourced, complete for the data, and `convert` never guesses."""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from currency_converter import CurrencyConverter, RateNotFoundError
from helpers import BASE, cli, write_records

from benchmark.money import (
    RATES_FILE,
    STUDY_CONVERSIONS,
    Converted,
    Missing,
    build_table,
    convert,
    format_number,
    main,
    money_pairs,
    published_rates,
    rates_frame,
    rebate_money,
    recent_years,
    reference_table,
    write_table,
)
from benchmark.store.facts import read_facts

ECB_DAYS = re.compile(r"(\d+) days from (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)")


def committed() -> dict:
    return yaml.safe_load(RATES_FILE.read_text(encoding="utf-8"))


def test_every_currency_and_year_the_data_uses_converts_or_says_why(store: str) -> None:
    for currency, year in money_pairs(read_facts(store)):
        result = convert(1.0, currency, year)
        assert isinstance(result, Converted) or (isinstance(result, Missing) and currency in result.reason)


def test_rebate_amounts_without_a_year_give_their_currency_for_the_recent_years() -> None:
    import json

    import polars as pl

    rule = {"per": "project", "amount": {"value": 300, "currency": "INR", "scale": "million"}}
    rebates = pl.DataFrame(
        {
            "caps": [json.dumps([rule]), None],
            "minimum_spend": [None, json.dumps([{"of": "local_spend", "amount": {"value": 1, "currency": "GEL"}}])],
            "tiers": [
                json.dumps([{"value": 20, "budget_at_most": {"value": 5, "currency": "EUR", "year": 2024}}]),
                None,
            ],
            "fund": [None, json.dumps({"value": 9, "currency": "COP", "per": "year", "year": 2023})],
        }
    )
    dated, yearless = rebate_money(rebates)
    assert dated == {("EUR", 2024), ("COP", 2023)}
    assert yearless == {"INR", "GEL"}


def test_recent_years_are_the_whole_years_before_the_history_ends() -> None:
    series = {"USD": {date(2026, 10, 30): 1.1, date(2020, 1, 2): 1.2}}
    assert recent_years(series) == (2023, 2024, 2025)
    assert recent_years(series, 1) == (2025,)


def test_a_pair_the_committed_table_lacks_still_converts_at_the_ecb_rate() -> None:
    """A record that adds a currency or a year never breaks: the ECB's mean is computed, and says it is new."""
    table = reference_table()
    pair = next((c, y) for y in range(2010, 2020) for c in ("JPY", "CHF", "SEK") if (c, y) not in table.rates)
    result = convert(1.0, *pair)
    assert isinstance(result, Converted) and result.rate_year == pair[1]
    assert "--refresh" in result.method and result.source == "European Central Bank"


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


def test_refresh_rebuilds_the_committed_table_for_its_own_pairs(tmp_path: Path) -> None:
    pairs = {(r["currency"], r["year"]) for r in committed()["rates"]} | {
        (m["currency"], m["year"]) for m in committed()["missing"]
    }
    content = build_table(pairs)
    assert content["missing"] == committed()["missing"]
    assert [(r["currency"], r["year"]) for r in content["rates"]] == [
        (r["currency"], r["year"]) for r in committed()["rates"]
    ]
    path = tmp_path / "rates.yaml"
    assert write_table(content, path) and not write_table(content, path)  # an unchanged table is not rewritten
    assert path.read_text(encoding="utf-8").startswith("# Annual average exchange rates")
    study = next(c for c in STUDY_CONVERSIONS if (c.currency, c.year) in pairs)
    assert (
        reference_table(path).rates[(study.currency, study.year)].per_usd == pytest.approx(study.per_usd(), rel=1e-5)
        or reference_table(path).rates[(study.currency, study.year)].alternatives
    )


def test_module_entry_needs_refresh() -> None:
    assert main([]) == 2


def test_rates_frame_lists_rates_and_alternatives() -> None:
    frame = rates_frame()
    assert {"currency", "year", "per_usd", "alternative", "publisher", "method"} <= set(frame.columns)
    assert frame.filter(frame["alternative"]).height == sum(
        len(r.alternatives) for r in reference_table().rates.values()
    )


def test_show_and_compare_display_the_usd_value_and_the_rate(tmp_path: Path) -> None:
    """On records the test owns: a KGS amount (the study's own conversion) and a EUR one (the ECB's mean)."""
    eur = (
        BASE.replace("code: KGZ", "code: EST")
        .replace(
            "names: {en: Kyrgyzstan, ru: Кыргызстан, kk: Қырғызстан}", "names: {en: Estonia, ru: Эстония, kk: Эстония}"
        )
        .replace("groupings: [EAEU, CIS, Turkic states, OIC]", "groupings: [EU, OECD]")
        .replace("unit: KGS", "unit: EUR")
    )
    folder = write_records(tmp_path / "countries", KGZ=BASE, EST=eur)
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    assert cli("load", str(folder), "--database-url", url).code == 0
    kgs, euro = reference_table().rates[("KGS", 2025)], convert(915e6, "EUR", 2025)
    assert isinstance(euro, Converted)
    shown = cli("show", "EST", "--format", "csv", "--database-url", url, cwd=tmp_path)
    assert shown.code == 0
    revenue = next(line for line in shown.out.splitlines() if "915" in line and "EUR" in line)
    assert f"{format_number(euro.rate)} EUR/USD (2025, European Central Bank)" in revenue
    compared = cli("compare", "KGZ", "EST", "--format", "markdown", "--database-url", url, cwd=tmp_path)
    assert compared.code == 0
    assert f"= US$ 11 million at {format_number(kgs.per_usd)} KGS/USD (2025, {kgs.citation()})" in compared.out
