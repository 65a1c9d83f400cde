"""Run one `cli.py` command over a synthetic data set: `scale_run.py CODES_FILE COMMAND [ARGS...]`.

The synthetic records carry three-letter codes that are not ISO 3166-1 codes; this adds the codes
listed in CODES_FILE (one a line) to the codes the `country-code-exists` rule accepts, then runs the
command exactly as `python cli.py` would. Every other rule applies unchanged.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# BENCH_CODE: the checkout whose `benchmark` package runs (default: this one), for before/after figures.
sys.path.insert(0, os.environ.get("BENCH_CODE") or str(Path(__file__).resolve().parent.parent))


def main() -> None:
    codes_file, *args = sys.argv[1:]
    extra = frozenset(Path(codes_file).read_text(encoding="utf-8").split())

    from benchmark.records import rules

    real = rules.iso_countries()
    rules.iso_countries = lambda: real | extra  # type: ignore[method-assign,assignment]
    from benchmark.cli import main as cli_main

    sys.argv = ["cli.py", *args]
    cli_main()


if __name__ == "__main__":
    main()
