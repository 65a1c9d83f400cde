"""Costs that grow with the data: row ids from content (not load history) and bulk loading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import BASE, second_record, write_records

from benchmark.problems import StoreError
from benchmark.publish.export import write_exports
from benchmark.records import cache
from benchmark.records.validate import validate
from benchmark.scoring.sensitivity import BLOCK, block_size, percentiles
from benchmark.store import bulk, record_rows
from benchmark.store.facts import read_facts
from benchmark.store.load import dump_tables, load
from benchmark.store.record_rows import code_key


def _exported(url: str, folder: Path) -> dict[str, bytes]:
    write_exports(read_facts(url), folder)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_fresh_load_and_a_reload_export_the_same_bytes(tmp_path: Path, store_url: str) -> None:
    folder = tmp_path / "countries"
    write_records(folder, KGZ=BASE, UZB=second_record())
    records, problems = validate([folder])
    assert not problems
    load(records, store_url, prune=True)
    fresh = _exported(store_url, tmp_path / "fresh")

    # The same store, after UZB changed and changed back, and KGZ was removed and added again.
    write_records(folder, UZB=second_record(en="Uzbekistan (changed)"))
    (folder / "KGZ.yaml").unlink()
    changed, problems = validate([folder])
    assert not problems
    report = load(changed, store_url, prune=True)
    assert report.changed == ["UZB"] and report.removed == ["KGZ"]
    write_records(folder, KGZ=BASE, UZB=second_record())
    load(validate([folder])[0], store_url, prune=True)
    reloaded = _exported(store_url, tmp_path / "reloaded")

    assert sorted(reloaded) == sorted(fresh) and any(name.endswith(".csv") for name in fresh)
    for name, content in fresh.items():
        assert reloaded[name] == content, name


def test_row_ids_sort_as_the_codes_do_and_stay_exact_in_json() -> None:
    codes = ["AAA", "KAZ", "KGZ", "KZ-63", "KZ-75", "UZB", "ZZZ"]
    keys = [code_key(c) for c in codes]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert code_key("ZZ-ZZZ") * (1 << 20) < 2**53


def test_a_code_that_cannot_make_ids_is_refused_with_a_message() -> None:
    with pytest.raises(StoreError, match="cannot be stored"):
        code_key("TOO-LONG")


def test_rank_percentiles_by_selection_match_the_counting_definition() -> None:
    # The nearest-rank percentile: the smallest rank r such that at least q of the draws rank the
    # country r or better, counted the long way from a histogram of each country's ranks.
    rng = np.random.default_rng(3)
    draws, n = 301, 40
    ranks = rng.integers(1, n + 1, size=(draws, n)).astype(np.uint16)
    got = percentiles(ranks, (0.05, 0.5, 0.95), chunk=7)
    for q, column in zip((0.05, 0.5, 0.95), got, strict=True):
        need = max(1, int(np.ceil(q * draws)))
        for country in range(n):
            counts = np.bincount(ranks[:, country], minlength=n + 1)
            assert column[country] == int(np.argmax(np.cumsum(counts) >= need))


def test_the_draws_scored_at_once_shrink_as_the_countries_grow() -> None:
    # A block's score array (draws x countries) stays the same size, however many countries there are.
    sizes = [block_size(n) * n for n in (3000, 10_000, 100_000)]
    assert max(sizes) <= 2_500_000 and block_size(20) == BLOCK and block_size(10**9) == 1


def test_a_failed_bulk_write_is_a_clear_message_and_changes_nothing(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "countries"
    write_records(folder, KGZ=BASE)
    load(validate([folder])[0], store_url)
    before = dump_tables(store_url)
    write_records(folder, KGZ=BASE.replace("value: 915", "value: 916"), UZB=second_record())
    # Two records' rows now claim the same ids (rows are built when a file is read, so read afresh).
    monkeypatch.setenv(cache.ENV, "off")
    monkeypatch.setattr(record_rows, "code_key", lambda code: 1)
    records, problems = validate([folder])
    assert not problems
    with pytest.raises(StoreError, match="rolled back, nothing changed"):
        load(records, store_url)
    assert dump_tables(store_url) == before


def test_a_worker_that_builds_store_rows_does_not_import_the_database_layer() -> None:
    # Each reading worker is a new process: SQLAlchemy's import would cost every one of them.
    probe = "import sys, benchmark.records.cache, benchmark.store.record_rows; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_row_tuples_follow_the_tables_columns() -> None:
    for model in bulk.ORDER:
        table = model.__table__  # type: ignore[attr-defined]
        assert bulk.columns(table) == tuple(c.name for c in table.columns), table.name
