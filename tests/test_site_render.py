"""Rendering a large site's pages in worker processes (publish/site/render.py): the same bytes as rendering
them in this process, every page reported, errors raised to the caller and no worker outliving a build."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from benchmark.publish.site import build, render
from benchmark.publish.site import rankings as rankings_module
from benchmark.publish.site.build import build_site
from benchmark.publish.site.data import Inputs, arrange
from benchmark.records import workers
from benchmark.store.facts import Facts


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class _Counted(render.ProcessPoolExecutor):
    started = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        type(self).started += 1
        super().__init__(*args, **kwargs)


@pytest.fixture
def two_workers(monkeypatch: pytest.MonkeyPatch) -> type[_Counted]:
    monkeypatch.setenv(workers.ENV, "2")  # used whatever the number of pages
    monkeypatch.setattr(_Counted, "started", 0)
    monkeypatch.setattr(render, "ProcessPoolExecutor", _Counted)
    return _Counted


def test_pages_rendered_in_workers_are_the_bytes_rendered_here(
    facts: Facts, tmp_path: Path, two_workers: type[_Counted]
) -> None:
    here: list[tuple[int, int, str]] = []
    there: list[tuple[int, int, str]] = []
    build_site(facts, tmp_path / "here", build_date="2026-01-01", progress=lambda *a: here.append(a))
    assert two_workers.started == 0  # not asked for: never in workers
    build_site(facts, tmp_path / "there", build_date="2026-01-01", progress=lambda *a: there.append(a), parallel=True)
    assert two_workers.started == 1
    assert _tree(tmp_path / "here") == _tree(tmp_path / "there")
    for calls in (here, there):  # every page counted, in order, up to the total
        written = [c[0] for c in calls]
        assert written == sorted(written) and written[-1] == calls[-1][1]
        pages = sum(1 for p in (tmp_path / "here").rglob("*.html"))
        assert written[-1] == pages
    assert multiprocessing.active_children() == []


def test_below_the_threshold_the_pages_are_rendered_here(facts: Facts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workers.ENV, raising=False)
    monkeypatch.setattr(workers, "_cores", lambda: 4)
    assert workers.count(render.MIN_PAGES - 1, at_least=render.MIN_PAGES) == 1
    assert workers.count(render.MIN_PAGES, at_least=render.MIN_PAGES) == 4


def test_a_pool_that_cannot_start_renders_here(facts: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class NoProcesses:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes in this sandbox")

    build_site(facts, tmp_path / "here", build_date="2026-01-01")
    monkeypatch.setenv(workers.ENV, "2")
    monkeypatch.setattr(render, "ProcessPoolExecutor", NoProcesses)
    build_site(facts, tmp_path / "fallback", build_date="2026-01-01", parallel=True)
    assert _tree(tmp_path / "here") == _tree(tmp_path / "fallback")


def _inputs(facts: Facts) -> Inputs:
    return Inputs(arrange(facts), rankings_module.compute(facts, 2026), None, [], "2026-01-01")


def test_a_worker_that_cannot_write_raises_here(facts: Facts, tmp_path: Path, two_workers: type[_Counted]) -> None:
    # Only workers write country pages; the report pages, written here, still can be.
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "countries").write_text("a file where the country pages go\n")
    inputs = _inputs(facts)
    with pytest.raises(OSError), render.Rendering(inputs, tmp_path, parallel=True) as pages:
        pages.finish(inputs)
    assert (tmp_path / "en" / "quality.html").exists()
    assert two_workers.started == 1
    assert multiprocessing.active_children() == []  # the pool is gone with the build


def test_a_build_that_fails_while_pages_render_stops_its_workers(
    facts: Facts, tmp_path: Path, two_workers: type[_Counted], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the quality report failed")

    monkeypatch.setattr(build, "_quality", broken)
    with pytest.raises(RuntimeError, match="quality report failed"):
        build_site(facts, tmp_path / "site", build_date="2026-01-01", parallel=True)
    assert two_workers.started == 1
    assert multiprocessing.active_children() == []


def test_a_pool_that_breaks_half_way_leaves_the_rest_to_this_process(
    facts: Facts, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    class HalfBroken:
        """Runs every other chunk at once here, as a worker would; the others fail as a broken pool's do."""

        def __init__(self, *args: object, initializer: Any, initargs: tuple[Any, ...], **kwargs: object) -> None:
            initializer(*initargs)
            self.sent = 0

        def submit(self, work: Any, *args: Any) -> Future[Any]:
            future: Future[Any] = Future()
            self.sent += 1
            if self.sent % 2:
                future.set_result(work(*args))
            else:
                future.set_exception(BrokenProcessPool("a worker died"))
            return future

        def shutdown(self, **kwargs: object) -> None:
            pass

    here: list[tuple[int, int, str]] = []
    there: list[tuple[int, int, str]] = []
    build_site(facts, tmp_path / "here", build_date="2026-01-01", progress=lambda *a: here.append(a))
    monkeypatch.setenv(workers.ENV, "2")
    monkeypatch.setattr(render, "ProcessPoolExecutor", HalfBroken)
    writes: list[Path] = []
    real_write = render.write_page

    def counted(path: Path, text: str) -> None:
        writes.append(path)
        real_write(path, text)

    monkeypatch.setattr(render, "write_page", counted)
    build_site(facts, tmp_path / "there", build_date="2026-01-01", progress=lambda *a: there.append(a), parallel=True)
    assert _tree(tmp_path / "here") == _tree(tmp_path / "there")
    assert len(writes) == len(set(writes))  # what the pool rendered is not rendered again
    assert [c[0] for c in there] == sorted(c[0] for c in there)
    assert there[-1][0] == here[-1][0] == here[-1][1]  # every page counted once
