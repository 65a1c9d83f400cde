"""The film-incentives page answers "who has a film rebate, and at what rate" on one page, and the matrix
and compare cells carry the same headline rate."""

from __future__ import annotations

import json
import re

import polars as pl
import pytest
from site_support import Built

from benchmark.publish.site.i18n import Lang
from benchmark.scoring.incentives import headline_rate


def _headlines(built: Built) -> dict[str, float]:
    """Each country's best headline rate, from the store the site was built from."""
    facts = built.facts
    film = facts.instruments.filter((pl.col("instrument") == "film_rebates") & (pl.col("scenario") == ""))
    ids = dict(zip(film["id"].to_list(), film["country"].to_list(), strict=True))
    best: dict[str, float] = {}
    for rebate in facts.rebates.iter_rows(named=True):
        code = ids.get(rebate["instrument_id"])
        rate = headline_rate(rebate).value
        if code is not None and rate is not None:
            best[code] = max(rate, best.get(code, rate))
    return best


def test_every_country_with_a_rebate_rate_is_on_the_film_page_with_it(built: Built) -> None:
    best = _headlines(built)
    assert best
    L = Lang.of("en")
    html = (built.folder / "en" / "film.html").read_text(encoding="utf-8")
    for code, rate in best.items():
        assert f'href="countries/{code}.html#' in html, code
        assert f"<strong>{L.number(rate)}%</strong>" in html, (code, rate)


def test_base_rates_and_uplifts_are_separate_columns(built: Built) -> None:
    html = (built.folder / "en" / "film.html").read_text(encoding="utf-8")
    head = html.split("<thead>")[1].split("</thead>")[0]
    for column in ("Headline rate", "Base rate", "Uplifts", "Cap", "Minimum spend"):
        assert column in head
    uplifts = [
        t
        for r in built.facts.rebates.iter_rows(named=True)
        for t in json.loads(r["tiers"] or "[]")
        if isinstance(t, dict) and t.get("adds")
    ]
    if uplifts:
        assert "+" in html.split("<tbody>")[1]


@pytest.mark.parametrize("page", ["matrix.html", "compare.html"])
def test_matrix_and_compare_show_the_headline_rate(built: Built, page: str) -> None:
    best = _headlines(built)
    L = Lang.of("ru")
    html = (built.folder / "ru" / page).read_text(encoding="utf-8")
    rates = re.findall(r'<span class="rate">(?:[^<:]*: )?([^<]+)</span>', html)
    for rate in best.values():
        assert f"{L.number(rate)}%" in rates
