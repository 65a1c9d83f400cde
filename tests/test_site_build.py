"""The static site, as files: every page type in three languages, links that resolve, nothing from
elsewhere, everything from the data escaped, the same bytes from the same data."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import polars as pl
import pytest
import yaml
from helpers import cli
from site_support import BUILD_DATE, LANGS, PAGE_TYPES, ROOT, Built, pages, scan, site, store, temp_dir

from benchmark.publish.site import SiteError, build_site
from benchmark.publish.site.formatting import web_link
from benchmark.publish.site.i18n import LOCALES, iso_country_name


def test_every_page_type_exists_in_three_languages(built: Built) -> None:
    for lang in LANGS:
        for kind, path in PAGE_TYPES.items():
            assert (built.folder / lang / path).is_file(), f"{lang}/{path} ({kind}) was not written"
    assert (built.folder / "index.html").is_file()
    codes = built.facts.countries.filter(pl.col("level") == "country")["code"].to_list()
    regions = built.facts.countries.filter(pl.col("level") == "region")["code"].to_list()
    assert codes and regions
    for lang in LANGS:
        for code in codes:
            assert (built.folder / lang / "countries" / f"{code}.html").is_file()
        for code in regions:
            assert (built.folder / lang / "regions" / f"{code}.html").is_file()
        for profile in (ROOT / "rankings").glob("*.yaml"):
            assert (built.folder / lang / "rankings" / f"{profile.stem}.html").is_file()
    assert built.summary.pages == len(pages(built.folder))
    assert built.summary.notes == []


def test_pages_carry_their_language_and_a_switch_to_the_others(built: Built) -> None:
    for lang in LANGS:
        for path in PAGE_TYPES.values():
            page = built.folder / lang / path
            html = page.read_text(encoding="utf-8")
            assert f'<html lang="{lang}"' in html
            switch = [(tag, url) for tag, url in scan(page).links if tag == "a" and re.search(r"/(en|ru|kk)/", url)]
            for other in LANGS:
                assert any(url.endswith(f"{other}/{path}") for _, url in switch), f"{lang}/{path}: no link to {other}"
    kazakh = (built.folder / "kk" / "index.html").read_text(encoding="utf-8")
    assert "Басты бет" in kazakh and "Құралдар матрицасы" in kazakh
    russian = (built.folder / "ru" / "matrix.html").read_text(encoding="utf-8")
    assert "Матрица инструментов" in russian and "Есть" in russian


def test_country_names_come_from_pycountry_where_it_translates_them(built: Built) -> None:
    assert iso_country_name("KOR", "ru") == "Южная Корея"
    assert iso_country_name("KOR", "en") == "South Korea"
    for lang in LANGS:
        html = (built.folder / lang / "countries" / "KOR.html").read_text(encoding="utf-8")
        assert f"<h1>{iso_country_name('KOR', lang)}</h1>" in html
    # a region keeps the names its record gives
    html = (built.folder / "kk" / "regions" / "KZ-63.html").read_text(encoding="utf-8")
    assert "<h1>Шығыс Қазақстан облысы</h1>" in html


def test_every_internal_link_and_anchor_resolves(built: Built) -> None:
    broken = []
    for page in pages(built.folder):
        for _tag, url in scan(page).links:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not parts.netloc, f"{page}: {url} leaves the site"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(built.folder)}: {url}")
                continue
            state = "=" in parts.fragment  # a view the page's script sets (#c=KAZ,UZB), not an anchor
            if parts.fragment and not state and target.suffix == ".html" and parts.fragment not in scan(target).ids:
                broken.append(f"{page.relative_to(built.folder)}: {url} (no such anchor)")
    assert broken == []


def test_nothing_is_loaded_from_elsewhere_and_only_web_links_leave(built: Built) -> None:
    for page in pages(built.folder):
        html = page.read_text(encoding="utf-8")
        csp = [a.get("content") for tag, a in scan(page).tags if a.get("http-equiv") == "Content-Security-Policy"]
        assert csp and str(csp[0]).startswith("default-src 'none'; script-src 'self'; style-src 'self'")
        assert " style=" not in html, f"{page}: inline style attributes are blocked by the CSP"
        for tag, attrs in scan(page).tags:
            if tag == "script":
                assert attrs.get("src") or attrs.get("type") == "application/json", f"{page}: an inline script"
                assert not str(attrs.get("src") or "").startswith(("http:", "https:", "//"))
            if tag in ("link", "img", "iframe", "source", "audio", "video", "embed", "object"):
                for name in ("href", "src", "data"):
                    value = str(attrs.get(name) or "")
                    assert not re.match(r"^[a-z]+:|^//", value), f"{page}: {tag} loads {value}"
        for _tag, url in scan(page).links:
            scheme = urlsplit(url).scheme
            assert scheme in ("", "http", "https"), f"{page}: {url}"
    static = sorted(p.name for p in (built.folder / "static").iterdir())
    assert static == ["favicon.svg", "incentive.js", "site.js", "style.css"]
    # A budget, not a limit of the format: the shared script (menu, sliders, explanations, cues, chart
    # downloads) stays small enough to read whole; the calculator's twin lives in its own file.
    assert (built.folder / "static" / "site.js").stat().st_size < 24_000


def test_the_same_data_builds_the_same_bytes(built: Built) -> None:
    # a second store, loaded separately, and a second build: every file is identical
    _, facts = store("second-store")
    again = temp_dir("second") / "site"
    build_site(facts, again, build_date=BUILD_DATE)

    def digests(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }

    first, second = digests(built.folder), digests(again)
    assert sorted(first) == sorted(second)
    assert [k for k in first if first[k] != second[k]] == []


def test_strings_from_the_data_are_escaped_and_bad_links_dropped(built: Built) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    facts = built.facts
    observations = facts.observations.with_columns(
        pl.when(pl.col("country") == "KGZ").then(pl.lit(attack)).otherwise(pl.col("note")).alias("note")
    )
    sources = facts.sources.with_columns(
        pl.when(pl.col("key") == "ciaq-concept-2026")
        .then(pl.lit("javascript:alert(1)"))
        .otherwise(pl.col("url"))
        .alias("url"),
        pl.when(pl.col("key") == "ciaq-concept-2026")
        .then(pl.lit("CIAQ </script> & <b>bold</b>"))
        .otherwise(pl.col("publisher"))
        .alias("publisher"),
    )
    tampered = dataclasses.replace(facts, observations=observations, sources=sources)
    folder = temp_dir("tampered") / "site"
    build_site(tampered, folder, build_date=BUILD_DATE)
    kgz = (folder / "en" / "countries" / "KGZ.html").read_text(encoding="utf-8")
    assert attack not in kgz
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in kgz
    for page in pages(folder):
        html = page.read_text(encoding="utf-8")
        assert "javascript:" not in html
        assert "<b>bold</b>" not in html
    assert "CIAQ &lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in (folder / "en" / "sources.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://doi.org/10.52821/2789-4401-2025-2-46-69", True),
        ("http://example.org/a?b=c", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("file:///etc/passwd", False),
        ("//example.org", False),
        ("/relative", False),
        ('https://example.org/"onmouseover="x', False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_and_https_links_are_emitted(url: str | None, kept: bool) -> None:
    assert (web_link(url) is not None) is kept


def test_every_language_has_every_ui_string() -> None:
    keys = {lang: set(yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"))) for lang in LANGS}
    assert keys["ru"] == keys["en"], sorted(keys["ru"] ^ keys["en"])
    assert keys["kk"] == keys["en"], sorted(keys["kk"] ^ keys["en"])
    used = set()
    for template in (ROOT / "site" / "templates").glob("*.j2"):
        used |= set(re.findall(r"(?<![\w.])t\('([a-z0-9_.-]+)'[,)]", template.read_text(encoding="utf-8")))
    assert used - keys["en"] == set()


def test_the_matrix_has_every_country_and_the_instruments_of_table_3_20(built: Built) -> None:
    html = (built.folder / "en" / "matrix.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<tr data-region="[^"]*" data-groupings="[^"]*" data-name="[^"]*"\s+data-count="\d+"'
        r'(?: data-scenario="[^"]*" class="scenario")? data-code="([A-Z]{3})"',
        html,
    )
    countries = built.facts.countries.filter(pl.col("level") == "country")["code"].to_list()
    assert sorted(set(rows)) == sorted(countries)
    assert rows.count("KAZ") == 2  # today, and the concept scenario
    for label in ("Creative-industries law", "Youth culture pass", "IP protection (level)"):
        assert label in html
    assert html.count('class="sym" aria-hidden="true"') > 20 * 12  # a symbol, not colour alone


def test_regions_have_their_pages_and_are_never_ranked(built: Built) -> None:
    regions = (built.folder / "en" / "regions" / "index.html").read_text(encoding="utf-8")
    for code, name in (("KZ-63", "East Kazakhstan"), ("KZ-71", "Astana"), ("KZ-75", "Almaty")):
        assert f'href="../regions/{code}.html">{name}</a>' in regions
    assert regions.count('<svg class="chart"') == 2  # share of GDP/GRP and GVA, regions beside the country
    for year in range(2018, 2024):
        assert f'<th scope="row">{year}</th>' in regions
    region = (built.folder / "en" / "regions" / "KZ-63.html").read_text(encoding="utf-8")
    assert "chart-ci_gdp_share-beside" in region and "Kazakhstan" in region
    regional = 0
    for profile in (built.folder / "en" / "rankings").glob("*.html"):
        codes = set(re.findall(r'<tr data-code="([A-Z0-9-]+)"', profile.read_text(encoding="utf-8")))
        places = {"region" if "-" in code else "country" for code in codes}
        assert len(places) <= 1, f"{profile.name} ranks regions beside countries"
        regional += places == {"region"}
    assert regional <= 1  # a profile may rank the regions among themselves


def test_the_tax_page_lists_the_central_asian_comparison(built: Built) -> None:
    html = (built.folder / "en" / "tax.html").read_text(encoding="utf-8")
    regimes = built.facts.tax_regimes.filter(pl.col("comparisons").list.contains("central-asia-tax"))
    assert regimes.height >= 4
    assert html.count("<tr") - 1 == regimes.height
    for name in ("Kazakhstan", "Uzbekistan", "Kyrgyzstan"):
        assert name in html
    assert "What it replaces" in html and "Term" in html


def test_sources_list_the_facts_that_cite_them(built: Built) -> None:
    html = (built.folder / "en" / "sources.html").read_text(encoding="utf-8")
    for key in built.facts.sources["key"].to_list():
        assert f'id="source-{key}"' in html
    block = html.split('id="source-astafyeva-konopyanova-2025"')[1].split("</li>\n  <li id=")[0]
    assert "regions/KZ-63.html#fact-ci_gva-0" in block
    assert "https://doi.org/10.52821/2789-4401-2025-2-46-69" in block


def test_country_pages_show_year_kind_source_and_the_scenario(built: Built) -> None:
    html = (built.folder / "en" / "countries" / "KAZ.html").read_text(encoding="utf-8")
    assert 'id="fact-ci_gdp_share-0"' in html
    row = html.split('id="fact-ci_gva-1"')[1].split("</tr>")[0]
    assert "2018" in row and "594.5 billion KZT" in row and "Observed" in row and "table 1" in row
    assert 'id="scenario-concept-2026-2030"' in html and "Today" in html
    assert html.count('<svg class="chart"') >= 3
    assert "<desc id=" in html and "<title id=" in html
    assert "Rank under every profile" in html


def test_the_build_date_comes_from_the_option_never_the_clock(built: Built) -> None:
    html = (built.folder / "en" / "index.html").read_text(encoding="utf-8")
    assert f"built from data as of {BUILD_DATE}" in html


def test_the_build_command(tmp_path: Path) -> None:
    url, _ = store("cli-store")
    out = tmp_path / "out"
    result = cli("build", "--output", str(out), "--database-url", url, "--build-date", "2026-01-02", cwd=ROOT)
    assert result.code == 0, result.err
    written = len(list(out.rglob("*.html")))
    assert re.search(rf"wrote {written} pages in 3 languages \(\d+ files, [\d.]+ MB\) to .* in [\d.]+ s", result.out)
    assert "собран по данным на 2026-01-02" in (out / "ru" / "index.html").read_text(encoding="utf-8")
    # a second build replaces the first
    assert cli("build", "--output", str(out), "--database-url", url, cwd=ROOT).code == 0
    bad = cli("build", "--output", str(out), "--database-url", url, "--build-date", "28.03.2026", cwd=ROOT)
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err


def test_the_build_never_empties_a_folder_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SiteError, match="not empty"):
        build_site(site().facts, precious)
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "mine"


def test_downloads_offer_every_format(built: Built) -> None:
    data = built.folder / "data"
    suffixes = {p.suffix for p in data.iterdir()}
    assert {".csv", ".json", ".parquet", ".sqlite"} <= suffixes
    assert (data / "datapackage.json").is_file()
    html = (built.folder / "en" / "downloads.html").read_text(encoding="utf-8")
    for name in ("benchmark.sqlite", "datapackage.json", "countries.csv", "observations.parquet"):
        assert f'href="../data/{name}"' in html
    import sqlite3

    with sqlite3.connect(data / "benchmark.sqlite") as db:
        (count,) = db.execute("select count(*) from countries where level = 'country'").fetchone()
    assert count == built.facts.countries.filter(pl.col("level") == "country").height


def test_kazakhstans_sector_structure_is_a_bar_chart_with_its_table(built: Built) -> None:
    for lang in ("en", "ru", "kk"):
        page = (built.folder / lang / "countries" / "KAZ.html").read_text(encoding="utf-8")
        start = page.index('id="chart-ci_gva_sector_share-parts-0"')
        figure = page[start : page.index("</figure>", start)]
        assert figure.count("<rect") >= 5  # one bar per sector, five sectors in seed 000's table 2
        for sector, share in (("IT and software development", "38%"), ("architecture and fashion", "24%")):
            assert sector in figure and share in figure
        assert "<title" in figure and "<desc" in figure
