"""Shared fixtures: sample records, a fresh store on each backend, and the PostgreSQL server."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA
from pg_server import Server
from site_support import Built, site

from benchmark.publish.site.browser import chromium
from benchmark.store.facts import Facts

COUNTRIES = DATA / "countries"

_names = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    server = Server()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store: a SQLite file, or a new database on the throw-away PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    server: Server = request.getfixturevalue("pg_server")
    return server.create_database(f"test_{next(_names)}")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the three reference records and the shared bibliography, free to break."""
    folder = tmp_path / "countries"
    folder.mkdir()
    shutil.copytree(DATA / "sources", tmp_path / "sources")
    for code in ("KAZ", "UZB", "KGZ"):
        source = COUNTRIES / f"{code}.yaml"
        if source.exists():
            shutil.copy(source, folder)
    return folder


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store loaded from the real countries/ folder, shared by the tests that only read it."""
    from helpers import cli

    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'store.sqlite'}"
    loaded = cli("load", str(COUNTRIES), "--database-url", url)
    assert loaded.code == 0, loaded.out + loaded.err
    return url


@pytest.fixture(scope="session")
def store(real_store: str) -> str:
    """The real data's store, under the name the read-only tests use."""
    return real_store


@pytest.fixture(scope="session")
def facts(real_store: str) -> Facts:
    """The real data's store as frames (a module may define its own `facts`, which then wins)."""
    from benchmark.store.facts import read_facts

    return read_facts(real_store)


@pytest.fixture(scope="session", autouse=True)
def _inside_the_data() -> Iterator[None]:
    """On a copy of the data (BENCHMARK_TEST_DATA), the suites run inside it, as a contributor's checkout."""
    import os

    from helpers import ROOT

    if DATA == ROOT:
        yield
        return
    old = Path.cwd()
    os.chdir(DATA)
    try:
        yield
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def built() -> Built:
    """The site built once from the real data (site_support caches it for the whole run)."""
    return site()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright, for one test module."""
    with chromium() as launched:
        yield launched
