"""Output folders written whole or not at all: `build --output` and `export --output`.

The files are written into a fresh folder beside the target and swapped in only once complete, so a
build that fails half-way (a fault in the data, a full disk, Ctrl-C) leaves the previous output as it
was. A target is refused when replacing it could destroy what we did not write: `/`, the home folder, a
symbolic link, an existing file, or a folder with files in it and no marker of ours.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MARKER = ".benchmark-output"
# Folders written by earlier versions carry the site's own marker; they are ours too.
MARKERS = (MARKER, ".benchmark-site")


class OutputError(Exception):
    """A target folder that must not be replaced, said in one sentence."""


def check_target(path: Path) -> None:
    """Raise OutputError when `path` must not be replaced by an output folder."""
    if path.is_symlink():
        raise OutputError(f"{path} is a symbolic link; give the folder itself (an output replaces what it names)")
    resolved = path.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise OutputError(
            f"{path} is {'the root folder' if resolved == Path(resolved.anchor) else 'your home folder'}; "
            "give a folder of its own for the output, such as _site or build/export"
        )
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} is a file, not a folder; give a folder for the output")
    if path.is_dir() and not any((path / marker).exists() for marker in MARKERS) and any(path.iterdir()):
        raise OutputError(
            f"{path} holds files this benchmark did not write; choose an empty or new folder "
            "(an output replaces the whole folder)"
        )


def replace_folder(path: Path, write: Callable[[Path], T]) -> T:
    """Call `write` with a new folder beside `path`, then put that folder in `path`'s place.

    On any failure the new folder is removed and `path` is left as it was.
    """
    check_target(path)
    parent = path.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".new", dir=parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        fresh.chmod(0o777 & ~umask)  # as a folder made by mkdir: a web server may need to read it
        result = write(fresh)
        (fresh / MARKER).write_text(
            "Written by the creative-industries benchmark; the next build or export replaces this folder.\n",
            encoding="utf-8",
        )
        _swap(fresh, path)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return result


def _swap(fresh: Path, path: Path) -> None:
    if not path.exists():
        os.rename(fresh, path)
        return
    old = fresh.with_suffix(".old")
    os.rename(path, old)
    try:
        os.rename(fresh, path)
    except BaseException:
        os.rename(old, path)
        raise
    shutil.rmtree(old, ignore_errors=True)
