"""The exact best and worst rank (benchmark/scoring/rank_bounds.py) timed on every profile of rankings/.

Run:  .venv/bin/python bench/rank_bounds.py

Per profile: countries ranked, whether the bounds are exact (a linear profile), programmes solved, and the
seconds of one run of `rank_bounds` (normalisation and scoring included), beside one 1,000-draw
`sensitivity.analyse`, what the site already pays for each profile.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("BENCH_CODE") or str(ROOT))


def main() -> None:
    from benchmark.cli.app import database_url
    from benchmark.scoring.indicators import as_of_year, build
    from benchmark.scoring.profiles import available, read_profile
    from benchmark.scoring.rank_bounds import rank_bounds
    from benchmark.scoring.sensitivity import analyse
    from benchmark.store.freshness import fresh_facts

    facts = fresh_facts(database_url(None))
    start = time.perf_counter()
    import scipy.optimize  # noqa: F401  (timed apart: once per process)

    print(f"import scipy.optimize: {time.perf_counter() - start:.3f} s")
    print(f"{'profile':28} {'countries':>9} {'exact':>5} {'solved':>6} {'bounds s':>9} {'sampling s':>10}")
    total = 0.0
    for name, path in sorted(available().items()):
        profile, _ = read_profile(path)
        if profile is None:
            continue
        matrix = build(facts, profile, as_of=as_of_year(profile, None))
        start = time.perf_counter()
        found = rank_bounds(matrix, profile)
        bounds = time.perf_counter() - start
        total += bounds
        start = time.perf_counter()
        analyse(matrix, profile, 1000, seed=0)
        sampling = time.perf_counter() - start
        n = found.countries.height
        print(f"{name:28} {n:9} {'yes' if found.linear else 'no':>5} {found.solved:6} {bounds:9.3f} {sampling:10.3f}")
    print(f"{'all profiles':28} {'':9} {'':5} {'':6} {total:9.3f}")


if __name__ == "__main__":
    main()
