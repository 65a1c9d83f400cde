"""Print or write a result in the format the user chose: table, markdown, csv or json."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer


class OutputFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


Format = Annotated[OutputFormat, typer.Option("--format", help="table, markdown, csv or json.")]
Output = Annotated[Path | None, typer.Option("--output", help="Write to this file instead of the terminal.")]
Lang = Annotated[str, typer.Option("--lang", help="Language of names and labels: en, ru or kk.")]


def render(rows: list[dict[str, Any]], fmt: OutputFormat, *, data: Any = None) -> str:
    """`rows` for tables; `data` (default: rows) is what JSON prints, for commands whose JSON is richer."""
    if fmt is OutputFormat.json:
        return json.dumps(rows if data is None else data, ensure_ascii=False, indent=2, default=str)
    if fmt is OutputFormat.csv:
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    from tabulate import tabulate

    style = "github" if fmt is OutputFormat.markdown else "simple"
    return tabulate(rows, headers="keys", tablefmt=style, floatfmt=".4g", disable_numparse=True)


def emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as err:
        typer.echo(f"error: cannot write {output}: {err.strerror}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {output}", err=True)


def check_lang(lang: str) -> str:
    if lang not in ("en", "ru", "kk"):
        raise typer.BadParameter(f"`{lang}` is not a language of the benchmark; use en, ru or kk", param_hint="--lang")
    return lang
