"""The Typer app and the options every command shares."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Group(TyperGroup):
    """Turns the errors any command can meet into a message and exit 1: invalid data, an unusable store,
    and the operator's faults that `benchmark.cli.faults` knows (an unreachable database, a full disk)."""

    def invoke(self, ctx: Any) -> Any:  # a click Context; typer names its click only privately
        from benchmark.cli import faults
        from benchmark.problems import InvalidData, StoreError, render

        try:
            return super().invoke(ctx)
        except InvalidData as err:
            typer.echo(render(err.problems, "text"))
            typer.echo(f"{len(err.problems)} problem(s) in the data; fix them and run the command again", err=True)
            raise typer.Exit(EXIT_INVALID) from None
        except StoreError as err:
            typer.echo(f"error: {faults.scrub(str(err))}", err=True)
            raise typer.Exit(EXIT_INVALID) from None
        except (typer.Exit, typer.Abort, typer.TyperException):  # click's own: usage errors and exits
            raise
        except Exception as err:
            message = faults.message_for(err)
            if message is None:
                raise  # a defect: main() reports it as one
            typer.echo(f"error: {message}", err=True)
            raise typer.Exit(faults.EXIT_FAULT) from None


app = typer.Typer(
    cls=_Group,
    help="Creative-industries policy benchmark: validate, load, rank and publish country records.\n\n"
    "Exit codes: 0 fine, 1 invalid data or a fault of the store or the disk (said in one line), 2 usage "
    "error, 3 a defect of the benchmark.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)

DEFAULT_DATABASE = "sqlite:///.benchmark/benchmark.sqlite"


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
    """The store's URL, refused with a usage error when it cannot name a store (`sqlite://`, `file:`)."""
    from benchmark.store.dburl import store_url_problem

    url = given or os.environ.get("BENCHMARK_DATABASE_URL") or DEFAULT_DATABASE
    if (problem := store_url_problem(url)) is not None:
        typer.echo(f"error: --database-url: {problem}", err=True)
        raise typer.Exit(EXIT_USAGE)
    return url


def data_paths(given: list[Path] | None) -> list[Path]:
    return given or [Path("countries")]


def _version(value: bool) -> None:
    if value:
        from benchmark import __version__

        typer.echo(f"creative-benchmark {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    no_refresh: Annotated[
        bool,
        typer.Option(
            "--no-refresh",
            envvar="BENCHMARK_NO_REFRESH",
            help="Read the store as it is: never reload it from the files it was loaded from.",
        ),
    ] = False,
) -> None:
    """Creative-industries policy benchmark."""
    # Read by benchmark.store.freshness at each refresh; put back as it was when the command ends, so one
    # run (in a test, in a notebook) never leaks into the next.
    before = os.environ.get("BENCHMARK_NO_REFRESH")
    os.environ["BENCHMARK_NO_REFRESH"] = "1" if no_refresh else "0"

    def restore() -> None:
        if before is None:
            os.environ.pop("BENCHMARK_NO_REFRESH", None)
        else:
            os.environ["BENCHMARK_NO_REFRESH"] = before

    ctx.call_on_close(restore)
