"""Two loads at once, from two processes, into one store (SQLite and PostgreSQL): the store ends whole and
equal to what one load gives, and a load that cannot go ahead fails with a clear message (or waits), never
with a traceback or a half-written store. The records are the test's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import BASE, ROOT, cli, second_record, write_records

from benchmark.store.load import codes, dump_tables
from benchmark.store.lock import exclusive
from benchmark.store.readback import read_record

# Codes whose names the records give themselves; memberships come from the registry.
CODES = ("UZB", "TJK", "TKM", "MNG", "ARM", "AZE", "GEO", "AFG")


def _records(folder: Path, note: str = "") -> Path:
    records = {"KGZ": BASE.replace("groupings:", f"# {note}\ngroupings:") if note else BASE}
    for code in CODES:
        text = second_record(code=code, en=f"Test {code}")
        records[code] = (
            text.replace("  culture_pass: {status: absent,", "  culture_pass: {status: planned,") if note else text
        )
    return write_records(folder, **records)


def _start(folder: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), "load", str(folder), "--database-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=folder.parent,
        env={**os.environ, "BENCHMARK_NO_REFRESH": "0"},
    )


def _counts(url: str) -> dict[str, int]:
    return {table: len(rows) for table, rows in dump_tables(url).items() if table != "meta"}


@pytest.mark.parametrize("before", ["empty", "older records"])
def test_two_loads_at_once_leave_the_store_whole_and_as_one_load_leaves_it(
    tmp_path: Path, store_url: str, before: str
) -> None:
    folder = _records(tmp_path / "data" / "countries", note="revised")
    if before == "older records":  # both loads then replace every record: deletes and inserts race
        old = _records(tmp_path / "old" / "countries")
        assert cli("load", str(old), "--database-url", store_url).code == 0

    first, second = _start(folder, store_url), _start(folder, store_url)
    results = [(p.communicate()[1], p.returncode) for p in (first, second)]

    for err, code in results:
        assert code in (0, 1), f"exit {code}: {err}"
        assert "Traceback" not in err and "This is a bug" not in err, err
        if code == 1:  # a loser that does not wait: one clear line saying nothing changed
            assert err.startswith("error:") and "nothing changed" in err and "--rebuild" not in err, err
    assert any(code == 0 for _, code in results), results
    _equal_to_one_load(tmp_path, folder, store_url)


def test_a_load_waits_while_another_writes_the_store_then_finds_its_work_done(tmp_path: Path, store_url: str) -> None:
    folder = _records(tmp_path / "data" / "countries")
    with exclusive(store_url):  # as a load in progress holds it
        waiting = [_start(folder, store_url) for _ in range(2)]
        notes = [p.stderr.readline() if p.stderr else "" for p in waiting]
        assert all("note: another load is writing the store" in n and "waiting" in n for n in notes), notes
        assert dump_tables(store_url) == {}  # nothing written while they wait
    for process in waiting:
        err = process.communicate()[1]
        assert process.returncode == 0, err
        assert "Traceback" not in err
    _equal_to_one_load(tmp_path, folder, store_url)


def _equal_to_one_load(tmp_path: Path, folder: Path, store_url: str) -> None:
    reference = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    assert cli("load", str(folder), "--database-url", reference).code == 0
    assert codes(store_url) == codes(reference) == sorted(["KGZ", *CODES])
    assert _counts(store_url) == _counts(reference)  # no row written twice, none missing
    for code in codes(reference):
        assert read_record(store_url, code) == read_record(reference, code)
