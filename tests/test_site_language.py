"""Every page reads in its own language: English words on Russian and Kazakh pages, and Cyrillic on English
ones, appear only inside text marked as quoted from a source (`lang`), as a name or as code."""

from __future__ import annotations

import pytest
from site_support import LANGS, Built, pages
from site_text import foreign, reader_words

from benchmark.publish.site.quoting import language_of, quoted

PAGE_SHARE = 0.05  # at most one word in twenty on any page, for names the test cannot tell from prose
SITE_SHARE = 0.01  # and one in a hundred over a language's pages


@pytest.mark.parametrize("lang", LANGS)
def test_pages_are_in_their_language_outside_quotations(built: Built, lang: str) -> None:
    wrong_total = lettered_total = 0
    worst: list[tuple[float, str, list[str]]] = []
    for path in pages(built.folder / lang):
        page_lang, words = reader_words(path)
        assert page_lang == lang, path
        wrong, lettered = foreign(lang, words)
        wrong_total += len(wrong)
        lettered_total += lettered
        if lettered and len(wrong) / lettered > PAGE_SHARE:
            worst.append((len(wrong) / lettered, str(path.relative_to(built.folder)), wrong[:12]))
    assert lettered_total > 0
    assert not worst, f"pages in the wrong script above {PAGE_SHARE:.0%}: {sorted(worst, reverse=True)[:5]}"
    assert wrong_total / lettered_total <= SITE_SHARE, f"{lang}: {wrong_total} of {lettered_total} words"


def test_the_script_of_a_text_names_its_language() -> None:
    assert language_of("Бессрочно") == "ru"
    assert language_of("Жастарға арналған мәдени карта") == "kk"
    assert language_of("indefinite") == "en"
    assert language_of("2031") is None


def test_quoted_text_is_marked_and_glossed_on_pages_of_another_language() -> None:
    assert str(quoted("ru", "Бессрочно")) == "Бессрочно"
    english = str(quoted("en", "Бессрочно"))
    assert english.startswith('<span lang="ru">Бессрочно</span>')
    assert '<span class="gloss">(indefinite)</span>' in english
    note = str(quoted("en", "Searched 'закон о кино' and found nothing <b>"))
    assert '<span lang="ru">закон о кино</span>' in note and "&lt;b&gt;" in note
    assert str(quoted("kk", "a note")) == '<span lang="en">a note</span>'


def test_russian_cells_of_the_tax_table_carry_english_beside_them(built: Built) -> None:
    page = (built.folder / "en" / "tax.html").read_text(encoding="utf-8")
    _, words = reader_words(built.folder / "en" / "tax.html")
    wrong, _ = foreign("en", words)
    assert not wrong
    assert 'lang="ru"' in page and 'class="gloss"' in page
