"""Screenshots of every page type, at desktop width and at 375 px, for a reviewer to look at.

    .venv/bin/python -m benchmark.publish.site.screenshots DIR [--site SITE] [--database-url URL]

builds the site from countries/ (into SITE, default DIR/site) and writes DIR/<page-type>-<lang>-<width>.png.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# (name, path inside the site, hash): one page of each type; the fragment shows a state a script sets.
PAGE_TYPES: tuple[tuple[str, str, str], ...] = (
    ("root", "index.html", ""),
    ("home", "{lang}/index.html", ""),
    ("matrix", "{lang}/matrix.html", ""),
    ("rankings", "{lang}/rankings/index.html", ""),
    ("ranking", "{lang}/rankings/instrument-matrix.html", ""),
    ("ranking-weights", "{lang}/rankings/instrument-matrix.html", "#w=film_rebates:4,tax_incentives:3"),
    ("countries", "{lang}/countries/index.html", ""),
    ("country", "{lang}/countries/KAZ.html", ""),
    ("regions", "{lang}/regions/index.html", ""),
    ("region", "{lang}/regions/KZ-63.html", ""),
    ("compare", "{lang}/compare.html", "#c=KAZ,UZB,KGZ,GBR"),
    ("tax", "{lang}/tax.html", ""),
    ("film", "{lang}/film.html", ""),
    ("ranking-why", "{lang}/rankings/tax-competitiveness.html", "#why-KAZ"),
    ("methodology", "{lang}/methodology.html", ""),
    ("sources", "{lang}/sources.html", ""),
    ("quality", "{lang}/quality.html", ""),
    ("downloads", "{lang}/downloads.html", ""),
    ("contribute", "{lang}/contribute.html", ""),
)
WIDTHS = (1280, 375)
MAX_HEIGHT = 4000  # long pages are cut here: the top of a page shows its design


def take(site: Path, out: Path, langs: tuple[str, ...] = ("en", "ru", "kk"), browser: Any = None) -> list[Path]:
    """Screenshots into `out`; with `browser` (a Playwright browser already launched) none is started."""
    if browser is None:
        from benchmark.publish.site.browser import chromium

        with chromium() as launched:
            return take(site, out, langs, launched)
    from benchmark.publish.site.browser import file_url

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name, pattern, fragment in PAGE_TYPES:
            for lang in langs if "{lang}" in pattern else ("en",):
                page.goto(file_url(site / pattern.format(lang=lang)) + fragment)
                page.wait_for_load_state("load")
                height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
                path = out / f"{name}-{lang}-{width}.png"
                page.set_viewport_size({"width": width, "height": max(900, height)})
                page.screenshot(path=str(path))
                page.set_viewport_size({"width": width, "height": 900})
                written.append(path)
        page.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmark.publish.site.screenshots",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--site", type=Path, help="an already built site (default: build one into OUT/site)")
    parser.add_argument("--database-url", default=None, help="store to build from (default: the CLI's default)")
    parser.add_argument("--lang", action="append", choices=("en", "ru", "kk"), help="languages (default: all three)")
    args = parser.parse_args(argv)
    site = args.site
    if site is None:
        from benchmark.cli.app import database_url
        from benchmark.publish.site.build import build_site
        from benchmark.store.freshness import fresh_facts

        site = args.out / "site"
        summary = build_site(fresh_facts(database_url(args.database_url)), site, build_date=None)
        print(summary.describe(), file=sys.stderr)
    written = take(site, args.out, tuple(args.lang or ("en", "ru", "kk")))
    print(f"wrote {len(written)} screenshots to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
