"""The six questions a policymaker brought to the site (issue 11), asked as a reader asks them: from the
language's home page, by clicks (the menu on a phone, links, a ranking row's explanation, a slider, the
compare page's country choice), at 1280 and 375 px, in every language. Each test counts the reader's
actions and checks the answer on the page against the store and the command line, never against a
number written here. A small number of actions stands for "answered in under a minute"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
import yaml
from helpers import cli
from site_support import BUILD_DATE, LANGS, ROOT, Built

from benchmark.publish.site.browser import file_url
from benchmark.publish.site.i18n import Lang, iso_country_name
from benchmark.publish.site.views import KEY_METRICS
from benchmark.scoring.incentives import headline_rate
from benchmark.scoring.profiles import available, read_profile

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WIDTHS = (1280, 375)
MOST_CLICKS = 5  # the reader's actions an answer may take: the proxy for "under a minute"
FILM = "film_rebates"
COMPARED = ("KAZ", "UZB", "KGZ")  # the countries the question names


class Reader:
    """A reader at the site with a screen of one width, counting every click, choice and swipe."""

    def __init__(self, browser: Any, built: Built, lang: str, width: int) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 800})
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.lang, self.width, self.clicks = lang, width, 0
        self.L = Lang.of(lang)
        self.page.goto(file_url(built.folder / lang / "index.html"))
        self.page.wait_for_load_state("load")

    def click(self, selector: str) -> None:
        target = self.page.locator(selector).first
        assert target.is_visible(), f"{selector} is not on the screen at {self.width} px"
        target.click()
        self.clicks += 1
        self.page.wait_for_load_state("load")

    def menu(self, target: str) -> None:
        """Follow a link of the main menu, opening the menu first where the screen folds it away."""
        if self.page.locator("#nav-toggle").is_visible():
            self.click("#nav-toggle")
        self.click(f'#main-nav a[href$="{target}"]')

    def choose(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self.clicks += 1

    def slide(self, selector: str, value: float) -> None:
        self.page.locator(selector).fill(f"{value:g}")
        self.clicks += 1

    def swipe_to(self, selector: str) -> None:
        """Scroll a table sideways until `selector` is on the screen (one swipe)."""
        self.page.locator(selector).first.scroll_into_view_if_needed()
        self.clicks += 1

    def on_screen(self, selector: str) -> bool:
        box = self.page.locator(selector).first.bounding_box()
        return box is not None and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= self.width + 1

    def done(self) -> None:
        assert self.clicks <= MOST_CLICKS, f"{self.clicks} actions to an answer at {self.width} px in {self.lang}"
        assert self.errors == []
        self.page.close()


@pytest.fixture(params=[(lang, width) for lang in LANGS for width in WIDTHS], ids=lambda p: f"{p[0]}-{p[1]}")
def reader(request: pytest.FixtureRequest, browser: Any, built: Built) -> Iterator[Reader]:
    lang, width = request.param
    yield Reader(browser, built, lang, width)


def _headlines(built: Built) -> dict[str, float]:
    """Each country's best headline film-rebate rate, from the store the site was built from."""
    film = built.facts.instruments.filter((pl.col("instrument") == FILM) & (pl.col("scenario") == ""))
    ids = dict(zip(film["id"].to_list(), film["country"].to_list(), strict=True))
    best: dict[str, float] = {}
    for rebate in built.facts.rebates.iter_rows(named=True):
        code, rate = ids.get(rebate["instrument_id"]), headline_rate(rebate).value
        if code is not None and rate is not None:
            best[code] = max(rate, best.get(code, rate))
    return best


def _ranks(built: Built, profile: str, *weights: str) -> dict[str, int]:
    args = ["rank", "--profile", profile, "--format", "json", "--database-url", built.url]
    for weight in weights:
        args += ["--weight", weight]
    result = cli(*args, cwd=ROOT)
    assert result.code == 0, result.err
    return {r["country"]: r["rank"] for r in json.loads(result.out) if r["rank"] is not None and not r["scenario"]}


def _name(built: Built, code: str, lang: str) -> str:
    """The country's name as the site writes it: the ISO 3166 name in the language, else the record's."""
    row = built.facts.countries.filter(pl.col("code") == code).row(0, named=True)
    return iso_country_name(code, lang) or str(row[f"name_{lang}"] or row["name_en"])


def test_which_countries_have_a_film_rebate_and_at_what_rate(reader: Reader, built: Built) -> None:
    best = _headlines(built)
    assert best
    reader.menu("film.html")
    page = reader.page
    for code, rate in best.items():  # a country may run several programmes: one row each
        rows = page.locator(f'#film tbody tr:has(th a[href^="countries/{code}.html"])')
        assert rows.count() >= 1, code
        rates = " ".join(rows.nth(n).locator("td[data-key=rate]").inner_text() for n in range(rows.count()))
        assert reader.L.number(rate) + "%" in rates, (code, rate, rates)
        assert rows.first.locator("th a").is_visible(), code
    rated = page.eval_on_selector_all(
        "#film tbody tr",
        """rows => rows.filter(r => Number(r.querySelector('td[data-key=rate]').dataset.value) >= 0)
                     .map(r => r.querySelector('th a').getAttribute('href').split('.html')[0])""",
    )
    assert sorted({href.removeprefix("countries/") for href in rated}) == sorted(best)  # no rate the store lacks
    reader.done()


def _tax_profile() -> str:
    names = [n for n in sorted(available()) if "tax" in n]
    assert names, "no tax profile in rankings/"
    return names[0]


def test_where_kazakhstan_ranks_on_tax_competitiveness_and_why(reader: Reader, built: Built) -> None:
    name = _tax_profile()
    rank = _ranks(built, name)["KAZ"]
    result = cli("explain", "KAZ", "--profile", name, "--format", "json", "--database-url", built.url, cwd=ROOT)
    assert result.code == 0, result.err
    why = [i for i in json.loads(result.out)["indicators"] if i["weight"] > 0]
    reader.menu("rankings/index.html")
    reader.click(f'main a[href$="rankings/{name}.html"]')
    page = reader.page
    assert page.inner_text("#ranking tr[data-code=KAZ] .rank").strip() == str(rank)
    real = sum(1 for i in why if i["value"] is not None and not i["imputed"])
    used = page.inner_text("#ranking tr[data-code=KAZ] .used").strip()
    assert used == reader.L.t("rankings.of", real=real, total=len(why)), used  # only real data counts
    reader.click("#why-KAZ > summary")
    assert page.locator("#why-KAZ table").is_visible()
    cells = page.eval_on_selector_all(
        "#why-KAZ tbody tr", "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(c => c.textContent))"
    )
    assert len(cells) == len(why)
    for shown, ind in zip(cells, why, strict=True):
        for column, key, digits in ((1, "normalised", 2), (2, "contribution", 3), (3, "gap_to_leader", 3)):
            assert shown[column].strip() == reader.L.number(ind[key], digits), (ind["indicator"], key)
    reader.done()


def _film_profile(built: Built) -> tuple[str, float, dict[str, int], dict[str, int]]:
    """The first profile that weighs film rebates and whose ranks move when they count double."""
    for name in sorted(available()):
        profile, _ = read_profile(available()[name])
        weight = next((i.weight for i in profile.indicators if i.key == FILM), 0.0) if profile else 0.0
        if weight > 0:
            before, after = _ranks(built, name), _ranks(built, name, f"{FILM}={weight * 2:g}")
            if before != after:
                return name, weight, before, after
    raise AssertionError("no profile whose ranks move when film rebates count double")


def test_what_moves_if_film_rebates_count_double(reader: Reader, built: Built) -> None:
    name, weight, before, after = _film_profile(built)
    reader.menu("rankings/index.html")
    reader.click(f'main a[href$="rankings/{name}.html"]')
    reader.slide(f"#w-{FILM}", weight * 2)
    page = reader.page
    rows = page.eval_on_selector_all(
        "#ranking > tbody > tr[data-code]:not([hidden])",
        """rows => rows.map(r => ({code: r.dataset.code, rank: r.querySelector('.rank').textContent,
            change: r.querySelector('.change').textContent, interval: r.querySelector('.interval').textContent}))""",
    )
    assert sorted(r["code"] for r in rows) == sorted(after)
    for row in rows:
        code = row["code"]
        assert int(row["rank"]) == after[code], code
        shift = before[code] - after[code]
        assert row["change"] == ("=" if shift == 0 else ("▲" if shift > 0 else "▼") + str(abs(shift))), code
        assert row["interval"] == "—", code  # the profile's intervals no longer hold
    moved = [c for c in after if after[c] != before[c]]
    assert moved and all(page.locator(f"#ranking tr[data-code={c}] .change").is_visible() for c in moved[:3])
    reader.done()


def test_compare_kazakhstan_uzbekistan_kyrgyzstan(reader: Reader, built: Built) -> None:
    best = _headlines(built)
    reader.menu("compare.html")
    page = reader.page
    slots = page.locator("#compare-chooser select[data-slot]").count()
    wanted = list(COMPARED) + [""] * (slots - len(COMPARED))
    for n, code in enumerate(wanted):
        if page.input_value(f"#compare-{n}") != code:
            reader.choose(f"#compare-{n}", code)
    status = page.inner_text("#compare-status")
    assert all(_name(built, code, reader.lang) in status for code in COMPARED)
    shown = page.evaluate(
        """() => Array.from(document.querySelector('table.compare').querySelectorAll('thead th[data-col]'))
               .filter(th => getComputedStyle(th).display !== 'none').map(th => th.dataset.col)"""
    )
    assert shown == list(COMPARED)
    rated = [code for code in COMPARED if code in best]
    assert rated, "none of the compared countries has a film-rebate rate in the store"
    film = page.locator("table.compare tbody tr").filter(has=page.locator('a[href*="film"]')).first
    for code in rated:
        assert reader.L.number(best[code]) + "%" in film.locator(f'td[data-col="{code}"]').inner_text(), code
    last = f'table.compare thead th[data-col="{COMPARED[-1]}"]'
    if not reader.on_screen(last):  # a phone: the table says it scrolls, and one swipe brings the column in
        assert page.locator(".compare-scroll").first.evaluate("b => b.scrollWidth > b.clientWidth")
        assert page.locator(".compare-scroll").first.evaluate(
            "b => !!b.previousElementSibling && b.previousElementSibling.matches('.scroll-cue:not([hidden])')"
        )
        reader.swipe_to(last)
    assert reader.on_screen(last)
    reader.done()


def _newest(built: Built, code: str) -> dict[str, tuple[int | None, set[str]]]:
    """The newest whole-country observed or estimated value of each key figure: its year and sources."""
    rows = built.facts.observations.filter(
        (pl.col("country") == code)
        & (pl.col("scenario") == "")
        & pl.col("alternative_of").is_null()  # another reading of a fact stays with the fact it reads
        & ~pl.col("unknown")
        & pl.col("part").is_null()
        & pl.col("method").is_null()
        & pl.col("kind").is_in(["observed", "estimate"])
        & pl.col("metric").is_in(list(KEY_METRICS))
    )
    out: dict[str, tuple[int | None, set[str]]] = {}
    for metric, group in rows.group_by("metric"):
        newest_year = group["year"].max()
        year = int(str(newest_year)) if newest_year is not None else None
        newest = group.filter(pl.col("year") == year) if year is not None else group
        out[str(metric[0])] = (year, set(newest["source"].to_list()))
    return out


def test_kazakhstans_page_opens_with_its_key_figures(reader: Reader, built: Built) -> None:
    expected = _newest(built, "KAZ")
    assert expected
    reader.menu("countries/index.html")
    reader.click('main a[href$="countries/KAZ.html"]')
    page = reader.page
    top = page.locator("#summary").bounding_box()
    assert top is not None and top["y"] < 800  # the summary starts on the first screen
    figures = page.eval_on_selector_all(
        "#summary dl.key-figures > div",
        """items => items.map(d => ({href: d.querySelector('dd > a').getAttribute('href'),
            said: d.querySelector('dd .muted').textContent,
            source: (d.querySelector('a.cite') || {getAttribute: () => ''}).getAttribute('href')}))""",
    )
    shown = {f["href"].removeprefix("#fact-").rsplit("-", 1)[0]: f for f in figures}
    assert sorted(shown) == sorted(expected)
    for metric, (year, sources) in expected.items():
        said = shown[metric]
        if year is not None:
            assert said["said"].startswith(f"({year}"), (metric, year, said["said"])
        assert said["source"].split("#source-")[-1] in sources, (metric, said["source"], sources)
    reader.done()


def test_what_edition_and_licence_a_page_is_and_how_to_cite_it(reader: Reader, built: Built) -> None:
    from benchmark.publish.edition import read_edition

    released = read_edition()
    from importlib.metadata import version

    edition = str(released["version"]) if released and released.get("version") else version("creative-benchmark")
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    licences = [str(name).replace("-", " ") for name in citation["license"]]
    reader.menu("film.html")  # any page a reader would quote
    page = reader.page
    page.locator("footer .edition").scroll_into_view_if_needed()  # reading down the page is no click
    assert page.locator("footer .edition").is_visible()
    said = page.inner_text("footer .edition")
    assert edition in said and BUILD_DATE in said
    assert all(name in page.inner_text("footer .licence") for name in licences)
    cite = page.inner_text("footer .cite-as")
    assert edition in cite and BUILD_DATE[:4] in cite
    reader.done()
