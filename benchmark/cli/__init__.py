"""The command line: one Typer app, one verb per job. `cli.py` and the console script both run it."""

from __future__ import annotations

import sys

from benchmark.cli import data_commands  # noqa: F401  (registers the commands)
from benchmark.cli.app import app


def main() -> None:
    """Run the app; any failure we did not foresee is reported in one line, never as a traceback."""
    try:
        app(prog_name="cli.py")
    except KeyboardInterrupt:
        print("interrupted; nothing was half-written (loads run in one transaction)", file=sys.stderr)
        sys.exit(130)
    except Exception as err:  # the last line of defence: users get a message, not a stack
        print(f"error: {type(err).__name__}: {err}", file=sys.stderr)
        print(
            "This is a bug in the benchmark, not in your data; please report it with the command you ran.",
            file=sys.stderr,
        )
        sys.exit(3)


__all__ = ["app", "main"]
