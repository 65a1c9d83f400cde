"""Where the package's own files are: the site's templates, locales and static files, the built-in
ranking profiles and the published schemas.

In a source checkout they are the repository's top-level folders (`site/`, `rankings/`, `schemas/`), which
contributors edit. An installed package carries copies of them inside itself, under `benchmark/_bundled/`
(the wheel's build puts them there, see pyproject.toml), and reads them with `importlib.resources`. The
user's own folders (`countries/`, `rankings/`) are found from the working directory, never here.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Traversable:
    """The package's copy of `site`, `rankings` or `schemas`: inside an installed package, else the checkout's."""
    packaged = resources.files("benchmark").joinpath("_bundled", name)
    if packaged.is_dir():
        return packaged
    return _CHECKOUT / name


def is_packaged(name: str) -> bool:
    return resources.files("benchmark").joinpath("_bundled", name).is_dir()


def path(name: str) -> Path:
    """`bundled(name)` as a file-system path (an installed wheel is unpacked, so its files are real files)."""
    return Path(str(bundled(name)))


def schema_reference(folder: Path, name: str = "country.schema.json") -> str:
    """How a file written into `folder` points editors at a published schema, so that the reference resolves.

    Beside a checkout's (or a copy's) `schemas/` the link is relative, as in the committed records; elsewhere,
    as for a user of the installed package, it is the package's own copy, by absolute `file:` URI.
    """
    beside = folder.resolve().parent / "schemas" / name
    if beside.is_file():
        return f"../schemas/{name}"
    return (path("schemas") / name).resolve().as_uri()
