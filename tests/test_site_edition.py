"""Every page says what it is (edition, build date, licence, how to cite) and lets a reader take away the
data behind each chart (its SVG and its numbers as CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from site_support import BUILD_DATE, Built, pages

from benchmark.publish.site.browser import chromium, file_url
from benchmark.publish.site.build import EDITION

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_every_page_names_its_edition_date_licence_and_citation(built: Built) -> None:
    missing = []
    for page in pages(built.folder):
        if page.parent == built.folder:
            continue  # the root language chooser
        html = page.read_text(encoding="utf-8")
        footer = html.split('<footer class="site-footer">')[-1]
        for needed in (EDITION, BUILD_DATE, "CC BY 4.0", "MIT", 'class="cite-as"'):
            if needed not in footer:
                missing.append(f"{page.relative_to(built.folder)}: {needed}")
    assert missing == []


def test_no_repository_link_is_invented(built: Built) -> None:
    html = (built.folder / "en" / "index.html").read_text(encoding="utf-8")
    footer = html.split('<footer class="site-footer">')[-1]
    assert "github.com" not in footer and "gitlab" not in footer


def test_a_chart_downloads_as_svg_and_csv(built: Built, tmp_path: Path) -> None:
    with chromium() as browser:
        page: Any = browser.new_page(accept_downloads=True)
        page.goto(file_url(built.folder / "ru" / "index.html"))
        page.wait_for_load_state("load")
        figure = page.locator("figure.chart-figure").first
        buttons = figure.locator(".chart-links button")
        assert buttons.count() == 2
        saved = {}
        for i in range(2):
            with page.expect_download() as info:
                buttons.nth(i).click()
            target = tmp_path / info.value.suggested_filename
            info.value.save_as(target)
            saved[target.suffix] = target.read_text(encoding="utf-8-sig")
        header = figure.locator("table thead th").first.text_content().strip()
        assert saved[".svg"].startswith("<svg") and "</svg>" in saved[".svg"]
        assert saved[".csv"].splitlines()[0].startswith(header)
        page.close()
