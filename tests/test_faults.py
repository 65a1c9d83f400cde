"""What an operator can meet, each a one-line message with exit 1 (2 for a usage error), the store as it
was, no password printed: never a traceback, never exit 3 ("a bug in the benchmark").

Where the fault is the process's (a kill -9, permissions, a silent server) the command runs as a real
process. As root, permissions do not bind; the commands then run with the capabilities that bypass
them dropped (`setpriv`), as an ordinary user would.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import BASE, ROOT, Result, cli, second_record, write_records

from benchmark.cli import faults
from benchmark.store.dburl import CONNECT_TIMEOUT_ENV, safe_url, store_url_problem
from benchmark.store.facts import read_facts
from benchmark.store.load import dump_tables


def _sqlite(path: Path) -> str:
    return f"sqlite:///{path}"


def _no_bug(result: Result) -> None:
    assert result.code != 3 and "This is a bug" not in result.err, result.err
    assert "Traceback" not in result.out + result.err, result.err


def _one_line_error(result: Result, code: int = 1) -> str:
    _no_bug(result)
    assert result.code == code, result.out + result.err
    errors = [ln for ln in result.err.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, result.err
    return errors[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_records(tmp_path / "countries", KGZ=BASE, UZB=second_record())


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once closed


# --- database URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "file:build", "file:///tmp/x", "nonsense", "postgresql://u:a@b@h/db"]
)
@pytest.mark.parametrize("command", ["load", "rank", "build", "show"])
def test_a_url_that_names_no_store_is_a_usage_error(tmp_path: Path, url: str, command: str) -> None:
    folder = write_records(tmp_path / "data" / "countries", KGZ=BASE)
    args = {"show": ["show", "KGZ"], "load": ["load", str(folder)]}.get(command, [command])
    result = cli(*args, "--database-url", url, cwd=tmp_path)
    line = _one_line_error(result, code=2)
    assert "--database-url" in line and any(
        reason in line for reason in ("names no file", "not a database URL", "a file URI", "write an @ in a password")
    )
    assert "a@b" not in line
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no stray `file:build` folder, no store


def test_store_url_problem_accepts_real_stores() -> None:
    for url in ("sqlite:///.benchmark/benchmark.sqlite", "sqlite:////abs/store.sqlite", "postgresql+psycopg://u@h/db"):
        assert store_url_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://me:hunter2@127.0.0.1:{port}/db",
        "postgresql+psycopg://me@127.0.0.1:{port}/db?password=hunter2",
        "postgresql+psycopg://me@127.0.0.1:{port}/db?sslmode=disable&password=hunter2",
    ],
)
@pytest.mark.parametrize("command", ["load", "rank", "build", "export"])
def test_nothing_listening_is_a_message_without_the_password(
    tmp_path: Path, folder: Path, url: str, command: str
) -> None:
    url = url.format(port=_closed_port())
    args = {"load": ["load", str(folder)], "export": ["export", "--output", str(tmp_path / "out")]}.get(
        command, [command]
    )
    if command == "build":
        args = ["build", "--output", str(tmp_path / "site")]
    result = cli(*args, "--database-url", url, cwd=tmp_path)
    line = _one_line_error(result)
    assert "hunter2" not in result.out + result.err and "ter2" not in result.err
    assert "cannot reach the database server" in line or "cannot open the store" in line, line
    assert not (tmp_path / "out").exists() and not (tmp_path / "site").exists()


def test_safe_url_masks_every_form_of_password() -> None:
    for url in (
        "postgresql://u:pw@h/db",
        "postgresql://u:p@w@h/db",
        "postgresql://u@h/db?password=pw",
        "postgresql://u@h/db?a=1&password=pw&b=2",
        "postgresql://u@h/db?PASSWORD=pw",
    ):
        assert "pw" not in safe_url(url).replace("***", ""), safe_url(url)
    assert (
        faults.scrub("connection to host=h password=pw failed\nsecond line")
        == "connection to host=h password=*** failed"
    )


# --- the store's file -----------------------------------------------------------------------------------


def test_a_store_folder_that_cannot_be_made(tmp_path: Path, folder: Path) -> None:
    (tmp_path / "taken").write_text("a file where the store's folder should be")
    for args in (["load", str(folder)], ["rank"]):
        result = cli(*args, "--database-url", _sqlite(tmp_path / "taken" / "store.sqlite"), cwd=tmp_path)
        assert "cannot make the folder" in _one_line_error(result)


def test_a_text_file_given_as_the_store_is_refused_and_left_alone(tmp_path: Path, folder: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my notes, not a database\n" * 100)
    before = text.read_bytes()
    for args in (["load", str(folder)], ["load", str(folder), "--rebuild"], ["--no-refresh", "rank"], ["show", "KGZ"]):
        result = cli(*args, "--database-url", _sqlite(text))
        assert "not a database" in _one_line_error(result), result.err
    assert text.read_bytes() == before


def test_a_garbage_schema_version_is_a_clear_message(tmp_path: Path, folder: Path, store_url: str) -> None:
    assert cli("load", str(folder), "--database-url", store_url).code == 0
    from sqlalchemy import create_engine, text

    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'"))
    engine.dispose()
    before = dump_tables(store_url)
    for args in (["load", str(folder)], ["--no-refresh", "rank"]):
        line = _one_line_error(cli(*args, "--database-url", store_url))
        assert "abc" in line and "load --rebuild" in line, line
    assert dump_tables(store_url) == before


def test_rebuild_checks_before_it_drops_anything(tmp_path: Path, folder: Path, store_url: str) -> None:
    assert cli("load", str(folder), "--database-url", store_url).code == 0
    from sqlalchemy import create_engine, text

    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)"))
        conn.execute(text("INSERT INTO invoices VALUES (1, 100)"))
    before = dump_tables(store_url)
    result = cli("load", str(folder), "--rebuild", "--database-url", store_url)
    line = _one_line_error(result)
    assert "invoices" in line and "nothing was dropped" in line
    assert dump_tables(store_url) == before  # all 13 benchmark tables still there, as they were
    with engine.connect() as conn:
        assert conn.execute(text("SELECT total FROM invoices")).scalar() == 100
    engine.dispose()


def test_both_backends_store_the_same_values(tmp_path: Path, folder: Path, pg_server: object) -> None:
    sqlite_url = _sqlite(tmp_path / "store.sqlite")
    pg_url = pg_server.create_database("same_values")  # type: ignore[attr-defined]
    for url in (sqlite_url, pg_url):
        assert cli("load", str(folder), "--database-url", url).code == 0
    lite, pg = read_facts(sqlite_url), read_facts(pg_url)
    for name in type(lite).__dataclass_fields__:
        a, b = getattr(lite, name), getattr(pg, name)
        if hasattr(a, "equals"):
            key = [c for c in a.columns if c in ("code", "country", "key", "id")][:1] or a.columns[:1]
            assert a.sort(key).equals(b.sort(key)), name


# --- real processes: a killed load, a read-only store, an unreadable file, a silent server ---------------


def _unprivileged() -> list[str]:
    """A prefix that makes file permissions bind, as they do for a user who is not root."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test permissions as root"
    drop = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, f"--inh-caps={drop}", f"--bounding-set={drop}"]


def _run(*args: str, prefix: list[str] | None = None, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Result:
    done = subprocess.run(
        [*(prefix or []), sys.executable, str(ROOT / "cli.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "BENCHMARK_NO_REFRESH": "0", **(env or {})},
        timeout=300,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def _kill_during_load(folder: Path, url: str, journal: Path) -> bool:
    """Start a `load --rebuild`, kill -9 it while its transaction is open; True once one was caught."""
    for _ in range(40):
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "cli.py"), "load", str(folder), "--rebuild", "--database-url", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while process.poll() is None and not (journal.exists() and journal.stat().st_size > 0):
            time.sleep(0.001)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            if journal.exists() and journal.stat().st_size > 0:
                return True
        process.wait()
    return False


def test_a_read_command_after_a_killed_load_recovers_the_store(tmp_path: Path, folder: Path) -> None:
    store = tmp_path / "store.sqlite"
    assert _run("load", str(folder), "--database-url", _sqlite(store)).code == 0
    before = dump_tables(_sqlite(store))
    write_records(folder, KGZ=BASE.replace("value: 915", "value: 916"))
    assert _kill_during_load(folder, _sqlite(store), tmp_path / "store.sqlite-journal"), "no load was caught"

    result = _run("--no-refresh", "show", "KGZ", "--database-url", _sqlite(store))  # reads only

    _no_bug(result)
    assert result.code == 0, result.err
    assert dump_tables(_sqlite(store)) == before  # the killed rebuild's drop rolled back with its rows


# A process that dies by kill -9 half-way through a transaction that has already written the store's file
# (a one-page cache makes SQLite spill at once), leaving a hot journal as a load killed at its end would.
_KILLED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")
conn.execute("BEGIN")
for table in [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]:
    conn.execute(f'DELETE FROM "{table}"')
conn.execute("CREATE TABLE filler (x TEXT)")
conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 1000,)] * 2000)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("command", [["--no-refresh", "show", "KGZ"], ["--no-refresh", "rank"], ["rank"]])
def test_a_hot_journal_is_rolled_back_by_the_next_read(tmp_path: Path, folder: Path, command: list[str]) -> None:
    store = tmp_path / "store.sqlite"
    assert _run("load", str(folder), "--database-url", _sqlite(store)).code == 0
    before = dump_tables(_sqlite(store))
    killed = subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(store)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    journal = tmp_path / "store.sqlite-journal"
    assert journal.stat().st_size > 0

    result = _run(*command, "--database-url", _sqlite(store), cwd=folder.parent)

    _no_bug(result)
    assert result.code == 0, result.err
    assert not journal.exists()
    assert dump_tables(_sqlite(store)) == before


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder made read-only; writable again after the test, so that pytest can remove it."""
    target = tmp_path / "ro"
    target.mkdir()
    yield target
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_store_is_a_message_and_stays_as_it_was(folder: Path, read_only: Path) -> None:
    store = read_only / "store.sqlite"
    assert _run("load", str(folder), "--database-url", _sqlite(store)).code == 0
    before = dump_tables(_sqlite(store))
    write_records(folder, KGZ=BASE.replace("value: 915", "value: 916"))
    store.chmod(0o444)
    read_only.chmod(0o555)

    result = _run("load", str(folder), "--database-url", _sqlite(store), prefix=_unprivileged())

    line = _one_line_error(result)
    assert "nothing changed" in line and "readonly database" in line, line
    assert dump_tables(_sqlite(store)) == before
    read = _run("--no-refresh", "show", "KGZ", "--database-url", _sqlite(store), prefix=_unprivileged())
    assert read.code == 0, read.err  # reading a read-only store still works


def test_an_unreadable_record_is_a_problem_with_its_name(folder: Path) -> None:
    (folder / "UZB.yaml").chmod(0o000)
    try:
        result = _run("validate", str(folder), prefix=_unprivileged())
    finally:
        (folder / "UZB.yaml").chmod(0o644)
    _no_bug(result)
    assert result.code == 1
    assert f"{folder / 'UZB.yaml'}:1:1: cannot read the file: Permission denied" in result.out, result.out


def test_a_server_that_never_answers_ends_in_a_message(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"postgresql+psycopg://me@127.0.0.1:{silent.getsockname()[1]}/db"
        result = _run("rank", "--database-url", url, env={CONNECT_TIMEOUT_ENV: "1"}, cwd=tmp_path)
    assert "did not answer in time" in _one_line_error(result), result.err


def test_a_server_that_is_not_a_database_ends_in_a_message(tmp_path: Path) -> None:
    import threading

    with socket.socket() as server:  # answers every connection with a web server's words
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.settimeout(60)

        def answer() -> None:
            for _ in range(8):  # bounded: the command's few attempts
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                with conn:
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

        threading.Thread(target=answer, daemon=True).start()
        url = f"postgresql+psycopg://me:hunter2@127.0.0.1:{server.getsockname()[1]}/db"
        result = _run("rank", "--database-url", url, env={CONNECT_TIMEOUT_ENV: "2"}, cwd=tmp_path)
    line = _one_line_error(result)
    assert "hunter2" not in result.err and ("database server" in line or "store cannot be used" in line), line


def test_the_command_names_itself_as_it_was_run() -> None:
    result = _run("rank", "--seed", "x")
    assert result.code == 2 and "Usage: cli.py rank" in result.err, result.err


# --- limits on options ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--seed", "-1"], "--seed"),
        (["--seed", str(2**32)], "--seed"),
        (["--sensitivity", "100000000"], "--sensitivity"),
        (["--sensitivity", "-5"], "--sensitivity"),
    ],
)
def test_option_limits_are_usage_errors(tmp_path: Path, args: list[str], option: str) -> None:
    result = cli("rank", *args, "--database-url", _sqlite(tmp_path / "s.sqlite"))
    assert result.code == 2 and option in result.err, result.err
    assert not (tmp_path / "s.sqlite").exists()


# --- the mapping itself -----------------------------------------------------------------------------------


def test_faults_become_messages_and_defects_stay_defects() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/srv/site/index.html")
    assert faults.message_for(full) == "cannot read or write /srv/site/index.html: the disk is full"
    assert "not enough memory" in (faults.message_for(MemoryError()) or "")
    locked = sqlite3.OperationalError("database is locked")
    assert "busy with another command" in (faults.message_for(locked) or "")
    import psycopg

    refused = psycopg.OperationalError('password authentication failed for user "me"')
    assert "refused the user or the password" in (faults.message_for(refused) or "")
    assert faults.message_for(KeyError("KAZ")) is None  # a defect: exit 3, reported as a bug
    assert faults.message_for(ValueError("x")) is None
