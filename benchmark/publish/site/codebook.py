"""The codebook page: what each status of each instrument means, in the reader's language.

docs/codebook.md is the maintainers' version. The site renders `site/codebook/{en,ru,kk}.yaml`, the same rules
written for readers (instruments and statuses by their labels on the site, no field names), one file per
language. The page follows the registry: every instrument gets a section, in the registry's order, and a
language file that misses an instrument or a status stops the build with the file and the instrument named.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NoReturn, get_args

import yaml

from benchmark import registry
from benchmark.publish.site.i18n import SITE
from benchmark.records.models import Level, Status

FOLDER = SITE / "codebook"
# The readings an instrument can have, by its scale. Unknown is a gap rather than a reading: the general rules
# say when it applies, so no instrument defines it.
STATUSES: dict[str, tuple[str, ...]] = {
    "status": tuple(s for s in get_args(Status) if s != "unknown"),
    "level": tuple(s for s in get_args(Level) if s != "unknown"),
}


@cache
def reader_text(lang: str) -> dict[str, Any]:
    """The codebook of one language as written in its file."""
    return yaml.safe_load((FOLDER / f"{lang}.yaml").read_text(encoding="utf-8")) or {}


def anchor(instrument_id: str) -> str:
    """The instrument's anchor on the page (hyphens, so that no field name shows in an address)."""
    return instrument_id.replace("_", "-")


def mark(scale: str, status: str) -> str:
    """The key of a status's mark (`present`, `level-high`): its symbol and its label on the site."""
    return f"level-{status}" if scale == "level" else status


def view(lang: str) -> dict[str, Any]:
    """The page's context: the general rules, then one section per instrument of the registry."""
    book = reader_text(lang)
    where = f"site/codebook/{lang}.yaml"
    written = book.get("instruments") or {}
    sections = []
    for instrument in registry.instruments().values():
        entry = written.get(instrument.id)
        if not isinstance(entry, dict):
            _fail(f"{where}: no section for the instrument {instrument.id} of the registry")
        statuses = entry.get("statuses") or {}
        expected = STATUSES[instrument.scale]
        if set(statuses) != set(expected):
            _fail(f"{where}: {instrument.id} must explain exactly {', '.join(expected)}; it has {', '.join(statuses)}")
        sections.append(
            {
                "id": instrument.id,
                "anchor": anchor(instrument.id),
                "in_table": instrument.table_3_20 is not None,
                "intro": entry.get("intro"),
                "statuses": [(mark(instrument.scale, s), statuses[s]) for s in statuses],
                "notes": entry.get("notes") or [],
            }
        )
    extra = sorted(set(written) - set(registry.instruments()))
    if extra:
        _fail(f"{where}: sections for instruments the registry does not have: {', '.join(extra)}")
    return {
        "intro": book.get("intro") or [],
        "rules": book.get("rules") or [],
        "sections": sections,
        "differences": book.get("differences") or [],
    }


def _fail(message: str) -> NoReturn:
    from benchmark.publish.site.build import SiteError  # imported here: build imports the pages, which import us

    raise SiteError(message)
