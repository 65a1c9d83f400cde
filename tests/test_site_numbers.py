"""Numbers and counted words as each language writes them (Babel's CLDR data): decimal and group marks,
the minus sign, large money in words, qualifiers kept, and Russian plurals right for 21-24 as for 1-4."""

from __future__ import annotations

import pytest

from benchmark.publish.site.formatting import value_text
from benchmark.publish.site.i18n import Lang


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "1,202,101.2"), ("ru", "1\u00a0202\u00a0101,2"), ("kk", "1\u00a0202\u00a0101,2")]
)
def test_decimals_and_groups_follow_the_language(lang: str, text: str) -> None:
    L = Lang.of(lang)
    assert L.number(1202101.2) == text
    assert L.number(-2.5).startswith("−")
    assert L.number(0.875, 3) == ("0.875" if lang == "en" else "0,875")


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "1.2 trillion KZT"), ("ru", "1,2\u00a0трлн KZT"), ("kk", "1,2\u00a0трлн KZT")]
)
def test_large_money_is_written_in_words(lang: str, text: str) -> None:
    row = {"value": 1202101.2, "unit": "KZT", "scale": "million", "qualifier": "exact"}
    assert value_text(Lang.of(lang), row) == text


def test_small_money_and_qualifiers_are_kept() -> None:
    L = Lang.of("en")
    assert value_text(L, {"value": 250, "unit": "USD", "scale": "million", "qualifier": "exact"}) == "250 million USD"
    about = value_text(L, {"value": 1.0, "unit": "percent", "qualifier": "about"})
    assert about.startswith("~") and about.endswith("%")


@pytest.mark.parametrize(
    ("count", "word"),
    [(1, "источник"), (2, "источника"), (4, "источника"), (5, "источников"), (11, "источников"),
     (12, "источников"), (21, "источник"), (22, "источника"), (24, "источника"), (25, "источников"),
     (111, "источников"), (101, "источник")],
)  # fmt: skip
def test_russian_counts_take_the_form_their_number_needs(count: int, word: str) -> None:
    assert f"{count} {word}," in Lang.of("ru").t("sources.lead", count=count)


@pytest.mark.parametrize(("count", "word"), [(1, "source"), (2, "sources"), (21, "sources")])
def test_english_counts_take_one_or_other(count: int, word: str) -> None:
    assert f"{count} {word}," in Lang.of("en").t("sources.lead", count=count)
