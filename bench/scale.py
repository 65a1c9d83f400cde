"""Scale benchmark: how the whole commands grow with the number of records (not part of the test suite).

Run:  .venv/bin/python bench/scale.py                      (20, 200 and 2,000 records)
      .venv/bin/python bench/scale.py --sizes 20 200 --repeat 3
      .venv/bin/python bench/scale.py --huge               (adds 10,000)
      .venv/bin/python bench/scale.py --postgres           (also loads into a throw-away PostgreSQL)
      .venv/bin/python bench/scale.py --code /tmp/old      (times another checkout, e.g. a baseline)

For each size it writes a synthetic data set (bench/synthetic.py: the real records copied under new
codes, figures perturbed) and times, each as its own process (`bench/scale_run.py`, which is
`python cli.py` with the synthetic codes known):
- load into a new SQLite file (`load`: validate every file, write the store),
- build the site (`build`, from the fresh store),
- reload with one file changed (`load` again after one record's English name changed),
- validate with one file changed (`validate` after the same name changed once more: a researcher's
  edit-and-check step, with the cache the loads filled),
- rank --sensitivity 10000 (`rank` of the default profile with 10,000 draws),
- with --postgres, load into a new PostgreSQL database (`load --rebuild --database-url`), with the cache
  of parsed files empty as for the fresh SQLite load, so that the two rows compare the stores alone,
and prints the median wall time and the peak resident memory of each, as a Markdown table, with the
growth factor of each 10x step. A second table times `sensitivity.analyse` in-process against the bare
NumPy floor of bench/sensitivity_floor.py.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from synthetic import CODES_FILE, make_dataset  # noqa: E402

STAGES = (
    "build the site",
    "load into a new SQLite file",
    "reload with one file changed",
    "validate with one file changed",
    "rank --sensitivity 10000",
)
SQLITE, POSTGRES = "load into a new SQLite file", "load into a new PostgreSQL database"
SHORT = dict(zip(("build", "load", "reload", "validate", "rank"), STAGES, strict=True))


def run(folder: Path, code: Path, *args: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command over the synthetic data set, run as its own process."""
    cmd = [sys.executable, str(BENCH / "scale_run.py"), CODES_FILE, *args]
    # Bytecode is written and reused, as on a contributor's machine (this machine's shell turns it off,
    # which made every command compile its 900 modules again: 3 to 5 s of each figure).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"BENCH_CODE": str(code)}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(args)} failed in {folder}:\n{err.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


def change_one(folder: Path) -> None:
    """Change the English name of one synthetic file (the last), so that exactly one record differs."""
    target = sorted((folder / "countries").glob("*.yaml"))[-1]
    text = target.read_text(encoding="utf-8")
    en = text.index("en: ") + 4
    target.write_text(text[:en] + "Changed " + text[en:], encoding="utf-8")


def measure(
    n: int, repeat: int, code: Path, work: Path, postgres: str | None, stages: tuple[str, ...] = STAGES
) -> dict[str, tuple[float, float]]:
    folder = work / f"n{n}"
    make_dataset(n, folder)
    times: dict[str, list[tuple[float, float]]] = {s: [] for s in STAGES if s in stages}
    if postgres:
        times[POSTGRES] = []
    # A cache of parsed files of its own (beside the data set, never in countries/): empty
    # for the fresh load, warm for the reload, as for a researcher who edits one file.
    os.environ["BENCHMARK_CACHE_DIR"] = str(work / f"cache-{n}")
    for _ in range(repeat):
        shutil.rmtree(work / f"cache-{n}", ignore_errors=True)
        # The default store (benchmark/cli/app.py): removed, so that every repeat loads into a new file.
        shutil.rmtree(folder / ".benchmark", ignore_errors=True)
        times[SQLITE].append(run(folder, code, "load"))
        if "build the site" in times:
            times["build the site"].append(run(folder, code, "build", "-o", "_site", "--build-date", "2026-12-01"))
        if "rank --sensitivity 10000" in times:
            times["rank --sensitivity 10000"].append(run(folder, code, "rank", "--sensitivity", "10000"))
        change_one(folder)
        if "reload with one file changed" in times:
            times["reload with one file changed"].append(run(folder, code, "load"))
        if "validate with one file changed" in times:
            change_one(folder)  # again: the reload cached the first change
            times["validate with one file changed"].append(run(folder, code, "validate"))
        if postgres:
            # Empty cache, as for the fresh SQLite load: the two rows then differ by the store alone.
            shutil.rmtree(work / f"cache-{n}", ignore_errors=True)
            times[POSTGRES].append(run(folder, code, "load", "--rebuild", "--database-url", postgres))
    return {
        stage: (statistics.median(t for t, _ in figures), max(m for _, m in figures))
        for stage, figures in times.items()
    }


def table(results: dict[int, dict[str, tuple[float, float]]]) -> str:
    sizes = sorted(results)
    stages = list(results[sizes[0]])
    head = "| stage | " + " | ".join(f"{n:,}" for n in sizes) + " | time growth per step |"
    lines = [head, "|---" * (len(sizes) + 2) + "|"]
    for stage in stages:
        cells = [f"{results[n][stage][0]:.1f} s, {results[n][stage][1]:,.0f} MiB" for n in sizes]
        growth = [
            f"x{results[b][stage][0] / results[a][stage][0]:.1f}" + ("" if b == 10 * a else f" (for x{b / a:g})")
            for a, b in itertools.pairwise(sizes)
        ]
        lines.append(f"| {stage} | " + " | ".join(cells) + f" | {', '.join(growth) or '-'} |")
    if POSTGRES in stages:
        ratios = ", ".join(f"x{results[n][POSTGRES][0] / results[n][SQLITE][0]:.2f} at {n:,}" for n in sizes)
        lines += ["", f"PostgreSQL against SQLite, both loads from an empty cache into a new store: {ratios}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--huge", action="store_true", help="add 10,000 records")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each stage (the median is shown)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose benchmark/ is timed")
    parser.add_argument("--postgres", action="store_true", help="also time a load into PostgreSQL")
    parser.add_argument("--no-floor", action="store_true", help="skip the in-process sensitivity table")
    parser.add_argument(
        "--stages",
        nargs="+",
        choices=sorted(SHORT),
        default=sorted(SHORT),
        help="only these stages (the fresh load always runs: the others start from its store and cache)",
    )
    args = parser.parse_args()
    stages = (*(SHORT[s] for s in args.stages), "load into a new SQLite file")
    sizes = sorted(set(args.sizes + ([10000] if args.huge else [])))
    os.environ["BENCH_CODE"] = str(args.code.resolve())
    server = None
    postgres = None
    if args.postgres:
        sys.path.insert(0, str(ROOT / "tests"))
        from pg_server import Server

        server = Server()
        postgres = server.url()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            results = {}
            for n in sizes:
                results[n] = measure(n, args.repeat, args.code.resolve(), Path(tmp), postgres, stages)
                print(f"{n:,} records done", file=sys.stderr)
        print(table(results))
    finally:
        if server is not None:
            server.stop()
    if not args.no_floor:
        from sensitivity_floor import compare

        print()
        print(compare([n for n in sizes if n >= 20] + ([10000] if 10000 not in sizes else [])))


if __name__ == "__main__":
    main()
