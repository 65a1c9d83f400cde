"""Shared by the site's tests: one store loaded from countries/ and one site built from it, per test session.

The store is a SQLite file in a temporary folder and the site is built into another; both are made once,
on first use, and removed when the session ends. Helpers parse the built HTML (links, ids) with the
standard library, so the link checks need no browser.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from benchmark.publish.site import BuildSummary, build_site
from benchmark.store.facts import Facts
from benchmark.store.freshness import fresh_facts

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ROOT / "countries"
LANGS = ("en", "ru", "kk")
BUILD_DATE = "2026-03-28"

# One page of every page type (the path inside a language folder).
PAGE_TYPES = {
    "home": "index.html",
    "matrix": "matrix.html",
    "rankings": "rankings/index.html",
    "ranking": "rankings/instrument-matrix.html",
    "countries": "countries/index.html",
    "country": "countries/KAZ.html",
    "regions": "regions/index.html",
    "region": "regions/KZ-63.html",
    "compare": "compare.html",
    "tax": "tax.html",
    "incentive": "incentive.html",
    "film": "film.html",
    "methodology": "methodology.html",
    "sources": "sources.html",
    "quality": "quality.html",
    "downloads": "downloads.html",
    "contribute": "contribute.html",
    "codebook": "codebook.html",
}


@dataclass(frozen=True)
class Built:
    url: str  # the store's database URL
    facts: Facts
    folder: Path
    summary: BuildSummary


_temp = Path(tempfile.mkdtemp(prefix="benchmark-site-tests-"))
atexit.register(shutil.rmtree, _temp, True)


def temp_dir(name: str) -> Path:
    path = _temp / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(name: str = "store") -> tuple[str, Facts]:
    url = f"sqlite:///{temp_dir(name) / 'store.sqlite'}"
    return url, fresh_facts(url, COUNTRIES)


@cache
def site() -> Built:
    url, facts = store()
    folder = _temp / "site"
    summary = build_site(facts, folder, build_date=BUILD_DATE)
    return Built(url, facts, folder, summary)


def pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append((tag, found))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        for name in ("href", "src"):
            if found.get(name) is not None:
                self.links.append((tag, str(found[name])))


@cache
def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser
