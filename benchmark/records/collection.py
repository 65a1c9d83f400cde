"""Pause Python's cycle collector while thousands of records are read.

A record's document, model and rule rows are trees of small dicts, lists and strings with no reference
cycles: reference counting frees them, and the cycle collector only re-scans the growing heap of live
ones. At 2,000 records those scans took about 40% of a cold validation (bench/README.md). The collector
is paused for the read and restored as it was after, so a caller's own setting is never changed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
