"""Performance benchmark of the ranking engine on synthetic data (not part of the test suite).

Run:  .venv/bin/python bench/bench_scoring.py            (20, 200 and 2,000 countries; a few minutes)
      .venv/bin/python bench/bench_scoring.py --sizes 20 200 --draws 2000   (quicker)

For each size it generates countries with 40 indicators (30 metrics observed over 15 years, 10
instruments), writes them to a fresh SQLite store through the real loader, reads the store back into
frames and builds the indicator matrix, scores it, and runs a 10,000-draw sensitivity analysis. It
prints the time and the peak memory of each stage, and how each grows from one size to the next.
See bench/README.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tabulate import tabulate  # noqa: E402

from benchmark import registry  # noqa: E402
from benchmark.records.models import Country  # noqa: E402
from benchmark.records.read import Document  # noqa: E402
from benchmark.records.rule_frames import Record  # noqa: E402
from benchmark.scoring.indicators import build  # noqa: E402
from benchmark.scoring.profiles import Profile  # noqa: E402
from benchmark.scoring.score import score  # noqa: E402
from benchmark.scoring.sensitivity import analyse  # noqa: E402
from benchmark.store.facts import read_facts  # noqa: E402
from benchmark.store.load import load  # noqa: E402

YEARS = list(range(2011, 2026))  # 15 years of observations
N_METRICS, N_INSTRUMENTS = 30, 10
STATUSES = ["present", "partial", "planned", "absent", "unknown"]
UNITS = {"share": "percent", "money": "USD", "persons": "persons", "count": "count", "rank": "rank"}


def indicator_ids() -> tuple[list[str], list[str]]:
    metrics = [m.id for m in registry.metrics().values() if m.quantity in UNITS and m.id not in ("gdp", "population")]
    instruments = [i.id for i in registry.instruments().values() if i.scale == "status"]
    return metrics[:N_METRICS], instruments[:N_INSTRUMENTS]


def codes(n: int) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b + c for a in letters for b in letters for c in letters][:n]


def records(n: int, seed: int = 0) -> list[Record]:
    """n synthetic countries: every metric observed in each of 15 years (a few unknown), 10 instruments."""
    rng = random.Random(seed)
    metrics, instruments = indicator_ids()
    regions = ["Europe", "Central Asia", "East Asia", "Latin America", "Middle East"]
    out = []
    for code in codes(n):
        series: dict[str, list[dict[str, Any]]] = {}
        for m in metrics:
            unit = UNITS[registry.metrics()[m].quantity]
            base = rng.uniform(1, 100)
            series[m] = [
                {"value": "unknown", "reason": "synthetic gap", "unit": unit, "year": y}
                if rng.random() < 0.03
                else {
                    "value": round(base * (1 + 0.02 * (y - 2011)) * rng.uniform(0.9, 1.1), 3),
                    "unit": unit,
                    "year": y,
                    "source": "synthetic",
                }
                for y in YEARS
            ]
        tools: dict[str, dict[str, Any]] = {}
        for i in instruments:
            status = rng.choice(STATUSES)
            tools[i] = (
                {"status": status, "reason": "synthetic"}
                if status == "unknown"
                else {"status": status, "source": "synthetic"}
            )
        data = {
            "code": code,
            "names": {"en": code, "ru": code, "kk": code},
            "region": rng.choice(regions),
            "sources": {"synthetic": {"publisher": "bench", "title": "Synthetic data", "year": 2025}},
            "metrics": series,
            "instruments": tools,
        }
        out.append(Record(Document(f"synthetic/{code}.yaml", data), Country.model_validate(data), code))
    return out


def profile() -> Profile:
    metrics, instruments = indicator_ids()
    normalisations = ["min-max", "z-score", "rank", "log-min-max"]
    indicators: list[dict[str, Any]] = [
        {"id": m, "weight": 1 + n % 3, "normalise": normalisations[n % 4], "currency": "USD"}
        if registry.metrics()[m].quantity == "money"
        else {"id": m, "weight": 1 + n % 3, "normalise": normalisations[n % 4]}
        for n, m in enumerate(metrics)
    ]
    indicators += [{"id": i, "weight": 1} for i in instruments]
    return Profile.model_validate(
        {
            "title": {"en": "Benchmark", "ru": "Бенчмарк"},
            "rationale": {"en": "Synthetic", "ru": "Синтетика"},
            "as_of": 2025,
            "indicators": indicators,
            "missing": {"policy": "mean"},
        }
    )


class RssPeak:
    """Peak resident memory above the level at the start, sampled every millisecond (sees Polars too)."""

    def __init__(self) -> None:
        self.start = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss())
            time.sleep(0.001)

    def __enter__(self) -> RssPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def extra(self) -> int:
        return self.peak - self.start


def _rss() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096


@dataclass
class Stage:
    seconds: float
    rss: int  # peak resident memory above the start of the stage, bytes
    traced: int | None = None  # tracemalloc peak (Python and NumPy allocations), bytes
    extra: dict[str, Any] = field(default_factory=dict)


def measure(fn: Callable[[], Any], repeat: int = 1, traced: bool = True) -> tuple[Stage, Any]:
    times, result, rss = [], None, 0
    for _ in range(repeat):
        with RssPeak() as watch:
            t0 = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - t0)
        rss = max(rss, watch.extra)
    peak = None
    if traced:
        tracemalloc.start()
        fn()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Stage(statistics.median(times), rss, peak), result


def run(n: int, draws: int, folder: Path) -> dict[str, Stage]:
    recs = records(n)
    p = profile()
    url = f"sqlite:///{folder / f'bench-{n}.sqlite'}"
    stages: dict[str, Stage] = {}
    stages["load: write the store"], _ = measure(lambda: load(recs, url, rebuild=True), traced=False)
    stages["load: read frames, build matrix"], matrix = measure(lambda: build(read_facts(url), p), traced=False)
    stages["score"], result = measure(lambda: score(matrix, p), repeat=7)
    stages[f"sensitivity ({draws:,} draws)"], _ = measure(lambda: analyse(matrix, p, draws, seed=1), repeat=1)
    stages["score"].extra["ranked"] = int(result["rank"].is_not_null().sum())
    stages["load: read frames, build matrix"].extra["cells"] = matrix.height
    return stages


def mb(b: int | None) -> str:
    return "" if b is None else f"{b / 2**20:,.1f} MB"


def duration(s: float) -> str:
    return f"{s * 1000:,.1f} ms" if s < 10 else f"{s:,.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="Also write the figures to this JSON file.")
    args = parser.parse_args()
    results: dict[int, dict[str, Stage]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            print(f"{n} countries ...", file=sys.stderr, flush=True)
            results[n] = run(n, args.draws, Path(tmp))
    names = list(next(iter(results.values())))
    rows = []
    for name in names:
        for i, n in enumerate(args.sizes):
            s = results[n][name]
            growth = ""
            if i:
                prev = args.sizes[i - 1]
                growth = f"x{s.seconds / results[prev][name].seconds:,.1f} for x{n / prev:g} countries"
            rows.append([name if i == 0 else "", n, duration(s.seconds), mb(s.rss), mb(s.traced), growth])
    print(
        tabulate(
            rows,
            headers=["stage", "countries", "time", "peak RSS added", "peak traced (Python+NumPy)", "time growth"],
            disable_numparse=True,
        )
    )
    sens = next(k for k in names if k.startswith("sensitivity"))
    print()
    for n in args.sizes:
        per = results[n][sens].seconds / (n * args.draws) * 1e9
        print(f"sensitivity cost per country x draw at {n} countries: {per:,.1f} ns")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({str(n): {k: vars(v) for k, v in stages.items()} for n, stages in results.items()}, indent=2),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
