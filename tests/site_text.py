"""The words a reader sees on a built page, and which of them are in the wrong script for its language.

Text inside `<script>`, `<style>`, `<code>`, `<kbd>`, `<samp>`, `<svg>` and any element that declares
another language (`lang="en"` on a quotation from a source) or says it is a name (`translate="no"`) is
not the page's own prose, so it is not counted. What is left should be in the page's language: Cyrillic
on Russian and Kazakh pages, Latin on English ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SKIPPED = {"script", "style", "code", "kbd", "samp", "svg", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LATIN = re.compile(r"[A-Za-z]{2,}")
ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9]{1,5}$")  # codes and acronyms (AUD, BCARR, KZ-63), not prose
CYRILLIC = re.compile(r"[\u0400-\u04FF]{2,}")
# Words that are the same in every language here: abbreviations, units and codes a reader knows as such.
SHARED = {
    "IP",
    "GDP",
    "ISO",
    "CSV",
    "JSON",
    "SVG",
    "PNG",
    "URL",
    "IT",
    "WIPO",
    "OECD",
    "UNCTAD",
    "UNESCO",
    "JRC",
    "KZT",
    "USD",
    "EUR",
    "GBP",
    "PLN",
    "UZS",
    "KGS",
    "RUB",
    "TRY",
    "MYR",
    "IDR",
    "VND",
    "NGN",
    "MAD",
    "GEL",
    "AED",
    "KRW",
    "COP",
    "CC",
    "BY",
    "MIT",
    "CIS",
    "EU",
    "UK",
    "UAE",
    "ID",
    "VAT",
    "XLSX",
    "SQL",
    "SQLite",
    "Parquet",
    "GitHub",
    "YAML",
    "PDF",
    "ICT",
    "GII",
    "GRP",
    "GVA",
    "EAEU",
    "ASEAN",
    # names of tools and formats the downloads page tells a reader to use
    "Frictionless",
    "pandas",
    "Polars",
    "R",
    "Excel",
    "LibreOffice",
    "datapackage.json",
    "Python",
}


@dataclass
class _Words(HTMLParser):
    page_lang: str = "en"
    words: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[bool] = []  # per open element: is its text skipped
        self._tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.page_lang = str(found.get("lang") or "en")
        if tag in VOID:
            return
        skipped = bool(self._stack and self._stack[-1])
        lang = found.get("lang")
        skipped = skipped or tag in SKIPPED or found.get("translate") == "no"
        skipped = skipped or (lang is not None and lang != self.page_lang)
        self._stack.append(skipped)
        self._tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self._tags:
            return
        while self._tags:  # close what the end tag closes, including elements left open (`<li>`, `<p>`)
            self._stack.pop()
            if self._tags.pop() == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1]:
            return
        self.words.extend(data.split())


def reader_words(path: Path) -> tuple[str, list[str]]:
    """The page's language and the words of its own prose."""
    parser = _Words()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.page_lang, parser.words


def foreign(lang: str, words: list[str]) -> tuple[list[str], int]:
    """The words in the wrong script for `lang`, and how many words carry letters at all."""
    wrong: list[str] = []
    lettered = 0
    for word in words:
        latin, cyrillic = LATIN.search(word), CYRILLIC.search(word)
        if not latin and not cyrillic:
            continue
        lettered += 1
        bare = word.strip(".,;:()«»\"'!?—–-/%[]")
        if bare in SHARED or ABBREVIATION.match(bare):
            continue
        if (lang == "en" and cyrillic) or (lang != "en" and latin and not cyrillic):
            wrong.append(bare)
    return wrong, lettered
