"""What derives from the store's one declaration (`tables.py`): frame columns, descriptions and keys.

`facts.py` must read a SQLite store without importing SQLAlchemy (start-up time), so the frames' columns
are written out once into `frame_layout.py` by `python -m benchmark.store.layout`; a test fails when that
file no longer matches the tables. The export reads descriptions and keys from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import JSON, Boolean, Column, Float, Integer, Table
from sqlmodel import SQLModel

from benchmark.store import tables

GENERATED = Path(__file__).with_name("frame_layout.py")
TABLE_FRAME = {row.__table__.name: frame for frame, row in tables.FRAMES.items()}  # type: ignore[attr-defined]


def table_of(frame: str) -> Table:
    return SQLModel.metadata.tables[tables.FRAMES[frame].__table__.name]  # type: ignore[attr-defined]


def kind(column: Column) -> str:
    """The column's type in a frame: int, real, bool, text, texts (a list of text) or json (JSON text)."""
    if isinstance(column.type, JSON):
        return "texts" if column.info["json"] == "texts" else "json"
    if isinstance(column.type, Integer):
        return "int"
    if isinstance(column.type, Float):
        return "real"
    return "bool" if isinstance(column.type, Boolean) else "text"


def description(column: Column) -> str:
    return str(column.info["description"])


def primary_key(frame: str) -> list[str]:
    return [c.name for c in table_of(frame).primary_key.columns]


def foreign_keys(frame: str) -> list[tuple[str, str, str]]:
    """(column, referenced frame, referenced column), in column order: the database's constraints and the
    references a column declares without one."""
    out = []
    for column in table_of(frame).columns:
        targets = [f"{fk.column.table.name}.{fk.column.name}" for fk in column.foreign_keys]
        targets += [column.info["references"]] if "references" in column.info else []
        for target in targets:
            table, _, field = target.partition(".")
            out.append((column.name, TABLE_FRAME[table], field))
    return out


def render() -> str:
    """The text of frame_layout.py."""
    lines = [
        '"""The frames the store is read into. Generated from tables.py by `python -m benchmark.store.layout`;',
        'do not edit (tests/test_facts.py fails when it is stale)."""',
        "",
        f"SCHEMA_VERSION = {tables.SCHEMA_VERSION}",
        "",
        "# frame -> (table, ((column, kind), ...)); kinds: int, real, bool, text, texts (list of text), json",
        "FRAMES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {",
    ]
    for frame in tables.FRAMES:
        table = table_of(frame)
        lines.append(f'    "{frame}": (')
        lines.append(f'        "{table.name}",')
        lines.append("        (")
        lines += [f'            ("{c.name}", "{kind(c)}"),' for c in table.columns]
        lines.append("        ),")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    GENERATED.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {GENERATED}\n")
