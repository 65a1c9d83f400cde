"""The site is valid and accessible: no error from the Nu HTML checker on any page, and no serious or
critical axe-core violation on any page type, in any language, in a real browser."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from site_support import LANGS, PAGE_TYPES, ROOT, Built

from benchmark.publish.site.browser import file_url

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_the_nu_html_checker_finds_no_error(built: Built) -> None:
    java = shutil.which("java")
    assert java, "no Java runtime: run `bash tests/system-deps.sh` (as root) to install one"
    assert VNU.is_file(), f"no {VNU.relative_to(ROOT)}: run `npm ci --ignore-scripts` (tests/system-deps.sh does)"
    done = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--also-check-css",
            "--also-check-svg",
            "--format",
            "json",
            "--skip-non-html",
            str(built.folder),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    errors = [
        f"{m.get('url', '').split(built.folder.name, 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == []
    checked = {m.get("url") for m in report["messages"]}
    assert done.returncode == 0, (done.returncode, checked)


# Every page type, plus the states a script sets (moved weights, chosen countries, filters).
STATES = (
    [("index.html", "")]
    + [(f"{lang}/{path}", "") for lang in LANGS for path in PAGE_TYPES.values()]
    + [
        ("en/rankings/tax-competitiveness.html", "#w=free_zones:4"),
        ("ru/compare.html", "#c=KAZ,KOR,TUR"),
        ("kk/matrix.html", "#region=Central%20Asia"),
        ("en/countries/GBR.html", ""),
        ("kk/rankings/tax-competitiveness.html", "#why-KAZ"),
        ("ru/regions/KZ-75.html", ""),
    ]
)


@pytest.mark.parametrize("width", [1280, 375])
def test_no_serious_or_critical_accessibility_violation(browser: Any, built: Built, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(viewport={"width": width, "height": 900})
    found = []
    try:
        for path, fragment in STATES:
            page.goto(file_url(built.folder / path) + fragment)
            page.wait_for_load_state("load")
            result = axe.run(page)
            for violation in result.response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [n["target"] for n in violation["nodes"][:3]]
                    found.append(f"{path}{fragment}: {violation['id']} ({violation['impact']}): {targets}")
    finally:
        page.close()
    assert found == []


def test_the_checker_tools_need_no_network() -> None:
    """vnu.jar comes from the npm registry with its download script skipped; it runs on the system Java."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert set(lock["packages"]) == {"", "node_modules/vnu-jar"}
    assert "npm ci --ignore-scripts" in (ROOT / "tests" / "system-deps.sh").read_text(encoding="utf-8")
    assert Path(VNU).suffix == ".jar"
