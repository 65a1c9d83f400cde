"""The store: idempotent loads, per-country replacement, all-or-nothing, schema versions, round-trips.
Every test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import COUNTRIES
from helpers import BASE, cli, second_record, write_records
from sqlalchemy import create_engine, text

from benchmark.records.validate import validate
from benchmark.store import bulk
from benchmark.store import load as store
from benchmark.store.load import dump_tables
from benchmark.store.readback import read_record


def _folder(tmp_path: Path, **files: str) -> Path:
    return write_records(tmp_path / "countries", **files)


def test_loading_the_same_files_twice_changes_nothing(tmp_path: Path, store_url: str) -> None:
    folder = _folder(tmp_path, KGZ=BASE, UZB=second_record())
    first = cli("load", str(folder), "--database-url", store_url)
    assert "2 added, 0 changed, 0 unchanged" in first.out
    before = dump_tables(store_url)
    again = cli("load", str(folder), "--database-url", store_url)
    assert again.code == 0 and "0 added, 0 changed, 2 unchanged, 0 removed" in again.out
    assert dump_tables(store_url) == before


def test_a_changed_file_replaces_that_country_only(tmp_path: Path, store_url: str) -> None:
    folder = _folder(tmp_path, KGZ=BASE, UZB=second_record())
    cli("load", str(folder), "--database-url", store_url)
    kgz_before = _country_rows(store_url, "KGZ")
    changed = second_record().replace("  park_exports:\n    - value: 200", "  park_exports:\n    - value: 250")
    (folder / "UZB.yaml").write_text(changed, encoding="utf-8")

    result = cli("load", str(folder), "--database-url", store_url)

    assert "0 added, 1 changed, 1 unchanged" in result.out
    assert _country_rows(store_url, "KGZ") == kgz_before
    assert read_record(store_url, "UZB").metrics["park_exports"][0].value == 250


def test_a_full_load_removes_countries_whose_files_are_gone(tmp_path: Path, store_url: str) -> None:
    folder = _folder(tmp_path, KGZ=BASE, UZB=second_record())
    records, _ = validate([folder])
    store.load(records, store_url, prune=True)
    (folder / "UZB.yaml").unlink()
    records, _ = validate([folder])
    report = store.load(records, store_url, prune=True)
    assert report.removed == ["UZB"]
    assert store.codes(store_url) == ["KGZ"]
    assert not any("UZB" in repr(row) for rows in dump_tables(store_url).values() for row in rows)


def test_an_interrupted_load_leaves_the_previous_contents(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, KGZ=BASE)
    records, _ = validate([folder])
    store.load(records, store_url)
    before = dump_tables(store_url)
    _folder(tmp_path, KGZ=BASE.replace("value: 915", "value: 916"), UZB=second_record())
    records, _ = validate([folder])
    real_insert = store._insert
    calls = []

    def insert_then_fail(*args: object) -> None:
        calls.append(1)
        real_insert(*args)  # type: ignore[arg-type]
        if len(calls) == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C halfway through

    monkeypatch.setattr(store, "_insert", insert_then_fail)
    with pytest.raises(KeyboardInterrupt):
        store.load(records, store_url)
    assert len(calls) == 2
    assert dump_tables(store_url) == before


def test_a_store_from_another_schema_version_gets_a_clear_message(tmp_path: Path, store_url: str) -> None:
    folder = _folder(tmp_path, KGZ=BASE)
    cli("load", str(folder), "--database-url", store_url)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '0' WHERE key = 'schema_version'"))
    engine.dispose()
    before = dump_tables(store_url)

    result = cli("load", str(folder), "--database-url", store_url)

    assert result.code == 1
    assert "was written with schema version 0" in result.err and "load --rebuild" in result.err
    assert dump_tables(store_url) == before
    rebuilt = cli("load", str(folder), "--database-url", store_url, "--rebuild")
    assert rebuilt.code == 0 and "1 added" in rebuilt.out


def test_an_unreachable_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    folder = _folder(tmp_path, KGZ=BASE)
    result = cli("load", str(folder), "--database-url", "postgresql+psycopg://me:secret@127.0.0.1:9/none")
    assert result.code == 1
    assert result.err.startswith("error: cannot open the store at postgresql+psycopg://me:***@127.0.0.1:9/none")
    assert "secret" not in result.err


def test_the_environment_variable_chooses_the_store(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, KGZ=BASE)
    monkeypatch.setenv("BENCHMARK_DATABASE_URL", store_url)
    assert cli("load", str(folder)).code == 0
    assert store.codes(store_url) == ["KGZ"]


def test_a_record_reads_back_exactly_as_written(tmp_path: Path, store_url: str) -> None:
    folder = _folder(tmp_path, KGZ=BASE)
    records, problems = validate([folder])
    assert not problems
    store.load(records, store_url)
    assert read_record(store_url, "KGZ") == records[0].country


def test_a_driver_without_a_bulk_path_stores_the_same_rows(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rows are built as the fast drivers take them; any other driver gets them through SQLAlchemy.
    records, problems = validate([_folder(tmp_path, KGZ=BASE, UZB=second_record())])
    assert not problems
    store.load(records, store_url)
    by_driver = dump_tables(store_url)
    monkeypatch.setattr(bulk, "_DRIVER_INSERTS", {})
    store.load(records, store_url, rebuild=True)
    assert dump_tables(store_url) == by_driver and by_driver["observation"]


def _country_rows(url: str, code: str) -> dict[str, list[tuple]]:
    return {name: [r for r in rows if repr(code) in r] for name, rows in dump_tables(url).items()}


def test_the_real_records_load_and_read_back_unchanged(store_url: str) -> None:
    records, problems = validate([COUNTRIES])
    assert not problems
    report = store.load(records, store_url, prune=True)
    assert len(report.added) == len(records) >= 23
    for record in records:
        assert read_record(store_url, record.country.code) == record.country, record.country.code
