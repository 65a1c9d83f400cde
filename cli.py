"""Entry point: `python cli.py COMMAND`. The same app is installed as the `creative-benchmark` script.

Run with any Python: when the packages are not importable here but the project's virtual environment
exists (`make setup` makes it), the command runs again with that environment's Python.
"""

import os
import sys
from pathlib import Path

try:
    from benchmark.cli import main
except ImportError as missing:
    venv = Path(__file__).resolve().parent / ".venv"
    venv_python = venv / "bin" / "python"
    if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():  # not already inside it
        os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
    sys.exit(f"error: {missing.name or 'a package'} is not installed; run `make setup` first (see README.md)")

if __name__ == "__main__":
    main()
