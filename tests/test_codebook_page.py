"""The codebook reaches readers: site/codebook/ in three languages covers the registry's instruments and their
statuses, as docs/codebook.md does; the page is built in every language, a section per instrument, linked
from the methodology page, and nothing meant for maintainers (code, field names) shows on it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from site_support import LANGS, ROOT, Built, scan

from benchmark import registry
from benchmark.publish.site import SiteError, codebook
from benchmark.publish.site.i18n import Lang
from benchmark.records.models import Level, Status

READER = ROOT / "site" / "codebook"
MAINTAINERS = ROOT / "docs" / "codebook.md"
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def expected_statuses(scale: str) -> set[str]:
    """What an instrument's reading can be, from the record format itself (unknown is a gap, not a reading)."""
    return set(get_args(Level if scale == "level" else Status)) - {"unknown"}


def reader(lang: str) -> dict[str, Any]:
    return yaml.safe_load((READER / f"{lang}.yaml").read_text(encoding="utf-8"))


def texts(node: Any) -> list[str]:
    """Every string of a reader file: all of it reaches the page."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in texts(value)]
    return []


class _Text(HTMLParser):
    """The text a reader sees: text nodes and the title, never markup, attributes or the script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def maintainers_instruments() -> list[str]:
    return re.findall(r"^### `([a-z_]+)`", MAINTAINERS.read_text(encoding="utf-8"), flags=re.M)


def test_every_language_explains_every_status_of_every_instrument_of_the_registry() -> None:
    instruments = registry.instruments()
    assert instruments
    for lang in LANGS:
        book = reader(lang)
        assert set(book["instruments"]) == set(instruments), lang
        for instrument in instruments.values():
            statuses = book["instruments"][instrument.id]["statuses"]
            assert set(statuses) == expected_statuses(instrument.scale), f"{lang}: {instrument.id}"
            assert all(text.strip() for text in statuses.values()), f"{lang}: {instrument.id}"
    english = reader("en")
    for lang in LANGS:  # a translation has every paragraph, rule and note of the English, no more
        book = reader(lang)
        for part in ("intro", "rules", "differences"):
            assert len(book[part]) == len(english[part]), f"{lang}: {part}"
        for key, entry in english["instruments"].items():
            theirs = book["instruments"][key]
            assert list(theirs["statuses"]) == list(entry["statuses"]), f"{lang}: {key} order"
            assert len(theirs.get("notes") or []) == len(entry.get("notes") or []), f"{lang}: {key} notes"
            assert bool(theirs.get("intro")) == bool(entry.get("intro")), f"{lang}: {key} intro"


def test_the_maintainers_codebook_covers_the_same_instruments_and_points_to_the_reader_version() -> None:
    listed = maintainers_instruments()
    assert len(listed) == len(set(listed))
    assert set(listed) == set(registry.instruments()) == set(reader("en")["instruments"])
    top = MAINTAINERS.read_text(encoding="utf-8").split("\n\n")[1]
    assert "site/codebook/" in top


def test_reader_text_has_no_code_and_no_field_names() -> None:
    ids = set(registry.instruments())
    for lang in LANGS:
        for text in texts(reader(lang)):
            assert "`" not in text, f"{lang}: {text}"
            assert not SNAKE.search(text), f"{lang}: {SNAKE.search(text)} in {text}"
            assert not ids & set(re.findall(r"[a-z_]+", text)), f"{lang}: {text}"
            assert ".yaml" not in text and "cli.py" not in text and "docs/" not in text, f"{lang}: {text}"


def test_the_page_is_built_in_three_languages_with_a_section_per_instrument(built: Built) -> None:
    for lang in LANGS:
        page = built.folder / lang / "codebook.html"
        assert page.is_file(), f"{lang}/codebook.html was not written"
        found = scan(page)
        text = page_text(page)
        L = Lang.of(lang)
        for instrument in registry.instruments().values():
            anchor = codebook.anchor(instrument.id)
            assert anchor in found.ids, f"{lang}: no section {anchor}"
            assert ("a", f"#{anchor}") in found.links, f"{lang}: the contents do not link {anchor}"
            assert L.instrument(instrument.id) in text, f"{lang}: {instrument.id} has no heading"
        for status in expected_statuses("status"):
            assert L.t(f"mark.{status}") in text
        for level in expected_statuses("level"):
            assert L.t(f"mark.level-{level}") in text
        for rule in reader(lang)["rules"]:
            assert rule["title"] in text and rule["text"] in text


def test_the_methodology_page_links_to_the_codebook(built: Built) -> None:
    for lang in LANGS:
        methodology = built.folder / lang / "methodology.html"
        assert ("a", "codebook.html") in scan(methodology).links, f"{lang}/methodology.html"
        assert Lang.of(lang).t("methodology.codebook_link") in page_text(methodology)
        back = scan(built.folder / lang / "codebook.html").links
        assert ("a", "methodology.html") in back


def test_no_page_text_shows_backticks_or_field_names(built: Built) -> None:
    for lang in LANGS:
        text = page_text(built.folder / lang / "codebook.html")
        assert "`" not in text, f"{lang}/codebook.html"
        assert not SNAKE.search(text), f"{lang}/codebook.html: {SNAKE.search(text)}"
        # On the methodology page, the paragraph that leads to the codebook.
        L = Lang.of(lang)
        for key in ("methodology.codebook", "methodology.codebook_link"):
            assert "`" not in L.t(key) and not SNAKE.search(L.t(key)), f"{lang}: {key}"


def test_a_language_file_missing_an_instrument_stops_the_build_naming_file_and_instrument(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = reader("kk")
    dropped = next(iter(registry.instruments()))
    del book["instruments"][dropped]
    (tmp_path / "kk.yaml").write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(codebook, "FOLDER", tmp_path)
    codebook.reader_text.cache_clear()
    try:
        with pytest.raises(SiteError, match=rf"site/codebook/kk\.yaml: no section for the instrument {dropped}"):
            codebook.view("kk")
    finally:
        codebook.reader_text.cache_clear()
