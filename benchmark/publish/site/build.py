"""Build the static site: arrange the frames, rank, render every page in every language, write the files.

The output is static files only, linked relatively so that the folder works from any static host and when
opened from disk (file://). Nothing is fetched from elsewhere: the CSS and the one small script are ours,
and a Content-Security-Policy meta tag on every page forbids anything else. The same store gives the same
bytes: rows are sorted, no clock is read, and the only date shown is one taken from the data or given.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.publish.site import downloads as downloads_module
from benchmark.publish.site import rankings as rankings_module
from benchmark.publish.site import render
from benchmark.publish.site.data import Inputs, SiteData, arrange
from benchmark.publish.site.i18n import LANGS, NATIVE, SITE, Lang
from benchmark.publish.site.render import CSP, EDITION, Progress
from benchmark.store.facts import Facts

__all__ = ["EDITION", "BuildSummary", "SiteError", "build_site"]

STATIC = SITE / "static"
MARKER = ".benchmark-site"


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


def default_build_date(data: SiteData) -> str | None:
    """The newest `accessed` date of any source: a date the data itself gives, never the clock."""
    dates = sorted(str(s["accessed"]) for s in data.sources.values() if s.get("accessed"))
    return dates[-1] if dates else None


def build_site(
    facts: Facts,
    output: Path,
    *,
    build_date: str | None = None,
    progress: Progress | None = None,
    parallel: bool = False,
) -> BuildSummary:
    """Build the site into `output`. `parallel` lets a large site's pages be rendered in worker processes
    (render.py): only for a caller whose main module a spawned worker may import again, as the command
    line's."""
    started = time.perf_counter()
    data = arrange(facts)
    _prepare(output)
    notes: list[str] = []
    date = build_date or default_build_date(data)
    ranking_set = rankings_module.compute(facts, int(date[:4]) if date else None)
    if ranking_set.problem:
        notes.append(f"rankings: {ranking_set.problem}")
    inputs = Inputs(data, ranking_set, None, [], date)
    with render.Rendering(inputs, output, progress, parallel=parallel) as pages:
        # The downloads and the quality report are made while the other pages render (render.py).
        entries = downloads_module.write(facts, output / "data")
        notes.extend(downloads_module.notes(entries))
        inputs = dataclasses.replace(inputs, quality=_quality(facts, notes), downloads=downloads_module.files(entries))
        written = pages.finish(inputs)
    env = render.environment()
    root = env.get_template("root.html.j2").render(_root_context(inputs))
    render.write_page(output / "index.html", root)  # looked up here: one place writes every page
    written += 1
    if progress:
        progress(written, written, "index.html")
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


def _copy_static(output: Path) -> None:
    for source in sorted(STATIC.rglob("*")):
        if source.is_file():
            target = output / "static" / source.relative_to(STATIC)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())


def _root_context(inputs: Inputs) -> dict[str, Any]:
    return {
        "langs": [(code, NATIVE[code], Lang.of(code)) for code in LANGS],
        "csp": CSP,
        "counts": render.counts(inputs),
        "build_date": inputs.build_date,
    }
