"""Reading files in worker processes (records/workers.py) gives exactly what reading them here gives, and
the cycle collector's pause (records/collection.py) leaves the caller's setting as it was."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest
from helpers import BASE, DATA, cli_process, write_records

from benchmark.records import cache, workers
from benchmark.records.collection import paused
from benchmark.records.validate import validate


def _dataset(tmp_path: Path) -> Path:
    """The repository's records, one broken file and one unreadable one, in a folder of the test's own."""
    folder = tmp_path / "data" / "countries"
    shutil.copytree(DATA / "countries", folder)
    write_records(folder, ZZB=BASE.replace("code: KGZ", "code: KGZ\ncode: KGZ"))  # a duplicate key
    (folder / "ZZC.yaml").write_bytes(b"code: \xff\n")
    return folder


def _summary(folder: Path) -> tuple[list[str], list[tuple[str, str]]]:
    records, problems = validate([folder], parallel=True)
    return [str(p) for p in problems], [(r.code, r.country.model_dump_json()) for r in records]


def test_workers_read_what_this_process_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _dataset(tmp_path)
    monkeypatch.setenv(cache.ENV, "off")  # every file read, by workers or here
    monkeypatch.setenv(workers.ENV, "1")
    alone = _summary(folder)
    monkeypatch.setenv(workers.ENV, "2")
    shared = _summary(folder)
    assert shared == alone
    assert alone[0] and alone[1]  # problems of the broken files, and the valid records
    assert len(alone[1]) == len(list(folder.rglob("*.yaml"))) - 2


def test_workers_fill_the_cache_that_a_later_run_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _dataset(tmp_path)
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(workers.ENV, "2")
    first = _summary(folder)
    entries = list((tmp_path / "cache").rglob("*.pickle"))
    assert len(entries) == len(list(folder.rglob("*.yaml")))  # one entry per file, written by the workers
    seen: list[str] = []
    real = cache.read
    monkeypatch.setattr(cache, "read", lambda path, display=None: (seen.append(path.name), real(path, display))[1])
    assert _summary(folder) == first and seen == []  # everything from the cache, nothing read again


def _pid(_: int) -> int:
    return os.getpid()


def test_work_runs_in_other_processes_and_comes_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.ENV, "2")
    pids = workers.run(_pid, [(i,) for i in range(8)])
    assert len(pids) == 8 and os.getpid() not in pids
    assert workers.run(divmod, [(i, 3) for i in range(20)]) == [divmod(i, 3) for i in range(20)]


def test_a_pool_that_cannot_start_falls_back_to_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _dataset(tmp_path)
    monkeypatch.setenv(cache.ENV, "off")
    monkeypatch.setenv(workers.ENV, "1")
    alone = _summary(folder)

    class NoProcesses:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes in this sandbox")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", NoProcesses)
    monkeypatch.setenv(workers.ENV, "2")
    assert _summary(folder) == alone


def test_the_command_line_reads_in_workers_with_the_same_output(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    runs = [
        cli_process("validate", "--format", "json", str(folder), env={workers.ENV: n, cache.ENV: "off"})
        for n in ("1", "2")
    ]
    assert runs[0].code == runs[1].code == 1  # the broken files are reported, by either way of reading
    assert runs[0].out == runs[1].out and "duplicate-key" in runs[0].out


@pytest.mark.parametrize(
    ("setting", "tasks", "cores", "expected"),
    [
        ("", workers.MIN_FILES - 1, 2, 1),  # too few files to be worth starting a worker
        ("", workers.MIN_FILES, 2, 2),
        ("", workers.MIN_FILES, 1, 1),  # one core: nothing to share
        ("", 10 * workers.MIN_FILES, 64, workers.MAX_WORKERS),
        ("1", 10 * workers.MIN_FILES, 8, 1),  # asked for: this process alone
        ("3", 5, 1, 3),  # asked for: used even for a few files and one core
        ("3", 2, 8, 2),  # never more workers than files
        ("many", workers.MIN_FILES, 2, 2),  # not a number: the automatic choice
        ("0", 1, 2, 1),
    ],
)
def test_how_many_workers(setting: str, tasks: int, cores: int, expected: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.ENV, setting)
    monkeypatch.setattr(workers, "_cores", lambda: cores)
    assert workers.count(tasks) == expected


@pytest.mark.parametrize("enabled", [True, False])
def test_the_pause_restores_the_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with paused():
            assert not gc.isenabled()
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), paused():
            raise ValueError("a failure inside")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
