"""The `validate` command's contract: exit codes, output formats, and the real data passing."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import BASE, DATA, ROOT, cli, cli_process


def _bad(tmp_path: Path) -> Path:
    path = tmp_path / "KGZ.yaml"
    path.write_text(BASE.replace("region: Central Asia", "regoin: Central Asia"), encoding="utf-8")
    return path


def test_the_real_data_is_valid() -> None:
    result = cli_process("validate")
    assert result.code == 0, result.out + result.err
    count = len(list((DATA / "countries").rglob("*.yaml")))
    assert result.out.strip() == f"ok: {count} record(s) valid"


def test_exit_codes_are_0_valid_1_invalid_2_usage(tmp_path: Path) -> None:
    good = tmp_path / "good"
    good.mkdir()
    (good / "KGZ.yaml").write_text(BASE, encoding="utf-8")
    assert cli("validate", str(good)).code == 0
    assert cli("validate", str(_bad(tmp_path))).code == 1
    assert cli("validate", "--format", "yaml", str(good)).code == 2
    assert cli("validate", "--no-such-option").code == 2


def test_json_format_gives_machine_readable_problems(tmp_path: Path) -> None:
    result = cli("validate", "--format", "json", str(_bad(tmp_path)))
    problems = json.loads(result.out)
    assert result.code == 1
    assert {p["code"] for p in problems} == {"unknown-field", "missing-field"}
    unknown = next(p for p in problems if p["code"] == "unknown-field")
    assert unknown["field"] == "regoin" and unknown["line"] == 6 and unknown["column"] == 1
    assert unknown["file"].endswith("KGZ.yaml")
    assert "did you mean `region`?" in unknown["message"]


def test_github_format_gives_annotations_on_the_lines(tmp_path: Path) -> None:
    path = _bad(tmp_path)
    result = cli("validate", "--format", "github", str(path))
    assert result.code == 1
    assert (
        f"::error file={path},line=6,col=1,title=regoin::unknown field `regoin`; did you mean `region`?" in result.out
    )


def test_a_bad_file_never_produces_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "KGZ.yaml"
    path.write_bytes(b"code: KGZ\nnames: \xff\xfe\n")
    result = cli_process("validate", str(path))
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert f"{path}:2:8: byte 0xff is not valid UTF-8" in result.out


def test_cli_py_runs_from_a_python_outside_the_virtual_environment() -> None:
    import subprocess
    import sys

    base_python = Path(sys.base_prefix) / "bin" / "python3"  # the interpreter the venv was made from
    done = subprocess.run(
        [str(base_python), str(ROOT / "cli.py"), "--version"],
        capture_output=True,
        text=True,
        cwd=DATA,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("creative-benchmark ")
