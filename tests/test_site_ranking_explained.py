"""A ranking page explains itself: each row opens into its indicators' contributions (the engine's own
`explain` numbers), counts only indicators with real data, and, when weights move, shows what moved and
hides the rank intervals that belonged to the profile's weights."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from site_support import Built

from benchmark.publish.site.browser import chromium, file_url
from benchmark.publish.site.i18n import Lang
from benchmark.scoring.explain import explain, explain_all
from benchmark.scoring.indicators import build
from benchmark.scoring.profiles import available, read_profile
from benchmark.scoring.score import score

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _scored(built: Built, name: str) -> tuple[Any, pl.DataFrame]:
    profile, _ = read_profile(available()[name])
    assert profile is not None
    return profile, score(build(built.facts, profile, as_of=profile.as_of), profile)


@pytest.mark.parametrize("name", sorted(available()))
def test_explaining_every_row_at_once_matches_explaining_one(built: Built, name: str) -> None:
    profile, result = _scored(built, name)
    everyone = explain_all(result, profile)
    for code in result.filter(pl.col("rank").is_not_null() & (pl.col("scenario") == ""))["country"].head(5):
        one = explain(result, profile, code).indicators
        mine = everyone.filter(pl.col("country") == code)
        assert mine["indicator"].to_list() == one["indicator"].to_list()
        for column in ("contribution", "gap_to_leader", "normalised"):
            for a, b in zip(mine[column].to_list(), one[column].to_list(), strict=True):
                assert (a is None and b is None) or abs(a - b) < 1e-12, (code, column)


@pytest.mark.parametrize("name", sorted(available()))
def test_the_page_counts_only_indicators_with_data(built: Built, name: str) -> None:
    profile, result = _scored(built, name)
    html = (built.folder / "en" / "rankings" / f"{name}.html").read_text(encoding="utf-8")
    weighted = sum(1 for i in profile.indicators if i.weight > 0)
    for row in result.filter((pl.col("scenario") == "") & pl.col("rank").is_not_null()).iter_rows(named=True):
        real = sum(1 for i in row["indicators"] if i["weight"] > 0 and i["value"] is not None and not i["imputed"])
        cells = re.search(rf'<tr data-code="{row["country"]}".*?<td class="num used">(.*?)</td>', html, re.S)
        assert cells is not None
        assert cells.group(1) == f"{real} of {weighted}", row["country"]
        why = html.split(f'id="why-{row["country"]}"')[1].split("</details>")[0]
        assert why.count("data from the records") == real, row["country"]


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium() as browser:
        opened = browser.new_page(viewport={"width": 1280, "height": 900})
        yield opened
        opened.close()


def _rows(page: Any) -> list[dict[str, str]]:
    return page.eval_on_selector_all(
        "#ranking > tbody > tr[data-code]:not([hidden])",
        """rows => rows.map(r => ({code: r.dataset.code, rank: r.querySelector('.rank').textContent,
            before: r.dataset.defaultRank, change: r.querySelector('.change').textContent,
            interval: r.querySelector('.interval').textContent, score: r.querySelector('.score').textContent}))""",
    )


def test_moved_weights_show_rank_changes_and_hide_stale_intervals(page: Any, built: Built) -> None:
    name = "tax-competitiveness" if "tax-competitiveness" in available() else sorted(available())[0]
    path = built.folder / "kk" / "rankings" / f"{name}.html"
    page.goto(file_url(path))
    page.wait_for_load_state("load")
    at_rest = _rows(page)
    assert all(r["change"] == "" for r in at_rest)
    assert any(r["interval"] != "—" for r in at_rest)
    decimal = Lang.of("kk").number(0.5, 1)[1]
    assert all(decimal in r["score"] for r in at_rest if r["score"] != "—")  # never rewritten into English form
    profile, _ = read_profile(available()[name])
    assert profile is not None
    first = profile.indicators[0].key
    page.goto(file_url(path) + f"#w={first}:0")
    page.reload()
    page.wait_for_load_state("load")
    moved = _rows(page)
    assert all(r["interval"] == "—" for r in moved)
    for r in moved:
        if r["before"]:
            shift = int(r["before"]) - int(r["rank"])
            expected = "=" if shift == 0 else ("▲" if shift > 0 else "▼") + str(abs(shift))
            assert r["change"] == expected, r
    assert all(decimal in r["score"] for r in moved if r["score"] != "—")
