"""A currency-year the committed rate table lacks never fails validation: `validate` says which one, where,
and how to add it (the ECB's mean and the refresh, or a published rate). Records are the test's own; the
pairs are chosen from what the table lacks, whatever it holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BASE, cli, line_of, second_record, write_records

from benchmark.money import ecb_annual_rate, ecb_history, reference_table
from benchmark.records import cache

AMOUNT = "  gdp:\n    - value: 14\n      unit: USD\n"


def _absent(currency: str, ecb: bool) -> int:
    """A year the table says nothing of for `currency`, which the ECB covers (or not)."""
    table, (series, _) = reference_table(), ecb_history()
    for year in range(2023, 1999, -1):
        known = (currency, year) in table.rates or (currency, year) in table.missing
        covered = currency in series and ecb_annual_rate(series, currency, year) is not None
        if not known and covered == ecb:
            return year
    raise AssertionError(f"no year of {currency} that the table lacks")


def _record(currency: str, year: int) -> str:
    text = BASE.replace(AMOUNT, AMOUNT.replace("USD", currency))
    gdp = text.index("  gdp:\n")
    year_at = text.index("      year: ", gdp)
    end = text.index("\n", year_at)
    return text[:year_at] + f"      year: {year}" + text[end:]


def test_validate_names_a_currency_year_the_ecb_covers_and_the_refresh(tmp_path: Path) -> None:
    year = _absent("SEK", ecb=True)
    text = _record("SEK", year)
    folder = write_records(tmp_path / "countries", KGZ=text)
    result = cli("validate", str(folder / "KGZ.yaml"), cwd=tmp_path)
    assert result.code == 0, result.out
    line = line_of(text, "unit: SEK")
    assert f"countries/KGZ.yaml:{line}: no SEK rate for {year} in the committed table" in result.err
    assert "python -m benchmark.money --refresh" in result.err and "ECB's annual mean is used" in result.err


def test_validate_says_how_to_add_a_rate_the_ecb_does_not_publish(tmp_path: Path) -> None:
    year = _absent("MNT", ecb=False)
    folder = write_records(tmp_path / "countries", KGZ=_record("MNT", year))
    result = cli("validate", str(folder / "KGZ.yaml"), cwd=tmp_path)
    assert result.code == 0, result.out
    assert f"no MNT rate for {year} in the committed table" in result.err
    assert "benchmark/registry/published_rates.yaml" in result.err


def test_no_note_for_a_pair_the_table_records(tmp_path: Path) -> None:
    currency, year = next(iter(sorted(reference_table().rates)))
    folder = write_records(tmp_path / "countries", KGZ=_record(currency, year))
    result = cli("validate", str(folder / "KGZ.yaml"), cwd=tmp_path)
    assert result.code == 0 and "note:" not in result.err, result.err


def test_the_notes_of_cached_records_need_no_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached file's note comes from its cache entry's light part: `validate` over a warm cache unpickles
    no record's model (at 2,000 records that was most of its time) and says what it said cold."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    year = _absent("SEK", ecb=True)
    folder = write_records(tmp_path / "countries", KGZ=_record("SEK", year), UZB=second_record())
    fresh = cli("validate", str(folder), cwd=tmp_path)
    assert fresh.code == 0 and f"no SEK rate for {year}" in fresh.err, fresh.err

    def no_model(entry: Path | None) -> None:
        raise AssertionError("a cached record's model was read")

    monkeypatch.setattr(cache, "_read_parsed", no_model)
    warm = cli("validate", str(folder), cwd=tmp_path)
    assert warm.code == 0 and warm.err == fresh.err
