"""The bare NumPy floor of a Monte Carlo rank analysis, and `sensitivity.analyse` timed against it.

Run:  .venv/bin/python bench/sensitivity_floor.py --sizes 20 200 2000 10000

The floor does only what no implementation can skip, on arrays already normalised: per block of 1,000
draws, one matrix product per normalisation for the weighted sums and one for the weights used, one
sort of each draw's scores and its inverse permutation (ranks without a tie rule), the draws' ranks
kept as 16-bit integers, then per country the 5th, 50th and 95th percentile by selection
(`np.partition`), a chunk of countries at a time. `analyse` adds the profile's normalisations (Polars),
the tie rule and the drivers of the variance.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import string
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, os.environ.get("BENCH_CODE") or str(ROOT))

DRAWS, BLOCK, INDICATORS, KINDS = 10_000, 1000, 12, 4


def floor(
    values: list[np.ndarray], used: list[np.ndarray], weights: np.ndarray, draws: int, seed: int = 0
) -> np.ndarray:
    """Per country the 5th, 50th and 95th percentile rank over the draws: (3, n)."""
    n, m = values[0].shape
    rng = np.random.default_rng(seed)
    w_all = weights * (1.0 + 0.25 * rng.uniform(-1.0, 1.0, size=(draws, m)))
    choice = rng.integers(0, len(values), size=draws)
    ranks = np.empty((draws, n), dtype=np.uint16 if n < 65535 else np.uint32)
    positions = np.arange(1, n + 1, dtype=ranks.dtype)
    for start in range(0, draws, BLOCK):
        w, c = w_all[start : start + BLOCK], choice[start : start + BLOCK]
        scores = np.empty((len(w), n))
        for j in range(len(values)):
            rows = c == j
            scores[rows] = (w[rows] @ values[j].T) / (w[rows] @ used[j].T)
        order = np.argsort(-scores, axis=1)
        np.put_along_axis(ranks[start : start + len(w)], order, positions[None, :], axis=1)
    out = np.empty((3, n), dtype=np.int64)
    picks = [max(0, int(np.ceil(q * draws)) - 1) for q in (0.05, 0.5, 0.95)]
    for lo in range(0, n, 500):
        part = np.partition(ranks[:, lo : lo + 500], picks, axis=0)
        out[:, lo : lo + 500] = part[picks]
    return out


def inputs(n: int, seed: int = 0) -> tuple[object, object, list[np.ndarray], list[np.ndarray], np.ndarray]:
    """A matrix of n countries x 12 share indicators (5% unknown) and the arrays the floor starts from."""
    from benchmark import registry
    from benchmark.scoring.indicators import from_values
    from benchmark.scoring.profiles import Profile

    rng = random.Random(seed)
    ids = [m.id for m in registry.metrics().values() if m.quantity == "share"][:INDICATORS]
    codes = ["".join(t) for t in _codes(n)]
    values = {c: {i: (None if rng.random() < 0.05 else rng.uniform(0, 50)) for i in ids} for c in codes}
    weights = np.array([1 + k % 3 for k in range(len(ids))], dtype=float)
    profile = Profile.model_validate(
        {
            "title": {"en": "Scale", "ru": "Масштаб"},
            "rationale": {"en": "Synthetic", "ru": "Синтетика"},
            "indicators": [{"id": i, "weight": float(w)} for i, w in zip(ids, weights, strict=True)],
            "missing": {"policy": "mean"},
        }
    )
    nprng = np.random.default_rng(seed)
    arrays = [nprng.uniform(0, 1, size=(n, len(ids))) for _ in range(KINDS)]
    masks = [(nprng.uniform(size=(n, len(ids))) > 0.05).astype(float) for _ in range(KINDS)]
    return from_values(values), profile, [a * u for a, u in zip(arrays, masks, strict=True)], masks, weights


def _codes(n: int):
    letters = string.ascii_uppercase
    count = 0
    for a in letters:
        for b in letters:
            for c in letters:
                for d in letters:
                    if count == n:
                        return
                    count += 1
                    yield a, b, c, d


def _timed(fn) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of the whole process after fn (the peak is since the process began: the
    floor runs after analyse, so the peak is analyse's)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare(sizes: list[int], draws: int = DRAWS) -> str:
    """A Markdown table: analyse and the floor at each size, their ratio, and the peak memory."""
    import subprocess

    lines = [
        f"| countries | analyse ({draws:,} draws) | NumPy floor | ratio | peak RSS of analyse |",
        "|---|---|---|---|---|",
    ]
    for n in sizes:  # each size in its own process, so that each peak is its own
        cmd = [sys.executable, __file__, "--one", str(n), "--draws", str(draws)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        t_analyse, t_floor, rss = map(float, done.stdout.split())
        lines.append(f"| {n:,} | {t_analyse:.2f} s | {t_floor:.2f} s | {t_analyse / t_floor:.1f} | {rss:,.0f} MiB |")
    return "\n".join(lines)


def one(n: int, draws: int) -> None:
    from benchmark.scoring.sensitivity import analyse

    matrix, profile, values, used, weights = inputs(n)
    # Both warmed up once (first calls pay for Polars' and NumPy's set-up), then the best of three.
    analyse(matrix, profile, 10, seed=1)  # type: ignore[arg-type]
    floor(values, used, weights, 10)
    runs = [_timed(lambda: analyse(matrix, profile, draws, seed=1)) for _ in range(3)]  # type: ignore[arg-type]
    t_analyse, rss = min(t for t, _ in runs), max(m for _, m in runs)
    t_floor = min(_timed(lambda: floor(values, used, weights, draws))[0] for _ in range(3))
    print(t_analyse, t_floor, rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000, 10000])
    parser.add_argument("--draws", type=int, default=DRAWS)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.draws)
    else:
        print(compare(args.sizes, args.draws))


if __name__ == "__main__":
    main()
