"""Read many record files in several processes: what a cold validation of thousands of records waits on.

Reading a file (YAML with positions, the model, its rule rows) depends on nothing but the file, so files
the cache does not have are shared among worker processes and their results come back in file order;
everything dataset-wide still runs once, in the calling process. Workers are started fresh ("spawn"):
the calling process may already run Polars' threads, which a forked child must not inherit.

Starting a worker costs about half a second (it imports the package), so workers are used only from
`MIN_FILES` unread files, one per core the process may use (at most `MAX_WORKERS`).
`BENCHMARK_WORKERS=N` sets the number (1: read everything in this process; N > 1 is used even for a
few files). A pool that cannot start or breaks falls back to reading in this process: never a failure.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pickle import PicklingError
from typing import Any, TypeVar

ENV = "BENCHMARK_WORKERS"
MIN_FILES = 200  # below this, starting the workers costs more than they save
MAX_WORKERS = 8

T = TypeVar("T")


def count(tasks: int, *, at_least: int = MIN_FILES) -> int:
    """How many processes share `tasks` (1: this one alone); workers only from `at_least` tasks. The site's
    pages are shared the same way (publish/site/render.py), with their own threshold."""
    raw = os.environ.get(ENV, "").strip()
    if raw.isdigit() and int(raw) >= 1:  # anything else: the automatic choice, as for an unset variable
        return min(int(raw), MAX_WORKERS, max(tasks, 1))
    if tasks < at_least:
        return 1
    return max(1, min(_cores(), MAX_WORKERS))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(work: Callable[..., T], tasks: Sequence[tuple[Any, ...]]) -> list[T]:
    """`work(*task)` for every task, in order: in worker processes when `count` says so."""
    n = count(len(tasks))
    if n > 1:
        try:
            with ProcessPoolExecutor(
                n, mp_context=multiprocessing.get_context("spawn"), initializer=gc.disable
            ) as pool:
                # Chunks of a few dozen files: few round trips, and the last chunks still balance the cores.
                chunk = max(1, min(64, len(tasks) // (n * 4)))
                return list(pool.map(_apply, [work] * len(tasks), tasks, chunksize=chunk))
        except (BrokenProcessPool, OSError, PicklingError, RuntimeError):
            pass  # no processes here (a sandbox, a frozen program): read in this process instead
    return [work(*task) for task in tasks]


def _apply(work: Callable[..., T], task: tuple[Any, ...]) -> T:
    return work(*task)
