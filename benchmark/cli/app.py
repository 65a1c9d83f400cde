"""The Typer app and the options every command shares."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

app = typer.Typer(
    help="Creative-industries policy benchmark: validate, load, rank and publish country records.\n\n"
    "Exit codes: 0 fine, 1 invalid data, 2 usage error.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

DEFAULT_DATABASE = "sqlite:///build/benchmark.sqlite"


class ProblemFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


DataPaths = Annotated[
    list[Path] | None,
    typer.Argument(help="Country files or folders (default: countries/).", show_default=False),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="BENCHMARK_DATABASE_URL",
        help=f"SQLAlchemy URL of the store (default {DEFAULT_DATABASE}; "
        "postgresql+psycopg://user@host/db for PostgreSQL).",
    ),
]


def database_url(given: str | None) -> str:
    return given or os.environ.get("BENCHMARK_DATABASE_URL") or DEFAULT_DATABASE


def data_paths(given: list[Path] | None) -> list[Path]:
    return given or [Path("countries")]


def _version(value: bool) -> None:
    if value:
        from benchmark import __version__

        typer.echo(f"creative-benchmark {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Creative-industries policy benchmark."""
