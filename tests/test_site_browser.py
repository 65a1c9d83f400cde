"""The site in a real browser (Debian's Chromium through Playwright): the matrix, the weight sliders, the
compare page, the language switch, links, keyboard, small screens, no network, screenshots."""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import polars as pl
import pytest
from helpers import cli
from site_support import LANGS, PAGE_TYPES, ROOT, Built, pages, scan, temp_dir

from benchmark.publish.site.browser import file_url

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    opened.requests = []
    opened.errors = []
    opened.on("request", lambda r: opened.requests.append(r.url))
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    yield opened
    opened.close()


def goto(page: Any, built: Built, path: str, fragment: str = "") -> None:
    page.goto(file_url(built.folder / path) + fragment)
    page.wait_for_load_state("load")


def ranking_rows(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "#ranking > tbody > tr[data-code]:not([hidden])",
        """rows => rows.map(r => ({code: r.dataset.code, score: Number(r.dataset.score),
                                   rank: Number(r.querySelector('.rank').textContent)}))""",
    )


def shown_columns(page: Any) -> list[str]:
    """The countries whose columns the first compare table shows, in order."""
    return page.evaluate(
        """() => Array.from(document.querySelector('table.compare').querySelectorAll('thead th[data-col]'))
               .filter(th => getComputedStyle(th).display !== 'none').map(th => th.dataset.col)"""
    )


def test_the_matrix_renders_every_country_and_filters_and_sorts(page: Any, built: Built) -> None:
    goto(page, built, "en/matrix.html")
    countries = built.facts.countries.filter(pl.col("level") == "country")["code"].to_list()
    codes = page.eval_on_selector_all("#matrix tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.code)")
    assert sorted(set(codes)) == sorted(countries) and len(codes) == len(countries) + 1  # and the scenario row
    cells = page.eval_on_selector_all("#matrix tbody tr:first-child td.cell", "cells => cells.length")
    assert cells >= 12
    assert page.is_visible("#matrix-filters")
    page.select_option("#filter-region", "Central Asia")
    shown = page.eval_on_selector_all("#matrix tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.code)")
    central = built.facts.countries.filter((pl.col("level") == "country") & (pl.col("region") == "Central Asia"))
    assert sorted(set(shown)) == sorted(central["code"].to_list())
    # the Central Asian countries and Kazakhstan's scenario row, of every country and that row
    assert f"Showing {len(shown)} of {len(countries) + 1} rows." in page.text_content("#matrix-status")
    assert "region=Central" in page.evaluate("location.hash")
    page.select_option("#filter-region", "")
    page.select_option("#filter-grouping", "EU")
    shown = page.eval_on_selector_all("#matrix tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.code)")
    eu = built.facts.countries.filter(pl.col("groupings").list.contains("EU"))["code"].to_list()
    assert eu and sorted(shown) == sorted(eu)
    page.select_option("#filter-grouping", "")
    page.click('th[data-sort-key="count"] button')  # most instruments first
    counts = page.eval_on_selector_all("#matrix tbody tr", "rows => rows.map(r => Number(r.dataset.count))")
    assert counts == sorted(counts, reverse=True)
    assert page.get_attribute('th[data-sort-key="count"]', "aria-sort") == "descending"
    page.click('th[data-sort-key="name"] button')
    first = page.eval_on_selector("#matrix tbody tr", "r => r.dataset.code")
    names = built.facts.countries.filter(pl.col("level") == "country").sort("name_en")
    assert first == names["code"][0]  # alphabetically first in English
    assert page.errors == []


def test_moving_a_slider_reranks(page: Any, built: Built) -> None:
    goto(page, built, "en/rankings/instrument-matrix.html")
    before = ranking_rows(page)
    assert "profile's weights" in page.text_content("#ranking-status")
    slider = page.locator("#w-free_zones")
    slider.focus()
    for _ in range(16):  # from 1 to 5 in steps of 0.25, with the keyboard
        page.keyboard.press("ArrowRight")
    assert page.input_value("#w-free_zones") == "5"
    after = ranking_rows(page)
    assert [r["code"] for r in after] != [r["code"] for r in before]
    assert "w=" in page.evaluate("location.hash") and "free_zones:5" in page.evaluate("location.hash")
    assert "your weights" in page.text_content("#ranking-status")
    assert after[0]["code"] == "UZB" and after[0]["rank"] == 1  # Uzbekistan has free zones; France has none
    page.click("#weights-reset")
    assert [r["code"] for r in ranking_rows(page)] == [r["code"] for r in before]
    assert page.evaluate("location.hash") == ""
    assert page.errors == []


WEIGHT_SETTINGS = [
    ("instrument-matrix", {}),
    ("instrument-matrix", {"film_rebates": 3, "tax_incentives": 0, "culture_pass": 2.5}),
    ("instrument-matrix", {"ip_protection": 0.25, "ci_law": 4}),
    ("central-asia", {"ci_gdp_share": 3, "ci_law": 0}),
    ("economic-weight", {"ci_gdp_share": 0.5, "ci_exports": 2}),
    ("film-production", {"film_rebates": 2, "cinema_screens": 0}),
    ("institutional-maturity", {"ci_law": 0, "research_centre": 3.75}),
    ("tax-competitiveness", {"free_zones": 4}),
    ("kazakhstan-regions", {"ci_gva": 3}),
]


@pytest.mark.parametrize(("profile", "weights"), WEIGHT_SETTINGS)
def test_the_page_and_the_command_line_agree(page: Any, built: Built, profile: str, weights: dict[str, float]) -> None:
    payload = json.loads(
        (built.folder / "en" / "rankings" / f"{profile}.html")
        .read_text(encoding="utf-8")
        .split('<script type="application/json" id="ranking-data">')[1]
        .split("</script>")[0]
    )
    keys = [i["key"] for i in payload["indicators"]]
    unknown = set(weights) - set(keys)
    assert not unknown, f"{profile} has no indicator {unknown}"
    full = {i["key"]: weights.get(i["key"], i["weight"]) for i in payload["indicators"]}
    fragment = "#w=" + ",".join(f"{k}:{v:g}" for k, v in full.items()) if weights else ""
    goto(page, built, f"en/rankings/{profile}.html", fragment)
    shown = {r["code"]: r for r in ranking_rows(page)}
    args = ["rank", "--profile", profile, "--format", "json", "--database-url", built.url]
    for key, value in weights.items():
        args += ["--weight", f"{key}={value:g}"]
    result = cli(*args, cwd=ROOT)
    assert result.code == 0, result.err
    expected = {r["country"]: r for r in json.loads(result.out) if r["score"] is not None and not r["scenario"]}
    assert sorted(shown) == sorted(expected)
    for code, row in expected.items():
        assert abs(shown[code]["score"] - row["score"]) <= 1e-9, (code, shown[code]["score"], row["score"])
        assert shown[code]["rank"] == row["rank"], code
    assert page.errors == []


VARIANTS = [
    ("rank", "arithmetic", "reweight"),
    ("z-score", "arithmetic", "mean"),
    ("log-min-max", "geometric", "zero"),
    ("min-max", "geometric", "exclude"),
    ("goalposts", "arithmetic", "mean"),
]


@pytest.mark.parametrize(("method", "aggregation", "policy"), VARIANTS)
def test_the_script_repeats_the_engine_for_every_method(
    page: Any, built: Built, method: str, aggregation: str, policy: str
) -> None:
    """Normalisations and policies no shipped profile uses yet: the page's formula against the engine's."""
    from benchmark.publish.site.rankings import RankRow, _payload
    from benchmark.scoring.indicators import build
    from benchmark.scoring.profiles import load_profile
    from benchmark.scoring.score import prepare, score

    base = load_profile("economic-weight")
    indicators = [
        i.model_copy(
            update={"normalise": method, "goalposts": (0.0, 10.0) if method == "goalposts" else None, "weight": w}
        )
        for i, w in zip(base.indicators, (1.0, 2.5, 0.5, 1.75), strict=False)
    ]
    missing = base.missing.model_copy(update={"policy": policy, "group": "region"})
    aggregate = base.aggregation.model_copy(update={"method": aggregation})
    profile = base.model_copy(update={"indicators": indicators, "missing": missing, "aggregation": aggregate})
    matrix = build(built.facts, profile, as_of=2026)
    engine = {r["country"]: r for r in score(matrix, profile).iter_rows(named=True) if r["score"] is not None}
    payload = _payload("variant", profile, prepare(matrix, profile), [RankRow("", None, None)])
    goto(page, built, "en/rankings/economic-weight.html")
    weights = [i.weight for i in profile.indicators]
    result = page.evaluate("([p, w]) => window.benchmarkScore(p, w)", [payload, weights])
    script = {r["code"]: r for r in result if r["score"] is not None}
    assert sorted(script) == sorted(engine)
    for code, row in engine.items():
        assert abs(script[code]["score"] - row["score"]) <= 1e-9, (code, script[code]["score"], row["score"])
        assert script[code]["rank"] == row["rank"]


def test_the_compare_page_shows_the_chosen_countries(page: Any, built: Built) -> None:
    goto(page, built, "en/compare.html", "#c=FRA,KAZ")
    assert shown_columns(page) == ["FRA", "KAZ"]
    assert page.input_value("#compare-0") == "FRA" and page.input_value("#compare-1") == "KAZ"
    page.select_option("#compare-2", "UZB")
    assert shown_columns(page) == ["FRA", "KAZ", "UZB"]
    assert page.evaluate("location.hash") == "#c=FRA,KAZ,UZB"
    assert "Comparing France, Kazakhstan, Uzbekistan." in page.text_content("#compare-status")
    page.select_option("#compare-1", "")  # the choices close up: France, Uzbekistan
    assert page.evaluate("location.hash") == "#c=FRA,UZB"
    page.select_option("#compare-1", "")
    assert "at least two" in page.text_content("#compare-status")
    assert page.errors == []


def test_the_language_switch_changes_the_interface_and_keeps_the_view(page: Any, built: Built) -> None:
    goto(page, built, "en/compare.html", "#c=KAZ,UZB")
    assert page.get_attribute("html", "lang") == "en"
    page.click('nav.langs a[lang="ru"]')
    page.wait_for_load_state("load")
    assert page.url.endswith("/ru/compare.html#c=KAZ,UZB")
    assert page.get_attribute("html", "lang") == "ru"
    assert page.text_content("h1") == "Сравнение стран"
    assert "Главная" in page.text_content("nav.main-nav")
    assert "Казахстан" in page.text_content("#compare-status")
    page.click('nav.langs a[lang="kk"]')
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == "kk"
    assert page.text_content("h1") == "Елдерді салыстыру"
    for lang in LANGS:
        goto(page, built, f"{lang}/matrix.html")
        assert page.get_attribute("html", "lang") == lang
        assert page.get_attribute(f'nav.langs a[lang="{lang}"]', "aria-current") == "true"


def test_pages_are_readable_with_javascript_off(browser: Any, built: Built) -> None:
    countries = built.facts.countries.filter(pl.col("level") == "country").height
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(file_url(built.folder / "en" / "matrix.html"))
        assert page.eval_on_selector_all("#matrix tbody tr", "rows => rows.length") == countries + 1
        assert not page.is_visible("#matrix-filters")
        page.goto(file_url(built.folder / "en" / "compare.html"))
        assert len(shown_columns(page)) == countries  # every country, in a table that scrolls
        page.goto(file_url(built.folder / "en" / "rankings" / "instrument-matrix.html"))
        assert page.eval_on_selector_all("#ranking > tbody > tr[data-code]:not([hidden])", "rows => rows.length") >= 19
        assert not page.is_visible("#weights")
    finally:
        context.close()


def test_no_request_leaves_the_page(page: Any, built: Built) -> None:
    for lang in LANGS:
        for path in PAGE_TYPES.values():
            page.requests.clear()
            goto(page, built, f"{lang}/{path}")
            assert page.requests, path
            outside = [u for u in page.requests if not u.startswith("file://")]
            assert outside == [], f"{lang}/{path} requested {outside}"
    assert page.errors == []


def test_every_internal_link_on_every_page_resolves(page: Any, built: Built) -> None:
    broken = []
    for path in pages(built.folder):
        goto(page, built, str(path.relative_to(built.folder)))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                continue
            assert parts.scheme == "file", href
            target = Path(unquote(parts.path))
            if not target.is_file():
                broken.append(f"{path.relative_to(built.folder)} -> {href}")
            elif (
                parts.fragment
                and "=" not in parts.fragment  # a view the page's script sets (#c=KAZ,UZB), not an anchor
                and target.suffix == ".html"
                and unquote(parts.fragment) not in scan(target).ids
            ):
                broken.append(f"{path.relative_to(built.folder)} -> {href} (no such anchor)")
    assert broken == []


def test_controls_are_reachable_with_the_keyboard(page: Any, built: Built) -> None:
    goto(page, built, "en/matrix.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.className"))
    assert {"filter-region", "filter-grouping", "filter-scenarios", "sort"} <= reached
    goto(page, built, "en/rankings/instrument-matrix.html")
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
    assert {"w-ci_law", "w-culture_pass", "weights-reset"} <= reached
    goto(page, built, "en/compare.html")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id"))
    assert {"compare-0", "compare-1", "compare-2", "compare-3"} <= reached


def test_every_page_type_is_readable_at_375_pixels(browser: Any, built: Built) -> None:
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        for lang in LANGS:
            for path in ("../index.html", *PAGE_TYPES.values()):
                page.goto(file_url((built.folder / lang / path).resolve()))
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, f"{lang}/{path} is {width} px wide"
                size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li')).fontSize)")
                assert size >= 14, f"{lang}/{path}: text of {size} px"
    finally:
        page.close()


def test_pages_print_without_navigation_or_controls(page: Any, built: Built) -> None:
    goto(page, built, "en/rankings/instrument-matrix.html")
    page.emulate_media(media="print")
    assert not page.is_visible("nav.main-nav") and not page.is_visible("#weights")
    assert page.is_visible("#ranking")
    goto(page, built, "en/countries/KAZ.html")
    assert page.evaluate("getComputedStyle(document.querySelector('.table-scroll')).overflowX") == "visible"


def test_a_screenshot_of_every_page_type(browser: Any, built: Built) -> None:
    """PNGs for a reviewer (kept in $BENCHMARK_SCREENSHOTS when set): every page type, desktop and 375 px."""
    from benchmark.publish.site.screenshots import PAGE_TYPES as SHOT_TYPES
    from benchmark.publish.site.screenshots import WIDTHS, take

    out = Path(os.environ.get("BENCHMARK_SCREENSHOTS") or temp_dir("screenshots"))
    written = take(built.folder, out, ("en",), browser=browser)
    assert len(written) == len(SHOT_TYPES) * len(WIDTHS)
    for png in written:
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, png


def test_the_site_works_from_a_static_host(page: Any, built: Built) -> None:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built.folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        page.goto(f"{base}/index.html")
        page.click('a[hreflang="kk"]')
        page.wait_for_load_state("load")
        assert page.get_attribute("html", "lang") == "kk"
        page.goto(f"{base}/en/rankings/instrument-matrix.html#w=film_rebates:4")
        assert "your weights" in page.text_content("#ranking-status")
        page.goto(f"{base}/en/compare.html#c=KGZ,UZB")
        assert "Kyrgyzstan, Uzbekistan" in page.text_content("#compare-status")
        assert [u for u in page.requests if not u.startswith(base)] == []
        assert page.errors == []
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_regions_page_shows_each_region_with_charts(page: Any, built: Built, lang: str) -> None:
    goto(page, built, f"{lang}/regions/index.html")
    assert page.evaluate("document.documentElement.lang") == lang
    charts = page.locator("figure svg")
    assert charts.count() >= 2  # creative share and value added, regions beside the nation
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
    for code in ("KZ-63", "KZ-71", "KZ-75"):
        link = page.locator(f'a[href="../regions/{code}.html"]').first
        assert link.is_visible()
    page.locator('a[href="../regions/KZ-63.html"]').first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/regions/KZ-63.html")
    assert page.locator("figure svg").count() >= 2  # the region's own series
    assert not page.errors and all(r.startswith("file://") for r in page.requests)
