"""Entry point: `python cli.py COMMAND`. The same app is installed as the `creative-benchmark` script."""

from benchmark.cli import main

if __name__ == "__main__":
    main()
