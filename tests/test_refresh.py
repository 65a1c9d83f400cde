"""A read command never silently changes the store: it refreshes only from what the store was loaded from."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from helpers import BASE, cli, second_record, write_records

from benchmark.store.load import codes


def _touch(path: Path) -> None:
    later = time.time() + 5
    os.utime(path, (later, later))


def test_a_read_in_another_folder_does_not_prune_what_was_loaded_elsewhere(tmp_path: Path, store_url: str) -> None:
    elsewhere = write_records(tmp_path / "elsewhere" / "countries", KGZ=BASE, UZB=second_record())
    assert cli("load", str(elsewhere), "--database-url", store_url).code == 0
    here = write_records(tmp_path / "here" / "countries", TJK=second_record(code="TJK", en="Tajikistan"))
    _touch(here / "TJK.yaml")  # newer than the store: the old freshness check reloaded from here, pruning
    result = cli("matrix", "--format", "json", "--database-url", store_url, cwd=here.parent)
    assert result.code == 0, result.err
    assert codes(store_url) == ["KGZ", "UZB"]
    assert sorted(json.loads(result.out)["countries"]) == ["KGZ", "UZB"]


def test_a_stale_store_is_refreshed_from_its_own_files_and_the_user_told(tmp_path: Path, store_url: str) -> None:
    elsewhere = write_records(tmp_path / "elsewhere" / "countries", KGZ=BASE, UZB=second_record())
    assert cli("load", str(elsewhere), "--database-url", store_url).code == 0
    (elsewhere / "TJK.yaml").write_text(second_record(code="TJK", en="Tajikistan"), encoding="utf-8")
    _touch(elsewhere / "TJK.yaml")
    result = cli("matrix", "--database-url", store_url, cwd=tmp_path)
    assert result.code == 0, result.err
    assert "note: the store is older than the files in" in result.err and "elsewhere" in result.err
    assert codes(store_url) == ["KGZ", "TJK", "UZB"]


def test_no_refresh_reads_the_store_as_it_is(tmp_path: Path, store_url: str) -> None:
    folder = write_records(tmp_path / "countries", KGZ=BASE)
    assert cli("load", str(folder), "--database-url", store_url).code == 0
    (folder / "UZB.yaml").write_text(second_record(), encoding="utf-8")
    _touch(folder / "UZB.yaml")
    result = cli("--no-refresh", "matrix", "--database-url", store_url, cwd=tmp_path)
    assert result.code == 0 and "note:" not in result.err
    assert codes(store_url) == ["KGZ"]
    missing = cli("--no-refresh", "rank", "--database-url", f"sqlite:///{tmp_path / 'none.sqlite'}", cwd=tmp_path)
    assert missing.code == 1 and "--no-refresh" in missing.err
    assert not (tmp_path / "none.sqlite").exists()
