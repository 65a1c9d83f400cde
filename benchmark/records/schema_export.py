"""Generate the published data contract (`schemas/*.schema.json`) from the code's models.

A test regenerates the schemas and fails when the committed copies are stale; refresh them with
`python cli.py schemas`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmark import registry
from benchmark.records.models import Country

SCHEMA_DIR = Path("schemas")
_ID = "https://github.com/creative-benchmark/creative-benchmark/schemas/"


def country_schema() -> dict[str, Any]:
    schema = Country.model_json_schema()
    keys = {"metrics": sorted(registry.metrics()), "instruments": sorted(registry.instruments())}
    for holder in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in holder.get("properties", {}).items():
            if name in keys and prop.get("type") == "object":
                prop["propertyNames"] = {"enum": keys[name]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": _ID + "country.schema.json",
        "title": "Country record of the creative-industries policy benchmark",
        **schema,
    }


def generated() -> dict[str, str]:
    """File name -> text of every published schema."""
    out = {"country.schema.json": country_schema()}
    try:  # ranking profiles arrive with the scoring engine
        from benchmark.scoring.profiles import Profile

        out["profile.schema.json"] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": _ID + "profile.schema.json",
            "title": "Ranking profile of the creative-industries policy benchmark",
            **Profile.model_json_schema(),
        }
    except ImportError:
        pass
    return {name: json.dumps(s, ensure_ascii=False, indent=2, sort_keys=True) + "\n" for name, s in out.items()}


def write(folder: Path = SCHEMA_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generated().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
