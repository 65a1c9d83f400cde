"""A headless Chromium for the site's browser tests and screenshots: Debian's /usr/bin/chromium driven by
Playwright (never `playwright install`), with every background request of the browser itself turned off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("BENCHMARK_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched browser; the caller opens pages (`browser.new_page()`)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: run `bash tests/system-deps.sh` (as root) to install it")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def file_url(path: Path) -> str:
    return path.resolve().as_uri()
