"""Synthetic data sets shaped like the real records, for the scale benchmark.

`make_dataset(n, folder)` writes `folder/countries/` with Kazakhstan's real record (and its regions,
which the site and the regional profile are built around) plus n - 1 copies of the other real
country records under new three-letter codes, their figures perturbed by up to ±20%, and copies the
real `sources/` and `rankings/` beside it. The new codes are no ISO 3166-1 codes, so the benchmark's
commands run through `bench/scale_run.py`, which adds them to the list of known country codes (the
fixture registry, `codes.txt` in the folder); nothing else about validation is relaxed.
"""

from __future__ import annotations

import copy
import itertools
import random
import shutil
import string
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
FOCUS = "KAZ"
CODES_FILE = "codes.txt"


def synthetic_codes(taken: set[str]) -> list[str]:
    """Three-letter codes, none of them a real one (all 17,576 minus ISO's, in a fixed order)."""
    letters = string.ascii_uppercase
    return [c for c in ("".join(t) for t in itertools.product(letters, repeat=3)) if c not in taken]


def make_dataset(n: int, folder: Path, seed: int = 0) -> list[str]:
    """Write an n-record data set into `folder`; return the synthetic codes."""
    import pycountry

    rng = random.Random(seed)
    out = folder / "countries"
    if folder.exists():
        shutil.rmtree(folder)
    out.mkdir(parents=True)
    shutil.copytree(ROOT / "sources", folder / "sources")
    shutil.copytree(ROOT / "rankings", folder / "rankings")
    shutil.copy2(ROOT / "countries" / f"{FOCUS}.yaml", out / f"{FOCUS}.yaml")
    if (ROOT / "countries" / FOCUS).is_dir():
        shutil.copytree(ROOT / "countries" / FOCUS, out / FOCUS)
    templates = sorted(p for p in (ROOT / "countries").glob("*.yaml") if p.stem != FOCUS)
    parsed = {p: _read(p) for p in templates}
    codes = synthetic_codes({c.alpha_3 for c in pycountry.countries})[: n - 1]
    for i, code in enumerate(codes):
        template = templates[i % len(templates)]
        data = _own_keys(_perturb(parsed[template], rng), code.lower())
        data["code"] = code
        data["names"] = {lang: f"{name} {code}" for lang, name in data["names"].items()}
        data["groupings"] = []  # memberships are the registry's, checked against it
        data.pop("former_codes", None)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        (out / f"{code}.yaml").write_text(text, encoding="utf-8")
    (folder / CODES_FILE).write_text("\n".join(codes) + "\n", encoding="utf-8")
    return codes


def _read(path: Path) -> Any:
    """Read with the project's reader: PyYAML alone would turn keys such as `on` into booleans."""
    from benchmark.records.read import read

    doc, problems = read(path)
    if doc is None:
        raise SystemExit(f"{path}: {problems[0].message}")
    return doc.data


def _perturb(data: Any, rng: random.Random) -> Any:
    """A deep copy with every metric figure scaled by a factor in [0.8, 1.2] (shares kept under 100)."""
    data = copy.deepcopy(data)
    for series in (data.get("metrics") or {}).values():
        for obs in series if isinstance(series, list) else []:
            _scale(obs, rng.uniform(0.8, 1.2))
    return data


def _own_keys(data: dict, suffix: str) -> dict:
    """The record's own sources made the copy's own (`key-abc`, title marked), and every citation of them."""
    own = set(data.get("sources") or {})

    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        return f"{value}-{suffix}" if isinstance(value, str) and value in own else value

    out = rename(data)
    # A publication is known by publisher, title, year and URL: each copy's are its own publications.
    out["sources"] = {f"{k}-{suffix}": {**v, "title": f"{v['title']} [{suffix}]"} for k, v in out["sources"].items()}
    return out


def _scale(obs: dict, factor: float) -> None:
    unit = obs.get("unit")
    for key in ("value", "low", "high"):
        value = obs.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if unit == "rank" or isinstance(value, int):
            obs[key] = max(1, round(value * factor))
        else:
            new = round(value * factor, 3)
            obs[key] = min(new, 99.0) if unit == "percent" else new
    if isinstance(obs.get("low"), int | float) and isinstance(obs.get("high"), int | float):
        low, high = sorted((obs["low"], obs["high"]))
        obs["low"], obs["high"] = low, high if high > low else low + 1
