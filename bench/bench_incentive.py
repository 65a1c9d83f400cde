"""Performance of the incentive calculator in batch: many productions × every recorded programme.

Run:  .venv/bin/python bench/bench_incentive.py                  (10,000 productions)
      .venv/bin/python bench/bench_incentive.py --productions 1000 --json bench/results/incentive.json

It reads the store as the CLI does (rebuilt first when countries/ is newer), generates seeded random
productions (budget in USD, EUR, GBP or KZT, local share, kind, VFX and post-production spend, target currency),,
values every programme for each with `incentive_value`, and prints the time of the batch, the time per
valuation, and how many valuations ended in each status. Not part of the test suite: it measures time.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark.cli.app import database_url  # noqa: E402
from benchmark.scoring.incentive_rates import registry_rates  # noqa: E402
from benchmark.scoring.incentive_table import entries  # noqa: E402
from benchmark.scoring.incentive_value import KINDS, Production, incentive_value  # noqa: E402
from benchmark.store.freshness import fresh_facts  # noqa: E402

COMMON = ("EUR", "GBP", "KZT")


def productions(count: int, currencies: list[str], years: list[int], seed: int) -> list[Production]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        budget = 10 ** rng.uniform(5, 8.5)
        share = rng.random()
        local = budget * share
        vfx = rng.random() * local * 0.3 if rng.random() < 0.3 else 0.0
        post = rng.random() * (local - vfx) * 0.2 if rng.random() < 0.3 else 0.0
        out.append(
            Production(
                budget, rng.choice(["USD", "USD", *currencies]), rng.choice(KINDS), local_share=share,
                spend={"vfx": vfx, "post_production": post}, target_currency=rng.choice([None, *currencies]),
                year=rng.choice([None, None, *years]),
            )
        )  # fmt: skip
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--productions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()

    started = time.perf_counter()
    facts = fresh_facts(database_url(None))
    programmes = [e.programme for e in entries(facts) if e.programme]
    rates = registry_rates()
    read = time.perf_counter() - started
    # The currencies a producer budgets in, each with several years in the table; rates of the latest year.
    currencies = [c for c in COMMON if any(k[0] == c for k in rates)]
    years: list[int] = []
    batch = productions(args.productions, currencies, years, args.seed)

    statuses: Counter[str] = Counter()
    started = time.perf_counter()
    for production in batch:
        for programme in programmes:
            statuses[incentive_value(programme, production, rates).status] += 1
    seconds = time.perf_counter() - started
    valuations = len(batch) * len(programmes)
    figures: dict[str, object] = {
        "productions": len(batch),
        "programmes": len(programmes),
        "valuations": valuations,
        "read_store_seconds": round(read, 3),
        "batch_seconds": round(seconds, 3),
        "microseconds_per_valuation": round(seconds / valuations * 1e6, 1),
        "statuses": dict(sorted(statuses.items())),
    }
    print(
        f"{len(batch):,} productions x {len(programmes)} programmes = {valuations:,} valuations in {seconds:.2f} s "
        f"({figures['microseconds_per_valuation']} µs each); store read in {read:.2f} s"
    )
    print("statuses: " + ", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
