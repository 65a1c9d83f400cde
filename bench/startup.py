"""Cold start-up of the commands a user types, beside the floor: `python -c "import polars"`.

Run:  .venv/bin/python bench/startup.py            (or `make startup`; 9 runs of each, about half a minute)
      .venv/bin/python bench/startup.py --runs 15

Each command runs as a whole new process, in turn with the floor (A B A B ...), so that a machine whose
speed drifts moves both alike; one warm-up run of each is not counted. For every run the kernel's own
accounting of the finished child (user + system CPU seconds, from wait4) is read beside the wall time.
It prints the median and the range of each, and the median of the pairwise ratios command / floor: quote
the CPU ratio, which shared machines disturb least. The store is loaded first, so `rank` reads it as it is.
Not part of the test suite: the suite never asserts on the clock.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ("-c", "import polars")
COMMANDS = {
    "rank": ("cli.py", "rank", "--profile", "instrument-matrix", "--format", "json"),
    "validate": ("cli.py", "validate"),
    "--help": ("cli.py", "--help"),
}


def run_once(args: tuple[str, ...]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `python ARGS` from the repository root."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"`python {' '.join(args)}` exited {child.returncode}")
    return usage.ru_utime + usage.ru_stime, wall


def figure(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s ({min(values):.3f}-{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="counted runs of each command (default 9)")
    options = parser.parse_args()
    subprocess.run([sys.executable, "cli.py", "load"], cwd=ROOT, check=True, capture_output=True)

    print(f"python {sys.version.split()[0]}, {options.runs} runs each, paired with the floor `import polars`")
    print(f"{'command':<10} {'CPU (median, range)':<28} {'wall (median, range)':<28} CPU / floor  wall / floor")
    for name, args in COMMANDS.items():
        run_once(args), run_once(FLOOR)  # warm-up: the file cache, not the interpreter
        cpu, wall, floor_cpu, floor_wall = [], [], [], []
        for _ in range(options.runs):
            c, w = run_once(args)
            fc, fw = run_once(FLOOR)
            cpu.append(c), wall.append(w), floor_cpu.append(fc), floor_wall.append(fw)
        cpu_ratio = statistics.median(c / f for c, f in zip(cpu, floor_cpu, strict=True))
        wall_ratio = statistics.median(w / f for w, f in zip(wall, floor_wall, strict=True))
        print(f"{name:<10} {figure(cpu):<28} {figure(wall):<28} {cpu_ratio:10.2f}x {wall_ratio:11.2f}x")
    print(f"{'floor':<10} {figure(floor_cpu):<28} {figure(floor_wall):<28}")


if __name__ == "__main__":
    main()
