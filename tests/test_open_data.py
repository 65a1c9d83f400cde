"""A contributor's pull request passes unchanged: the suites that read the real data run on a copy of it
with one more valid country and one more profile, and pass without a test being edited."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import DATA, ROOT, cli

# The suites that read countries/, sources/ and rankings/ (the others own their fixtures).
SUITES = (
    "tests/test_matrix.py",
    "tests/test_quality.py",
    "tests/test_rank_cli.py",
    "tests/test_scoring.py",
    "tests/test_explore_cli.py",
    "tests/test_money.py",
    "tests/test_regions.py",
    "tests/test_validate_cli.py",
    "tests/test_profiles.py",
    "tests/test_schema.py",
    "tests/test_contributor_path.py",
    "tests/test_undated.py",
)
CANDIDATES = ("URY", "PRY", "PER", "CHL", "BOL", "ECU", "CRI", "PAN")

NEW_COUNTRY = """# yaml-language-server: $schema=../schemas/country.schema.json
code: {code}
names: {{en: "Test {code}", ru: "Тест {code}", kk: "Тест {code}"}}
region: Latin America
groupings: [{groupings}]
sources:
  test-statistics-2024:
    publisher: A test statistics office
    title: A test release
    year: 2024
    url: https://example.org/test-release
metrics:
  ci_gdp_share:
    - {{value: 2.5, unit: percent, year: 2023, source: test-statistics-2024, at: "table 1"}}
  ci_exports:
    - {{value: 1.5, unit: NOK, scale: billion, year: 2023, source: test-statistics-2024, at: "table 2"}}
instruments:
  ci_law: {{status: present, since: 2020, source: test-statistics-2024}}
  film_rebates:
    status: present
    source: test-statistics-2024
    rebates:
      - name: A test rebate
        tiers: [{{value: 25}}]
  ip_protection: {{level: medium, source: test-statistics-2024}}
"""


def test_a_new_country_and_a_new_profile_pass_the_suites_unchanged(tmp_path: Path) -> None:
    from benchmark import registry

    data = tmp_path / "data"
    for folder in ("countries", "sources", "rankings", "schemas"):
        shutil.copytree(DATA / folder, data / folder)
    code = next(c for c in CANDIDATES if not (data / "countries" / f"{c}.yaml").exists())
    groupings = ", ".join(registry.memberships(code))
    (data / "countries" / f"{code}.yaml").write_text(NEW_COUNTRY.format(code=code, groupings=groupings), "utf-8")
    profile = (data / "rankings" / "instrument-matrix.yaml").read_text(encoding="utf-8")
    (data / "rankings" / "a-contributors-profile.yaml").write_text(profile, encoding="utf-8")
    assert cli("validate", str(data / "countries")).code == 0

    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *SUITES],
        cwd=ROOT,
        env={**os.environ, "BENCHMARK_TEST_DATA": str(data)},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout
