"""The command line: one Typer app, one verb per job. `cli.py` and the console script both run it.

Commands live in `*_commands.py` modules of this package, grouped by job; each registers itself on
`app` when imported, so adding a module is all it takes to add commands.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmark.cli.app import app

for _module in pkgutil.iter_modules(__path__):
    if _module.name.endswith("_commands"):
        importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Run the app; any failure we did not foresee is reported in one line, never as a traceback."""
    try:
        app(prog_name=Path(sys.argv[0]).name or "creative-benchmark")  # `cli.py` or the console script
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
