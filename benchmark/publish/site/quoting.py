"""Text from the data on a page of another language: marked with its own language, translated beside it
where the site knows a translation.

Records quote their sources as written (the study's Russian tax table, an English note, a French
programme name). A page in another language shows such text inside `<span lang="…">`, so that screen
readers pronounce it right and a reader sees it is quoted, and adds the page language's wording from
`site/locales/quoted.yaml` (a glossary of the short phrases the tables quote) where there is one.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import yaml
from markupsafe import Markup, escape

from benchmark.publish.site.i18n import LOCALES

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")
KAZAKH_ONLY = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
# A run of words in one script inside text in the other: «…» quotations, search phrases, glosses.
CYRILLIC_RUN = re.compile(r"«?[\u0400-\u04FF][\u0400-\u04FF0-9\s.,;:!?()\-–—%№/«»+]*[\u0400-\u04FF»]")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9\s,;:'’()\-–]*[A-Za-z]")


def language_of(text: str) -> str | None:
    """`en`, `ru` or `kk` by the script most of the letters use; None for text with no letters."""
    cyrillic, latin = len(CYRILLIC.findall(text)), len(LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    if cyrillic >= latin:
        return "kk" if KAZAKH_ONLY.search(text) else "ru"
    return "en"


@cache
def glossary() -> dict[str, dict[str, str]]:
    path = LOCALES / "quoted.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return {str(k): {str(lang): str(v) for lang, v in (row or {}).items()} for k, row in (data or {}).items()}


def _span(lang: str, text: str) -> str:
    return f'<span lang="{lang}">{escape(text)}</span>'


# The founding texts as contributors' notes name them ("seed 003"), as a reader knows them.
SEEDS = {
    "000": "the article by Bukharbay, Beisenbayev and Byulegenova",
    "001": "the East Kazakhstan article by Astafyeva and Konopyanova",
    "002": "the journal «Қоғам & Дәуір» 1/2026",
    "003": "the draft concept",
    "004": "the article on Almaty's creative class by Shedenova, Yessenamanov and Omuraliev",
}
SEED = re.compile(r"\bseeds? (\d{3})(?: \(the draft concept(?: itself)?\))?")
IDENTIFIER = re.compile(r"`?\b([a-z]+(?:_[a-z0-9]+)+)\b`?")
FILES = {"registry/published_rates.yaml": "the project's table of published exchange rates"}


@cache
def _known() -> dict[str, Any]:
    from benchmark import registry

    return {**registry.instruments(), **registry.metrics()}


def for_readers(raw: str) -> str:
    """A contributor's note made readable: no backticks, no file paths, no field names, no seed numbers."""
    if "`" not in raw and "_" not in raw and "seed" not in raw and "/" not in raw:
        return raw
    for path, words in FILES.items():
        raw = raw.replace(path, words)
    raw = SEED.sub(lambda m: SEEDS.get(m.group(1), "a founding text of the study"), raw)
    known = _known()

    def name(found: re.Match[str]) -> str:
        entry = known.get(found.group(1))
        return entry.label["en"].lower() if entry else found.group(1).replace("_", " ")

    return IDENTIFIER.sub(name, raw).replace("`", "")


def quoted(page_lang: str, text: object) -> Markup:
    """`text` as it should appear on a page in `page_lang` (escaped; marked and glossed when foreign)."""
    if text is None or text == "":
        return Markup("")
    raw = for_readers(str(text))
    lang = language_of(raw)
    if lang is None or lang == page_lang:
        return Markup(_inner_quotes(page_lang, raw))
    translation = glossary().get(raw.strip(), {}).get(page_lang)
    out = f'<span lang="{lang}">{_inner_quotes(lang, raw)}</span>'
    if translation:
        out += f' <span class="gloss">({escape(translation)})</span>'
    return Markup(out)


def _inner_quotes(page_lang: str, raw: str) -> str:
    """Escaped text whose runs in the other script (a Russian search phrase in an English note, an
    English gloss in a Kazakh title) are marked with their language."""
    runs = LATIN_RUN if page_lang in ("ru", "kk") else CYRILLIC_RUN
    parts, last = [], 0
    for found in runs.finditer(raw):
        run_lang = language_of(found.group(0)) or page_lang
        parts.append(str(escape(raw[last : found.start()])))
        parts.append(str(escape(found.group(0))) if run_lang == page_lang else _span(run_lang, found.group(0)))
        last = found.end()
    parts.append(str(escape(raw[last:])))
    return "".join(parts)
