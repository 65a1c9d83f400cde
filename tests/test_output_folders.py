"""Output folders (`build --output`, `export --output`) are written whole or not at all, and never where
they would destroy what the benchmark did not write; nothing outside the folder changes."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, Result, cli
from test_faults import _one_line_error, _run


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_that_fails_half_way_leaves_the_previous_site(
    tmp_path: Path, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    assert cli("--no-refresh", "build", "--output", str(site), "--database-url", store).code == 0
    before = _tree(site)
    from benchmark.publish.site import render

    real_write, calls = render.write_page, []

    def write_until_the_disk_is_full(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) > 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, text)

    monkeypatch.setattr(render, "write_page", write_until_the_disk_is_full)
    result = cli("--no-refresh", "build", "--output", str(site), "--database-url", store)

    assert "the disk is full" in _one_line_error(result)
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the half-written folder is gone


@pytest.mark.parametrize("command", ["build", "export"])
def test_an_output_is_refused_where_it_would_destroy_what_is_not_ours(
    tmp_path: Path, store: str, command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "countries.csv").write_text("my own table\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "link").symlink_to(elsewhere)
    (tmp_path / "a-file").write_text("a file\n")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".profile").write_text("mine\n")
    monkeypatch.setenv("HOME", str(home))
    before = _tree(tmp_path)
    for target, reason in (
        (mine, "holds files this benchmark did not write"),
        (tmp_path / "link", "is a symbolic link"),
        (tmp_path / "a-file", "is a file, not a folder"),
        (home, "your home folder"),
    ):
        result = cli("--no-refresh", command, "--output", str(target), "--database-url", store)
        assert reason in _one_line_error(result), result.err
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "elsewhere", "home", "link", "mine"]


def test_the_root_folder_is_never_an_output() -> None:
    from benchmark.publish.output import OutputError, check_target

    with pytest.raises(OutputError, match="the root folder"):
        check_target(Path("/"))


def test_an_export_replaces_its_own_previous_export_whole(tmp_path: Path, store: str) -> None:
    out = tmp_path / "export"
    assert cli("--no-refresh", "export", "--output", str(out), "--database-url", store).code == 0
    (out / "stale.csv").write_text("from an older export\n")
    again = cli("--no-refresh", "export", "--output", str(out), "--database-url", store)
    assert again.code == 0, again.err
    assert not (out / "stale.csv").exists() and (out / "datapackage.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~umask  # as a folder made by mkdir: a web server may read it


def _file_size_limit(limit: int) -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write then fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_build_the_disk_refuses_half_way_leaves_the_previous_site(tmp_path: Path, store: str) -> None:
    site = tmp_path / "site"
    assert _run("--no-refresh", "build", "--output", str(site), "--database-url", store).code == 0
    before = _tree(site)
    largest = max(len(content) for content in before.values())
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "--no-refresh", "build", "--output", str(site), "--database-url", store],
        capture_output=True,
        text=True,
        preexec_fn=lambda: _file_size_limit(largest // 2),
        timeout=300,
    )
    result = Result(done.returncode, done.stdout, done.stderr)
    line = _one_line_error(result)
    assert "disk I/O error" in line or "larger than this process may write" in line, line
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
