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
    """Run the app; a fault is reported in one line (exit 1), a defect too (exit 3), never as a traceback."""
    from benchmark.cli import faults

    try:
        app(prog_name=_prog_name())
    except KeyboardInterrupt:
        print("interrupted; nothing was half-written (loads run in one transaction)", file=sys.stderr)
        sys.exit(130)
    except Exception as err:  # the last line of defence: users get a message, not a stack
        message = faults.message_for(err)
        if message is not None:
            print(f"error: {message}", file=sys.stderr)
            sys.exit(faults.EXIT_FAULT)
        print(f"error: {type(err).__name__}: {faults.scrub(str(err))}", file=sys.stderr)
        print(
            "This is a bug in the benchmark, not in your data; please report it with the command you ran.",
            file=sys.stderr,
        )
        sys.exit(3)


def _prog_name() -> str:
    """The name the user typed: `cli.py`, or the console script's (`creative-benchmark`)."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return name if name and name not in ("__main__.py", "-c") else "cli.py"


__all__ = ["app", "main"]
