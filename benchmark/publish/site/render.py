"""Render every page in every language and write it: in this process, or shared among worker processes.

Rendering the templates is most of a large site's build (at 2,000 records, 68 s of 82 s in one process:
6,000 country pages) and a page depends only on the inputs, so a large site's pages are shared among
processes, one per core (`benchmark.records.workers.count`, `BENCHMARK_WORKERS`). Each worker receives
the inputs once, lists the pages as this process does and renders the chunks it is sent; a page's bytes
are the same whichever process renders it. The two report pages (data quality, downloads) are rendered
last, here, so that the caller computes their reports while the workers render the rest. Workers are
spawned, never forked: this process runs Polars' threads, which a forked child must not inherit. A pool
that cannot start or breaks leaves the pages to this process.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from pickle import PicklingError
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from benchmark.publish.site.data import Inputs
from benchmark.publish.site.helpers import SYMBOLS, Helpers
from benchmark.publish.site.i18n import LANGS, NATIVE, SITE, Lang
from benchmark.publish.site.pages import NAV, Page, pages
from benchmark.records import workers

TEMPLATES = SITE / "templates"
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"
# Below this many pages, starting workers (each imports the package and receives the inputs) saves too
# little: on two cores, 214 pages (today's data) took 0.93x the time and 1.29x the processor time in two
# workers, 679 pages (200 records) 0.76x the time. Today's site is rendered in one process.
MIN_PAGES = 500
CHUNK = 40  # pages a task: few round trips, and the last tasks still balance the cores

Progress = Callable[[int, int, str], None]


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


EDITION = _edition()


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def counts(inputs: Inputs) -> dict[str, int]:
    """The totals every page's footer shows: counted once, not once a page."""
    data = inputs.data
    facts = sum(len(fs) for metrics in data.facts.values() for fs in metrics.values())
    facts += sum(len(i) for i in data.instruments.values())
    return {
        "countries": len(data.countries),
        "regions": len(data.regions),
        "facts": facts,
        "sources": len(data.sources),
    }


# Pages whose reports the build computes while the other pages render: they are rendered last, here.
REPORTS = frozenset({"quality", "downloads"})
SHORT = frozenset({"place"})  # one page a country or region: thousands of them, each short

Chunk = tuple[str, tuple[int, ...]]  # a language and the positions of some of its pages


class Rendering:
    """Every page but the report pages, rendered and written from `__init__` on (by workers, for a large
    site with `parallel`, while the caller computes the reports); `finish` renders the report pages with
    the complete inputs and waits for the rest. Used as a context manager, so that workers never outlive
    a failed build (they would go on writing into a folder that is being removed).

    `parallel` only for a caller whose main module a spawned worker may import again, as the command
    line's."""

    def __init__(self, inputs: Inputs, output: Path, progress: Progress | None = None, *, parallel: bool = False):
        self.output, self.progress = output, progress
        listed = {code: pages(Helpers(Lang.of(code), inputs.data), inputs) for code in LANGS}
        self.total = sum(len(p) for p in listed.values()) + 1  # and the root page, which the caller writes
        self.written = 0
        self.chunks: list[Chunk] = []
        self.reports: list[Chunk] = []
        # The few long pages (a ranking, the sources, the comparison: up to 2 s each at 2,000 records) are
        # sent first, one a task, and the many short ones after them in chunks, so that no core is left
        # idle at the end while another renders a long page.
        places: list[Chunk] = []
        for code, listing in listed.items():
            self.chunks += [(code, (i,)) for i, page in enumerate(listing) if page.kind not in SHORT | REPORTS]
            positions = [i for i, page in enumerate(listing) if page.kind in SHORT]
            places += [(code, tuple(positions[i : i + CHUNK])) for i in range(0, len(positions), CHUNK)]
            self.reports.append((code, tuple(i for i, page in enumerate(listing) if page.kind in REPORTS)))
        self.chunks += places
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[Future[list[str]], Chunk] = {}
        n = workers.count(self.total, at_least=MIN_PAGES) if parallel else 1
        if n > 1:
            try:
                self._start_workers(n, inputs)
                return
            except (BrokenProcessPool, PicklingError, RuntimeError, OSError):
                self._stop_workers()  # no processes here (a sandbox, a frozen program): render here instead
        self._here(inputs, self.chunks)

    def finish(self, inputs: Inputs) -> int:
        """Render the report pages from the complete `inputs`, wait for the workers; how many pages."""
        self._here(inputs, self.reports)
        lost: list[Chunk] = []  # chunks of a pool that broke (every unfinished one fails the same way)
        while self.pending:
            done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = self.pending.pop(future)
                try:
                    keys = future.result()  # a worker's error (a full disk, say) is raised here
                except BrokenProcessPool:
                    lost.append(chunk)
                    continue
                self._done(keys)
        self._stop_workers()
        self._here(inputs, lost)  # what a broken pool did not render, rendered here
        return self.written

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop_workers()

    def _start_workers(self, n: int, inputs: Inputs) -> None:
        # The inputs are pickled once, not once a worker; the reports are not in them yet.
        sent = pickle.dumps((inputs, self.output), protocol=pickle.HIGHEST_PROTOCOL)
        spawn = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(n, mp_context=spawn, initializer=_start, initargs=(sent,))
        self.pending = {self.pool.submit(_render, *chunk): chunk for chunk in self.chunks}

    def _stop_workers(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)  # a running chunk ends; the rest never starts
            self.pool = None
            self.pending.clear()

    def _here(self, inputs: Inputs, chunks: list[Chunk]) -> None:
        state = _State(inputs, self.output)
        for chunk in chunks:
            self._done(state.render(*chunk))

    def _done(self, keys: list[str]) -> None:
        self.written += len(keys)
        if self.progress and keys:
            self.progress(self.written, self.total, keys[-1])


class _State:
    """What one process needs to render pages: the inputs, one environment, each language's pages."""

    def __init__(self, inputs: Inputs, output: Path):
        self.inputs = inputs
        self.output = output
        self.env = environment()
        self.counts = counts(inputs)
        self.pages: dict[str, tuple[Lang, Helpers, list[Page]]] = {}

    def render(self, code: str, positions: tuple[int, ...]) -> list[str]:
        if code not in self.pages:
            L = Lang.of(code)
            h = Helpers(L, self.inputs.data)
            self.pages[code] = (L, h, pages(h, self.inputs))
        L, h, listed = self.pages[code]
        keys = []
        for page in (listed[i] for i in positions):
            html = self.env.get_template(page.template).render(context(L, h, page, self.inputs, self.counts))
            write_page(self.output / L.code / page.key, html)
            page.__dict__.pop("context", None)  # a page's view is not needed once it is written
            keys.append(f"{L.code}/{page.key}")
        return keys


_worker: _State | None = None


def _start(sent: bytes) -> None:
    import gc

    gc.disable()  # the inputs hold no cycles; a worker lives for one build
    global _worker
    inputs, output = pickle.loads(sent)
    _worker = _State(inputs, output)


def _render(code: str, positions: tuple[int, ...]) -> list[str]:
    assert _worker is not None, "the pool's initializer sets the worker's state"
    return _worker.render(code, positions)


def write_page(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def context(L: Lang, h: Helpers, page: Page, inputs: Inputs, counts: dict[str, int]) -> dict[str, Any]:
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
