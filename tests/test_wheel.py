"""The wheel carries everything: built, installed in a fresh virtual environment and used from an empty folder.

The fresh environment gets the wheel alone (no dependencies); its dependencies are the ones this test runs
with, made visible by a path file, so the test needs no network and checks what the wheel holds, not what
the index serves. The checkout is never on the path: every template, locale, profile and schema must come
from inside the installed package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
from pathlib import Path

import pytest
from helpers import DATA, ROOT


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The console script of the wheel, installed alone in a new virtual environment."""
    root = tmp_path_factory.mktemp("wheel")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(root), str(ROOT),
        cwd=root,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = root.glob("creative_benchmark-*.whl")

    env_dir = root / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = _run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root)
    # The dependencies: this interpreter's site-packages, appended after the environment's own (a path
    # file adds a folder, not the path files inside it, so the checkout's editable install stays out).
    (Path(site.stdout.strip()) / "_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = _run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel), cwd=root
    )
    assert done.returncode == 0, done.stderr
    return env_dir / "bin" / "creative-benchmark"


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENCHMARK_", "PYTHON"))}
    return env


def test_the_installed_package_is_imported_from_the_environment_not_the_checkout(installed: Path, empty: Path) -> None:
    python = installed.parent / "python"
    where = _run(str(python), "-c", "import benchmark; print(benchmark.__file__)", cwd=empty, env=_environment())
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(installed.parent.parent), where.stdout
    assert not Path(where.stdout.strip()).is_relative_to(ROOT)


def test_from_an_empty_folder_the_installed_script_lists_loads_ranks_builds_and_exports(
    installed: Path, empty: Path
) -> None:
    env = _environment()
    script = str(installed)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = _run(script, *args, cwd=empty, env=env)
        assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
        return done

    assert run("--help").stdout.lstrip().startswith("Usage: creative-benchmark")

    builtin = sorted(path.stem for path in (ROOT / "rankings").glob("*.yaml"))
    listed = run("profiles").stdout.splitlines()[2:]  # a table: a header, a rule, a profile a line
    assert sorted(line.split()[0] for line in listed if line.strip()) == builtin

    # The user's data: a few records and the bibliography they cite, in the working folder.
    (empty / "countries").mkdir()
    codes = sorted(["KAZ", "UZB", "KGZ"])
    for code in codes:
        shutil.copy(DATA / "countries" / f"{code}.yaml", empty / "countries")
    shutil.copytree(DATA / "sources", empty / "sources")

    run("load")
    assert (empty / ".benchmark" / "benchmark.sqlite").is_file()  # the store, out of any build/ folder

    ranked = json.loads(run("rank", "--profile", "instrument-matrix", "--format", "json").stdout)
    assert sorted(row["country"] for row in ranked) == codes

    run("build", "--output", "site")
    for lang in ("en", "ru", "kk"):
        assert (empty / "site" / lang / "index.html").is_file()
    assert (empty / "site" / "static" / "style.css").read_bytes() == (ROOT / "site/static/style.css").read_bytes()

    run("export", "--output", "export")
    package = json.loads((empty / "export" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"] and all((empty / "export" / r["path"]).is_file() for r in package["resources"])


def test_new_country_from_the_installed_package_points_at_a_schema_that_exists(installed: Path, empty: Path) -> None:
    done = _run(str(installed), "new-country", "ARM", "--region", "South Caucasus", cwd=empty, env=_environment())
    assert done.returncode == 0, done.stdout + done.stderr
    first = (empty / "countries" / "ARM.yaml").read_text(encoding="utf-8").splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert reference.startswith("file://"), first
    schema = Path(reference.removeprefix("file://"))
    assert schema.is_relative_to(installed.parent.parent) and json.loads(schema.read_text(encoding="utf-8"))


def test_the_sdist_carries_what_the_tests_need(tmp_path: Path) -> None:
    built = _run(sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path), cwd=ROOT)
    assert built.returncode == 0, built.stderr
    (sdist,) = tmp_path.glob("creative_benchmark-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = [
        path.relative_to(ROOT).as_posix()
        for folder in ("tests", "site", "rankings", "schemas", "countries", "sources")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    assert needed and not [name for name in needed if name not in names]
    assert {"pyproject.toml", "requirements-lock.txt", "Makefile", "cli.py"} <= names
