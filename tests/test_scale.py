"""Costs that grow with the data: row ids from content (not load history) and bulk loading."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import BASE, second_record, write_records

from benchmark.problems import StoreError
from benchmark.publish.export import write_exports
from benchmark.records.validate import validate
from benchmark.store.bulk import code_key
from benchmark.store.facts import read_facts
from benchmark.store.load import load


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
