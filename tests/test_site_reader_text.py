"""Reader pages carry no maintainers' notation: no backticks, file paths, field names, command-line options
or seed numbers in their prose (code a page shows on purpose, such as a file to download, sits in `<code>`)."""

from __future__ import annotations

import re

from site_support import Built, pages
from site_text import reader_words

from benchmark.publish.site.quoting import for_readers

NOTATION = {
    "backtick": re.compile(r"`"),
    "file path": re.compile(r"\b[\w-]+/[\w./-]+\.(?:ya?ml|py|json|md|j2)\b"),
    "command-line option": re.compile(r"(?<![\w-])--[a-z]"),
    "seed number": re.compile(r"\bseeds? \d{3}\b"),
    "field name": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
}


def test_no_page_shows_maintainers_notation(built: Built) -> None:
    found: list[str] = []
    for path in pages(built.folder):
        _, words = reader_words(path)
        text = " ".join(words)
        for what, pattern in NOTATION.items():
            hit = pattern.search(text)
            if hit:
                found.append(
                    f"{path.relative_to(built.folder)}: {what} «{text[max(0, hit.start() - 40) : hit.end() + 40]}»"
                )
    assert not found, "\n".join(found[:20])


def test_notes_are_rewritten_for_readers() -> None:
    text = for_readers("Read from seed 003 (the draft concept); see `film_rebates` and registry/published_rates.yaml.")
    assert "seed" not in text and "`" not in text and ".yaml" not in text
    assert "the draft concept" in text and "film rebate" in text.lower()
