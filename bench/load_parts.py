"""The parts of a load, in-process, over a synthetic data set that bench/scale.py's generator wrote.

Run from the data set's folder:  cd DATASET && .../.venv/bin/python .../bench/load_parts.py [--postgres]

Prints the time to validate (with whatever the cache of parsed files holds), to hash every record, to
write a fresh SQLite store, to reload it unchanged, and, with --postgres, to write a fresh store in a
throw-away PostgreSQL server: the store's own share of `load`, apart from validation.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))


def main() -> None:
    from benchmark.records import rules

    extra = frozenset(Path("codes.txt").read_text(encoding="utf-8").split())
    real = rules.iso_countries()
    rules.iso_countries = lambda: real | extra  # type: ignore[method-assign,assignment]
    from benchmark.records.validate import validate
    from benchmark.store.load import load
    from benchmark.store.record_rows import content_hash

    start = time.perf_counter()
    records, problems = validate([Path("countries")])
    if problems:
        raise SystemExit(f"{len(problems)} problem(s) in the data set")
    figures = {"validate": time.perf_counter() - start}
    start = time.perf_counter()
    for r in records:
        content_hash(r.country)
    figures["content hashes"] = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/store.sqlite"
        start = time.perf_counter()
        load(records, url)
        figures["write a fresh SQLite store"] = time.perf_counter() - start
        start = time.perf_counter()
        load(records, url)
        figures["reload it unchanged"] = time.perf_counter() - start
    if "--postgres" in sys.argv:
        sys.path.insert(0, str(BENCH.parent / "tests"))
        from pg_server import Server

        server = Server()
        try:
            start = time.perf_counter()
            load(records, server.url())
            figures["write a fresh PostgreSQL store"] = time.perf_counter() - start
        finally:
            server.stop()
    print(f"{len(records):,} records")
    for what, seconds in figures.items():
        print(f"{what:32} {seconds:6.1f} s")


if __name__ == "__main__":
    main()
