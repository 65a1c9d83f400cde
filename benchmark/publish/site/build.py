"""Build the static site: arrange the frames, rank, render every page in every language, write the files.

The output is static files only, linked relatively so that the folder works from any static host and when
opened from disk (file://). Nothing is fetched from elsewhere: the CSS and the one small script are ours,
and a Content-Security-Policy meta tag on every page forbids anything else. The same store gives the same
bytes: rows are sorted, no clock is read, and the only date shown is one taken from the data or given.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from benchmark.publish.site import downloads as downloads_module
from benchmark.publish.site import rankings as rankings_module
from benchmark.publish.site.data import Inputs, SiteData, arrange
from benchmark.publish.site.helpers import SYMBOLS, Helpers
from benchmark.publish.site.i18n import LANGS, NATIVE, SITE, Lang
from benchmark.publish.site.pages import NAV, Page, pages
from benchmark.store.facts import Facts


def _edition() -> str:
    """The package's version names the edition of the data and the site built from it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("creative-benchmark")
    except PackageNotFoundError:
        return "0"


def _released_edition() -> str | None:
    """The released edition of the data (edition.yaml, written by `release`), which the footer names first."""
    from benchmark.publish.edition import read_edition

    released = read_edition()
    return str(released["version"]) if released and released.get("version") else None


TEMPLATES = SITE / "templates"
STATIC = SITE / "static"
MARKER = ".benchmark-site"
EDITION = _edition()
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"

Progress = Callable[[int, int, str], None]


class SiteError(Exception):
    """The site cannot be written where asked (a folder of something else, a file in the way)."""


@dataclass
class BuildSummary:
    pages: int
    files: int
    bytes: int
    seconds: float
    output: Path
    languages: tuple[str, ...]
    notes: list[str]

    def describe(self) -> str:
        size = f"{self.bytes / 1_048_576:.1f} MB" if self.bytes >= 1_048_576 else f"{self.bytes / 1024:.0f} kB"
        return (
            f"wrote {self.pages} pages in {len(self.languages)} languages ({self.files} files, {size}) "
            f"to {self.output} in {self.seconds:.1f} s"
        )


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def default_build_date(data: SiteData) -> str | None:
    """The newest `accessed` date of any source: a date the data itself gives, never the clock."""
    dates = sorted(str(s["accessed"]) for s in data.sources.values() if s.get("accessed"))
    return dates[-1] if dates else None


def build_site(
    facts: Facts, output: Path, *, build_date: str | None = None, progress: Progress | None = None
) -> BuildSummary:
    started = time.perf_counter()
    data = arrange(facts)
    _prepare(output)
    notes: list[str] = []
    date = build_date or default_build_date(data)
    ranking_set = rankings_module.compute(facts, int(date[:4]) if date else None)
    if ranking_set.problem:
        notes.append(f"rankings: {ranking_set.problem}")
    entries = downloads_module.write(facts, output / "data")
    notes.extend(downloads_module.notes(entries))
    files = downloads_module.files(entries)
    quality = _quality(facts, notes)
    inputs = Inputs(data, ranking_set, quality, files, date)
    env = environment()
    plan: list[tuple[Lang, Helpers, Page]] = []
    for code in LANGS:
        L = Lang.of(code)
        h = Helpers(L, data)
        plan.extend((L, h, page) for page in pages(h, inputs))
    total = len(plan) + 1
    written = 0
    counts = _counts(data)  # the same on every page: counted once, not once a page
    for L, h, page in plan:
        html = env.get_template(page.template).render(_context(L, h, page, inputs, counts))
        _write(output / L.code / page.key, html)
        written += 1
        if progress:
            progress(written, total, f"{L.code}/{page.key}")
    root = env.get_template("root.html.j2").render(_root_context(data, inputs))
    _write(output / "index.html", root)
    written += 1
    if progress:
        progress(written, total, "index.html")
    _copy_static(output)
    all_files = sorted(p for p in output.rglob("*") if p.is_file())
    return BuildSummary(
        pages=written,
        files=len(all_files),
        bytes=sum(p.stat().st_size for p in all_files),
        seconds=time.perf_counter() - started,
        output=output,
        languages=LANGS,
        notes=notes,
    )


def _quality(facts: Facts, notes: list[str]) -> dict[str, Any] | None:
    try:
        from benchmark.publish.quality import quality_report
    except ImportError:
        notes.append("data quality: benchmark.publish.quality is not available yet")
        return None
    return quality_report(facts)


def _prepare(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise SiteError(f"{output} is a file; give a folder for the site")
    if output.is_dir() and any(output.iterdir()):
        if not (output / MARKER).exists():
            raise SiteError(
                f"{output} is not empty and holds no site built before; choose an empty or new folder "
                "(the build replaces the folder's contents)"
            )
        shutil.rmtree(output)
    output.mkdir(parents=True, exist_ok=True)
    # Written first, so that a build that fails half-way can still be replaced by the next one.
    (output / MARKER).write_text(
        "A site built by `python cli.py build`; the next build replaces this folder.\n", encoding="utf-8"
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def _copy_static(output: Path) -> None:
    for source in sorted(STATIC.rglob("*")):
        if source.is_file():
            target = output / "static" / source.relative_to(STATIC)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())


def _counts(data: SiteData) -> dict[str, int]:
    facts = sum(len(fs) for metrics in data.facts.values() for fs in metrics.values())
    facts += sum(len(i) for i in data.instruments.values())
    return {
        "countries": len(data.countries),
        "regions": len(data.regions),
        "facts": facts,
        "sources": len(data.sources),
    }


def _context(L: Lang, h: Helpers, page: Page, inputs: Inputs, counts: dict[str, int]) -> dict[str, Any]:
    depth = page.key.count("/")
    up = "../" * depth

    def link(target: str) -> str:
        return up + target

    def asset(path: str) -> str:
        return "../" + up + path

    def in_lang(other: str) -> str:
        return f"../{up}{other}/{page.key}"

    return {
        **page.context,
        "L": L,
        "t": L.t,
        "h": h,
        "page": page,
        "langs": LANGS,
        "native": NATIVE,
        "nav": NAV,
        "csp": CSP,
        "link": link,
        "asset": asset,
        "in_lang": in_lang,
        "counts": counts,
        "build_date": inputs.build_date,
        "edition": _released_edition() or EDITION,
        "symbols": SYMBOLS,
    }


def _root_context(data: SiteData, inputs: Inputs) -> dict[str, Any]:
    return {
        "langs": [(code, NATIVE[code], Lang.of(code)) for code in LANGS],
        "csp": CSP,
        "counts": _counts(data),
        "build_date": inputs.build_date,
    }
